//! Splitting an input into records: JSON Lines, JSON arrays (or objects one after another) or YAML
//! documents, streamed one record at a time in memory bounded in bytes.
//!
//! Every record of the input comes out, either as text or as a [`BrokenRecord`] (bad UTF-8,
//! larger than the limit, text outside any record), so that it gets a verdict: nothing is dropped.
//! Only an input that cannot be split into records at all (a `.json` file holding no array or
//! object) or that cannot be read ends the reader with an error. The rules are in docs/cli.md,
//! "Input".

use std::io::{self, Read};

use super::read::{InputFormat, RecordText};

/// The largest record read by default, in bytes (1 MiB)
pub const DEFAULT_MAX_RECORD_SIZE: usize = 1 << 20;

/// The largest limit that can be set on a record's size, in bytes (256 MiB)
pub const MAX_RECORD_SIZE_LIMIT: usize = 256 << 20;

/// How many bytes of a line are kept at least, whatever the limit, so that a YAML separator is
/// always recognised
const MIN_KEEP: usize = 64;

/// How many bytes are read from the input at a time
const BUF_SIZE: usize = 1 << 16;

/// A record that was found but could not be handed over as text; it is judged `invalid`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenRecord {
    /// Its `id`, where one could be read anyway (a record with a bad byte elsewhere)
    pub id: Option<String>,
    /// The line (from 1) where the record starts
    pub line: usize,
    /// The line of the problem
    pub at_line: usize,
    /// The column (from 1, in characters) of the problem
    pub at_column: usize,
    /// What is wrong
    pub message: String,
}

impl BrokenRecord {
    /// The problem as a verdict's error: `SOURCE:LINE:COLUMN: message`
    pub fn describe(&self, source: &str) -> String {
        format!(
            "{source}:{}:{}: {}",
            self.at_line, self.at_column, self.message
        )
    }
}

/// Why the reader could not hand over a record
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// One record is broken; the reader goes on with the next
    #[error("line {}, column {}: {}", .0.at_line, .0.at_column, .0.message)]
    Record(BrokenRecord),
    /// The input cannot be split into records; the reader stops
    #[error("line {line}, column {column}: {message}")]
    Split {
        /// Where the text that cannot be read starts
        line: usize,
        /// Its column (from 1, in characters)
        column: usize,
        /// What is wrong
        message: String,
    },
    /// The input could not be read; the reader stops
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl ReadError {
    /// Whether the reader stops here (else only this record is lost, as an `invalid` verdict)
    pub fn is_fatal(&self) -> bool {
        !matches!(self, ReadError::Record(_))
    }

    /// The error as an I/O error whose message names the place: `SOURCE:LINE:COLUMN: message`
    pub fn into_io_error(self, source: &str) -> io::Error {
        match self {
            ReadError::Io(e) => e,
            ReadError::Record(b) => io::Error::new(io::ErrorKind::InvalidData, b.describe(source)),
            ReadError::Split {
                line,
                column,
                message,
            } => io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{source}:{line}:{column}: {message}"),
            ),
        }
    }
}

/// The input's bytes, read a buffer at a time
struct Source<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    end: usize,
    eof: bool,
}

impl<R: Read> Source<R> {
    fn new(inner: R) -> Self {
        Source {
            inner,
            buf: vec![0; BUF_SIZE].into_boxed_slice(),
            pos: 0,
            end: 0,
            eof: false,
        }
    }

    /// Reads more bytes after those held; false at the end of the input
    fn read_more(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        let Some(space) = self.buf.get_mut(self.end..) else {
            return Ok(false);
        };
        loop {
            match self.inner.read(space) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end = (self.end + n).min(self.buf.len());
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// The bytes not consumed yet, reading more when none are left; empty at the end
    fn fill(&mut self) -> io::Result<&[u8]> {
        if self.pos >= self.end {
            self.pos = 0;
            self.end = 0;
            self.read_more()?;
        }
        Ok(self.buf.get(self.pos..self.end).unwrap_or(&[]))
    }

    fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.end);
    }

