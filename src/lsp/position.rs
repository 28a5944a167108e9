//! Byte offsets in a file's text to LSP positions and back: a line and a column counted in
//! UTF-16 code units (the protocol's default encoding), found from the line starts.

use lsp_types::{Position, Range};

use crate::source::Span;

/// The line starts of one text, to convert offsets and positions without scanning the text
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// The index of `text`'s lines
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The position of byte `offset` (clamped to the text, moved back to a char boundary)
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column: usize = text
            .get(start..offset)
            .map_or(0, |before| before.chars().map(char::len_utf16).sum());
        Position::new(to_u32(line), to_u32(column))
    }

    /// The range of a span
    pub fn range(&self, text: &str, span: Span) -> Range {
        Range::new(
            self.position(text, span.start),
            self.position(text, span.end),
        )
    }

    /// The byte offset of a position; a column past the end of its line is the line's end (its
    /// line break excluded), a line past the end of the text is the text's end
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = usize::try_from(position.line)
            .ok()
            .and_then(|l| self.starts.get(l))
        else {
            return text.len();
        };
        let end = usize::try_from(position.line)
            .ok()
            .and_then(|l| self.starts.get(l + 1))
            .map_or(text.len(), |next| next.saturating_sub(1));
        let line = text.get(start..end.max(start)).unwrap_or("");
        let wanted = usize::try_from(position.character).unwrap_or(usize::MAX);
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units >= wanted {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + line.len()
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_code_units() {
        // `é` is 2 bytes and 1 unit; `𝔸` is 4 bytes and 2 units (a surrogate pair).
        let text = "ab\n  é𝔸 x\nlast";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap_or_default();
        assert_eq!(index.position(text, x), Position::new(1, 6));
        assert_eq!(index.offset(text, Position::new(1, 6)), x);
        assert_eq!(index.position(text, 0), Position::new(0, 0));
        assert_eq!(index.position(text, text.len()), Position::new(2, 4));
    }

    #[test]
    fn offsets_round_trip_and_out_of_range_positions_clamp() {
        let text = "rule a {\r\n  title \"Ürümqi\"\n}";
        let index = LineIndex::new(text);
        for (offset, _) in text.char_indices() {
            let p = index.position(text, offset);
            assert_eq!(index.offset(text, p), offset, "{p:?}");
        }
        // Past the end of a line: the line's end; past the last line: the text's end
        assert_eq!(index.offset(text, Position::new(0, 99)), 9);
        assert_eq!(index.offset(text, Position::new(9, 0)), text.len());
        // Inside a multi-byte character: moved back to its start
        let u = text.find('Ü').unwrap_or_default();
        assert_eq!(index.position(text, u + 1), index.position(text, u));
    }
}
