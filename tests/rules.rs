//! Fixture-driven rule tests.
//!
//! Every file under `tests/fixtures/rules/<language>/` is linted through the library API and its
//! findings are compared with the annotations written in the file:
//!
//! - `expect: ACS001` in a comment marks a line where a finding of that code must START (several
//!   codes comma-separated; a code repeated means several findings on the line). A code may be
//!   followed by `fix` (the finding has a fix), `fix=TEXT` (its fix writes exactly `TEXT`) or
//!   `nofix` (it has none); without it the fix is not checked.
//! - `ok: ACS001` marks a deliberate negative case (a line that must stay silent). It is counted
//!   for the coverage table; silence itself is checked for the whole file.
//!
//! The rules under test in a file are the `acsNNN` parts of its name (`acs001_positive.cs` tests
//! ACS001, `acs001_acs008_positive.tsx` tests both); findings of other codes are ignored, so new
//! rules do not disturb these fixtures. `*_positive*` files must have at least five expected
//! findings per rule; `*_negative*` files must have none.
//!
//! Fixes: every fix is applied alone and then all together; the file is linted again and the
//! fixed finding must be gone with nothing new appearing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use acs_lint::config::RuleSettings;
use acs_lint::engine::{lint_source, LintOptions};
use acs_lint::fix::apply_fixes;
use acs_lint::language::Language;
use acs_lint::rules::Finding;

/// The language directories that must each hold fixtures for every rule under test.
const LANGUAGE_DIRS: &[&str] = &["csharp", "python", "javascript", "typescript", "java"];
/// The rules this suite covers, with the language directories where their API exists.
const ALL: &[&str] = LANGUAGE_DIRS;
const JS_TS: &[&str] = &["javascript", "typescript"];
const RULES: &[(&str, &[&str])] = &[
    ("ACS001", ALL),
    ("ACS002", ALL),
    ("ACS003", ALL),
    ("ACS004", ALL),
    ("ACS005", ALL),
    ("ACS006", ALL),
    ("ACS007", ALL),
    ("ACS008", ALL),
    ("ACS009", JS_TS),
    ("ACS010", ALL),
    ("ACS011", ALL),
    ("ACS012", JS_TS),
    ("ACS013", ALL),
];
/// Files in the fixture trees that are not source code (media the rules read).
const ASSET_EXTENSIONS: &[&str] = &["wav", "mp3", "md", "toml"];
/// A positive fixture must exercise at least this many findings of its rule.
const MIN_POSITIVE_FINDINGS: usize = 5;

/// ACS013 reports once per file, so its positive files each hold one finding (and its other
/// shapes live in edge-case files).
fn min_positive_findings(code: &str) -> usize {
    if code == "ACS013" {
        1
    } else {
        MIN_POSITIVE_FINDINGS
    }
}

// -------------------------------------------------------------------------------------------------
// Fixtures and annotations
// -------------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Positive,
    Negative,
    Other,
    /// A file of a realistic sample app under `tests/fixtures/apps`.
    App,
}

/// What an annotation says about a finding's fix.
#[derive(Clone, Debug, PartialEq, Eq)]
enum FixSpec {
    /// Not checked.
    Any,
    /// The finding has a fix.
    Some,
    /// The finding has a fix whose edits write exactly this text.
    Content(String),
    /// The finding has no fix.
    None,
}

#[derive(Clone, Debug)]
struct Expectation {
    line: usize,
    code: String,
    fix: FixSpec,
}

struct Fixture {
    path: PathBuf,
    /// Path relative to `tests/fixtures/rules`, with `/` separators.
    name: String,
    /// The language directory (first path component).
    language_dir: String,
    language: Language,
    /// Rule codes under test (from the file name), upper case.
    codes: Vec<String>,
    kind: Kind,
    text: String,
    expected: Vec<Expectation>,
    /// `ok:` annotations: (line, code).
    silent: Vec<(usize, String)>,
}

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

/// Realistic sample apps: every rule applies to them, and every finding must be annotated.
fn apps_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/apps")
}