    /// Skips a UTF-8 byte-order mark at the start of the input
    fn skip_bom(&mut self) -> io::Result<()> {
        while self.end < 3 && self.read_more()? {}
        if self.buf.get(..3) == Some(b"\xEF\xBB\xBF".as_slice()) && self.end >= 3 {
            self.pos = 3;
        }
        Ok(())
    }

    /// Reads one line into `out` (cleared first), keeping at most `keep` bytes of it and
    /// discarding the rest as it is read: the line's whole length with its `\n`, 0 at the end
    fn read_line(&mut self, out: &mut Vec<u8>, keep: usize) -> io::Result<usize> {
        out.clear();
        let mut total = 0usize;
        loop {
            let avail = self.fill()?;
            if avail.is_empty() {
                return Ok(total);
            }
            let (n, done) = match memchr::memchr(b'\n', avail) {
                Some(i) => (i + 1, true),
                None => (avail.len(), false),
            };
            let room = keep.saturating_sub(out.len());
            out.extend_from_slice(avail.get(..n.min(room)).unwrap_or(&[]));
            total = total.saturating_add(n);
            self.consume(n);
            if done {
                return Ok(total);
            }
        }
    }
}

/// Where a `.json` input is between records
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum JsonState {
    /// Outside any array; `seen` once an array or object was found
    TopLevel { seen: bool },
    /// Inside a top-level array opened on line `opened`
    InArray { opened: usize },
}

/// Splits an input into records without holding more than one record (at most the limit on a
/// record's size) in memory
pub struct RecordReader<R> {
    input: Source<R>,
    format: InputFormat,
    max_record_size: usize,
    /// JSON Lines and YAML: lines read so far; JSON: the line of the next byte
    line: usize,
    /// JSON: the column of the next byte
    column: usize,
    started: bool,
    done: bool,
    json: JsonState,
    /// YAML: the document being read, its first line, and whether it passed the limit
    doc: Vec<u8>,
    doc_line: usize,
    doc_too_large: bool,
}

impl<R: Read> RecordReader<R> {
    /// A reader of records in `format`, with the default limit on a record's size
    pub fn new(input: R, format: InputFormat) -> Self {
        RecordReader {
            input: Source::new(input),
            format,
            max_record_size: DEFAULT_MAX_RECORD_SIZE,
            line: 0,
            column: 1,
            started: false,
            done: false,
            json: JsonState::TopLevel { seen: false },
            doc: Vec::new(),
            doc_line: 0,
            doc_too_large: false,
        }
    }

    /// The same reader with records of more than `bytes` bytes broken (at least 1 byte)
    #[must_use]
    pub fn with_max_record_size(mut self, bytes: usize) -> Self {
        self.max_record_size = bytes.max(1);
        self
    }

    fn too_large(&self, what: &str, line: usize, column: usize) -> ReadError {
        ReadError::Record(BrokenRecord {
            id: None,
            line,
            at_line: line,
            at_column: column,
            message: format!(
                "{what} longer than {} bytes (the limit set by `--max-record-size`): not read",
                self.max_record_size
            ),
        })
    }

    fn next_json_line(&mut self) -> Result<Option<RecordText>, ReadError> {
        let keep = self.max_record_size.saturating_add(2);
        loop {
            let mut buf = Vec::new();
            let n = self.input.read_line(&mut buf, keep)?;
            if n == 0 {
                return Ok(None);
            }
            self.line += 1;
            let newline = usize::from(buf.last() == Some(&b'\n') && n <= keep);
            if n - newline > self.max_record_size {
                return Err(self.too_large("line", self.line, 1));
            }
            let end = buf.len()
                - buf
                    .iter()
                    .rev()
                    .take_while(|b| b.is_ascii_whitespace())
                    .count();
            let start = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
            if start >= end {
                continue;
            }
            // The line's own buffer, trimmed in place, becomes the record's text: no second copy.
            buf.truncate(end);
            buf.drain(..start);
            return text_of(buf, self.line, self.line, start + 1, false).map(Some);
        }
    }

