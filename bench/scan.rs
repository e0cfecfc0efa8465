//! Sections 1 and 2: whole-tree `check` against ast-grep, and against a bare parse.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use rayon::prelude::*;

use crate::corpus;
use crate::{median_ms, verdict, write_corpus, Report};

/// The ast-grep project: configuration and one rule file per rule and language.
const AST_GREP_FILES: &[(&str, &str)] = &[
    ("sgconfig.yml", include_str!("ast-grep/sgconfig.yml")),
    (
        "rules/acs001-csharp.yml",
        include_str!("ast-grep/rules/acs001-csharp.yml"),
    ),
    (
        "rules/acs001-python.yml",
        include_str!("ast-grep/rules/acs001-python.yml"),
    ),
    (
        "rules/acs001-javascript.yml",
        include_str!("ast-grep/rules/acs001-javascript.yml"),
    ),
    (
        "rules/acs001-typescript.yml",
        include_str!("ast-grep/rules/acs001-typescript.yml"),
    ),
    (
        "rules/acs001-java.yml",
        include_str!("ast-grep/rules/acs001-java.yml"),
    ),
    (
        "rules/acs003-csharp.yml",
        include_str!("ast-grep/rules/acs003-csharp.yml"),
    ),
    (
        "rules/acs003-python.yml",
        include_str!("ast-grep/rules/acs003-python.yml"),
    ),
    (
        "rules/acs003-javascript.yml",
        include_str!("ast-grep/rules/acs003-javascript.yml"),
    ),
    (
        "rules/acs003-typescript.yml",
        include_str!("ast-grep/rules/acs003-typescript.yml"),
    ),
    (
        "rules/acs003-java.yml",
        include_str!("ast-grep/rules/acs003-java.yml"),
    ),
];

/// One timed run of a command: wall time and what it printed.
struct Timed {
    ms: f64,
    stdout: String,
}

fn timed(command: &mut Command) -> Result<Timed, String> {
    let start = Instant::now();
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .stdin(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    let mut stdout = String::new();
    if let Some(mut pipe) = child.stdout.take() {
        pipe.read_to_string(&mut stdout)
            .map_err(|e| format!("cannot read the output of {command:?}: {e}"))?;
    }
    let status = child
        .wait()
        .map_err(|e| format!("cannot wait for {command:?}: {e}"))?;
    let ms = start.elapsed().as_secs_f64() * 1e3;
    // Both tools exit with 1 when they find something.
    if !matches!(status.code(), Some(0 | 1)) {
        return Err(format!("{command:?} failed: {status}"));
    }
    Ok(Timed { ms, stdout })
}

fn check_command(binary: &Path, dir: &Path) -> Command {
    let mut command = Command::new(binary);
    command
        .arg("check")
        .arg(dir)
        .args(["--output-format", "json"]);
    command
}

/// Findings per rule code in `acs-lint check --output-format json` output.
fn acs_lint_counts(stdout: &str) -> Result<BTreeMap<String, usize>, String> {
    let value: serde_json::Value =
        serde_json::from_str(stdout).map_err(|e| format!("acs-lint printed no JSON array: {e}"))?;
    let mut counts = BTreeMap::new();
    for finding in value.as_array().into_iter().flatten() {
        let code = finding
            .get("code")
            .and_then(|c| c.as_str())
            .unwrap_or("?")
            .to_string();
        *counts.entry(code).or_insert(0) += 1;
    }
    Ok(counts)
}

/// Matches per rule in `ast-grep scan --json=stream` output, by rule code (ACS001, ACS003).
fn ast_grep_counts(stdout: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for line in stdout.lines().filter(|l| !l.trim().is_empty()) {
        let rule = serde_json::from_str::<serde_json::Value>(line)
            .ok()
            .and_then(|v| v.get("ruleId").and_then(|r| r.as_str()).map(str::to_string))
            .unwrap_or_else(|| "?".to_string());
        let code = rule.split('-').next().unwrap_or("?").to_ascii_uppercase();
        *counts.entry(code).or_insert(0) += 1;
    }
    counts
}

fn show_counts(counts: &BTreeMap<String, usize>) -> String {
    let parts: Vec<String> = counts.iter().map(|(c, n)| format!("{c} {n}")).collect();
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join(", ")
    }
}

