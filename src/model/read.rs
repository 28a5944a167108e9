//! Reading records: JSON Lines, a JSON array or YAML documents, streamed one record at a time.

use super::transaction::{RawRecord, Transaction};

/// How an input file is laid out
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// One JSON object per line (`.jsonl`, stdin)
    JsonLines,
    /// A JSON array of objects, or one object (`.json`)
    JsonArray,
    /// YAML documents separated by `---` (`.yaml`, `.yml`)
    Yaml,
}

impl InputFormat {
    /// The format a file name implies; JSON Lines unless the extension says otherwise
    pub fn from_path(path: &str) -> InputFormat {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            InputFormat::Yaml
        } else if lower.ends_with(".json") {
            InputFormat::JsonArray
        } else {
            InputFormat::JsonLines
        }
    }
}

/// The text of one record and the line it starts on
#[derive(Clone, Debug)]
pub struct RecordText {
    /// The line (from 1) of the input where the record starts
    pub line: usize,
    /// Its text
    pub text: String,
    /// Whether the text is YAML (else JSON)
    pub yaml: bool,
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

/// Reads and checks one record. `source` names the input in error messages.
pub fn parse_record(source: &str, record: &RecordText) -> Result<Transaction, InvalidRecord> {
    // libyaml's scanner takes time quadratic in how deeply flow collections nest, before serde_yaml
    // gets to refuse them past its recursion limit: refuse such a record without parsing it.
    if record.yaml && yaml_flow_too_deep(&record.text, MAX_RECORD_DEPTH) {
        return Err(InvalidRecord {
            id: None,
            line: record.line,
            errors: vec![format!(
                "{source}:{}: collections nested more than {MAX_RECORD_DEPTH} deep",
                record.line
            )],
        });
    }
    let raw: Result<RawRecord, (Option<usize>, String)> = if record.yaml {
        let de = serde_yaml::Deserializer::from_str(&record.text);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let line = e.inner().location().map(|l| l.line());
            (
                line,
                describe(e.path().to_string(), strip_position(&e.inner().to_string())),
            )
        })
    } else if let Some(raw) = read_json_untracked(&record.text) {
        Ok(raw)
    } else {
        let mut de = serde_json::Deserializer::from_str(&record.text);
        let json_message = |e: &serde_json::Error| {
            if e.is_syntax() || e.is_eof() {
                format!("bad JSON: {}", strip_position(&e.to_string()))
            } else {
                strip_position(&e.to_string())
            }
        };
        match serde_path_to_error::deserialize::<_, RawRecord>(&mut de) {
            Err(e) => Err((
                Some(e.inner().line()).filter(|l| *l > 0),
                describe(e.path().to_string(), json_message(e.inner())),
            )),
            // Trailing text after the object is an error too.
            Ok(raw) => match de.end() {
                Ok(()) => Ok(raw),
                Err(e) => Err((Some(e.line()).filter(|l| *l > 0), json_message(&e))),
            },
        }
    };
    match raw {
        Ok(raw) => raw.check().map_err(|errors| InvalidRecord {
            id: read_id(record),
            line: record.line,
            errors: errors
                .into_iter()
                .map(|e| {
                    format!(
                        "{source}:{}: field `{}`: {}",
                        record.line, e.field, e.message
                    )
                })
                .collect(),
        }),
        Err((at_line, message)) => {
            let line = record.line + at_line.unwrap_or(1).saturating_sub(1);
            Err(InvalidRecord {
                id: read_id(record),
                line: record.line,
                errors: vec![format!("{source}:{line}: {message}")],
            })
        }
    }
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

/// A JSON record read without tracking the path to each value, which is much faster; `None` when
/// it cannot be read, and the tracked read then says where and why (the two accept the same text)
fn read_json_untracked(text: &str) -> Option<RawRecord> {
    let mut de = serde_json::Deserializer::from_str(text);
    let raw = <RawRecord as serde::Deserialize>::deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(raw)
}

fn describe(path: String, message: String) -> String {
    if path.is_empty() || path == "." {
        message
    } else {
        format!("field `{path}`: {message}")
    }
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
mod tests {
    use super::*;
    use crate::model::RecordReader;

    fn texts(input: &str, format: InputFormat) -> Vec<(usize, String)> {
        RecordReader::new(input.as_bytes(), format)
            .map(|r| r.unwrap())
            .map(|r| (r.line, r.text.trim().to_string()))
            .collect()
    }

    #[test]
    fn json_lines_skip_blank_lines_and_keep_line_numbers() {
        let got = texts("{\"a\":1}\n\n  {\"b\":2}\n", InputFormat::JsonLines);
        assert_eq!(got, vec![(1, "{\"a\":1}".into()), (3, "{\"b\":2}".into())]);
    }

    #[test]
    fn json_arrays_split_into_elements() {
        let got = texts(
            "[\n {\"a\": \"x,]}\"},\n {\"b\": [1, 2]}\n]\n",
            InputFormat::JsonArray,
        );
        assert_eq!(
            got,
            vec![
                (2, "{\"a\": \"x,]}\"}".into()),
                (3, "{\"b\": [1, 2]}".into())
            ]
        );
        let single = texts("{\"a\": 1}", InputFormat::JsonArray);
        assert_eq!(single, vec![(1, "{\"a\": 1}".into())]);
        assert!(texts("[]", InputFormat::JsonArray).is_empty());
    }

    #[test]
    fn yaml_documents_split_on_separators() {
        let got = texts("# head\nid: a\n---\n# c\nid: b\n---\n", InputFormat::Yaml);
        assert_eq!(got, vec![(2, "id: a".into()), (5, "id: b".into())]);
    }
}
