//! The pre-filter loses no finding.
//!
//! `check` never parses a file in which `prefilter::may_match` finds none of the rules' words.
//! That is only sound if a file without those words cannot produce a finding. These tests lint
//! every source file under `tests/fixtures/` and `examples/` (any supported language, found
//! recursively) with every rule, and check:
//!
//! - the findings are the same whether or not the pre-filter is consulted first;
//! - each finding's rule has one of its own `needs()` met by the file (ACS000 needs the
//!   suppression marker), so one rule cannot lean on another's words;
//! - the same file with every pre-filter word defaced (letters replaced, length and syntax kept)
//!   is skipped by the pre-filter and, linted in full anyway, gives no finding at all.
//!
//! Nothing here names a rule: rules added later are covered by the same loops.

mod common;

use std::path::PathBuf;

use acs_lint::config::RuleSettings;
use acs_lint::engine::{lint_source, LintOptions};
use acs_lint::language::Language;
use acs_lint::prefilter;
use acs_lint::rules::{self, Finding, UnusedSuppression};

use acs_lint::prefilter::SUPPRESSION_MARKER;

fn corpus() -> Vec<PathBuf> {
    common::fixture_and_example_files()
}

/// Lints with every rule enabled, as `check` does after the pre-filter.
fn lint_all(language: Language, text: &str) -> Vec<Finding> {
    let settings = RuleSettings::default();
    let options = LintOptions {
        settings: &settings,
        path: None,
        roots: &[],
    };
    lint_source(language, text, options).unwrap_or_default()
}

/// What `check` reports: nothing when the pre-filter rules the file out.
fn lint_prefiltered(language: Language, text: &str) -> Vec<Finding> {
    if prefilter::may_match(text.as_bytes()) {
        lint_all(language, text)
    } else {
        Vec::new()
    }
}

/// The text with every occurrence of every pre-filter word (any case) defaced: its ASCII letters
/// become `q`, so identifiers stay identifiers, strings stay strings and lengths do not change.
fn deface(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..4 {
        let lower = bytes.to_ascii_lowercase();
        for needle in prefilter::words() {
            let mut from = 0;
            while let Some(found) = find(lower.get(from..).unwrap_or_default(), needle.as_bytes()) {
                let start = from + found;
                for byte in bytes.iter_mut().skip(start).take(needle.len()) {
                    if byte.is_ascii_alphabetic() {
                        *byte = b'q';
                    }
                }
                from = start + needle.len().max(1);
            }
        }
        if !prefilter::may_match(&bytes) {
            break;
        }
    }
    // Only ASCII letters were replaced by an ASCII letter, so the text is still UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn describe(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| format!("{} {:?} {}", f.code, f.range, f.message))
        .collect()
}

#[test]
fn the_prefilter_loses_no_fixture_finding() {
    let files = corpus();
    assert!(
        files.len() >= 20,
        "expected the rule fixtures, found {files:?}"
    );
    let mut with_findings = 0;
    for path in &files {
        let Some(language) = Language::from_path(path) else {
            continue;
        };
        let text = std::fs::read_to_string(path).expect("fixture is UTF-8");
        let full = lint_all(language, &text);
        let filtered = lint_prefiltered(language, &text);
        assert_eq!(
            describe(&filtered),
            describe(&full),
            "{}: the pre-filter changed the findings",
            path.display()
        );
        if !full.is_empty() {
            with_findings += 1;
        }
    }
    assert!(
        with_findings >= 10,
        "only {with_findings} fixtures have findings"
    );
}

#[test]
fn every_finding_is_announced_by_its_own_rules_needles() {
    for path in corpus() {
        let Some(language) = Language::from_path(&path) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).expect("fixture is UTF-8");
        for finding in lint_all(language, &text) {
            let met = if finding.code == UnusedSuppression::CODE {
                prefilter::mentions(&text, SUPPRESSION_MARKER)
            } else {
                let rule =
                    rules::rule(finding.code).expect("a finding comes from a registered rule");
                prefilter::rule_may_match(rule.needs(), &text)
            };
            assert!(
                met,
                "{}: {} found `{}` in a file that meets none of its needs",
                path.display(),
                finding.code,
                finding.message
            );
        }
    }
}

#[test]
fn prefilter_words_cover_every_rule() {
    let words = prefilter::words();
    assert!(
        words.len() <= 128,
        "the pre-filter keeps words in a 128-bit set"
    );
    assert!(words.iter().any(|w| w == SUPPRESSION_MARKER));
    for rule in rules::all() {
        assert!(
            rule.needs().iter().any(|need| !need.words.is_empty()),
            "{} declares no needs, so the pre-filter could never let a file through for it",
            rule.code()
        );
        for need in rule.needs() {
            for word in need.words.iter().chain(need.with) {
                let lower = word.to_ascii_lowercase();
                assert!(words.contains(&lower), "{}: {word}", rule.code());
            }
        }
    }
}

#[test]
fn fixtures_without_the_prefilter_words_have_no_finding() {
    let mut defaced_with_code = 0;
    for path in corpus() {
        let Some(language) = Language::from_path(&path) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).expect("fixture is UTF-8");
        let defaced = deface(&text);
        assert_eq!(defaced.len(), text.len());
        assert!(
            !prefilter::may_match(defaced.as_bytes()),
            "{}: still matches after defacing",
            path.display()
        );
        let full = lint_all(language, &defaced);
        assert_eq!(
            describe(&full),
            Vec::<String>::new(),
            "{}: findings in a file the pre-filter skips\n{defaced}",
            path.display()
        );
        if !lint_all(language, &text).is_empty() {
            defaced_with_code += 1;
        }
    }
    assert!(defaced_with_code >= 10);
}
