//! Property test: random incremental edits give the same text, tree and findings as a fresh
//! open of the final text.

use acs_lint::config::RuleSettings;
use acs_lint::document::{parse, skip_reason, Document, MAX_LINE_BYTES};
use acs_lint::engine::{lint_source, lint_tree, LintOptions};
use acs_lint::language::Language;
use acs_lint::line_index::{Encoding, LineCol};
use proptest::prelude::*;

const START: &str =
    "import { CallAutomationClient } from \"@azure/communication-call-automation\";\n\
const host = \"http://contoso.example\"; // café 😀\n\
await client.createCall({ phoneNumber: \"425 555 0100\" }, `${host}/api/callbacks`);\n\
if (result.resultInformation.code === 8523) { log(\"é\"); }\n";

const PIECES: &[&str] = &[
    "a",
    "é",
    "😀",
    "\n",
    "\r\n",
    " ",
    "\"",
    "`",
    "${",
    "}",
    "(",
    ")",
    "http://",
    "https://",
    "createCall(t, \"http://x.example\")",
    "+1425",
    "// acs-lint: ignore\n",
    "𝄞",
    "\t",
];

/// The LSP position (line, column in `encoding`) of a byte offset, computed independently of
/// the crate's line index.
fn position(text: &str, offset: usize, encoding: Encoding) -> LineCol {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() as u32;
    let segment = &text[line_start..offset];
    let col = match encoding {
        Encoding::Utf8 => segment.len(),
        Encoding::Utf16 => segment.encode_utf16().count(),
        Encoding::Utf32 => segment.chars().count(),
    } as u32;
    LineCol { line, col }
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn findings(
    language: Language,
    text: &str,
    tree: &tree_sitter::Tree,
) -> Vec<(String, std::ops::Range<usize>, String)> {
    let settings = RuleSettings::default();
    let options = LintOptions {
        settings: &settings,
        path: None,
        roots: &[],
    };
    lint_tree(language, text, tree, options)
        .1
        .into_iter()
        .map(|f| (f.code.to_string(), f.range, f.message))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]
    #[test]
    fn incremental_edits_match_a_fresh_parse(
        edits in prop::collection::vec((0usize..400, 0usize..12, prop::collection::vec(0usize..PIECES.len(), 0..4), any::<bool>()), 1..12)
    ) {
        for encoding in [Encoding::Utf16, Encoding::Utf8] {
            let language = Language::TypeScript;
            let mut doc = Document::new(START, Some(language), 1);
            let mut model = START.to_string();
            let mut cache = acs_lint::facts::FactsCache::default();
            for (at, len, pieces, lone_cr) in &edits {
                let start = floor_boundary(&model, *at);
                let end = floor_boundary(&model, start + len);
                let mut insert: String = pieces.iter().map(|&i| PIECES[i]).collect();
                if *lone_cr { insert = insert.replace("\r\n", "\n"); }
                // Do not split a CRLF pair: LSP has no position between \r and \n.
                if model[..start].ends_with('\r') && model[start..].starts_with('\n') { continue; }
                if model[..end].ends_with('\r') && model[end..].starts_with('\n') { continue; }
                let from = position(&model, start, encoding);
                let to = position(&model, end, encoding);
                model.replace_range(start..end, &insert);
                doc.apply_edit(from, to, &insert, encoding);
                prop_assert_eq!(doc.text(), model.clone());
                // Facts built chunk by chunk, reusing the previous version's chunks, are
                // the facts of a whole build.
                if let Some(tree) = doc.tree() {
                    let cached = acs_lint::facts::build_cached(language, tree, &model, &mut cache);
                    let whole = acs_lint::facts::build(language, tree, &model);
                    prop_assert_eq!(format!("{:?}", cached.exprs), format!("{:?}", whole.exprs));
                    prop_assert_eq!(format!("{:?}", cached.calls), format!("{:?}", whole.calls));
                    prop_assert_eq!(format!("{:?}", cached.bindings), format!("{:?}", whole.bindings));
                    prop_assert_eq!(format!("{:?}", cached.comments), format!("{:?}", whole.comments));
                    let generation = cache.generation();
                    cache.recycle(cached, generation);
                }
            }
            let fresh = parse(language, &model).expect("parse");
            let tree = doc.tree().expect("tree");
            prop_assert_eq!(tree.root_node().to_sexp(), fresh.root_node().to_sexp());
            prop_assert_eq!(tree.root_node().byte_range(), fresh.root_node().byte_range());
            prop_assert_eq!(findings(language, &model, tree), findings(language, &model, &fresh));
            let settings = RuleSettings::default();
            let options = LintOptions { settings: &settings, path: None, roots: &[] };
            let direct: Vec<_> = lint_source(language, &model, options).expect("lint").into_iter().map(|f| (f.code.to_string(), f.range, f.message)).collect();
            prop_assert_eq!(findings(language, &model, tree), direct);
        }
    }
}

/// Pieces for edits around the line-length bound.
const LINE_PIECES: &[&str] = &["y", "yy", "\n", "\r\n", "\r", "é", "\n\n", ""];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]
    /// A document re-measures only the lines an edit touches; its verdict on the size bounds
    /// must match a check of the whole final text after every edit.
    #[test]
    fn long_line_bound_follows_incremental_edits(
        lengths in prop::collection::vec(MAX_LINE_BYTES - 3..MAX_LINE_BYTES + 3, 1..4),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..4, prop::collection::vec(0usize..LINE_PIECES.len(), 0..3)), 1..10)
    ) {
        let mut model: String = lengths.iter().map(|n| "y".repeat(*n) + "\n").collect();
        let mut doc = Document::new(&model, Some(Language::Python), 1);
        prop_assert_eq!(doc.skip(), skip_reason(&model));
        for (at, len, pieces) in &edits {
            let start = floor_boundary(&model, at.index(model.len() + 1));
            let end = floor_boundary(&model, start + len);
            let insert: String = pieces.iter().map(|&i| LINE_PIECES[i]).collect();
            model.replace_range(start..end, &insert);
            doc.replace_bytes(start, end, &insert);
            prop_assert_eq!(doc.skip(), skip_reason(&model));
        }
        prop_assert_eq!(doc.text(), model);
    }
}
