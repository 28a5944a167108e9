//! A record's text read into a tree that knows where each value and each key is (line and
//! column), so that every problem of a record can be reported where it is.
//!
//! Records are first read with serde into `RawRecord`, which is fast; only a record that fails
//! there is read again into this tree, to find all its problems and their places. JSON is read
//! by a small parser of its own (the text has already been accepted by serde_json, which reports
//! syntax errors); YAML by `saphyr-parser`, whose events carry their positions.

use std::borrow::Cow;

/// A place in a record's text: line and column, both from 1, the column counted in characters
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Pos {
    /// The line, from 1, within the record's text
    pub line: usize,
    /// The column, from 1, in characters
    pub column: usize,
}

/// A value of the record and where it starts
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node {
    /// Where the value starts
    pub pos: Pos,
    /// The value
    pub value: Value,
}

/// A value as written
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    /// JSON `null`
    Null,
    /// JSON `true` or `false`
    Bool(bool),
    /// A JSON number, as written
    Number(String),
    /// A JSON string, or any YAML scalar (`plain` when it was written unquoted, so that it may
    /// also stand for a number, a boolean or nothing)
    Str {
        /// The text
        text: String,
        /// Whether it was a YAML plain scalar
        plain: bool,
    },
    /// A list
    List(Vec<Node>),
    /// A mapping, its entries in the order written
    Map(Vec<Entry>),
}

/// An entry of a mapping
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry {
    /// The key as text
    pub key: String,
    /// Where the key is
    pub key_pos: Pos,
    /// Its value
    pub value: Node,
}

/// How many values a YAML record may expand to through aliases before it is refused
const MAX_NODES: usize = 100_000;

impl Node {
    /// The value as JSON; a YAML plain scalar is read as YAML reads it: a number, `true` or
    /// `false`, `null` (or `~`, or nothing), else text
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => serde_json::from_str(n).unwrap_or_else(|_| J::String(n.clone())),
            Value::Str { text, plain: false } => J::String(text.clone()),
            Value::Str { text, plain: true } => match text.as_str() {
                "" | "~" | "null" | "Null" | "NULL" => J::Null,
                "true" | "True" | "TRUE" => J::Bool(true),
                "false" | "False" | "FALSE" => J::Bool(false),
                _ => text
                    .parse::<i64>()
                    .map(J::from)
                    .ok()
                    .or_else(|| {
                        text.parse::<f64>()
                            .ok()
                            .filter(|f| f.is_finite())
                            .and_then(serde_json::Number::from_f64)
                            .map(J::Number)
                    })
                    .unwrap_or_else(|| J::String(text.clone())),
            },
            Value::List(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect(),
            ),
        }
    }

    /// The value at a field path such as `goods[0].categories[1]` (as `FieldError` writes it),
    /// and where it is; for a mapping entry, the place of its key
    pub fn find(&self, path: &str) -> Option<(Pos, &Node)> {
        let mut node = self;
        let mut pos = self.pos;
        for seg in path_segments(path) {
            match (seg, &node.value) {
                (Seg::Key(k), Value::Map(entries)) => {
                    let e = entries.iter().rev().find(|e| e.key == k)?;
                    pos = e.key_pos;
                    node = &e.value;
                }
                (Seg::Index(i), Value::List(items)) => {
                    node = items.get(i)?;
                    pos = node.pos;
                }
                _ => return None,
            }
        }
        Some((pos, node))
    }

    /// The place of the deepest value on `path` that exists (the record itself at worst)
    pub fn nearest(&self, path: &str) -> Pos {
        let mut best = self.pos;
        let mut prefix = String::new();
        for part in path_parts(path) {
            prefix.push_str(part);
            match self.find(&prefix) {
                Some((pos, _)) => best = pos,
                None => break,
            }
        }
        best
    }

    /// Whether this is a null: JSON `null`, or a YAML plain `~`, `null` or nothing
    pub fn is_null(&self) -> bool {
        match &self.value {
            Value::Null => true,
            Value::Str { text, plain: true } => {
                matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL")
            }
            _ => false,
        }
    }

    /// Whether a YAML plain scalar reads as text (not as a number, a boolean or nothing) in
    /// YAML's core schema, as serde_yaml reads it into a value; true for anything else
    pub fn plain_is_text(&self) -> bool {
        match &self.value {
            Value::Str { text, plain: true } => {
                !self.is_null()
                    && serde_yaml::from_str::<serde_yaml::Value>(text)
                        .map_or(true, |v| v.is_string())
            }
            _ => true,
        }
    }

    /// How the value is described to a user in an error: `the number 12`, `a list`, ...
    pub fn describe(&self) -> String {
        match &self.value {
            Value::Str { text, plain: true } if !self.is_null() && !self.plain_is_text() => {
                if matches!(
                    text.as_str(),
                    "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
                ) {
                    text.clone()
                } else {
                    format!("the number {text}")
                }
            }
            Value::Null => "null".into(),
            Value::Bool(b) => format!("{b}"),
            Value::Number(n) => format!("the number {n}"),
            Value::Str { text, plain: true } if self.is_null() && text.is_empty() => {
                "nothing".into()
            }
            Value::Str { text, .. } => format!("{:?}", shorten(text)),
            Value::List(_) => "a list".into(),
            Value::Map(_) => "a mapping of fields".into(),
        }
    }
}

