//! Reading records: JSON Lines, a JSON array or YAML documents, streamed one record at a time;
//! CSV and spreadsheets are turned into records by `table`, and read here as JSON records whose
//! errors name cells.

use super::locate::{Node, Pos, shorten};
use super::shape::{Problem, ProblemKind, analyse};
use super::transaction::{InPlace, RawRecord, Transaction};

/// How an input file is laid out
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// One JSON object per line (`.jsonl`, stdin)
    JsonLines,
    /// A JSON array of objects, or one object (`.json`)
    JsonArray,
    /// YAML documents separated by `---` (`.yaml`, `.yml`)
    Yaml,
    /// Comma-separated values, a header row then one record a row (`.csv`, `.tsv`)
    Csv,
    /// An Excel workbook of today (`.xlsx`, `.xlsm`): its first sheet, one record a row
    Xlsx,
    /// An Excel 97-2003 workbook (`.xls`)
    Xls,
    /// An OpenDocument spreadsheet (`.ods`)
    Ods,
}

impl InputFormat {
    /// Every format, with the name `--input-format` gives it
    pub const NAMES: &[(&str, InputFormat)] = &[
        ("jsonl", InputFormat::JsonLines),
        ("json", InputFormat::JsonArray),
        ("yaml", InputFormat::Yaml),
        ("csv", InputFormat::Csv),
        ("xlsx", InputFormat::Xlsx),
        ("xls", InputFormat::Xls),
        ("ods", InputFormat::Ods),
    ];

    /// The format a file name implies; JSON Lines unless the extension says otherwise
    pub fn from_path(path: &str) -> InputFormat {
        let lower = path.to_ascii_lowercase();
        let ext = lower.rsplit_once('.').map_or("", |(_, ext)| ext);
        match ext {
            "yaml" | "yml" => InputFormat::Yaml,
            "json" => InputFormat::JsonArray,
            "csv" | "tsv" => InputFormat::Csv,
            "xlsx" | "xlsm" => InputFormat::Xlsx,
            "xls" => InputFormat::Xls,
            "ods" => InputFormat::Ods,
            _ => InputFormat::JsonLines,
        }
    }

    /// The name `--input-format` gives the format
    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("jsonl", |(name, _)| name)
    }

    /// What the format is called in messages
    pub fn describe(self) -> &'static str {
        match self {
            InputFormat::JsonLines => "JSON Lines",
            InputFormat::JsonArray => "JSON",
            InputFormat::Yaml => "YAML",
            InputFormat::Csv => "CSV",
            InputFormat::Xlsx => "an .xlsx workbook",
            InputFormat::Xls => "an .xls workbook",
            InputFormat::Ods => "an .ods spreadsheet",
        }
    }

    /// Whether records come one a row of a table (CSV or a spreadsheet), read by `table`
    pub fn is_table(self) -> bool {
        matches!(
            self,
            InputFormat::Csv | InputFormat::Xlsx | InputFormat::Xls | InputFormat::Ods
        )
    }

    /// Whether the format is a spreadsheet workbook, read whole into memory
    pub fn is_workbook(self) -> bool {
        matches!(
            self,
            InputFormat::Xlsx | InputFormat::Xls | InputFormat::Ods
        )
    }
}

/// The text of one record and the line it starts on
#[derive(Clone, Debug)]
pub struct RecordText {
    /// The line (from 1) of the input where the record starts
    pub line: usize,
    /// The column (from 1, in characters) on that line where its text starts: a JSON array's
    /// element may start after other text on its line
    pub column: usize,
    /// Its text
    pub text: String,
    /// Whether the text is YAML (else JSON)
    pub yaml: bool,
    /// For a record read from a row of a table (CSV, a spreadsheet): the cell of each field, so
    /// that its errors name cells (`C17`) rather than places in `text`, which was made from the
    /// row
    pub table: Option<Box<super::table::TableRow>>,
}

/// A record that could not be read or breaks the format
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid record at line {line}: {}", errors.join("; "))]
pub struct InvalidRecord {
    /// Its `id`, if one could be read
    pub id: Option<String>,
    /// The line where it starts
    pub line: usize,
    /// Each problem, naming the input line and the field
    pub errors: Vec<String>,
}

/// How deeply a record's collections may nest: serde_json's and serde_yaml's own limit
pub(crate) const MAX_RECORD_DEPTH: usize = 128;

/// How records are read
#[derive(Clone, Copy, Default)]
pub struct ReadOptions<'a> {
    /// Read a record with fields that neither the format nor the rules know as if those fields
    /// were absent, instead of making it `invalid` (`--allow-unknown-fields`)
    pub allow_unknown_fields: bool,
    /// Told of each unknown field read past when `allow_unknown_fields` is set, every time one is
    /// met, from the threads that read records in any order (the caller says it once per name)
    pub on_unknown_field: Option<&'a (dyn Fn(&UnknownField) + Sync)>,
}

