//! `acs-bench phases DIR`: where `check`'s time goes, one thread, phase by phase (a profiling
//! aid, not part of the report).

use std::path::{Path, PathBuf};
use std::time::Instant;

use acs_lint::config::RuleSettings;
use acs_lint::engine::{lint_facts, LintOptions};
use acs_lint::language::Language;

fn list(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            list(&path, out);
        } else if Language::from_path(&path).is_some() {
            out.push(path);
        }
    }
}

pub fn run(dir: &Path) {
    let mut files = Vec::new();
    list(dir, &mut files);
    files.sort();
    let start = Instant::now();
    for language in acs_lint::language::LANGUAGES {
        let tree = acs_lint::document::parse(language.language, "x");
        if let Some(tree) = tree {
            std::hint::black_box(acs_lint::facts::build(language.language, &tree, "x"));
        }
    }
    let warm = start.elapsed();
    let mut phase = [0.0f64; 6];
    let names = ["read", "prefilter", "parse", "facts", "rules", "positions"];
    let mut passed = 0;
    let mut walk = 0.0;
    let mut matching = 0.0;
    let mut nodes = 0usize;
    let settings = RuleSettings::default();
    for path in &files {
        let Some(language) = Language::from_path(path) else {
            continue;
        };
        let t = Instant::now();
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let t1 = Instant::now();
        let pass = acs_lint::prefilter::may_match(&bytes);
        let t2 = Instant::now();
        phase[0] += (t1 - t).as_secs_f64();
        phase[1] += (t2 - t1).as_secs_f64();
        if !pass {
            continue;
        }
        passed += 1;
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let Some(tree) = acs_lint::document::parse(language, text) else {
            continue;
        };
        let t3 = Instant::now();
        {
            let mut cursor = tree.walk();
            let mut n = 0usize;
            'walk: loop {
                n += 1;
                if cursor.goto_first_child() {
                    continue;
                }
                loop {
                    if cursor.goto_next_sibling() {
                        break;
                    }
                    if !cursor.goto_parent() {
                        break 'walk;
                    }
                }
            }
            std::hint::black_box(n);
            nodes += n;
        }
        walk += t3.elapsed().as_secs_f64();
        let t3 = Instant::now();
        std::hint::black_box(acs_lint::facts::count_matches(language, &tree, text));
        matching += t3.elapsed().as_secs_f64();
        let t3 = Instant::now();
        let facts = acs_lint::facts::build(language, &tree, text);
        let t4 = Instant::now();
        let options = LintOptions {
            settings: &settings,
            path: Some(path),
            roots: &[],
        };
        let findings = lint_facts(language, text, &facts, options);
        let t5 = Instant::now();
        let rope = ropey::Rope::from_str(text);
        let index =
            acs_lint::line_index::LineIndex::new(&rope, acs_lint::line_index::Encoding::Utf32);
        for finding in &findings {
            std::hint::black_box(index.position(finding.range.start));
        }
        let t6 = Instant::now();
        phase[2] += (t3 - t2).as_secs_f64();
        phase[3] += (t4 - t3).as_secs_f64();
        phase[4] += (t5 - t4).as_secs_f64();
        phase[5] += (t6 - t5).as_secs_f64();
    }
    println!(
        "{} files, {passed} past the pre-filter; query compile + first use {:.1} ms",
        files.len(),
        warm.as_secs_f64() * 1e3
    );
    println!(
        "  (a bare walk of every node: {:.1} ms, {nodes} nodes)",
        walk * 1e3
    );
    println!("  (matching alone: {:.1} ms)", matching * 1e3);
    for (name, secs) in names.iter().zip(phase) {
        println!("  {name:<10} {:8.1} ms", secs * 1e3);
    }
}