/// The first 60 characters of a text, with `…` when it was cut
pub(crate) fn shorten(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(60) {
        Some((i, _)) => Cow::Owned(format!("{}…", text.get(..i).unwrap_or(""))),
        None => Cow::Borrowed(text),
    }
}

/// The byte offset in `text` of a place in it (the end of the text when the place is past it)
pub(crate) fn byte_offset(text: &str, pos: Pos) -> usize {
    let mut line = 1;
    let mut column = 1;
    for (i, c) in text.char_indices() {
        if line == pos.line && column == pos.column {
            return i;
        }
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    text.len()
}

#[derive(Debug, PartialEq)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// `goods[0].hs` as `goods`, `[0]`, `.hs`: each part appended to the ones before is a path
fn path_parts(path: &str) -> impl Iterator<Item = &str> {
    let mut rest = path;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest
            .char_indices()
            .skip(1)
            .find(|(_, c)| matches!(c, '.' | '['))
            .map_or(rest.len(), |(i, _)| i);
        let (part, tail) = rest.split_at(end);
        rest = tail;
        Some(part)
    })
}

fn path_segments(path: &str) -> impl Iterator<Item = Seg<'_>> {
    path_parts(path).map(|part| {
        if let Some(index) = part.strip_prefix('[').and_then(|p| p.strip_suffix(']'))
            && let Ok(i) = index.parse()
        {
            Seg::Index(i)
        } else {
            Seg::Key(part.strip_prefix('.').unwrap_or(part))
        }
    })
}

/// Why a record's text could not be read into a tree
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LocateError {
    /// Where
    pub pos: Pos,
    /// What is wrong
    pub message: String,
}

/// Reads JSON text (one value) into a tree
pub(crate) fn json(text: &str) -> Result<Node, LocateError> {
    let mut p = JsonParser {
        text,
        at: 0,
        line: 1,
        column: 1,
    };
    p.skip_ws();
    let node = p.value(0)?;
    p.skip_ws();
    if p.at < text.len() {
        return Err(p.error("text after the record"));
    }
    Ok(node)
}

struct JsonParser<'a> {
    text: &'a str,
    at: usize,
    line: usize,
    column: usize,
}