impl std::fmt::Debug for ReadOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadOptions")
            .field("allow_unknown_fields", &self.allow_unknown_fields)
            .field("on_unknown_field", &self.on_unknown_field.is_some())
            .finish()
    }
}

/// An unknown field read past under `allow_unknown_fields`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownField {
    /// The field's name with its place in the record but no index: `orgin`, `parties[].nmae`
    pub name: String,
    /// Its line and column in the input
    pub at: (usize, usize),
    /// What an error about it says: `unknown field "orgin" at line 3, column 14: did you mean
    /// "origin"?`
    pub message: String,
}

/// Reads and checks one record, strictly: a field that the format does not know makes it
/// invalid. `source` names the input.
pub fn parse_record(source: &str, record: &RecordText) -> Result<Transaction, InvalidRecord> {
    parse_record_with(source, record, &ReadOptions::default())
}

/// Reads and checks one record as `options` say. Every problem of an invalid record is
/// reported, each with its field and its line and column in the input.
pub fn parse_record_with(
    source: &str,
    record: &RecordText,
    options: &ReadOptions<'_>,
) -> Result<Transaction, InvalidRecord> {
    let mut checked = Transaction::default();
    parse_record_into(source, record, options, &mut checked).map(|()| checked)
}

/// [`parse_record_with`], into `out`, a blank record, rather than into a record of its own (a
/// `Transaction` is about 700 bytes, and each move of it was a copy: screening reads each
/// record into one on its stack). On failure `out` holds part of the record: it is to be
/// dropped.
pub fn parse_record_into(
    source: &str,
    record: &RecordText,
    options: &ReadOptions<'_>,
    out: &mut Transaction,
) -> Result<(), InvalidRecord> {
    // Errors name lines and columns; the input's name is the caller's to add.
    let _ = source;
    // libyaml's scanner takes time quadratic in how deeply flow collections nest, before serde_yaml
    // gets to refuse them past its recursion limit: refuse such a record without parsing it.
    if record.yaml && yaml_flow_too_deep(&record.text, MAX_RECORD_DEPTH) {
        return Err(InvalidRecord {
            id: None,
            line: record.line,
            errors: vec![format!(
                "the record at line {}, column {}: collections nested more than {MAX_RECORD_DEPTH} deep",
                record.line,
                record.column.max(1)
            )],
        });
    }
    // The fast way: serde into `RawRecord`, which refuses unknown fields; nearly every record
    // that is right passes here. A table's row whose cells could not all be read is not right,
    // whatever the fields made of the others say.
    let cell_problems = record
        .table
        .as_ref()
        .is_some_and(|t| !t.problems.is_empty());
    if !cell_problems && read_untracked(record, out) {
        return Ok(());
    }
    // Nothing of what the fast way read is kept
    *out = read_tracked(record, options)?;
    Ok(())
}

