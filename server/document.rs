//! A text document: a rope and, for known languages, a tree-sitter tree kept in step with it.
//!
//! Edits are applied to the rope, described to the old tree with `Tree::edit`, and the tree is
//! re-parsed with the old tree so tree-sitter reuses what did not change.

use std::cell::RefCell;
use std::collections::HashMap;

use ropey::Rope;
use tree_sitter::{InputEdit, Parser, Point, Tree};

use crate::language::Language;
use crate::line_index::{Encoding, LineCol, LineIndex};

/// Files larger than this are kept as text but never parsed or linted.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Files with a line longer than this (in bytes) are not parsed or linted (minified code).
pub const MAX_LINE_BYTES: usize = 100_000;

thread_local! {
    static PARSERS: RefCell<HashMap<Language, Parser>> = RefCell::new(HashMap::new());
}

/// Runs `f` with this thread's parser for `language`.
pub fn with_parser<R>(language: Language, f: impl FnOnce(&mut Parser) -> R) -> Option<R> {
    PARSERS.with(|cell| {
        let mut parsers = cell.try_borrow_mut().ok()?;
        if let std::collections::hash_map::Entry::Vacant(slot) = parsers.entry(language) {
            let mut parser = Parser::new();
            parser.set_language(&language.grammar()).ok()?;
            slot.insert(parser);
        }
        parsers.get_mut(&language).map(f)
    })
}

/// Parses a whole text.
pub fn parse(language: Language, text: &str) -> Option<Tree> {
    with_parser(language, |parser| parser.parse(text, None)).flatten()
}

/// Why a document is not linted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skip {
    TooLarge,
    LongLine,
}

impl Skip {
    pub fn reason(self) -> String {
        match self {
            Skip::TooLarge => format!(
                "larger than {} MB, so acs-lint does not lint it",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            Skip::LongLine => format!(
                "has a line longer than {MAX_LINE_BYTES} characters (minified or generated), so acs-lint does not lint it"
            ),
        }
    }
}

/// Checks the size bounds of a text.
pub fn skip_reason(text: &str) -> Option<Skip> {
    if text.len() > MAX_FILE_BYTES {
        return Some(Skip::TooLarge);
    }
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len())) {
        if end - start > MAX_LINE_BYTES {
            return Some(Skip::LongLine);
        }
        start = end + 1;
    }
    None
}

/// An open document.
pub struct Document {
    pub language: Option<Language>,
    pub version: i32,
    rope: Rope,
    tree: Option<Tree>,
    skip: Option<Skip>,
}