/// The workspace root the rules see (ACS004 looks for WAV files under it).
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("read entry in {}: {e}", dir.display()))
            .path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The `ACSNNN` codes named in a file name (`acs001_acs008_positive.tsx` -> ACS001, ACS008).
fn codes_in_name(stem: &str) -> Vec<String> {
    stem.split(['_', '-', '.'])
        .filter(|part| {
            part.len() == 6
                && part[..3].eq_ignore_ascii_case("acs")
                && part[3..].bytes().all(|b| b.is_ascii_digit())
        })
        .map(|part| part.to_ascii_uppercase())
        .collect()
}

fn kind_of(stem: &str) -> Kind {
    let parts: Vec<&str> = stem.split(['_', '-', '.']).collect();
    if parts.contains(&"positive") {
        Kind::Positive
    } else if parts.contains(&"negative") {
        Kind::Negative
    } else {
        Kind::Other
    }
}

/// Parses `ACS001`, `ACS001 fix`, `ACS008 fix=+14255550100`, `ACS008 nofix` at the start of
/// `piece`. Returns the code, the fix spec and whether the list may go on after it.
fn parse_code(piece: &str) -> Option<(String, FixSpec, bool)> {
    let piece = piece.trim_start();
    let code = piece.get(..6)?;
    if !(code[..3].eq_ignore_ascii_case("ACS") && code[3..].bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let rest = &piece[6..];
    let mut words = rest.split_whitespace();
    let (fix, consumed) = match words.next() {
        Some("fix") => (FixSpec::Some, 1),
        Some("nofix") => (FixSpec::None, 1),
        Some(word) if word.starts_with("fix=") => (FixSpec::Content(word[4..].to_string()), 1),
        _ => (FixSpec::Any, 0),
    };
    // The list continues only when nothing but the code (and its fix spec) is in this piece.
    let more = rest.split_whitespace().count() == consumed;
    Some((code.to_ascii_uppercase(), fix, more))
}

/// Parses the codes after `marker` on a line: comma-separated, ending at the first piece that
/// is not a code.
fn annotation_codes(line: &str, marker: &str) -> Vec<(String, FixSpec)> {
    let Some(at) = line.find(marker) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for piece in line[at + marker.len()..].split(',') {
        match parse_code(piece) {
            Some((code, fix, more)) => {
                out.push((code, fix));
                if !more {
                    break;
                }
            }
            None => break,
        }
    }
    out
}

fn load_fixtures() -> Vec<Fixture> {
    let mut fixtures = load_tree(&fixtures_root(), false);
    fixtures.extend(load_tree(&apps_root(), true));
    fixtures
}

/// Loads the fixtures under `root`. `apps`: every rule is under test and file names are free.
fn load_tree(root: &Path, apps: bool) -> Vec<Fixture> {
    let mut paths = Vec::new();
    if apps && !root.exists() {
        // Reported by the sample-app test.
        return Vec::new();
    }
    walk(root, &mut paths);
    paths.retain(|p| {
        !p.extension()
            .is_some_and(|e| ASSET_EXTENSIONS.iter().any(|a| e.eq_ignore_ascii_case(a)))
    });
    paths.sort();
    let mut fixtures = Vec::new();
    for path in paths {
        let rel = path.strip_prefix(root).expect("under the fixtures root");
        let name = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let language_dir = name.split('/').next().unwrap_or_default().to_string();
        let language = Language::from_path(&path)
            .unwrap_or_else(|| panic!("{name}: no language for this file extension"));
        let stem = path
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let codes = if apps {
            RULES.iter().map(|(code, _)| code.to_string()).collect()
        } else {
            codes_in_name(&stem)
        };
        assert!(
            !codes.is_empty(),
            "{name}: the file name must name the rule(s) it tests (acsNNN_...)"
        );
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: cannot read: {e}"));
        let mut expected = Vec::new();
        let mut silent = Vec::new();
        for (index, line) in text.lines().enumerate() {
            for (code, fix) in annotation_codes(line, "expect:") {
                expected.push(Expectation {
                    line: index + 1,
                    code,
                    fix,
                });
            }
            for (code, _) in annotation_codes(line, "ok:") {
                silent.push((index + 1, code));
            }
        }
        for e in &expected {
            assert!(
                codes.contains(&e.code),
                "{name}:{}: `expect: {}` but the file name only names {:?}",
                e.line,
                e.code,
                codes
            );
        }
        fixtures.push(Fixture {
            path: path.clone(),
            name,
            language_dir,
            language,
            codes,
            kind: if apps { Kind::App } else { kind_of(&stem) },
            text,
            expected,
            silent,
        });
    }
    assert!(!fixtures.is_empty(), "no fixtures under {}", root.display());
    fixtures
}

// -------------------------------------------------------------------------------------------------
// Linting helpers
// -------------------------------------------------------------------------------------------------

fn lint(fixture: &Fixture, text: &str) -> Vec<Finding> {
    let settings = RuleSettings::default();
    let roots = [workspace_root()];
    let options = LintOptions {
        settings: &settings,
        path: Some(&fixture.path),
        roots: &roots,
    };
    lint_source(fixture.language, text, options)
        .unwrap_or_else(|skip| panic!("{}: not linted: {}", fixture.name, skip.reason()))
}

/// The findings of the codes under test in this fixture.
fn lint_codes(fixture: &Fixture, text: &str) -> Vec<Finding> {
    lint(fixture, text)
        .into_iter()
        .filter(|f| fixture.codes.iter().any(|c| c == f.code))
        .collect()
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn source_line(text: &str, line: usize) -> &str {
    text.lines().nth(line - 1).unwrap_or("").trim()
}

/// The text a fix writes (its edits' contents, joined).
fn fix_content(finding: &Finding) -> Option<String> {
    finding.fix.as_ref().map(|fix| {
        fix.edits
            .iter()
            .map(|e| e.content.as_str())
            .collect::<Vec<_>>()
            .join(" | ")
    })
}

fn describe(text: &str, finding: &Finding) -> String {
    let line = line_of(text, finding.range.start);
    let fix = match fix_content(finding) {
        Some(content) => format!("fix writes `{content}`"),
        None => "no fix".to_string(),
    };
    format!(
        "line {line}: {} [{}] {} ({fix})\n        | {}",
        finding.code,
        text.get(finding.range.clone())
            .unwrap_or("?")
            .replace('\n', "⏎"),
        finding.message,
        source_line(text, line)
    )
}

/// Multiset of (code, message) pairs.
fn code_messages(findings: &[Finding]) -> BTreeMap<(String, String), usize> {
    let mut out = BTreeMap::new();
    for f in findings {
        *out.entry((f.code.to_string(), f.message.clone()))
            .or_insert(0) += 1;
    }
    out
}

/// The (code, message) pairs of `after` that are not in `before` (as multisets).
fn new_pairs(before: &[Finding], after: &[Finding]) -> Vec<(String, String)> {
    let before = code_messages(before);
    let mut out = Vec::new();
    for (pair, count) in code_messages(after) {
        let had = before.get(&pair).copied().unwrap_or(0);
        for _ in had..count {
            out.push(pair.clone());
        }
    }
    out
}

/// Checks one fixture's findings against its annotations; returns the problems found.
fn check_annotations(fixture: &Fixture) -> Vec<String> {
    let text = &fixture.text;
    let findings = lint_codes(fixture, text);
    let mut problems = Vec::new();

    // Group by (line, code).
    let mut expected: BTreeMap<(usize, String), Vec<&Expectation>> = BTreeMap::new();
    for e in &fixture.expected {
        expected
            .entry((e.line, e.code.clone()))
            .or_default()
            .push(e);
    }
    let mut actual: BTreeMap<(usize, String), Vec<&Finding>> = BTreeMap::new();
    for f in &findings {
        actual
            .entry((line_of(text, f.range.start), f.code.to_string()))
            .or_default()
            .push(f);
    }

    let keys: std::collections::BTreeSet<_> =
        expected.keys().chain(actual.keys()).cloned().collect();
    for key in keys {
        let want = expected.get(&key).map(Vec::as_slice).unwrap_or(&[]);
        let got = actual.get(&key).map(Vec::as_slice).unwrap_or(&[]);
        let (line, code) = &key;
        if want.len() > got.len() {
            problems.push(format!(
                "  MISSING {}x {code} at line {line}\n        | {}",
                want.len() - got.len(),
                source_line(text, *line)
            ));
        }
        if got.len() > want.len() {
            for f in &got[want.len()..] {
                problems.push(format!("  UNEXPECTED {}", describe(text, f)));
            }
        }
        // Fix expectations, matched as a multiset within the line.
        let mut remaining: Vec<&Finding> = got.to_vec();
        for e in want.iter().filter(|e| e.fix != FixSpec::Any) {
            let position = remaining.iter().position(|f| match &e.fix {
                FixSpec::Any => true,
                FixSpec::Some => f.fix.is_some(),
                FixSpec::None => f.fix.is_none(),
                FixSpec::Content(content) => fix_content(f).as_deref() == Some(content.as_str()),
            });
            match position {
                Some(i) => {
                    remaining.remove(i);
                }
                None if !got.is_empty() => problems.push(format!(
                    "  WRONG FIX for {code} at line {line}: expected {:?}, found {}",
                    e.fix,
                    got.iter()
                        .map(|f| describe(text, f))
                        .collect::<Vec<_>>()
                        .join("; ")
                )),
                None => {}
            }
        }
    }

    if fixture.kind == Kind::Negative && !fixture.expected.is_empty() {
        problems.push(format!(
            "  a negative fixture must not carry `expect:` annotations ({} found)",
            fixture.expected.len()
        ));
    }
    problems
}

fn fixtures_of(kind: Option<Kind>) -> Vec<Fixture> {
    load_fixtures()
        .into_iter()
        .filter(|f| kind.is_none_or(|k| f.kind == k))
        .collect()
}

fn fail_with(title: &str, report: &[String]) {
    if !report.is_empty() {
        panic!("{title}\n\n{}\n", report.join("\n\n"));
    }
}

// -------------------------------------------------------------------------------------------------
// Tests
// -------------------------------------------------------------------------------------------------

#[test]
fn every_fixture_parses_without_syntax_errors() {
    let mut report = Vec::new();
    for fixture in fixtures_of(None) {
        let tree = acs_lint::document::parse(fixture.language, &fixture.text)
            .unwrap_or_else(|| panic!("{}: the parser returned no tree", fixture.name));
        let root = tree.root_node();
        if root.has_error() {
            // Find the first error or missing node to point at.
            let mut cursor = root.walk();
            let mut stack = vec![root];
            let mut at = None;
            while let Some(node) = stack.pop() {
                if node.is_error() || node.is_missing() {
                    at = Some(node.start_position().row + 1);
                    break;
                }
                let children: Vec<_> = node.children(&mut cursor).collect();
                stack.extend(
                    children
                        .into_iter()
                        .rev()
                        .filter(|n| n.has_error() || n.is_missing()),
                );
            }
            report.push(format!(
                "{} ({}): syntax error near line {}",
                fixture.name,
                fixture.path.display(),
                at.map(|l| l.to_string()).unwrap_or_else(|| "?".into())
            ));
        }
    }
    fail_with(
        "fixtures with syntax errors (the rules would see a broken tree):",
        &report,
    );
}

#[test]
fn fixtures_report_exactly_the_annotated_findings_and_negatives_stay_silent() {
    let mut report = Vec::new();
    for fixture in fixtures_of(None) {
        let problems = check_annotations(&fixture);
        if !problems.is_empty() {
            report.push(format!(
                "{} (rules {:?}):\n{}",
                fixture.name,
                fixture.codes,
                problems.join("\n")
            ));
        }
    }
    fail_with(
        "findings differ from the `expect:` annotations (finding START line, code):",
        &report,
    );
}

#[test]
fn each_fix_alone_removes_its_finding_and_introduces_nothing_new() {
    let mut report = Vec::new();
    let mut fixes_checked = 0;
    for fixture in fixtures_of(None) {
        let before = lint_codes(&fixture, &fixture.text);
        for finding in before.iter().filter(|f| f.fix.is_some()) {
            fixes_checked += 1;
            let what = describe(&fixture.text, finding);
            let (fixed, applied) = apply_fixes(&fixture.text, std::slice::from_ref(finding));
            if applied != 1 || fixed == fixture.text {
                report.push(format!(
                    "{}: the fix did not change the text ({applied} applied)\n    {what}",
                    fixture.name
                ));
                continue;
            }
            let after = lint_codes(&fixture, &fixed);
            let count =
                |findings: &[Finding]| findings.iter().filter(|f| f.code == finding.code).count();
            if count(&after) >= count(&before) {
                report.push(format!(
                    "{}: after the fix there are still {} {} findings (were {})\n    {what}",
                    fixture.name,
                    count(&after),
                    finding.code,
                    count(&before)
                ));
            }
            let new = new_pairs(&before, &after);
            if !new.is_empty() {
                report.push(format!(
                    "{}: the fix introduced new findings {new:?}\n    {what}",
                    fixture.name
                ));
            }
        }
    }
    assert!(fixes_checked > 0, "no finding with a fix in any fixture");
    println!("checked {fixes_checked} fixes one by one");
    fail_with("fixes that misbehave when applied alone:", &report);
}

#[test]
fn applying_all_fixes_at_once_leaves_nothing_fixable_and_nothing_new() {
    let mut report = Vec::new();
    for fixture in fixtures_of(None) {
        let before = lint_codes(&fixture, &fixture.text);
        if before.iter().all(|f| f.fix.is_none()) {
            continue;
        }
        let (fixed, applied) = apply_fixes(&fixture.text, &before);
        assert!(applied > 0, "{}: no fix applied", fixture.name);
        let after = lint_codes(&fixture, &fixed);
        for f in after.iter().filter(|f| f.fix.is_some()) {
            report.push(format!(
                "{}: still fixable after fix-all: {}",
                fixture.name,
                describe(&fixed, f)
            ));
        }
        let new = new_pairs(&before, &after);
        if !new.is_empty() {
            report.push(format!(
                "{}: fix-all introduced new findings {new:?}",
                fixture.name
            ));
        }
    }
    fail_with("fix-all problems:", &report);
}

#[test]
fn every_language_has_positive_and_negative_fixtures_for_each_rule() {
    #[derive(Default)]
    struct Count {
        positive_files: usize,
        positive_expected: usize,
        negative_files: usize,
        negative_silent: usize,
        other_files: usize,
        other_expected: usize,
        other_silent: usize,
    }
    let fixtures = fixtures_of(None);
    let mut table: BTreeMap<(String, String), Count> = BTreeMap::new();
    let mut problems = Vec::new();
    for fixture in fixtures.iter().filter(|f| f.kind != Kind::App) {
        if !LANGUAGE_DIRS.contains(&fixture.language_dir.as_str()) {
            problems.push(format!(
                "{}: unknown language directory `{}`",
                fixture.name, fixture.language_dir
            ));
        }
        for code in &fixture.codes {
            let count = table
                .entry((code.clone(), fixture.language_dir.clone()))
                .or_default();
            let expected = fixture.expected.iter().filter(|e| &e.code == code).count();
            let silent = fixture.silent.iter().filter(|(_, c)| c == code).count();
            match fixture.kind {
                Kind::Positive => {
                    count.positive_files += 1;
                    count.positive_expected += expected;
                    let minimum = min_positive_findings(code);
                    if expected < minimum {
                        problems.push(format!(
                            "{}: only {expected} expected {code} findings (at least {minimum})",
                            fixture.name
                        ));
                    }
                }
                Kind::Negative => {
                    count.negative_files += 1;
                    count.negative_silent += silent;
                    if silent == 0 {
                        problems.push(format!(
                            "{}: a negative fixture should mark its cases with `ok: {code}`",
                            fixture.name
                        ));
                    }
                }
                Kind::App => {}
                Kind::Other => {
                    count.other_files += 1;
                    count.other_expected += expected;
                    count.other_silent += silent;
                }
            }
        }
    }

    println!();
    println!(
        "| rule | language | positive files | expected findings | negative files | silent cases (`ok:`) | edge-case files | edge expected / silent |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut totals = Count::default();
    for (rule, languages) in RULES {
        for language in *languages {
            let key = (rule.to_string(), language.to_string());
            let empty = Count::default();
            let c = table.get(&key).unwrap_or(&empty);
            println!(
                "| {rule} | {language} | {} | {} | {} | {} | {} | {} / {} |",
                c.positive_files,
                c.positive_expected,
                c.negative_files,
                c.negative_silent,
                c.other_files,
                c.other_expected,
                c.other_silent
            );
            totals.positive_files += c.positive_files;
            totals.positive_expected += c.positive_expected;
            totals.negative_files += c.negative_files;
            totals.negative_silent += c.negative_silent;
            totals.other_files += c.other_files;
            totals.other_expected += c.other_expected;
            totals.other_silent += c.other_silent;
            if c.positive_files == 0 {
                problems.push(format!("{rule}: no positive fixture for {language}"));
            }
            if c.negative_files == 0 {
                problems.push(format!("{rule}: no negative fixture for {language}"));
            }
        }
    }
    println!(
        "| all | all | {} | {} | {} | {} | {} | {} / {} |",
        totals.positive_files,
        totals.positive_expected,
        totals.negative_files,
        totals.negative_silent,
        totals.other_files,
        totals.other_expected,
        totals.other_silent
    );
    assert!(
        fixtures
            .iter()
            .any(|f| f.path.extension().is_some_and(|e| e == "tsx")),
        "no .tsx fixture"
    );
    fail_with("fixture coverage problems:", &problems);
}

#[test]
fn annotation_parser_reads_codes_and_fix_specs() {
    assert_eq!(
        annotation_codes("x = f(URL)  # expect: ACS001", "expect:")
            .into_iter()
            .map(|(c, _)| c)
            .collect::<Vec<_>>(),
        vec!["ACS001"]
    );
    let parsed = annotation_codes(
        "{/* expect: ACS008 fix=+14255550100, ACS008 nofix, ACS001 */}",
        "expect:",
    );
    assert_eq!(
        parsed,
        vec![
            (
                "ACS008".to_string(),
                FixSpec::Content("+14255550100".into())
            ),
            ("ACS008".to_string(), FixSpec::None),
            ("ACS001".to_string(), FixSpec::Any),
        ]
    );
    assert!(annotation_codes("// expected: nothing", "expect:").is_empty());
    assert_eq!(
        codes_in_name("acs001_acs008_positive.tsx"),
        vec!["ACS001", "ACS008"]
    );
    assert_eq!(kind_of("acs008_negative.py"), Kind::Negative);
}

#[test]
fn every_language_has_a_multi_file_sample_app_and_a_guide_compliant_file() {
    let fixtures = fixtures_of(Some(Kind::App));
    let mut problems = Vec::new();
    println!();
    println!("| language | app files | annotated findings | by rule |");
    println!("|---|---|---|---|");
    for language in LANGUAGE_DIRS {
        let files: Vec<&Fixture> = fixtures
            .iter()
            .filter(|f| f.language_dir == *language)
            .collect();
        let pages = files
            .iter()
            .filter(|f| !f.name.contains("guide_compliant"))
            .count();
        if pages < 2 {
            problems.push(format!(
                "apps/{language}: a sample app needs at least two source files ({pages} found)"
            ));
        }
        match files.iter().find(|f| f.name.contains("guide_compliant")) {
            None => problems.push(format!(
                "apps/{language}: no guide_compliant file (code that follows the guide everywhere)"
            )),
            Some(clean) if !clean.expected.is_empty() => problems.push(format!(
                "{}: the guide-compliant file must expect no finding",
                clean.name
            )),
            Some(_) => {}
        }
        let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
        for e in files.iter().flat_map(|f| &f.expected) {
            *by_rule.entry(e.code.as_str()).or_default() += 1;
        }
        let total: usize = by_rule.values().sum();
        if total == 0 {
            problems.push(format!(
                "apps/{language}: the sample app expects no finding"
            ));
        }
        let by_rule = by_rule
            .iter()
            .map(|(code, n)| format!("{code}×{n}"))
            .collect::<Vec<_>>()
            .join(" ");
        println!("| {language} | {} | {total} | {by_rule} |", files.len());
    }
    fail_with("sample app problems:", &problems);
}