/// A record read into a tree that knows where each field is, and all that is wrong with it
fn read_tracked(
    record: &RecordText,
    options: &ReadOptions<'_>,
) -> Result<Transaction, InvalidRecord> {
    let invalid = |errors: Vec<String>| InvalidRecord {
        id: read_id(record),
        line: record.line,
        errors,
    };
    // Positions in the record's text, turned into the input's: its first line starts at
    // `record.column`.
    // Its line and column in the input
    let place = |pos: Pos| {
        let column = if pos.line <= 1 {
            record.column.max(1) - 1 + pos.column
        } else {
            pos.column
        };
        (record.line + pos.line.saturating_sub(1), column)
    };
    let at = |pos: Pos| {
        let (line, column) = place(pos);
        format!("line {line}, column {column}")
    };
    let tree = if record.yaml {
        serde_yaml::from_str::<serde::de::IgnoredAny>(&record.text)
            .map_err(|e| {
                let pos = e.location().map_or(Pos { line: 1, column: 1 }, |l| Pos {
                    line: l.line(),
                    column: l.column(),
                });
                format!(
                    "bad YAML at {}: {}",
                    at(pos),
                    strip_position(&e.to_string())
                )
            })
            .and_then(|_| {
                super::locate::yaml(&record.text)
                    .map_err(|e| format!("bad YAML at {}: {}", at(e.pos), e.message))
            })
    } else {
        serde_json::from_str::<serde::de::IgnoredAny>(&record.text)
            .map_err(|e| {
                let pos = Pos {
                    line: e.line().max(1),
                    column: e.column().max(1),
                };
                let what = if e.is_eof() {
                    "the record ends before it is complete (a `}`, `]` or `\"` missing?)"
                        .to_string()
                } else {
                    strip_position(&e.to_string())
                };
                format!("bad JSON at {}: {what}", at(pos))
            })
            .and_then(|_| {
                super::locate::json(&record.text)
                    .map_err(|e| format!("bad JSON at {}: {}", at(e.pos), e.message))
            })
    };
    let node = tree.map_err(|e| invalid(vec![e]))?;
    let (meta, meta_problem) = read_meta(record, &node);
    let mut analysis = analyse(&node, meta);
    analysis.problems.extend(meta_problem);
    // Each error with where it is: for a table's row, the cell (and the column, to sort by).
    let mut errors: Vec<(usize, String)> = Vec::new();
    if let Some(table) = &record.table {
        errors.extend(table.problems.iter().cloned());
    }
    for p in &analysis.problems {
        let (column, whereabouts) = match &record.table {
            Some(table) => table.place(&p.field, p.kind == ProblemKind::Missing),
            None => (0, format!("at {}", at(p.pos))),
        };
        let message = match p.kind {
            ProblemKind::Unknown => {
                format!(
                    "unknown field {:?} {whereabouts}: {}",
                    shorten(&p.field),
                    p.detail
                )
            }
            ProblemKind::Missing => {
                format!(
                    "missing field {:?} {whereabouts}: {}",
                    shorten(&p.field),
                    p.detail
                )
            }
            ProblemKind::Invalid if p.field.is_empty() => {
                format!("the record {whereabouts}: {}", p.detail)
            }
            ProblemKind::Invalid => {
                format!("field {:?} {whereabouts}: {}", shorten(&p.field), p.detail)
            }
        };
        if p.kind == ProblemKind::Unknown && options.allow_unknown_fields {
            if let Some(tell) = options.on_unknown_field {
                tell(&UnknownField {
                    name: without_indexes(&p.field),
                    at: match &record.table {
                        Some(table) => (table.row, column + 1),
                        None => place(p.pos),
                    },
                    message,
                });
            }
        } else {
            errors.push((column, message));
        }
    }
    // A row's errors in the order of its columns, as the text's are in the order of the text
    // (a stable sort: the errors of one cell keep theirs).
    if record.table.is_some() {
        errors.sort_by_key(|(column, _)| *column);
    }
    let errors: Vec<String> = errors.into_iter().map(|(_, e)| e).collect();
    match analysis.transaction {
        Some(t) if errors.is_empty() => Ok(t),
        _ if errors.is_empty() => Err(invalid(vec![match &record.table {
            Some(table) => format!("the record in row {} cannot be read", table.row),
            None => format!("the record at line {} cannot be read", record.line),
        }])),
        _ => Err(invalid(errors)),
    }
}

/// A record read by serde alone, strictly, into `out` (a blank record); false when that fails
/// for any reason
fn read_untracked(record: &RecordText, out: &mut Transaction) -> bool {
    let mut raw = RawRecord::default();
    let read = if record.yaml {
        raw.read_in_place(serde_yaml::Deserializer::from_str(&record.text))
            .is_ok()
    } else {
        let mut de = serde_json::Deserializer::from_str(&record.text);
        raw.read_in_place(&mut de).is_ok() && de.end().is_ok()
    };
    read && raw.check_into(out).is_ok()
}

/// The record's `meta`, read by serde as the fast way reads it, or the problem with it
fn read_meta(record: &RecordText, node: &Node) -> (Option<serde_json::Value>, Option<Problem>) {
    #[derive(serde::Deserialize)]
    struct MetaOnly {
        #[serde(default)]
        meta: Option<serde_json::Value>,
    }
    let read = if record.yaml {
        serde_yaml::from_str::<MetaOnly>(&record.text).map_err(|e| e.to_string())
    } else {
        serde_json::from_str::<MetaOnly>(&record.text).map_err(|e| e.to_string())
    };
    match read {
        Ok(m) => (m.meta, None),
        // A record that is not a mapping is reported as such by `analyse`.
        Err(_) if !matches!(node.value, super::locate::Value::Map(_)) => (None, None),
        Err(e) => (
            None,
            Some(Problem {
                kind: ProblemKind::Invalid,
                field: "meta".into(),
                pos: node.nearest("meta"),
                detail: format!(
                    "expected any JSON value (text keys only, no YAML tags): {}",
                    strip_position(&e)
                ),
            }),
        ),
    }
}

/// A problem of a record written in a test of a rule file, placed in the record's text
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PlacedError {
    /// The byte offset of the field in the record's text
    pub offset: usize,
    /// How many bytes the field's name takes there
    pub len: usize,
    /// What is wrong, naming the field
    pub message: String,
    /// Whether the text is not a record at all (not YAML), rather than a record with problems
    pub unreadable: bool,
}

