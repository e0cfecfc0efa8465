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
        let parsed = Instant::now();
        let t3 = parsed;
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
        phase[2] += (parsed - t2).as_secs_f64();
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
    use acs_lint::line_index::{Encoding, LineCol, LineIndex};
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
    // As after the server's didOpen: the cache holds the whole file's facts, so the phases
    // below are those of a keystroke, not of a first build.
    if let Some(tree) = doc.tree() {
        let source = doc.text();
        let facts = acs_lint::facts::build_cached(language, tree, &source, &mut cache);
        let generation = cache.generation();
        cache.recycle(facts, generation);
    }
    let n = std::env::var("ACS_BENCH_KEYSTROKES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50u32);
    // As the LSP section types: at spots spread over the file, a new line and a short
    // statement, one character per edit.
    const TYPED: &str = "\nlet k = 42;";
    let per_spot = TYPED.len() as u32;
    let mut at = LineCol { line: 0, col: 0 };
    for i in 0..n {
        let typed = i % per_spot;
        if typed == 0 {
            let line = (37 + (i / per_spot) * 197) % lines.max(1);
            let rope = doc.rope();
            let text = rope.line(line as usize).to_string();
            let col = text.trim_end_matches(['\n', '\r']).encode_utf16().count() as u32;
            at = LineCol { line, col };
        }
        let ch = TYPED.get(typed as usize..typed as usize + 1).unwrap_or("x");
        let t0 = Instant::now();
        doc.apply_edit(at, at, ch, Encoding::Utf16);
        at = if ch == "\n" {
            LineCol {
                line: at.line + 1,
                col: 0,
            }
        } else {
            LineCol {
                line: at.line,
                col: at.col + 1,
            }
        };
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
        // As the server converts a publication's positions: over the text it linted.
        let index = LineIndex::with_text(doc.rope(), &source, Encoding::Utf16);
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

/// `acs-bench rules FILE`: the cost of each rule alone on one file (a profiling aid).
pub fn rules(path: &Path) {
    let Some(language) = Language::from_path(path) else {
        return;
    };
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    let Some(tree) = acs_lint::document::parse(language, &text) else {
        return;
    };
    let facts = acs_lint::facts::build(language, &tree, &text);
    let runs = 50;
    // In the engine's order with one memo per lint, as the engine runs them: a file-wide
    // answer is charged to the first rule that asks for it.
    let all = acs_lint::rules::all();
    let mut times = vec![0.0f64; all.len()];
    let mut found = vec![0usize; all.len()];
    for _ in 0..runs {
        let ctx = acs_lint::rules::Context {
            source: &text,
            facts: &facts,
            language,
            path: Some(path),
            roots: &[],
            memo: Default::default(),
        };
        let lower = ctx.memo.lower(&text).to_string();
        for (index, rule) in all.iter().enumerate() {
            let start = Instant::now();
            if acs_lint::prefilter::may_meet(index, &lower) {
                let mut out = Vec::new();
                rule.check(&ctx, &mut out);
                found[index] = out.len();
            }
            times[index] += start.elapsed().as_secs_f64();
        }
    }
    let mut total = 0.0;
    for (index, rule) in all.iter().enumerate() {
        let ms = times[index] * 1e3 / runs as f64;
        total += ms;
        println!("  {} {ms:7.3} ms  {} findings", rule.code(), found[index]);
    }
    println!("  all    {total:7.3} ms");
    let settings = RuleSettings::default();
    let start = Instant::now();
    for _ in 0..runs {
        let options = LintOptions {
            settings: &settings,
            path: Some(path),
            roots: &[],
        };
        std::hint::black_box(lint_facts(language, &text, &facts, options));
    }
    let ms = start.elapsed().as_secs_f64() * 1e3 / runs as f64;
    println!("  engine {ms:7.3} ms  (lint_facts: gated rules, suppressions, sorting)");
}

/// `acs-bench scan FILE`: the cost of the pre-filter on one file.
pub fn scan(path: &Path) {
    let Ok(text) = std::fs::read(path) else {
        return;
    };
    let runs = 200;
    let start = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(acs_lint::prefilter::may_match(&text));
    }
    let may = start.elapsed().as_secs_f64() * 1e3 / runs as f64;
    println!("  {} KB: may_match {may:.3} ms", text.len() / 1024);
}
