//! The facts matcher (one walk, `server/facts/matcher.rs`) gives exactly the facts that
//! tree-sitter's query cursor gives for the same `grammars/*/facts.scm`, on every fixture and
//! sample file, and supports every language's patterns (no silent fallback).

mod common;

use std::path::{Path, PathBuf};

use acs_lint::facts::{
    build, build_cached, build_with_query, matcher_unsupported, Facts, FactsCache,
};
use acs_lint::language::{Language, LANGUAGES};

/// The fixtures and examples, plus the files under `$FACTS_ENGINES_EXTRA` when it is set.
fn files() -> Vec<PathBuf> {
    let mut files = common::fixture_and_example_files();
    if let Ok(extra) = std::env::var("FACTS_ENGINES_EXTRA") {
        common::source_files(Path::new(&extra), &mut files);
    }
    files
}

/// Everything in the facts; the binding index (a hash map) through the lookups it serves.
fn shown(facts: &Facts) -> Vec<String> {
    let lookups: Vec<String> = facts
        .bindings
        .iter()
        .map(|b| {
            format!(
                "{:?}",
                facts
                    .binding_for(&b.name, b.range.end + 1)
                    .map(|f| &f.range)
            )
        })
        .collect();
    vec![
        lookups.join("\n"),
        format!("{:#?}", facts.exprs),
        format!("{:#?}", facts.calls),
        format!("{:#?}", facts.assigns),
        format!("{:#?}", facts.bindings),
        format!("{:#?}", facts.compares),
        format!("{:#?}", facts.comments),
        format!("{:#?}", facts.functions),
        format!("{:#?}", facts.imports),
        format!("{:?}", facts.strings),
        format!("{:?}", facts.numbers),
        format!("{:?}", facts.statements),
    ]
}

#[test]
fn the_matcher_supports_every_languages_patterns() {
    for spec in LANGUAGES {
        assert_eq!(matcher_unsupported(spec.language), None, "{}", spec.name);
    }
}

#[test]
fn the_matcher_and_the_query_cursor_give_the_same_facts() {
    let files = files();
    assert!(files.len() >= 20);
    for path in files {
        let language = Language::from_path(&path).expect("supported");
        let text = std::fs::read_to_string(&path).expect("UTF-8");
        let tree = acs_lint::document::parse(language, &text).expect("parsed");
        let fast = shown(&build(language, &tree, &text));
        let reference = shown(&build_with_query(language, &tree, &text));
        for (a, b) in fast.iter().zip(&reference) {
            assert!(
                a == b,
                "{}: facts differ\nmatcher:\n{a}\nquery:\n{b}",
                path.display()
            );
        }
    }
}

/// The language server builds facts chunk by chunk and reuses unchanged chunks after an edit;
/// the result must be the facts of a fresh build, before and after edits.
#[test]
fn facts_built_by_chunks_equal_a_whole_build_across_edits() {
    let files = files();
    for path in files {
        let language = Language::from_path(&path).expect("supported");
        let text = std::fs::read_to_string(&path).expect("UTF-8");
        let mut doc = acs_lint::document::Document::new(&text, Some(language), 1);
        let mut cache = FactsCache::default();
        // Edits spread over the file: insert a statement-like line, then a character, then
        // remove it again; each time compare with a whole build of the current text.
        let len = text.len();
        let spots = [len / 5, len / 2, len * 4 / 5, len / 3];
        for (step, spot) in spots.iter().enumerate() {
            let current = doc.text();
            let at = (0..=*spot.min(&current.len()))
                .rev()
                .find(|i| current.is_char_boundary(*i) && current[..*i].ends_with('\n'))
                .unwrap_or(0);
            let insert = if step % 2 == 0 { "x = 1\n" } else { "\n" };
            doc.replace_bytes(at, at, insert);
            let source = doc.text();
            let tree = doc.tree().expect("tree");
            let built = build_cached(language, tree, &source, &mut cache);
            let cached = shown(&built);
            // Handed back, so that the next build starts from this one's unchanged prefix.
            let generation = cache.generation();
            cache.recycle(built, generation);
            let whole = shown(&build(language, tree, &source));
            for (a, b) in cached.iter().zip(&whole) {
                assert!(
                    a == b,
                    "{} step {step}: chunked facts differ\nchunked:\n{a}\nwhole:\n{b}",
                    path.display()
                );
            }
        }
    }
}