/// Reads a record written in a test of a rule file (YAML, strictly), after adding each field
/// of `defaults` that it does not give; the `designated` fields of its parties and vessels say
/// what screening would find (`designation::take_designations`) and are given to the record read.
/// One reading of the text gives the record, its designations and every problem of both.
pub(crate) fn read_test_record(
    text: &str,
    defaults: &[(&str, &str)],
) -> Result<Transaction, Vec<PlacedError>> {
    let mut node = super::locate::yaml(text).map_err(|e| {
        vec![PlacedError {
            offset: super::locate::byte_offset(text, e.pos),
            len: 1,
            message: format!("the record cannot be read: {}", e.message),
            unreadable: true,
        }]
    })?;
    let mut designated = (Vec::new(), Vec::new());
    if let super::locate::Value::Map(entries) = &mut node.value {
        for (key, value) in defaults {
            if !entries.iter().any(|e| e.key == *key) {
                entries.push(super::locate::Entry {
                    key: (*key).to_string(),
                    key_pos: node.pos,
                    value: Node {
                        pos: node.pos,
                        value: super::locate::Value::Str {
                            text: (*value).to_string(),
                            plain: false,
                        },
                    },
                });
            }
        }
        designated = super::designation::take_designations(entries);
    }
    let (given, given_errors) = designated;
    let record = RecordText {
        line: 1,
        column: 1,
        text: text.into(),
        yaml: true,
        table: None,
    };
    let (meta, meta_problem) = read_meta(&record, &node);
    // As in a YAML value, and unlike in a YAML record that `screen` reads, an unquoted number is
    // not text here: `hs: 930690` is refused (docs/language.md#tests).
    let mut analysis = super::shape::analyse_with(&node, meta, true);
    analysis.problems.extend(meta_problem);
    if let Some(mut t) = analysis.transaction
        && analysis.problems.is_empty()
        && given_errors.is_empty()
    {
        super::designation::give_designations(&mut t, given);
        return Ok(t);
    }
    let mut errors: Vec<PlacedError> = given_errors
        .into_iter()
        .map(|(pos, message)| PlacedError {
            offset: super::locate::byte_offset(text, pos),
            len: 1,
            message,
            unreadable: false,
        })
        .collect();
    errors.extend(analysis.problems.into_iter().map(|p| {
        let name = p.field.rsplit(['.', '[']).next().unwrap_or("");
        let what = match p.kind {
            ProblemKind::Unknown => "unknown field",
            ProblemKind::Missing => "missing field",
            ProblemKind::Invalid => "field",
        };
        let message = if p.field.is_empty() {
            format!("the record: {}", p.detail)
        } else {
            format!("{what} {:?}: {}", shorten(&p.field), p.detail)
        };
        PlacedError {
            offset: super::locate::byte_offset(text, p.pos),
            len: name.len().max(1),
            message,
            unreadable: false,
        }
    }));
    errors.sort_by_key(|e| e.offset);
    Err(errors)
}

/// `parties[0].nmae` as `parties[].nmae`
fn without_indexes(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut in_index = false;
    for c in field.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    out
}

/// Whether YAML text opens flow collections (`[`, `{`) more than `limit` deep. Quoted scalars
/// and comments are skipped; a bracket inside a plain scalar may be counted, which errs towards
/// refusing only records nested about as deeply as serde_yaml refuses anyway.
pub(crate) fn yaml_flow_too_deep(text: &str, limit: usize) -> bool {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut in_comment = false;
    let mut prev = '\n';
    for c in text.chars() {
        if in_comment {
            in_comment = c != '\n';
        } else if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' && q == '"' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
        } else {
            // A quote or a comment starts only where a new token can start.
            let token_start = prev.is_whitespace() || matches!(prev, '[' | '{' | ',' | ':' | '\'');
            match c {
                '"' | '\'' if token_start => quote = Some(c),
                '#' if prev.is_whitespace() => in_comment = true,
                '[' | '{' => {
                    depth += 1;
                    if depth > limit {
                        return true;
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        prev = c;
    }
    false
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_string(),
        None => message.to_string(),
    }
}

/// The record's `id`, if it is a string that can be read at all
fn read_id(record: &RecordText) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct IdOnly {
        id: String,
    }
    if record.yaml {
        serde_yaml::from_str::<IdOnly>(&record.text)
            .ok()
            .map(|r| r.id)
    } else {
        serde_json::from_str::<IdOnly>(&record.text)
            .ok()
            .map(|r| r.id)
    }
}

#[cfg(test)]
mod tests;
