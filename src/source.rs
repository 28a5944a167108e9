//! Source files, byte spans and line/column lookup.

use std::sync::Arc;

/// A rule file's name and text, shared by every diagnostic that points into it
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The name shown in diagnostics (a path, or `<embedded>/dprk.rules`)
    pub name: String,
    /// The whole text
    pub text: Arc<str>,
    line_starts: Vec<usize>,
    /// Checkpoints `(byte offset, characters before it)`, at char boundaries about every
    /// `CHAR_MARK` bytes: a column is counted from the nearest checkpoint, not from the start of
    /// its line, so that columns on a very long line (a minified file) cost no more than elsewhere
    char_marks: Vec<(usize, usize)>,
}

/// Bytes between two checkpoints of `SourceFile::char_marks`
const CHAR_MARK: usize = 4096;

/// A byte range `start..end` in one source file
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// First byte
    pub start: usize,
    /// One past the last byte
    pub end: usize,
}

/// A line and column, both counted from 1; the column counts characters
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    /// Line, from 1
    pub line: usize,
    /// Column in characters, from 1
    pub col: usize,
}

impl Span {
    /// A span from `start` to `end`
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }

    /// The smallest span covering both
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// Length in bytes
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the span is empty
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

impl SourceFile {
    /// A source file from its name and text
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut char_marks = vec![(0, 0)];
        let mut next = CHAR_MARK;
        for (chars, (i, _)) in text.char_indices().enumerate() {
            if i >= next {
                char_marks.push((i, chars));
                next = i + CHAR_MARK;
            }
        }
        SourceFile {
            name: name.into(),
            text,
            line_starts,
            char_marks,
        }
    }

    /// The number of characters before byte `offset` (moved back to a char boundary)
    fn chars_before(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let k = self
            .char_marks
            .partition_point(|&(at, _)| at <= offset)
            .saturating_sub(1);
        let (at, before) = self.char_marks.get(k).copied().unwrap_or((0, 0));
        before
            + self
                .text
                .get(at..offset)
                .map_or(0, |between| between.chars().count())
    }

    /// The byte offset where line `line` (from 1) starts; the text's length past the end
    pub fn line_start(&self, line: usize) -> usize {
        line.checked_sub(1)
            .and_then(|i| self.line_starts.get(i))
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The line and column of a byte offset (clamped to the text)
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line_idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_start = self.line_starts.get(line_idx).copied().unwrap_or(0);
        let col = self
            .chars_before(offset)
            .saturating_sub(self.chars_before(line_start));
        LineCol {
            line: line_idx + 1,
            col: col + 1,
        }
    }

    /// The text of line `line` (from 1) without its line break, or "" past the end; found from
    /// the line starts, so that rendering many diagnostics stays linear in the file's size
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = line.checked_sub(1).and_then(|i| self.line_starts.get(i)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |next| next.saturating_sub(1));
        let text = self.text.get(start..end.max(start)).unwrap_or("");
        text.strip_suffix('\r').unwrap_or(text)
    }

    /// The text of a span, or "" if it is out of range
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_and_in_characters() {
        let file = SourceFile::new("a", "ab\nçd\n");
        assert_eq!(file.line_col(0), LineCol { line: 1, col: 1 });
        assert_eq!(file.line_col(3), LineCol { line: 2, col: 1 });
        assert_eq!(file.line_col(5), LineCol { line: 2, col: 2 });
        assert_eq!(file.line_col(99), LineCol { line: 3, col: 1 });
    }

    #[test]
    fn columns_on_long_lines_count_characters_from_the_line_start() {
        // One line of 3 × CHAR_MARK characters of two bytes, then a second line.
        let long: String = "é".repeat(3 * CHAR_MARK);
        let text = format!("ab\n{long}x\nyz");
        let file = SourceFile::new("a", text.as_str());
        assert!(file.char_marks.len() > 4);
        for chars in [0, 1, 2047, 2048, 2049, 3 * CHAR_MARK] {
            let offset = 3 + 2 * chars;
            assert_eq!(
                file.line_col(offset),
                LineCol {
                    line: 2,
                    col: chars + 1
                },
                "{chars}"
            );
        }
        let last = text.len() - 1;
        assert_eq!(file.line_col(last), LineCol { line: 3, col: 2 });
        // Inside a character: its start.
        assert_eq!(file.line_col(4), LineCol { line: 2, col: 1 });
        assert_eq!(file.line_start(2), 3);
        assert_eq!(file.line_start(9), text.len());
    }

    #[test]
    fn line_text_is_the_line_without_its_break() {
        let file = SourceFile::new("a", "ab\r\nçd\n\nlast");
        let lines: Vec<&str> = (0..=6).map(|n| file.line_text(n)).collect();
        assert_eq!(lines, ["", "ab", "çd", "", "last", "", ""]);
        // The same lines as `str::lines` gives.
        let text = "x\n\ny\r\nz\n";
        let file = SourceFile::new("b", text);
        for (i, want) in text.lines().enumerate() {
            assert_eq!(file.line_text(i + 1), want);
        }
    }
}