    fn next_yaml_doc(&mut self) -> Result<Option<RecordText>, ReadError> {
        let keep = self.max_record_size.max(MIN_KEEP).saturating_add(1);
        let mut buf = Vec::new();
        loop {
            let n = self.input.read_line(&mut buf, keep)?;
            if n == 0 {
                return self.take_doc();
            }
            self.line += 1;
            if let Some(inline) = yaml_separator(&buf) {
                let doc = self.take_doc();
                // Text after `---` on its line (`--- {id: a}`) starts the next document.
                if inline {
                    self.add_to_doc(std::mem::take(&mut buf), n);
                }
                match doc {
                    Ok(None) => continue,
                    other => return other,
                }
            }
            if self.doc_line == 0 {
                let trimmed = buf.trim_ascii_start();
                if trimmed.is_empty() || trimmed.starts_with(b"#") || trimmed.starts_with(b"%") {
                    continue;
                }
            }
            self.add_to_doc(std::mem::take(&mut buf), n);
        }
    }

    /// Adds a line (`n` bytes long, of which `line` holds those kept) to the YAML document
    fn add_to_doc(&mut self, line: Vec<u8>, n: usize) {
        if self.doc_line == 0 {
            self.doc_line = self.line;
            self.doc = line;
            self.doc_too_large = n > self.max_record_size;
        } else if !self.doc_too_large {
            if self.doc.len().saturating_add(n) > self.max_record_size {
                self.doc_too_large = true;
            } else {
                self.doc.extend_from_slice(&line);
            }
        }
        if self.doc_too_large {
            self.doc = Vec::new();
        }
    }

    /// The YAML document read so far, if any, and a fresh start
    fn take_doc(&mut self) -> Result<Option<RecordText>, ReadError> {
        let line = std::mem::take(&mut self.doc_line);
        let doc = std::mem::take(&mut self.doc);
        let too_large = std::mem::take(&mut self.doc_too_large);
        if line == 0 {
            return Ok(None);
        }
        if too_large {
            return Err(self.too_large("document", line, 1));
        }
        text_of(doc, line, line, 1, true).map(Some)
    }

    /// Skips the bytes that `skip` accepts, keeping count of lines and columns; the next byte,
    /// not consumed, or `None` at the end
    fn skip_json(&mut self, skip: impl Fn(u8) -> bool) -> io::Result<Option<u8>> {
        loop {
            let avail = self.input.fill()?;
            let Some(&first) = avail.first() else {
                return Ok(None);
            };
            let n = avail.iter().take_while(|&&b| skip(b)).count();
            for &b in avail.get(..n).unwrap_or(&[]) {
                track(&mut self.line, &mut self.column, b);
            }
            if n < avail.len() {
                let next = avail.get(n).copied().unwrap_or(first);
                self.input.consume(n);
                return Ok(Some(next));
            }
            self.input.consume(n);
        }
    }

    /// Consumes the next byte, keeping count of lines and columns
    fn bump_json(&mut self) -> io::Result<()> {
        if let Some(&b) = self.input.fill()?.first() {
            track(&mut self.line, &mut self.column, b);
            self.input.consume(1);
        }
        Ok(())
    }

    /// Reads one JSON value from the next byte (not whitespace), keeping at most `keep` bytes of
    /// it: its text and its whole length
    fn scan_json(&mut self, mut scan: Scan, keep: usize) -> io::Result<(Vec<u8>, usize)> {
        let mut text = Vec::new();
        let mut total = 0usize;
        loop {
            let avail = self.input.fill()?;
            if avail.is_empty() {
                return Ok((text, total));
            }
            let mut used = 0;
            let mut finished = false;
            for &b in avail {
                let step = scan.step(b);
                if step == Step::EndBefore {
                    finished = true;
                    break;
                }
                used += 1;
                track(&mut self.line, &mut self.column, b);
                if step == Step::EndAfter {
                    finished = true;
                    break;
                }
            }
            let taken = avail.get(..used).unwrap_or(&[]);
            let room = keep.saturating_sub(text.len());
            text.extend_from_slice(taken.get(..used.min(room)).unwrap_or(&[]));
            total = total.saturating_add(used);
            self.input.consume(used);
            if finished {
                return Ok((text, total));
            }
        }
    }

