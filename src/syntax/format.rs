//! The canonical layout of rule files (`embargo fmt`): a token-level formatter that keeps comments.
//!
//! The file is first parsed; a file with syntax errors is not formatted. Its text is then cut
//! into tokens (words, strings, symbols, comments, line breaks; a test's `record { ... }` is one
//! token, cut by the parser's `record_block`), words and strings cut by the parser's own lexical
//! rules (`lexical`), and written out again by the rules of docs/language.md, "Canonical layout". The
//! author's line breaks are kept (a number and its unit, `500 USD`, mean a quantity only on one
//! line), so the tokens and their order never change: only the white space between them does.

use super::item::{ITEM_KEYWORDS, record_block};
use super::lexical;
use crate::diagnostics::Diagnostics;

/// Formats one rule file in the canonical layout; a file with syntax errors is refused and its
/// errors returned. The result parses to the same items as the input, and formatting it again
/// changes nothing.
pub fn format_file(text: &str) -> Result<String, Diagnostics> {
    let (_, diagnostics) = super::parse_file(text, 0);
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let tokens = tokenize(text);
    let out = Printer::default().print(&tokens);
    // The output must parse as cleanly as the input did.
    let (_, again) = super::parse_file(&out, 0);
    if again.has_errors() {
        return Err(again);
    }
    Ok(out)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A name, keyword, number, date, rule id, path or paragraph such as `8(a)(i)`
    Word,
    /// A string in double quotes
    Str,
    /// A symbol: `{`, `)`, `,`, `==`, `..`, ...
    Sym,
    /// A `#` comment, to the end of its line
    Comment,
    /// A test's record, `{ ... }`, kept verbatim (it may span lines)
    Record,
    /// A line break
    Newline,
}

#[derive(Clone, Debug)]
struct Token<'a> {
    kind: Kind,
    text: &'a str,
    /// The column (in characters) where the token started in the input
    column: usize,
}

/// The tokens of a file that parses without errors
fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens: Vec<Token<'_>> = Vec::new();
    let mut pos = 0;
    let mut line_start = 0;
    // Whether the previous word was `record` inside a test: a `{` then starts a record.
    let mut after_record = false;
    let mut depth = 0usize;
    let mut item: Option<&str> = None;
    // Where the parser of record blocks was last (it counts lines from there on).
    let mut cursor = super::In::new(text);
    // A byte offset on the current line and its column: columns are counted on from there, not
    // from the line's start at each token (a long line would make that quadratic).
    let mut counted = (0usize, 0usize);
    while let Some(rest) = text.get(pos..) {
        let Some(c) = rest.chars().next() else { break };
        if counted.0 < line_start {
            counted = (line_start, 0);
        }
        let column = counted.1 + text.get(counted.0..pos).map_or(0, |s| s.chars().count());
        counted = (pos, column);
        let len = if c == '\n' {
            tokens.push(Token {
                kind: Kind::Newline,
                text: "\n",
                column,
            });
            line_start = pos + 1;
            1
        } else if c.is_whitespace() {
            c.len_utf8()
        } else if c == '#' {
            let len = rest.find('\n').unwrap_or(rest.len());
            let comment = rest.get(..len).unwrap_or("").trim_end();
            tokens.push(Token {
                kind: Kind::Comment,
                text: comment,
                column,
            });
            len
        } else if c == '"' {
            let len = lexeme_len(rest, Kind::Str);
            tokens.push(Token {
                kind: Kind::Str,
                text: rest.get(..len).unwrap_or(""),
                column,
            });
            len
        } else if c == '{' && after_record {
            cursor = super::advance(cursor, text, pos);
            let len = match record_block(cursor) {
                Ok((_, block)) => block.span.end - block.span.start,
                Err(_) => 1,
            };
            let record = rest.get(..len).unwrap_or("");
            tokens.push(Token {
                kind: Kind::Record,
                text: record,
                column,
            });
            if let Some(last_nl) = record.rfind('\n') {
                line_start = pos + last_nl + 1;
            }
            len
        } else if c.is_ascii_alphanumeric() || c == '_' {
            let len = lexeme_len(rest, Kind::Word);
            let word = rest.get(..len).unwrap_or("");
            if depth == 0 && item.is_none() && ITEM_KEYWORDS.contains(&word) {
                item = ITEM_KEYWORDS.iter().copied().find(|kw| *kw == word);
            }
            tokens.push(Token {
                kind: Kind::Word,
                text: word,
                column,
            });
            after_record = depth == 1 && item == Some("test") && word == "record";
            pos += len;
            continue;
        } else {
            let two = rest.get(..2).unwrap_or("");
            let len = if ["==", "!=", "<=", ">=", ".."].contains(&two) {
                2
            } else {
                c.len_utf8()
            };
            match c {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        item = None;
                    }
                }
                _ => {}
            }
            tokens.push(Token {
                kind: Kind::Sym,
                text: rest.get(..len).unwrap_or(""),
                column,
            });
            len
        };
        if !c.is_whitespace() {
            after_record = false;
        }
        pos += len;
    }
    tokens
}

