//! The engine: facts, rules, severities and suppressions for one file. Both front ends (the
//! language server and the command line) lint through here.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tree_sitter::Tree;

use crate::config::RuleSettings;
use crate::document::{parse, skip_reason, Skip};
use crate::facts::{self, Facts};
use crate::language::Language;
use crate::prefilter;
use crate::rules::{self, Context, Finding};
use crate::suppress;

/// Everything a lint run needs besides the text and tree.
#[derive(Clone, Copy)]
pub struct LintOptions<'a> {
    pub settings: &'a RuleSettings,
    pub path: Option<&'a Path>,
    pub roots: &'a [PathBuf],
}

/// Lints a parsed file. Findings are sorted by position.
pub fn lint_tree(
    language: Language,
    source: &str,
    tree: &Tree,
    options: LintOptions,
) -> (Facts, Vec<Finding>) {
    let facts = facts::build(language, tree, source);
    let findings = lint_facts(language, source, &facts, options);
    (facts, findings)
}

/// The environment variable of the test-only panic trigger.
pub const TEST_PANIC_VAR: &str = "ACS_LINT_TEST_PANIC_ON";

/// TEST ONLY. When `ACS_LINT_TEST_PANIC_ON` holds a marker of at least 16 characters (read
/// once, at the first lint), linting panics on any text containing it, so tests can prove that
/// a panic in one file's lint is contained (logged, the file named, the rest goes on). Unset,
/// as in every normal run, it never fires and costs one check of an empty `Option`.
fn test_panic_marker() -> Option<&'static str> {
    static MARKER: OnceLock<Option<String>> = OnceLock::new();
    MARKER
        .get_or_init(|| {
            std::env::var(TEST_PANIC_VAR)
                .ok()
                .filter(|marker| marker.chars().count() >= 16)
        })
        .as_deref()
}

/// Lints a parsed file whose facts are built chunk by chunk, reusing `cache` (the language
/// server, for large documents). Same result as [`lint_tree`].
pub fn lint_tree_cached(
    language: Language,
    source: &str,
    tree: &Tree,
    options: LintOptions,
    cache: &mut facts::FactsCache,
) -> (Facts, Vec<Finding>) {
    let facts = facts::build_cached(language, tree, source, cache);
    let findings = lint_facts(language, source, &facts, options);
    (facts, findings)
}

/// Runs the enabled rules over facts, then applies severities and suppressions.
pub fn lint_facts(
    language: Language,
    source: &str,
    facts: &Facts,
    options: LintOptions,
) -> Vec<Finding> {
    if let Some(marker) = test_panic_marker() {
        if source.contains(marker) {
            panic!("{TEST_PANIC_VAR}: test-only panic on a text containing the marker");
        }
    }
    let ctx = Context {
        source,
        facts,
        language,
        path: options.path,
        roots: options.roots,
        memo: Default::default(),
    };
    let mut findings = Vec::new();
    for (index, rule) in rules::all().iter().enumerate() {
        // A rule whose needs the text cannot meet finds nothing: it is not run.
        if !options.settings.is_enabled(rule.code())
            || !prefilter::may_meet(index, ctx.memo.lower(source))
        {
            continue;
        }
        let start = findings.len();
        rule.check(&ctx, &mut findings);
        for finding in findings.iter_mut().skip(start) {
            finding.severity = options.settings.severity_of(rule.code(), rule.severity());
            finding.range = clean_range(source, &finding.range);
            // A fix that would cut a character or a CRLF pair is not offered (it can happen
            // around syntax errors); the finding stays.
            if finding
                .fix
                .as_ref()
                .is_some_and(|fix| !fix.edits.iter().all(|e| edit_is_clean(source, e)))
            {
                finding.fix = None;
            }
        }
    }
    let mut findings = suppress::apply(source, facts, findings, options.settings);
    findings.sort_by(|a, b| {
        (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code))
    });
    findings.dedup_by(|a, b| a.code == b.code && a.range == b.range);
    findings
}

/// A finding's range inside the text, on character boundaries and outside CRLF pairs (LSP has
/// no position between `\r` and `\n`). Around syntax errors a node can end there: an
/// unterminated C# string stops before the `\n` of its line.
fn clean_range(source: &str, range: &std::ops::Range<usize>) -> std::ops::Range<usize> {
    let clean = |mut at: usize| {
        at = at.min(source.len());
        while !source.is_char_boundary(at) {
            at -= 1;
        }
        if splits_crlf(source, at) {
            at -= 1;
        }
        at
    };
    let end = clean(range.end);
    clean(range.start).min(end)..end
}

/// True when an edit's ends fall on character boundaries, outside CRLF pairs.
fn edit_is_clean(source: &str, edit: &rules::Edit) -> bool {
    edit.range.start <= edit.range.end
        && source.is_char_boundary(edit.range.start)
        && source.is_char_boundary(edit.range.end)
        && !splits_crlf(source, edit.range.start)
        && !splits_crlf(source, edit.range.end)
}

/// True when byte `at` lies between the `\r` and the `\n` of a CRLF pair.
fn splits_crlf(source: &str, at: usize) -> bool {
    at > 0
        && source.as_bytes().get(at - 1) == Some(&b'\r')
        && source.as_bytes().get(at) == Some(&b'\n')
}

/// Parses and lints a text. Files over the size bounds are skipped.
pub fn lint_source(
    language: Language,
    source: &str,
    options: LintOptions,
) -> Result<Vec<Finding>, Skip> {
    if let Some(skip) = skip_reason(source) {
        return Err(skip);
    }
    let Some(tree) = parse(language, source) else {
        return Ok(Vec::new());
    };
    Ok(lint_tree(language, source, &tree, options).1)
}
