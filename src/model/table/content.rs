//! What the first bytes of an input look like, to say once that they cannot be the format it is read as.

use super::*;

/// What the start of an input looks like
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Looks {
    /// Nothing but whitespace
    Empty,
    /// A JSON object (`{`)
    JsonObject,
    /// A JSON array (`[`)
    JsonArray,
    /// YAML: `---`, `%YAML`, or `key: value`
    Yaml,
    /// A line of values separated by `,`, `;` or tabs
    Csv,
    /// A ZIP file: an `.xlsx` or `.ods` workbook
    Zip,
    /// An OLE compound file: an `.xls` workbook
    Ole,
    /// Anything else
    Text,
}

impl Looks {
    /// What the start of an input looks like
    pub fn of(start: &[u8]) -> Looks {
        if start.starts_with(b"PK\x03\x04") {
            return Looks::Zip;
        }
        if start.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
            return Looks::Ole;
        }
        let text = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(start);
        let text = text.trim_ascii_start();
        let Some(&first) = text.first() else {
            return Looks::Empty;
        };
        match first {
            b'{' => return Looks::JsonObject,
            b'[' => return Looks::JsonArray,
            _ => {}
        }
        if text.starts_with(b"---") || text.starts_with(b"%YAML") {
            return Looks::Yaml;
        }
        // The first line that is not blank, a comment or a YAML directive
        let Some(line) = text.split(|&b| b == b'\n').find(|l| {
            let l = l.trim_ascii();
            !l.is_empty() && !l.starts_with(b"#") && !l.starts_with(b"%")
        }) else {
            return if text.starts_with(b"#") {
                Looks::Yaml
            } else {
                Looks::Text
            };
        };
        let line = line.trim_ascii();
        match line.first() {
            Some(b'{') => return Looks::JsonObject,
            Some(b'[') => return Looks::JsonArray,
            _ => {}
        }
        if line.starts_with(b"---") {
            return Looks::Yaml;
        }
        let key_len = line
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b' '))
            .count();
        let separators = line.iter().any(|&b| matches!(b, b',' | b';' | b'\t'));
        let after_key = line.get(key_len..).unwrap_or(&[]);
        if key_len > 0
            && (after_key == b":" || after_key.starts_with(b": ") || after_key == b":\r")
            && !separators
        {
            return Looks::Yaml;
        }
        if separators {
            return Looks::Csv;
        }
        Looks::Text
    }

    /// The format an input that looks like this may be read as, if any
    pub(super) fn format(self) -> Option<InputFormat> {
        match self {
            Looks::JsonObject => Some(InputFormat::JsonLines),
            Looks::JsonArray => Some(InputFormat::JsonArray),
            Looks::Yaml => Some(InputFormat::Yaml),
            Looks::Csv => Some(InputFormat::Csv),
            Looks::Zip => Some(InputFormat::Xlsx),
            Looks::Ole => Some(InputFormat::Xls),
            Looks::Empty | Looks::Text => None,
        }
    }

    pub(super) fn describe(self) -> &'static str {
        match self {
            Looks::Empty => "nothing",
            Looks::JsonObject => "a JSON object",
            Looks::JsonArray => "a JSON array",
            Looks::Yaml => "YAML",
            Looks::Csv => "a CSV header",
            Looks::Zip => "a ZIP file (an .xlsx or .ods workbook)",
            Looks::Ole => "an .xls workbook",
            Looks::Text => "text",
        }
    }
}

/// An input whose content is not the format it is read as
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct ContentMismatch {
    /// The format it was read as
    pub format: InputFormat,
    /// What it looks like
    pub looks: Looks,
    /// Its first characters, for the message
    pub start: String,
}

impl ContentMismatch {
    pub(super) fn message(&self) -> String {
        let shown = if matches!(self.looks, Looks::Zip | Looks::Ole | Looks::Empty) {
            String::new()
        } else {
            format!(" (`{}`)", self.start)
        };
        let hint = match self.looks.format() {
            Some(f) => format!("; give `--input-format {}` to read it as such", f.name()),
            None => {
                "; `--input-format` names the format when the file's extension does not".to_string()
            }
        };
        format!(
            "the input is read as {} (from its extension or --input-format), but it starts with {}{shown}{hint}",
            self.format.describe(),
            self.looks.describe(),
        )
    }
}

/// Checks that the start of an input can be the format it is read as; the mismatch, said once,
/// when it plainly cannot: a workbook or a CSV header read as JSON Lines, JSON read as CSV,
/// anything but a workbook read as one. JSON Lines whose first line is not an object but whose
/// start holds a line that is one is let through (a broken first line is one `invalid` record).
pub fn check_content(start: &[u8], format: InputFormat) -> Result<(), ContentMismatch> {
    let looks = Looks::of(start);
    let fits = match format {
        // A start that is not an object, then a line that is one whole (`{...}`): a broken first
        // line, which is one `invalid` record
        InputFormat::JsonLines => match looks {
            Looks::Empty | Looks::JsonObject => true,
            Looks::Zip | Looks::Ole => false,
            // An array that is all of its line is a line of JSON, one `invalid` record; the `[`
            // of one written over many lines is JSON, not JSON Lines
            Looks::JsonArray => start
                .split(|&b| b == b'\n')
                .find(|l| !l.trim_ascii().is_empty())
                .is_some_and(|l| l.trim_ascii().ends_with(b"]")),
            Looks::Yaml | Looks::Csv | Looks::Text => {
                start.split(|&b| b == b'\n').skip(1).any(|l| {
                    let l = l.trim_ascii();
                    l.starts_with(b"{") && l.ends_with(b"}")
                })
            }
        },
        InputFormat::JsonArray => !matches!(looks, Looks::Csv | Looks::Zip | Looks::Ole),
        InputFormat::Yaml => match looks {
            Looks::Zip | Looks::Ole => false,
            // `key: a, b` is YAML; a line of values with no `:` is not a mapping
            Looks::Csv => start
                .split(|&b| b == b'\n')
                .find(|l| !l.trim_ascii().is_empty())
                .is_some_and(|l| l.contains(&b':')),
            _ => true,
        },
        InputFormat::Csv => {
            !matches!(
                looks,
                Looks::JsonObject | Looks::JsonArray | Looks::Zip | Looks::Ole
            ) && !start.trim_ascii_start().starts_with(b"---")
        }
        InputFormat::Xlsx | InputFormat::Xls | InputFormat::Ods => {
            matches!(looks, Looks::Zip | Looks::Ole)
        }
    };
    if fits {
        return Ok(());
    }
    let text = String::from_utf8_lossy(start.get(..200).unwrap_or(start));
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let first = text.lines().next().unwrap_or("");
    let mut shown: String = first
        .chars()
        .take(40)
        .flat_map(char::escape_default)
        .collect();
    if first.chars().count() > 40 {
        shown.push('…');
    }
    Err(ContentMismatch {
        format,
        looks,
        start: shown,
    })
}