/// The length of the token of `kind` (a string or a word) at the start of `rest`, read by the
/// parser's own lexical rules (`lexical`), so that the formatter cuts a file where the parser
/// does: a string; for a word, the longest of a date, a paragraph (`8(b)(iii)`), a number
/// (`9306.90`), a dotted name (a path, a rule id, a `.*` pattern) and a bare word (`UA-14`).
/// Only files that parse are tokenized; should no rule apply, the token is one character.
fn lexeme_len(rest: &str, kind: Kind) -> usize {
    let input = super::In::new(rest);
    let len = |result: super::PResult<'_, crate::ast::Spanned<String>>| {
        result.map_or(0, |(after, _)| after.location_offset())
    };
    let longest = match kind {
        Kind::Str => len(lexical::string(input)),
        _ => [
            len(lexical::date(input)),
            len(lexical::paragraph(input)),
            len(lexical::number(input)),
            len(lexical::rule_id(true)(input)),
            len(lexical::word(input)),
        ]
        .into_iter()
        .max()
        .unwrap_or(0),
    };
    longest.max(rest.chars().next().map_or(0, char::len_utf8))
}

/// One line of output
#[derive(Debug)]
enum Line {
    Blank,
    Code {
        text: String,
        /// It ends with a comment: nothing may be joined after it
        commented: bool,
        /// It opens an item's block with `{`
        opens_block: bool,
        /// It closes an item with `}`
        closes_item: bool,
        /// It is a comment alone
        comment_only: bool,
        /// The item it belongs to, counted from 1; none for a comment between items
        item: Option<usize>,
    },
}

#[derive(Default)]
struct Printer {
    lines: Vec<Line>,
    /// The line being written
    current: String,
    current_commented: bool,
    current_opens_block: bool,
    current_closes_item: bool,
    /// The previous token on the current line
    prev: Option<(Kind, String)>,
    /// The token before the previous one, on any line
    prev2: Option<String>,
    /// Blank lines were seen since the last line written
    pending_blank: bool,
    /// `{` depth
    depth: usize,
    /// The current item's keyword
    item: Option<String>,
    /// How many items have started
    n_items: usize,
    /// Open `(` and `[`: the column their content starts at, and the column of their closer
    /// when it starts a line
    brackets: Vec<(usize, usize)>,
    /// The indentation of the current line
    current_indent: usize,
    /// The indentation of the line the current clause (or item) started on
    clause_indent: usize,
    /// The next token must start a line
    break_next: bool,
}

