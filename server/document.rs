//! A text document: a rope and, for known languages, a tree-sitter tree kept in step with it.
//!
//! Edits are applied to the rope, described to the old tree with `Tree::edit`, and the tree is
//! re-parsed with the old tree so tree-sitter reuses what did not change.
//!
//! A document opened with [`Document::with_tree_when`] is *dormant* while its text fails the
//! given test (the language server passes the pre-filter: the text cannot produce a finding).
//! A dormant document keeps only its rope: a syntax tree costs about 29 bytes per byte of text.
//! The first text that passes, or a feature that needs the tree ([`Document::wake`]), parses it,
//! and it keeps its tree from then on.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use ropey::Rope;
use tree_sitter::{InputEdit, Parser, Point, Tree};

use crate::facts::FactsCache;
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
    bounds(text.len(), long_lines([text.as_bytes()]))
}

/// The size bounds, given a text's length and how many of its lines are too long. The one
/// place that decides; `skip_reason` and `Document` both come here.
fn bounds(len: usize, long_lines: usize) -> Option<Skip> {
    if len > MAX_FILE_BYTES {
        Some(Skip::TooLarge)
    } else if long_lines > 0 {
        Some(Skip::LongLine)
    } else {
        None
    }
}

/// Counts the lines longer than [`MAX_LINE_BYTES`] in a text given as consecutive chunks.
/// Lines are split at `\n` (the newline is not counted, a `\r` before it is), as tree-sitter
/// counts rows.
fn long_lines<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> usize {
    let mut long = 0;
    let mut current = 0;
    for chunk in chunks {
        let mut start = 0;
        for newline in memchr::memchr_iter(b'\n', chunk) {
            if current + (newline - start) > MAX_LINE_BYTES {
                long += 1;
            }
            current = 0;
            start = newline + 1;
        }
        current += chunk.len() - start;
    }
    if current > MAX_LINE_BYTES {
        long += 1;
    }
    long
}

/// An open document.
pub struct Document {
    pub language: Option<Language>,
    pub version: i32,
    rope: Rope,
    tree: Option<Tree>,
    skip: Option<Skip>,
    /// How many lines are longer than [`MAX_LINE_BYTES`]; kept up to date by each edit, which
    /// re-measures only the lines it touches.
    long_lines: usize,
    /// Facts of this document's chunks, reused across edits by the language server.
    facts_cache: Arc<Mutex<FactsCache>>,
    /// Set while the document is dormant: the tree is built only once the text passes this
    /// test (or `wake` is called), then it is cleared for good.
    needs_tree: Option<fn(&[u8]) -> bool>,
}

impl Document {
    /// A document that is parsed at once and after every edit.
    pub fn new(text: &str, language: Option<Language>, version: i32) -> Self {
        Document::build(text, language, version, None)
    }

    /// A document that stays dormant, without a tree, until its text passes `needs_tree` or
    /// [`Document::wake`] is called.
    pub fn with_tree_when(
        text: &str,
        language: Option<Language>,
        version: i32,
        needs_tree: fn(&[u8]) -> bool,
    ) -> Self {
        Document::build(text, language, version, Some(needs_tree))
    }

    fn build(
        text: &str,
        language: Option<Language>,
        version: i32,
        needs_tree: Option<fn(&[u8]) -> bool>,
    ) -> Self {
        let mut doc = Document {
            language,
            version,
            rope: Rope::from_str(text),
            tree: None,
            skip: None,
            long_lines: 0,
            facts_cache: Arc::default(),
            needs_tree,
        };
        doc.long_lines = doc.long_lines_in(0, doc.rope.len_bytes());
        doc.reparse(false);
        doc
    }

    /// True while the document keeps no tree because its text has not needed one.
    pub fn is_dormant(&self) -> bool {
        self.needs_tree.is_some()
    }