    fn next_json_value(&mut self) -> Result<Option<RecordText>, ReadError> {
        if self.line == 0 {
            self.line = 1;
        }
        let keep = self.max_record_size.saturating_add(1);
        loop {
            let in_array = matches!(self.json, JsonState::InArray { .. });
            let next = self.skip_json(|b| b.is_ascii_whitespace() || (in_array && b == b','))?;
            let (line, column) = (self.line, self.column);
            match (self.json, next) {
                (JsonState::TopLevel { .. }, None) => return Ok(None),
                (JsonState::InArray { opened }, None) => {
                    self.json = JsonState::TopLevel { seen: true };
                    return Err(ReadError::Record(BrokenRecord {
                        id: None,
                        line,
                        at_line: line,
                        at_column: column,
                        message: format!(
                            "the array opened at line {opened} is not closed: the input may be cut short"
                        ),
                    }));
                }
                (JsonState::TopLevel { .. }, Some(b'[')) => {
                    self.bump_json()?;
                    self.json = JsonState::InArray { opened: line };
                    continue;
                }
                (JsonState::InArray { .. }, Some(b']')) => {
                    self.bump_json()?;
                    self.json = JsonState::TopLevel { seen: true };
                    continue;
                }
                (JsonState::TopLevel { seen }, Some(b)) if b != b'{' => {
                    // Text outside any array or object: one broken record, up to the next `[` or
                    // `{`; none at all means this is not JSON records.
                    let (text, _) = self.scan_json(Scan::junk(), keep)?;
                    let at_end = self.input.fill()?.is_empty();
                    let shown = excerpt(&text);
                    if !seen && at_end {
                        return Err(ReadError::Split {
                            line,
                            column,
                            message: format!(
                                "not a JSON array or object (a `.json` input holds arrays of records, or records one after another): found `{shown}`"
                            ),
                        });
                    }
                    return Err(ReadError::Record(BrokenRecord {
                        id: None,
                        line,
                        at_line: line,
                        at_column: column,
                        message: format!("text outside any array or object: `{shown}`"),
                    }));
                }
                (_, Some(_)) => {
                    if let JsonState::TopLevel { .. } = self.json {
                        self.json = JsonState::TopLevel { seen: true };
                    }
                    let (text, total) = self.scan_json(Scan::value(), keep)?;
                    if total > self.max_record_size {
                        return Err(self.too_large("record", line, column));
                    }
                    let trimmed_len = text.trim_ascii_end().len();
                    let mut text = text;
                    text.truncate(trimmed_len);
                    return text_of(text, line, line, column, false).map(Some);
                }
            }
        }
    }
}

impl<R: Read> Iterator for RecordReader<R> {
    type Item = Result<RecordText, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        if !self.started {
            self.started = true;
            if let Err(e) = self.input.skip_bom() {
                self.done = true;
                return Some(Err(e.into()));
            }
        }
        let res = match self.format {
            InputFormat::JsonLines => self.next_json_line(),
            InputFormat::Yaml => self.next_yaml_doc(),
            InputFormat::JsonArray => self.next_json_value(),
            format => Err(ReadError::Split {
                line: 1,
                column: 1,
                message: format!(
                    "{} is read one record a row by `table`, not split as text",
                    format.describe()
                ),
            }),
        };
        match res {
            Ok(Some(r)) => Some(Ok(r)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = e.is_fatal();
                Some(Err(e))
            }
        }
    }
}

/// Counts a byte read into the line and column (in characters) of the next one
fn track(line: &mut usize, column: &mut usize, b: u8) {
    if b == b'\n' {
        *line += 1;
        *column = 1;
    } else if b & 0xC0 != 0x80 {
        *column += 1;
    }
}

/// `Some(inline)` when a YAML line is a document marker (`---` or `...`, then the end of the
/// line, a space or a tab), `inline` when text other than a comment follows it on its line
fn yaml_separator(line: &[u8]) -> Option<bool> {
    let marker = line.get(..3)?;
    if marker != b"---" && marker != b"..." {
        return None;
    }
    let rest = line.get(3..).unwrap_or(&[]);
    if rest.first().is_some_and(|b| !b.is_ascii_whitespace()) {
        return None;
    }
    let rest = rest.trim_ascii();
    Some(!rest.is_empty() && !rest.starts_with(b"#"))
}

