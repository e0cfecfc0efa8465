//! Conversions between byte offsets and line/column positions.
//!
//! This is the only place that knows about position encodings. Every position that comes from a
//! client is clamped: a line past the end maps to the end of the text, a column past the end of
//! its line maps to the end of that line, and a column inside a multi-byte character maps to the
//! start of that character.

use ropey::Rope;

/// How columns are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (the LSP default).
    #[default]
    Utf16,
    /// Unicode scalar values (characters); the CLI reports columns this way.
    Utf32,
}

/// A zero-based line and column in some encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// A view of a rope that converts positions in one encoding.
pub struct LineIndex<'a> {
    rope: &'a Rope,
    encoding: Encoding,
    /// The same text as one string with the start of each line, when many positions are
    /// wanted at once (a document's diagnostics): a binary search and a scan of the line's
    /// start instead of walks down the rope.
    flat: Option<(&'a str, Vec<usize>)>,
}

impl<'a> LineIndex<'a> {
    pub fn new(rope: &'a Rope, encoding: Encoding) -> Self {
        Self {
            rope,
            encoding,
            flat: None,
        }
    }

    /// An index that also keeps `text`, which must be the rope's text, with its line starts
    /// (one pass over the text): for converting many offsets.
    pub fn with_text(rope: &'a Rope, text: &'a str, encoding: Encoding) -> Self {
        if text.len() != rope.len_bytes() {
            return Self::new(rope, encoding);
        }
        Self {
            rope,
            encoding,
            flat: Some((text, line_starts(text))),
        }
    }

    /// Number of bytes of line `line` without its line break.
    fn line_content_bytes(&self, line: usize) -> usize {
        let slice = self.rope.line(line);
        let mut len = slice.len_bytes();
        // Strip the trailing line break (\n, \r\n or \r).
        let mut chars = slice.chars_at(slice.len_chars());
        if let Some(last) = chars.prev() {
            if last == '\n' {
                len -= 1;
                if chars.prev() == Some('\r') {
                    len -= 1;
                }
            } else if last == '\r' {
                len -= 1;
            }
        }
        len
    }

    /// The byte offset of a position, clamped to the text.
    pub fn offset(&self, pos: LineCol) -> usize {
        let line = pos.line as usize;
        if line >= self.rope.len_lines() {
            return self.rope.len_bytes();
        }
        let line_start = self.rope.line_to_byte(line);
        let content_len = self.line_content_bytes(line);
        let line_slice = self.rope.byte_slice(line_start..line_start + content_len);
        let wanted = pos.col as usize;
        let within = match self.encoding {
            Encoding::Utf8 => {
                let byte = wanted.min(content_len);
                // Floor to a character boundary.
                let ch = line_slice.byte_to_char(byte);
                line_slice.char_to_byte(ch)
            }
            Encoding::Utf16 => {
                let units = wanted.min(line_slice.len_utf16_cu());
                let ch = line_slice.utf16_cu_to_char(units);
                line_slice.char_to_byte(ch)
            }
            Encoding::Utf32 => {
                let ch = wanted.min(line_slice.len_chars());
                line_slice.char_to_byte(ch)
            }
        };
        line_start + within
    }

    /// The position of a byte offset (clamped to the text, floored to a character boundary).
    pub fn position(&self, offset: usize) -> LineCol {
        if let Some((text, starts)) = &self.flat {
            let mut offset = offset.min(text.len());
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            let line = starts.partition_point(|&s| s <= offset).saturating_sub(1);
            let line_start = starts.get(line).copied().unwrap_or(0).min(offset);
            let before = text.get(line_start..offset).unwrap_or_default();
            return LineCol {
                line: line as u32,
                col: self.columns(before) as u32,
            };
        }
        let offset = self.floor_to_char(offset.min(self.rope.len_bytes()));
        let line = self.rope.byte_to_line(offset);
        let line_start = self.rope.line_to_byte(line);
        // Only the part of the line before the offset is counted: a short scan.
        let before = self.rope.byte_slice(line_start..offset);
        let col = before.chunks().map(|c| self.columns(c)).sum::<usize>();
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// The width of a line's text in this encoding.
    fn columns(&self, text: &str) -> usize {
        match self.encoding {
            Encoding::Utf8 => text.len(),
            Encoding::Utf16 if text.is_ascii() => text.len(),
            Encoding::Utf16 => text.chars().map(char::len_utf16).sum(),
            Encoding::Utf32 if text.is_ascii() => text.len(),
            Encoding::Utf32 => text.chars().count(),
        }
    }

    /// The start of the character that holds byte `offset` (at most the text's length).
    fn floor_to_char(&self, offset: usize) -> usize {
        let (chunk, chunk_start, _, _) = self.rope.chunk_at_byte(offset);
        let mut within = offset.saturating_sub(chunk_start).min(chunk.len());
        while within > 0 && !chunk.is_char_boundary(within) {
            within -= 1;
        }
        chunk_start + within
    }
}

/// The byte offset where each line starts, with line breaks as the rope counts them: `\n`,
/// `\r\n` and a lone `\r`.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        let crlf = bytes.get(at) == Some(&b'\r') && bytes.get(at + 1) == Some(&b'\n');
        if !crlf {
            starts.push(at + 1);
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(text: &str, enc: Encoding) {
        let rope = Rope::from_str(text);
        let index = LineIndex::new(&rope, enc);
        let flat = LineIndex::with_text(&rope, text, enc);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                flat.position(offset),
                index.position(offset),
                "{enc:?} {offset}"
            );
        }
        for (offset, ch) in text.char_indices() {
            // The middle of a CRLF pair is not a position of its own.
            if ch == '\n' && text[..offset].ends_with('\r') {
                continue;
            }
            let pos = index.position(offset);
            assert_eq!(index.offset(pos), offset, "{enc:?} {offset} {pos:?}");
        }
    }

    #[test]
    fn round_trips_in_every_encoding() {
        for text in ["a😀b\r\nçé\n\n🎉x\ry", "\r\r\n\n\rz", "", "\n", "tail\r"] {
            for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                roundtrip(text, enc);
            }
        }
    }

    #[test]
    fn astral_characters_count_as_two_utf16_units() {
        let rope = Rope::from_str("😀x");
        let utf16 = LineIndex::new(&rope, Encoding::Utf16);
        assert_eq!(utf16.position(4), LineCol { line: 0, col: 2 });
        let utf8 = LineIndex::new(&rope, Encoding::Utf8);
        assert_eq!(utf8.position(4), LineCol { line: 0, col: 4 });
        // A column inside the surrogate pair floors to the character start.
        assert_eq!(utf16.offset(LineCol { line: 0, col: 1 }), 0);
        assert_eq!(utf8.offset(LineCol { line: 0, col: 2 }), 0);
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let rope = Rope::from_str("ab\r\ncd");
        let index = LineIndex::new(&rope, Encoding::Utf16);
        assert_eq!(index.offset(LineCol { line: 0, col: 99 }), 2);
        assert_eq!(index.offset(LineCol { line: 7, col: 0 }), 6);
        assert_eq!(index.position(999), LineCol { line: 1, col: 2 });
    }
}