impl JsonParser<'_> {
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            column: self.column,
        }
    }

    fn error(&self, message: &str) -> LocateError {
        LocateError {
            pos: self.pos(),
            message: message.to_string(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn bump(&mut self) {
        if let Some(b) = self.peek() {
            self.at += 1;
            if b == b'\n' {
                self.line += 1;
                self.column = 1;
            } else if b & 0xC0 != 0x80 {
                // Not a UTF-8 continuation byte: a new character.
                self.column += 1;
            }
        }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.bump();
        }
    }

    fn eat(&mut self, b: u8, what: &str) -> Result<(), LocateError> {
        if self.peek() == Some(b) {
            self.bump();
            Ok(())
        } else {
            Err(self.error(what))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, LocateError> {
        if depth > super::read::MAX_RECORD_DEPTH {
            return Err(self.error("collections nested too deeply"));
        }
        let pos = self.pos();
        let value = match self.peek() {
            Some(b'{') => {
                self.bump();
                let mut entries = Vec::new();
                self.skip_ws();
                if self.peek() == Some(b'}') {
                    self.bump();
                } else {
                    loop {
                        self.skip_ws();
                        let key_pos = self.pos();
                        let key = self.string()?;
                        self.skip_ws();
                        self.eat(b':', "expected `:`")?;
                        self.skip_ws();
                        let value = self.value(depth + 1)?;
                        entries.push(Entry {
                            key,
                            key_pos,
                            value,
                        });
                        self.skip_ws();
                        match self.peek() {
                            Some(b',') => self.bump(),
                            Some(b'}') => {
                                self.bump();
                                break;
                            }
                            _ => return Err(self.error("expected `,` or `}`")),
                        }
                    }
                }
                Value::Map(entries)
            }
            Some(b'[') => {
                self.bump();
                let mut items = Vec::new();
                self.skip_ws();
                if self.peek() == Some(b']') {
                    self.bump();
                } else {
                    loop {
                        self.skip_ws();
                        items.push(self.value(depth + 1)?);
                        self.skip_ws();
                        match self.peek() {
                            Some(b',') => self.bump(),
                            Some(b']') => {
                                self.bump();
                                break;
                            }
                            _ => return Err(self.error("expected `,` or `]`")),
                        }
                    }
                }
                Value::List(items)
            }
            Some(b'"') => Value::Str {
                text: self.string()?,
                plain: false,
            },
            Some(b't' | b'f' | b'n') => {
                let rest = self.text.get(self.at..).unwrap_or("");
                let (word, value) = if rest.starts_with("true") {
                    ("true", Value::Bool(true))
                } else if rest.starts_with("false") {
                    ("false", Value::Bool(false))
                } else if rest.starts_with("null") {
                    ("null", Value::Null)
                } else {
                    return Err(self.error("expected a value"));
                };
                for _ in 0..word.len() {
                    self.bump();
                }
                value
            }
            Some(b'-' | b'0'..=b'9') => {
                let start = self.at;
                while matches!(
                    self.peek(),
                    Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                ) {
                    self.bump();
                }
                Value::Number(self.text.get(start..self.at).unwrap_or("").to_string())
            }
            _ => return Err(self.error("expected a value")),
        };
        Ok(Node { pos, value })
    }

    /// A string, unescaped by serde_json
    fn string(&mut self) -> Result<String, LocateError> {
        let start = self.at;
        let pos = self.pos();
        self.eat(b'"', "expected a string in double quotes")?;
        let mut escaped = false;
        loop {
            let Some(b) = self.peek() else {
                return Err(self.error("unterminated string"));
            };
            self.bump();
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                break;
            }
        }
        let quoted = self.text.get(start..self.at).unwrap_or("\"\"");
        serde_json::from_str::<String>(quoted).map_err(|e| LocateError {
            pos,
            message: format!("bad string: {e}"),
        })
    }
}

/// Reads the first YAML document of `text` into a tree
pub(crate) fn yaml(text: &str) -> Result<Node, LocateError> {
    yaml_within(text, MAX_NODES)
}

/// [`yaml`], refusing a record that expands to more than `max_nodes` values
fn yaml_within(text: &str, max_nodes: usize) -> Result<Node, LocateError> {
    use saphyr_parser::{Event, Parser, ScalarStyle};

    enum Open {
        List(Pos, Vec<Node>),
        // The entries so far, and a key waiting for its value
        Map(Pos, Vec<Entry>, Option<(String, Pos)>),
    }

    let at = |m: &saphyr_parser::Marker| Pos {
        line: m.line(),
        column: m.col() + 1,
    };
    let mut stack: Vec<Open> = Vec::new();
    let mut anchors: std::collections::HashMap<usize, Node> = std::collections::HashMap::new();
    // The anchor of each open collection, to record it when it closes.
    let mut open_anchors: Vec<usize> = Vec::new();
    let mut nodes = 0usize;
    let mut root: Option<Node> = None;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| LocateError {
            pos: at(e.marker()),
            message: e.info().to_string(),
        })?;
        let pos = at(&span.start);
        let done: Option<Node> = match event {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => None,
            Event::DocumentEnd | Event::StreamEnd => break,
            Event::SequenceStart(anchor, _) => {
                stack.push(Open::List(pos, Vec::new()));
                open_anchors.push(anchor);
                None
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Open::Map(pos, Vec::new(), None));
                open_anchors.push(anchor);
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match stack.pop() {
                    Some(Open::List(pos, items)) => Node {
                        pos,
                        value: Value::List(items),
                    },
                    Some(Open::Map(pos, entries, _)) => Node {
                        pos,
                        value: Value::Map(entries),
                    },
                    None => {
                        return Err(LocateError {
                            pos,
                            message: "unbalanced collection".into(),
                        });
                    }
                };
                if let Some(anchor) = open_anchors.pop()
                    && anchor > 0
                {
                    anchors.insert(anchor, node.clone());
                }
                Some(node)
            }
            Event::Scalar(value, style, anchor, _) => {
                let node = Node {
                    pos,
                    value: Value::Str {
                        text: value.into_owned(),
                        plain: style == ScalarStyle::Plain,
                    },
                };
                if anchor > 0 {
                    anchors.insert(anchor, node.clone());
                }
                Some(node)
            }
            Event::Alias(anchor) => {
                let Some(node) = anchors.get(&anchor) else {
                    return Err(LocateError {
                        pos,
                        message: "unknown alias".into(),
                    });
                };
                // The alias's own event is counted below, as one of the values it stands for.
                nodes += count_nodes(node).saturating_sub(1);
                Some(Node {
                    pos,
                    value: node.value.clone(),
                })
            }
        };
        nodes += 1;
        if nodes > max_nodes {
            return Err(LocateError {
                pos,
                message: "the record expands to too many values".into(),
            });
        }
        let Some(node) = done else { continue };
        match stack.last_mut() {
            None => {
                root = Some(node);
            }
            Some(Open::List(_, items)) => items.push(node),
            Some(Open::Map(_, entries, pending)) => match pending.take() {
                None => {
                    let key = match node.value {
                        Value::Str { text, .. } => text,
                        _ => {
                            return Err(LocateError {
                                pos: node.pos,
                                message: "a key that is not text".into(),
                            });
                        }
                    };
                    *pending = Some((key, node.pos));
                }
                Some((key, key_pos)) => entries.push(Entry {
                    key,
                    key_pos,
                    value: node,
                }),
            },
        }
    }
    root.ok_or(LocateError {
        pos: Pos { line: 1, column: 1 },
        message: "no record".into(),
    })
}

/// How many values `node` counts for written out: a scalar one, a list or a mapping its start,
/// its end and what it holds (a mapping's keys too), as the events of its text count
fn count_nodes(node: &Node) -> usize {
    match &node.value {
        Value::List(items) => 2 + items.iter().map(count_nodes).sum::<usize>(),
        Value::Map(entries) => {
            2 + entries
                .iter()
                .map(|e| 1 + count_nodes(&e.value))
                .sum::<usize>()
        }
        _ => 1,
    }
}

#[cfg(test)]
mod tests;