/// A record's bytes as text, or broken where they are not UTF-8; `line` is where the record
/// starts, (`at_line`, `at_column`) where its bytes start
fn text_of(
    bytes: Vec<u8>,
    line: usize,
    at_line: usize,
    at_column: usize,
    yaml: bool,
) -> Result<RecordText, ReadError> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(RecordText {
            line,
            column: at_column,
            text,
            yaml,
            table: None,
        }),
        Err(e) => {
            let bytes = e.as_bytes();
            let valid = e.utf8_error().valid_up_to();
            let before = bytes.get(..valid).unwrap_or(&[]);
            let (bad_line, bad_column) = match before.iter().rposition(|&b| b == b'\n') {
                Some(i) => (
                    at_line + before.iter().filter(|&&b| b == b'\n').count(),
                    chars(before.get(i + 1..).unwrap_or(&[])) + 1,
                ),
                None => (at_line, at_column + chars(before)),
            };
            let byte = bytes.get(valid).copied().unwrap_or(0);
            Err(ReadError::Record(BrokenRecord {
                id: id_of(&String::from_utf8_lossy(bytes), yaml),
                line,
                at_line: bad_line,
                at_column: bad_column,
                message: format!("not valid UTF-8 (byte 0x{byte:02X}): the record was not read"),
            }))
        }
    }
}

/// The `id` of a record read with its bad bytes replaced, unless the `id` holds one of them
fn id_of(text: &str, yaml: bool) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct IdOnly {
        id: String,
    }
    let id = if yaml {
        // As `parse_record` does, refuse to hand libyaml flow collections nested too deep.
        if super::read::yaml_flow_too_deep(text, super::read::MAX_RECORD_DEPTH) {
            return None;
        }
        serde_yaml::from_str::<IdOnly>(text).ok()?.id
    } else {
        serde_json::from_str::<IdOnly>(text).ok()?.id
    };
    (!id.contains(char::REPLACEMENT_CHARACTER)).then_some(id)
}

/// How many characters valid UTF-8 bytes hold
fn chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// The start of some text, for a message: at most 30 characters, control characters escaped
fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes.get(..120).unwrap_or(bytes));
    let text = text.trim();
    let mut shown: String = text
        .chars()
        .take(30)
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if text.chars().count() > 30 || bytes.len() > 120 {
        shown.push('…');
    }
    shown
}

/// What scanning a byte of a JSON value says
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    /// The byte belongs to the value, which goes on
    Take,
    /// The byte ends the value
    EndAfter,
    /// The value ended before this byte
    EndBefore,
}

/// The state of scanning one JSON value (or text outside any), byte by byte
struct Scan {
    depth: usize,
    in_string: bool,
    escaped: bool,
    started: bool,
    scalar: bool,
    junk: bool,
}

impl Scan {
    /// A value: an object or array to its matching close, a string to its closing quote,
    /// anything else up to the next `,`, `]`, `[`, `{`, `}` or whitespace
    fn value() -> Self {
        Scan {
            depth: 0,
            in_string: false,
            escaped: false,
            started: false,
            scalar: false,
            junk: false,
        }
    }

    /// Text outside any array or object: up to the next `[` or `{`
    fn junk() -> Self {
        Scan {
            junk: true,
            ..Scan::value()
        }
    }

    fn step(&mut self, b: u8) -> Step {
        if self.junk {
            return if self.started && matches!(b, b'[' | b'{') {
                Step::EndBefore
            } else {
                self.started = true;
                Step::Take
            };
        }
        if !self.started {
            self.started = true;
            match b {
                b'{' | b'[' => self.depth = 1,
                b'"' => self.in_string = true,
                _ => self.scalar = true,
            }
            return Step::Take;
        }
        if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = false;
                if self.depth == 0 {
                    return Step::EndAfter;
                }
            }
            return Step::Take;
        }
        if self.scalar {
            return if b.is_ascii_whitespace() || matches!(b, b',' | b']' | b'[' | b'{' | b'}') {
                Step::EndBefore
            } else {
                Step::Take
            };
        }
        match b {
            b'"' => self.in_string = true,
            b'{' | b'[' => self.depth += 1,
            b'}' | b']' => {
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0 {
                    return Step::EndAfter;
                }
            }
            _ => {}
        }
        Step::Take
    }
}

#[cfg(test)]
mod tests;