/// Section 1: `acs-lint check` against `ast-grep scan` on the monorepo.
pub fn versus_ast_grep(
    binary: &Path,
    ast_grep: &Path,
    work: &Path,
    threads: usize,
    runs: usize,
    report: &mut Report,
) -> Result<(), String> {
    let dir = work.join("corpus/monorepo");
    let files = corpus::monorepo(
        crate::MONOREPO_SEED,
        crate::MONOREPO_FILES,
        crate::ACS_EVERY,
    );
    write_corpus(&dir, &files, "monorepo")?;
    let project = work.join("ast-grep");
    if project.exists() {
        std::fs::remove_dir_all(&project)
            .map_err(|e| format!("cannot clear {}: {e}", project.display()))?;
    }
    for (name, text) in AST_GREP_FILES {
        let path = project.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let version = Command::new(ast_grep)
        .arg("--version")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", ast_grep.display()))?;
    let version = String::from_utf8_lossy(&version.stdout).trim().to_string();
    let ast_grep_command = || {
        let mut command = Command::new(ast_grep);
        command
            .arg("scan")
            .arg("--config")
            .arg(project.join("sgconfig.yml"))
            .arg("--json=stream")
            .arg("--threads")
            .arg(threads.to_string())
            .arg(&dir);
        command
    };

    // One warm-up run of each (page cache, first-run costs); its output gives the counts.
    let acs_first = timed(&mut check_command(binary, &dir))?;
    let sg_first = timed(&mut ast_grep_command())?;
    let acs_counts = acs_lint_counts(&acs_first.stdout)?;
    let sg_counts = ast_grep_counts(&sg_first.stdout);
    if !acs_counts.contains_key("ACS001") || !sg_counts.contains_key("ACS001") {
        return Err(format!(
            "acs-lint or ast-grep found nothing in {}: is the corpus ignored (a .gitignore or .ignore above it)?",
            dir.display()
        ));
    }
    let (mut acs_ms, mut sg_ms) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        acs_ms.push(timed(&mut check_command(binary, &dir))?.ms);
        sg_ms.push(timed(&mut ast_grep_command())?.ms);
    }
    let acs = median_ms(&mut acs_ms);
    let sg = median_ms(&mut sg_ms);
    let ratio = acs / sg;
    report.row(
        format!(
            "1. check, {} files, 1 in {} uses ACS, vs {version} (same tree, rules for ACS001+ACS003)",
            files.len(),
            crate::ACS_EVERY
        ),
        "",
        "",
    );
    report.row(
        format!("acs-lint check ({threads} threads)"),
        format!("{acs:.0} ms"),
        format!("findings: {}", show_counts(&acs_counts)),
    );
    report.row(
        format!("ast-grep scan (--threads {threads})"),
        format!("{sg:.0} ms"),
        format!("matches: {}", show_counts(&sg_counts)),
    );
    report.row(
        "ratio acs-lint / ast-grep",
        format!("{ratio:.3}x"),
        format!("target <= 0.25x: {}", verdict(ratio <= 0.25)),
    );
    Ok(())
}

/// Every file under `dir`, sorted.
fn list_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => list_files(&path, out),
            Ok(kind) if kind.is_file() => out.push(path),
            _ => {}
        }
    }
}

/// Reads and parses every file under `dir` with its language, in parallel on `pool`; returns
/// the number of syntax nodes with errors (to show the corpus parses cleanly) and of files.
fn bare_parse(dir: &Path, pool: &rayon::ThreadPool) -> (usize, usize) {
    pool.install(|| {
        let mut files = Vec::new();
        list_files(dir, &mut files);
        files.sort();
        let errors = files
            .par_iter()
            .map(|path| {
                let Some(language) = acs_lint::language::Language::from_path(path) else {
                    return 0;
                };
                let Ok(bytes) = std::fs::read(path) else {
                    return 0;
                };
                let Ok(text) = std::str::from_utf8(&bytes) else {
                    return 0;
                };
                acs_lint::document::parse(language, text)
                    .map(|tree| usize::from(tree.root_node().has_error()))
                    .unwrap_or(1)
            })
            .sum();
        (errors, files.len())
    })
}

/// Section 2: `acs-lint check` on files that all use ACS against a bare parse of them.
pub fn versus_bare_parse(
    binary: &Path,
    work: &Path,
    threads: usize,
    runs: usize,
    report: &mut Report,
) -> Result<(), String> {
    let dir = work.join("corpus/all-acs");
    let files = corpus::monorepo(crate::ALL_ACS_SEED, crate::ALL_ACS_FILES, 1);
    write_corpus(&dir, &files, "all-acs")?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| format!("cannot start {threads} threads: {e}"))?;
    let first = timed(&mut check_command(binary, &dir))?;
    let counts = acs_lint_counts(&first.stdout)?;
    if counts.is_empty() {
        return Err(format!(
            "acs-lint found nothing in {}: is the corpus ignored (a .gitignore or .ignore above it)?",
            dir.display()
        ));
    }
    let (errors, parsed) = bare_parse(&dir, &pool);
    let (mut check_ms, mut parse_ms) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        check_ms.push(timed(&mut check_command(binary, &dir))?.ms);
        let start = Instant::now();
        std::hint::black_box(bare_parse(&dir, &pool));
        parse_ms.push(start.elapsed().as_secs_f64() * 1e3);
    }
    let check = median_ms(&mut check_ms);
    let parse = median_ms(&mut parse_ms);
    let ratio = check / parse;
    report.row(
        format!(
            "2. check on {} files that all use ACS vs a bare tree-sitter parse of them",
            files.len()
        ),
        "",
        "",
    );
    report.row(
        format!("acs-lint check ({threads} threads, whole process)"),
        format!("{check:.0} ms"),
        format!("findings: {}", show_counts(&counts)),
    );
    report.row(
        format!("bare parse: read + parse each file ({threads} threads, rayon)"),
        format!("{parse:.0} ms"),
        format!("{parsed} files, {errors} with syntax errors"),
    );
    report.row(
        "ratio check / bare parse",
        format!("{ratio:.3}x"),
        format!("target <= 1.3x: {}", verdict(ratio <= 1.3)),
    );
    Ok(())
}
