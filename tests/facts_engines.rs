//! The facts matcher (one walk, `server/facts/matcher.rs`) gives exactly the facts that
//! tree-sitter's query cursor gives for the same `grammars/*/facts.scm`, on every fixture and
//! sample file, and supports every language's patterns (no silent fallback).

use std::path::{Path, PathBuf};

use acs_lint::facts::{build, build_with_query, matcher_unsupported, Facts};
use acs_lint::language::{Language, LANGUAGES};

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            source_files(&path, out);
        } else if Language::from_path(&path).is_some() {
            out.push(path);
        }
    }
}

/// Everything in the facts but the binding index (a hash map, printed in random order).
fn shown(facts: &Facts) -> Vec<String> {
    vec![
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
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    source_files(&root.join("tests/fixtures"), &mut files);
    source_files(&root.join("examples"), &mut files);
    if let Ok(extra) = std::env::var("FACTS_ENGINES_EXTRA") {
        source_files(Path::new(&extra), &mut files);
    }
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