/// `acs-bench patterns DIR`: the cost of each facts-query pattern alone, per language.
pub fn patterns(dir: &Path) {
    use tree_sitter::{Query, QueryCursor, StreamingIterator};
    let mut files = Vec::new();
    list(dir, &mut files);
    files.sort();
    for spec in acs_lint::language::LANGUAGES {
        let texts: Vec<String> = files
            .iter()
            .filter(|p| Language::from_path(p) == Some(spec.language))
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect();
        if texts.is_empty() {
            continue;
        }
        let trees: Vec<_> = texts
            .iter()
            .filter_map(|t| acs_lint::document::parse(spec.language, t))
            .collect();
        let grammar = spec.language.grammar();
        let Ok(full) = Query::new(&grammar, spec.facts_query) else {
            continue;
        };
        let time = |query: &Query| {
            let start = Instant::now();
            let mut n = 0;
            let mut cursor = QueryCursor::new();
            for (tree, text) in trees.iter().zip(&texts) {
                let mut matches = cursor.matches(query, tree.root_node(), text.as_bytes());
                while let Some(m) = matches.next() {
                    n += m.captures().len();
                }
            }
            (start.elapsed().as_secs_f64() * 1e3, n)
        };
        let parse_start = Instant::now();
        for text in &texts {
            std::hint::black_box(acs_lint::document::parse(spec.language, text));
        }
        let parse_ms = parse_start.elapsed().as_secs_f64() * 1e3;
        let build_start = Instant::now();
        for (tree, text) in trees.iter().zip(&texts) {
            std::hint::black_box(acs_lint::facts::build(spec.language, tree, text));
        }
        let build_ms = build_start.elapsed().as_secs_f64() * 1e3;
        let (all_ms, all_n) = time(&full);
        println!(
            "{}: {} files, parse {parse_ms:.1} ms, facts::build {build_ms:.1} ms, query alone {all_ms:.1} ms ({all_n} captures)",
            spec.name,
            texts.len()
        );
        for index in 0..full.pattern_count() {
            let Ok(mut query) = Query::new(&grammar, spec.facts_query) else {
                continue;
            };
            for other in 0..query.pattern_count() {
                if other != index {
                    query.disable_pattern(other);
                }
            }
            let (ms, n) = time(&query);
            let start = full.start_byte_for_pattern(index);
            let end = full.end_byte_for_pattern(index);
            let source = spec
                .facts_query
                .get(start..end)
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let source: String = source.chars().take(90).collect();
            println!("  {ms:7.1} ms {n:8}  {source}");
        }
    }
}

/// `acs-bench keystroke FILE`: the phases of one keystroke in the server, averaged over 50
/// single-character edits (a profiling aid).
pub fn keystroke(path: &Path) {
    use acs_lint::document::Document;
    use acs_lint::line_index::{Encoding, LineCol};
    let Some(language) = Language::from_path(path) else {
        return;
    };
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    let mut doc = Document::new(&text, Some(language), 1);
    let lines = text.lines().count() as u32;
    let settings = RuleSettings::default();
    let mut phase = [0.0f64; 5];
    let names = [
        "edit+reparse",
        "to_string",
        "facts (cached)",
        "rules",
        "positions",
    ];
    let mut cache = acs_lint::facts::FactsCache::default();
    let n = 50;
    for i in 0..n {
        let line = (37 + i * 197) % lines.max(1);
        let t0 = Instant::now();
        doc.apply_edit(
            LineCol { line, col: 0 },
            LineCol { line, col: 0 },
            "x",
            Encoding::Utf16,
        );
        let t1 = Instant::now();
        let source = doc.text();
        let t2 = Instant::now();
        let Some(tree) = doc.tree() else {
            continue;
        };
        let facts = acs_lint::facts::build_cached(language, tree, &source, &mut cache);
        let t3 = Instant::now();
        let options = LintOptions {
            settings: &settings,
            path: Some(path),
            roots: &[],
        };
        let findings = lint_facts(language, &source, &facts, options);
        let t4 = Instant::now();
        let index = doc.line_index(Encoding::Utf16);
        for finding in &findings {
            std::hint::black_box(index.position(finding.range.start));
            std::hint::black_box(index.position(finding.range.end));
        }
        let t5 = Instant::now();
        // As the server does: the facts go back to the cache for the next keystroke.
        let generation = cache.generation();
        cache.recycle(facts, generation);
        for (slot, (a, b)) in
            phase
                .iter_mut()
                .zip([(t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5)])
        {
            *slot += (b - a).as_secs_f64();
        }
    }
    for (name, secs) in names.iter().zip(phase) {
        println!(
            "  {name:<14} {:7.3} ms per keystroke",
            secs * 1e3 / n as f64
        );
    }
}