impl Document {
    pub fn new(text: &str, language: Option<Language>, version: i32) -> Self {
        let mut doc = Document {
            language,
            version,
            rope: Rope::from_str(text),
            tree: None,
            skip: None,
        };
        doc.reparse(false);
        doc
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    pub fn tree(&self) -> Option<&Tree> {
        self.tree.as_ref()
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    /// Why this document is not linted, if it is not.
    pub fn skip(&self) -> Option<Skip> {
        self.skip
    }

    pub fn line_index(&self, encoding: Encoding) -> LineIndex<'_> {
        LineIndex::new(&self.rope, encoding)
    }

    /// Replaces the whole text.
    pub fn set_text(&mut self, text: &str) {
        self.rope = Rope::from_str(text);
        self.tree = None;
        self.reparse(false);
    }

    /// Applies an edit given as a range in `encoding` (clamped) and new text.
    pub fn apply_edit(&mut self, start: LineCol, end: LineCol, new_text: &str, encoding: Encoding) {
        let index = self.line_index(encoding);
        let mut start = index.offset(start);
        let mut end = index.offset(end);
        if end < start {
            std::mem::swap(&mut start, &mut end);
        }
        self.replace_bytes(start, end, new_text);
    }

    /// Replaces bytes `start..end` (character boundaries, `start <= end <= len`) with `new_text`,
    /// keeping the tree in step.
    pub fn replace_bytes(&mut self, start: usize, end: usize, new_text: &str) {
        let len = self.rope.len_bytes();
        let end = end.min(len);
        let start = start.min(end);
        let start_position = self.point(start);
        let old_end_position = self.point(end);
        let start_char = self.rope.byte_to_char(start);
        let end_char = self.rope.byte_to_char(end);
        self.rope.remove(start_char..end_char);
        self.rope.insert(start_char, new_text);
        let new_end_byte = start + new_text.len();
        let new_end_position = advance(start_position, new_text);
        if let Some(tree) = self.tree.as_mut() {
            tree.edit(&InputEdit {
                start_byte: start,
                old_end_byte: end,
                new_end_byte,
                start_position,
                old_end_position,
                new_end_position,
            });
        }
        self.reparse(true);
    }

    /// The tree-sitter point of a byte offset: rows count `\n` only, columns count bytes.
    fn point(&self, offset: usize) -> Point {
        let mut row = 0;
        let mut last_newline_end = 0;
        let mut chunk_start = 0;
        for chunk in self.rope.chunks() {
            if chunk_start >= offset {
                break;
            }
            let bytes = chunk.as_bytes();
            let upto = (offset - chunk_start).min(bytes.len());
            for pos in memchr::memchr_iter(b'\n', bytes.get(..upto).unwrap_or_default()) {
                row += 1;
                last_newline_end = chunk_start + pos + 1;
            }
            chunk_start += bytes.len();
        }
        Point {
            row,
            column: offset - last_newline_end,
        }
    }

    fn reparse(&mut self, incremental: bool) {
        let Some(language) = self.language else {
            self.tree = None;
            return;
        };
        let skip = if self.rope.len_bytes() > MAX_FILE_BYTES {
            Some(Skip::TooLarge)
        } else {
            self.rope
                .lines()
                .any(|line| line.len_bytes() > MAX_LINE_BYTES)
                .then_some(Skip::LongLine)
        };
        self.skip = skip;
        if skip.is_some() {
            self.tree = None;
            return;
        }
        let old = if incremental { self.tree.take() } else { None };
        let rope = &self.rope;
        self.tree = with_parser(language, |parser| {
            let mut read = |byte: usize, _: Point| -> &[u8] {
                if byte >= rope.len_bytes() {
                    return &[];
                }
                let (chunk, chunk_start, _, _) = rope.chunk_at_byte(byte);
                chunk
                    .as_bytes()
                    .get(byte - chunk_start..)
                    .unwrap_or_default()
            };
            parser.parse_with_options(&mut read, old.as_ref(), None)
        })
        .flatten();
    }
}

/// The point after `text` is inserted at `start`.
fn advance(start: Point, text: &str) -> Point {
    let bytes = text.as_bytes();
    match memchr::memrchr(b'\n', bytes) {
        Some(last) => Point {
            row: start.row + memchr::memchr_iter(b'\n', bytes).count(),
            column: bytes.len() - last - 1,
        },
        None => Point {
            row: start.row,
            column: start.column + bytes.len(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incremental_edit_matches_fresh_parse() {
        let mut doc = Document::new("const a = \"x\";\nfoo(a);\n", Some(Language::JavaScript), 1);
        doc.apply_edit(
            LineCol { line: 1, col: 4 },
            LineCol { line: 1, col: 5 },
            "b, \"😀\"",
            Encoding::Utf16,
        );
        assert_eq!(doc.text(), "const a = \"x\";\nfoo(b, \"😀\");\n");
        let fresh = parse(Language::JavaScript, &doc.text()).map(|t| t.root_node().to_sexp());
        assert_eq!(doc.tree().map(|t| t.root_node().to_sexp()), fresh);
    }

    #[test]
    fn oversized_lines_are_skipped() {
        let long = "x".repeat(MAX_LINE_BYTES + 1);
        let doc = Document::new(&long, Some(Language::Python), 1);
        assert_eq!(doc.skip(), Some(Skip::LongLine));
        assert!(doc.tree().is_none());
        assert_eq!(skip_reason(&long), Some(Skip::LongLine));
    }
}