    /// Parses a dormant document (for a feature that needs its tree); it stays parsed.
    pub fn wake(&mut self) {
        if self.needs_tree.take().is_some() {
            self.reparse(false);
        }
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    pub fn tree(&self) -> Option<&Tree> {
        self.tree.as_ref()
    }

    /// The facts of this document's chunks from its last lint (see [`crate::facts::build_cached`]).
    pub fn facts_cache(&self) -> Arc<Mutex<FactsCache>> {
        self.facts_cache.clone()
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
        self.long_lines = self.long_lines_in(0, self.rope.len_bytes());
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
        // The lines the edit touches, before and after it: only they can change length.
        let line_start = self.line_start(start);
        let old_long = self.long_lines_in(line_start, self.line_end(end));
        let start_char = self.rope.byte_to_char(start);
        let end_char = self.rope.byte_to_char(end);
        self.rope.remove(start_char..end_char);
        self.rope.insert(start_char, new_text);
        let new_end_byte = start + new_text.len();
        let new_long = self.long_lines_in(line_start, self.line_end(new_end_byte));
        self.long_lines = (self.long_lines + new_long).saturating_sub(old_long);
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

    /// The start of the line holding `offset`: just after the last `\n` before it.
    fn line_start(&self, offset: usize) -> usize {
        let Some(before) = self
            .rope
            .get_byte_slice(..offset.min(self.rope.len_bytes()))
        else {
            return 0;
        };
        let mut chunk_end = before.len_bytes();
        for chunk in before.chunks_at_byte(chunk_end).0.reversed() {
            chunk_end -= chunk.len();
            if let Some(pos) = memchr::memrchr(b'\n', chunk.as_bytes()) {
                return chunk_end + pos + 1;
            }
        }
        0
    }

    /// The end of the line holding `offset`: the first `\n` at or after it, or the text's end.
    fn line_end(&self, offset: usize) -> usize {
        let len = self.rope.len_bytes();
        let Some(after) = self.rope.get_byte_slice(offset.min(len)..) else {
            return len;
        };
        let mut chunk_start = offset.min(len);
        for chunk in after.chunks() {
            if let Some(pos) = memchr::memchr(b'\n', chunk.as_bytes()) {
                return chunk_start + pos;
            }
            chunk_start += chunk.len();
        }
        len
    }

    /// The number of long lines in bytes `start..end` (whole lines).
    fn long_lines_in(&self, start: usize, end: usize) -> usize {
        let end = end.min(self.rope.len_bytes());
        let start = start.min(end);
        match self.rope.get_byte_slice(start..end) {
            Some(lines) => long_lines(lines.chunks().map(str::as_bytes)),
            None => 0,
        }
    }

    fn reparse(&mut self, incremental: bool) {
        let Some(language) = self.language else {
            self.tree = None;
            return;
        };
        let skip = bounds(self.rope.len_bytes(), self.long_lines);
        self.skip = skip;
        if skip.is_some() {
            self.tree = None;
            return;
        }
        if let Some(needs_tree) = self.needs_tree {
            if !needs_tree(std::borrow::Cow::<str>::from(&self.rope).as_bytes()) {
                self.tree = None;
                return;
            }
            self.needs_tree = None;
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

    fn sexp(doc: &Document) -> Option<String> {
        doc.tree().map(|t| t.root_node().to_sexp())
    }

    fn fresh(doc: &Document) -> Option<String> {
        doc.language
            .and_then(|language| parse(language, &doc.text()))
            .map(|t| t.root_node().to_sexp())
    }

    #[test]
    fn a_dormant_document_is_parsed_once_its_text_needs_a_tree_and_stays_parsed() {
        let needs = |text: &[u8]| text.windows(4).any(|w| w == b"ACS!");
        let mut doc = Document::with_tree_when("a = 1\n", Some(Language::Python), 1, needs);
        assert!(doc.is_dormant());
        assert!(doc.tree().is_none());
        assert_eq!(doc.skip(), None);
        // Edits keep the text right without a tree.
        doc.replace_bytes(4, 5, "\"ACS\"");
        assert_eq!(doc.text(), "a = \"ACS\"\n");
        assert!(doc.is_dormant());
        // The word is completed by an edit next to it: parsed whole.
        doc.replace_bytes(8, 8, "!");
        assert!(!doc.is_dormant());
        assert_eq!(sexp(&doc), fresh(&doc));
        assert!(sexp(&doc).is_some());
        // It stays parsed, incrementally, when the text no longer passes.
        doc.replace_bytes(4, 10, "f(2)");
        assert_eq!(doc.text(), "a = f(2)\n");
        assert!(!doc.is_dormant());
        assert_eq!(sexp(&doc), fresh(&doc));
        // A replaced text that passes is parsed too.
        let mut doc = Document::with_tree_when("x\n", Some(Language::Python), 1, needs);
        doc.set_text("x = 'ACS!'\n");
        assert_eq!(sexp(&doc), fresh(&doc));
        assert!(sexp(&doc).is_some());
    }

    #[test]
    fn waking_a_dormant_document_parses_it() {
        let never = |_: &[u8]| false;
        let mut doc = Document::with_tree_when("foo(1);\n", Some(Language::JavaScript), 1, never);
        assert!(doc.tree().is_none());
        doc.wake();
        assert!(!doc.is_dormant());
        assert_eq!(sexp(&doc), fresh(&doc));
        doc.replace_bytes(4, 5, "22");
        assert_eq!(sexp(&doc), fresh(&doc));
        // Size limits still win over waking, and a woken document stays parsed after them.
        let long = "x".repeat(MAX_LINE_BYTES + 1);
        let mut doc = Document::with_tree_when(&long, Some(Language::Python), 1, never);
        doc.wake();
        assert_eq!(doc.skip(), Some(Skip::LongLine));
        assert!(doc.tree().is_none());
        doc.set_text("y = 2\n");
        assert_eq!(doc.skip(), None);
        assert_eq!(sexp(&doc), fresh(&doc));
        // Unknown languages have nothing to parse.
        let mut doc = Document::with_tree_when("text", None, 1, never);
        doc.wake();
        assert!(doc.tree().is_none());
    }

    #[test]
    fn oversized_lines_are_skipped() {
        let long = "x".repeat(MAX_LINE_BYTES + 1);
        let doc = Document::new(&long, Some(Language::Python), 1);
        assert_eq!(doc.skip(), Some(Skip::LongLine));
        assert!(doc.tree().is_none());
        assert_eq!(skip_reason(&long), Some(Skip::LongLine));
    }

    /// Each edit re-measures only the lines it touches; the result must always agree with a
    /// check of the whole text.
    #[test]
    fn long_line_state_follows_edits() {
        let long = "y".repeat(MAX_LINE_BYTES);
        let text = format!("a\n{long}\nb\r\nc\n");
        let mut doc = Document::new(&text, Some(Language::Python), 1);
        assert_eq!(doc.skip(), None);
        let at = |doc: &Document, needle: &str| doc.text().find(needle).unwrap_or(0);
        // One more byte on the longest line makes it too long.
        let pos = at(&doc, "y");
        doc.replace_bytes(pos, pos, "z");
        assert_eq!(doc.skip(), Some(Skip::LongLine));
        assert!(doc.tree().is_none());
        // Splitting it heals it; joining it back breaks it again.
        let pos = at(&doc, "y") + 10;
        doc.replace_bytes(pos, pos, "\n");
        assert_eq!(doc.skip(), None);
        assert!(doc.tree().is_some());
        doc.replace_bytes(pos, pos + 1, "");
        assert_eq!(doc.skip(), Some(Skip::LongLine));
        // Deleting across the line break before it joins "a" to it: still too long.
        let pos = at(&doc, "\nz");
        doc.replace_bytes(pos, pos + 1, "");
        assert_eq!(doc.skip(), Some(Skip::LongLine));
        // Removing the whole long line leaves the rest fine.
        let end = at(&doc, "\nb");
        doc.replace_bytes(0, end + 1, "");
        assert_eq!(doc.text(), "b\r\nc\n");
        assert_eq!(doc.skip(), None);
        // A paste that adds two long lines, then removing one of them.
        let two = format!("{long}x\n{long}x\n");
        doc.replace_bytes(0, 0, &two);
        assert_eq!(doc.skip(), Some(Skip::LongLine));
        doc.replace_bytes(0, MAX_LINE_BYTES + 2, "");
        assert_eq!(doc.skip(), Some(Skip::LongLine));
        doc.replace_bytes(0, 1, "");
        assert_eq!(doc.skip(), None);
        assert_eq!(doc.skip(), skip_reason(&doc.text()));
        doc.set_text(&format!("{long}{long}"));
        assert_eq!(doc.skip(), Some(Skip::LongLine));
    }

    #[test]
    fn a_line_of_exactly_the_limit_is_linted() {
        let exact = "q".repeat(MAX_LINE_BYTES);
        for text in [exact.clone(), format!("{exact}\n"), format!("x\n{exact}")] {
            assert_eq!(skip_reason(&text), None);
            assert_eq!(Document::new(&text, Some(Language::Python), 1).skip(), None);
        }
        // The `\r` of a CRLF counts towards the line, as tree-sitter sees it.
        let crlf = format!("{exact}\r\n");
        assert_eq!(skip_reason(&crlf), Some(Skip::LongLine));
        assert_eq!(
            Document::new(&crlf, Some(Language::Python), 1).skip(),
            Some(Skip::LongLine)
        );
    }
}