impl Printer {
    fn print(mut self, tokens: &[Token<'_>]) -> String {
        let mut iter = tokens.iter().peekable();
        while let Some(token) = iter.next() {
            let next = iter.peek().map(|t| t.text);
            self.token(token, next);
        }
        self.finish_line();
        self.separate_items();
        let mut out = String::new();
        for line in &self.lines {
            match line {
                Line::Blank => out.push('\n'),
                Line::Code { text, .. } => {
                    out.push_str(text);
                    out.push('\n');
                }
            }
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
        if out == "\n" {
            out.clear();
        }
        out
    }

    fn current_column(&self) -> usize {
        let last = self.current.rsplit('\n').next().unwrap_or("");
        last.chars().count()
    }

    fn finish_line(&mut self) {
        if self.current.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.current);
        let comment_only = self.prev.is_none();
        let between_items = comment_only && self.depth == 0 && self.brackets.is_empty();
        self.lines.push(Line::Code {
            text,
            commented: std::mem::take(&mut self.current_commented),
            opens_block: std::mem::take(&mut self.current_opens_block),
            closes_item: std::mem::take(&mut self.current_closes_item),
            comment_only,
            item: (!between_items).then_some(self.n_items),
        });
        self.prev = None;
    }

    /// Whether `word` starts a clause (or a property) inside the current item's block
    fn starts_clause(&self, token: &Token<'_>, next: Option<&str>) -> bool {
        if token.kind != Kind::Word || self.depth != 1 || !self.brackets.is_empty() {
            return false;
        }
        let word = token.text;
        match self.item.as_deref() {
            Some("rule" | "exception") => {
                [
                    "title",
                    "regime",
                    "cites",
                    "when",
                    "then",
                    "unless",
                    "note",
                    "overrides",
                ]
                .contains(&word)
                    || (word == "in" && next == Some("force"))
            }
            Some("regime") => ["title", "committee", "list"].contains(&word),
            Some("test") => {
                word == "record"
                    || word == "on"
                    || (word == "expect"
                        && !matches!(&self.prev, Some((Kind::Word, _)) if self.prev2.as_deref() == Some("on")))
            }
            _ => false,
        }
    }

    fn starts_item(&self, token: &Token<'_>) -> bool {
        if token.kind != Kind::Word || self.depth != 0 || !self.brackets.is_empty() {
            return false;
        }
        if !ITEM_KEYWORDS.contains(&token.text) {
            return false;
        }
        // `rule test {` names a rule `test`: a keyword starts an item only after a complete one.
        match &self.prev {
            None => true,
            Some((Kind::Str, _)) | Some((Kind::Record, _)) => true,
            Some((Kind::Sym, s)) => s == "}" || s == "]",
            Some((Kind::Word, w)) => {
                w == "draft" || w.len() == 10 && w.as_bytes().get(4) == Some(&b'-')
            }
            _ => false,
        }
    }

    fn token(&mut self, token: &Token<'_>, next: Option<&str>) {
        match token.kind {
            Kind::Newline => {
                if self.current.is_empty() {
                    if !self.lines.is_empty() {
                        self.pending_blank = true;
                    }
                } else {
                    self.finish_line();
                }
                return;
            }
            Kind::Comment => {
                if self.current.is_empty() {
                    self.blank_before();
                    let indent = 2 * self.depth;
                    self.current = format!("{}{}", " ".repeat(indent), token.text);
                } else {
                    self.current.push_str("  ");
                    self.current.push_str(token.text);
                }
                // The line break after the comment ends the line.
                self.current_commented = true;
                return;
            }
            _ => {}
        }
        let is_open_block = token.kind == Kind::Sym && token.text == "{";
        let is_close_block = token.kind == Kind::Sym && token.text == "}";
        let empty_block = is_close_block && matches!(&self.prev, Some((Kind::Sym, s)) if s == "{");
        let item_start = self.starts_item(token);
        let clause_start = self.starts_clause(token, next);
        if !self.current.is_empty()
            && ((self.break_next && !empty_block)
                || item_start
                || clause_start
                || (is_close_block && !empty_block))
        {
            self.finish_line();
        }
        self.break_next = false;
        if is_close_block {
            self.depth = self.depth.saturating_sub(1);
        }
        if self.current.is_empty() && is_open_block && self.join_previous() {
            // `{` alone on its line joins the item's first line.
        } else if self.current.is_empty() {
            let indent = if is_close_block || item_start || clause_start {
                2 * self.depth
            } else if let Some((content, closer)) = self.brackets.last() {
                let closing = token.kind == Kind::Sym && [")", "]"].contains(&token.text);
                if closing { *closer } else { *content }
            } else if self.depth == 0 {
                2
            } else {
                self.clause_indent + 1
            };
            if item_start || clause_start || is_close_block {
                self.clause_indent = indent;
            }
            if is_close_block {
                self.pending_blank = false;
            }
            self.blank_before();
            self.current = " ".repeat(indent);
            self.current_indent = indent;
        } else if self.needs_space(token) {
            self.current.push(' ');
        }
        if item_start {
            self.n_items += 1;
            self.item = Some(token.text.to_string());
        }
        if token.kind == Kind::Record {
            self.push_record(token);
        } else {
            self.current.push_str(token.text);
        }
        match (token.kind, token.text) {
            (Kind::Sym, "(" | "[") => {
                let col = self.current_column();
                // A bracket that ends its line gets a hanging indent: its content two columns
                // right of the line, its closer under the line's start.
                let hanging = next.is_none_or(|n| n == "\n" || n.starts_with('#'));
                self.brackets.push(if hanging {
                    (self.current_indent + 2, self.current_indent)
                } else {
                    (col, col.saturating_sub(1))
                });
            }
            (Kind::Sym, ")" | "]") => {
                self.brackets.pop();
            }
            (Kind::Sym, "{") => {
                self.depth += 1;
                self.current_opens_block = true;
                self.break_next = next != Some("}");
            }
            (Kind::Sym, "}") => {
                self.break_next = true;
                // `{}`: the block is closed on the line that opened it.
                self.current_opens_block = false;
                if self.depth == 0 {
                    self.current_closes_item = true;
                }
            }
            _ => {}
        }
        self.prev2 = self.prev.as_ref().map(|(_, t)| t.clone());
        self.prev = Some((token.kind, token.text.to_string()));
    }

    /// Writes a blank line before a new line when the author had one; never at the start,
    /// after `{` or before `}` (`separate_items` adds those required between items)
    fn blank_before(&mut self) {
        let pending = std::mem::take(&mut self.pending_blank);
        if pending
            && let Some(Line::Code {
                opens_block: false, ..
            }) = self.lines.last()
        {
            self.lines.push(Line::Blank);
        }
    }

    /// Adds a blank line after every item written on several lines, and before it unless a
    /// comment introduces it
    fn separate_items(&mut self) {
        let mut n_lines: Vec<usize> = vec![0; self.n_items + 1];
        for line in &self.lines {
            if let Line::Code {
                text,
                item: Some(k),
                ..
            } = line
                && let Some(n) = n_lines.get_mut(*k)
            {
                *n += 1 + text.matches('\n').count();
            }
        }
        let multi = |k: usize| n_lines.get(k).is_some_and(|n| *n > 1);
        let mut out = Vec::with_capacity(self.lines.len());
        let mut prev_item: Option<Option<usize>> = None;
        for line in std::mem::take(&mut self.lines) {
            if let Line::Code { item, .. } = &line {
                if let Some(Some(j)) = prev_item
                    && *item != Some(j)
                    && (multi(j) || item.is_some_and(multi))
                {
                    out.push(Line::Blank);
                }
                prev_item = Some(*item);
            } else {
                prev_item = None;
            }
            out.push(line);
        }
        self.lines = out;
    }

    /// Moves the last line written back to the current line, if `{` may be joined to it
    fn join_previous(&mut self) -> bool {
        match self.lines.last() {
            Some(Line::Code {
                commented: false,
                comment_only: false,
                closes_item: false,
                ..
            }) => {}
            _ => return false,
        }
        if let Some(Line::Code {
            text, opens_block, ..
        }) = self.lines.pop()
        {
            self.current_indent = text.len() - text.trim_start_matches(' ').len();
            self.current = text;
            self.current_opens_block = opens_block;
            self.current.push(' ');
            self.pending_blank = false;
            // The previous token is not known any more; a `}` after `{` is still an empty block.
            self.prev = Some((Kind::Word, String::new()));
            return true;
        }
        false
    }

    fn needs_space(&self, token: &Token<'_>) -> bool {
        let Some((prev_kind, prev)) = &self.prev else {
            return false;
        };
        if token.kind == Kind::Sym && [",", ")", "]", ":", ".", ".."].contains(&token.text) {
            return false;
        }
        if *prev_kind == Kind::Sym && ["(", "[", ".", ".."].contains(&prev.as_str()) {
            return false;
        }
        if *prev_kind == Kind::Sym && prev == "{" && token.text == "}" {
            return false;
        }
        !(*prev_kind == Kind::Word && prev == "count" && token.text == "(")
    }

    /// Appends a record, moving its later lines by as many columns as its first line moved
    fn push_record(&mut self, token: &Token<'_>) {
        let new_column = self.current_column();
        let mut lines = token.text.split('\n');
        if let Some(first) = lines.next() {
            self.current.push_str(first.trim_end());
        }
        for line in lines {
            self.current.push('\n');
            let leading = line.len() - line.trim_start_matches(' ').len();
            let body = line.get(leading..).unwrap_or("").trim_end();
            if body.is_empty() {
                continue;
            }
            let indent = (leading + new_column).saturating_sub(token.column);
            self.current.push_str(&" ".repeat(indent));
            self.current.push_str(body);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::format_file;

    fn fmt(text: &str) -> String {
        format_file(text).unwrap()
    }

    #[test]
    fn spacing_and_indentation() {
        let input = "set  a : hs=[ 72 .. 83 ,8401]\nrule x.y{title \"t\"\nregime R cites \"S/RES/1 (2000)\" 8(a)(i)\n    when count( parties p : p.role==worker )>= 2\n      and g.hs within [ 93 ] then review \"r\" }\n";
        let expected = "set a: hs = [72..83, 8401]\n\nrule x.y {\n  title \"t\"\n  regime R\n  cites \"S/RES/1 (2000)\" 8(a)(i)\n  when count(parties p: p.role == worker) >= 2\n   and g.hs within [93]\n  then review \"r\"\n}\n";
        assert_eq!(fmt(input), expected);
        assert_eq!(fmt(expected), expected);
    }

    #[test]
    fn syntax_errors_are_refused() {
        assert!(format_file("rule {").is_err());
    }
}
