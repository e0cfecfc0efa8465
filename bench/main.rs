//! `acs-bench`: the benchmark of DESIGN.md §11, measured in one run.
//!
//! ```text
//! acs-bench [--runs N] [--work DIR] [--ast-grep PATH] [--only check,parse,lsp,memory]
//! acs-bench corpus --out DIR [--files N] [--seed S]     write a corpus and print its digest
//! ```
//!
//! It generates a deterministic corpus under the work directory (default `$TMPDIR/acs-bench`,
//! outside the repository so that no .gitignore hides it from the tools),
//! then measures, with the release `acs-lint` binary next to this one:
//! 1. `acs-lint check` on a 4,000-file monorepo (one file in five uses ACS) against ast-grep
//!    scanning the same tree with the pattern rules in `bench/ast-grep/`;
//! 2. `acs-lint check` on files that all use ACS against a bare tree-sitter parse of the same
//!    files (read + parse, rayon, same thread count);
//! 3. keystroke-to-diagnostics latency of `acs-lint lsp` on a 10,000-line file, alone and with a
//!    code-action request after each edit (as VS Code sends);
//! 4. the server's resident memory with 1,000 open documents of 500 lines, per document that uses
//!    ACS and per document that does not, and after closing.
//!
//! `scripts/bench.sh` builds the release binaries, installs ast-grep and runs this.

mod corpus;
mod lsp;
mod phases;
mod scan;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Seeds of the corpora: changing one changes the corpus, so they are fixed.
const MONOREPO_SEED: u64 = 0x00AC_5001;
const ALL_ACS_SEED: u64 = 0x00AC_5002;
const BIG_FILE_SEED: u64 = 0x00AC_5003;
const MEMORY_SEED: u64 = 0x00AC_5004;

const MONOREPO_FILES: usize = 4_000;
const ACS_EVERY: usize = 5;
const ALL_ACS_FILES: usize = 1_000;
const BIG_FILE_LINES: usize = 10_000;
const KEYSTROKES: usize = 200;
const ACTION_KEYSTROKES: usize = 50;
const MEMORY_DOCS: usize = 1_000;
const MEMORY_DOC_LINES: usize = 500;

struct Options {
    runs: usize,
    work: PathBuf,
    ast_grep: Option<PathBuf>,
    only: Option<Vec<String>>,
}

impl Options {
    fn wants(&self, section: &str) -> bool {
        self.only
            .as_ref()
            .is_none_or(|only| only.iter().any(|s| s == section))
    }
}

/// A profiling aid of `acs-bench`: takes one file or directory.
type ProfilingAid = fn(&Path);

fn usage() -> ExitCode {
    eprintln!(
        "usage: acs-bench [--runs N] [--work DIR] [--ast-grep PATH] [--only check,parse,lsp,memory]\n       acs-bench corpus --out DIR [--files N] [--seed S]\n       acs-bench phases|keystroke|rules|scan|patterns PATH   (profiling aids)"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Profiling aids: one path argument each.
    let aids: &[(&str, ProfilingAid)] = &[
        ("phases", phases::run),
        ("keystroke", phases::keystroke),
        ("rules", phases::rules),
        ("scan", phases::scan),
        ("patterns", phases::patterns),
    ];
    if let Some((_, aid)) = aids
        .iter()
        .find(|(name, _)| args.first().map(String::as_str) == Some(*name))
    {
        return match args.get(1) {
            Some(path) => {
                aid(Path::new(path));
                ExitCode::SUCCESS
            }
            None => usage(),
        };
    }
    if args.first().map(String::as_str) == Some("corpus") {
        return corpus_command(args.get(1..).unwrap_or_default());
    }
    let mut options = Options {
        runs: 5,
        // Outside the repository: a .gitignore above the corpus (the repository's ignores
        // .cache) would make both tools skip it.
        work: std::env::temp_dir().join("acs-bench"),
        ast_grep: None,
        only: None,
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let value = match arg.as_str() {
            "--runs" | "--work" | "--ast-grep" | "--only" => match iter.next() {
                Some(value) => value,
                None => return usage(),
            },
            _ => return usage(),
        };
        match arg.as_str() {
            "--runs" => match value.parse::<usize>() {
                Ok(runs) if runs > 0 => options.runs = runs,
                _ => return usage(),
            },
            "--work" => options.work = PathBuf::from(value),
            "--ast-grep" => options.ast_grep = Some(PathBuf::from(value)),
            _ => options.only = Some(value.split(',').map(str::to_string).collect()),
        }
    }
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("acs-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

fn corpus_command(args: &[String]) -> ExitCode {
    let mut out = None;
    let mut files = 50;
    let mut seed = MONOREPO_SEED;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let Some(value) = iter.next() else {
            return usage();
        };
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(value)),
            "--files" => match value.parse() {
                Ok(n) => files = n,
                Err(_) => return usage(),
            },
            "--seed" => match value.parse() {
                Ok(n) => seed = n,
                Err(_) => return usage(),
            },
            _ => return usage(),
        }
    }
    let Some(out) = out else {
        return usage();
    };
    let files = corpus::monorepo(seed, files, ACS_EVERY);
    if let Err(err) = corpus::write(&out, &files) {
        eprintln!("acs-bench: cannot write {}: {err}", out.display());
        return ExitCode::FAILURE;
    }
    println!("{:016x}", corpus::digest(&files));
    ExitCode::SUCCESS
}

/// The `acs-lint` binary built beside this one.
fn acs_lint_binary() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find myself: {e}"))?;
    let dir = exe
        .parent()
        .ok_or_else(|| "cannot find my directory".to_string())?;
    let binary = dir.join(format!("acs-lint{}", std::env::consts::EXE_SUFFIX));
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!(
            "{} not found: build it first (cargo build --release)",
            binary.display()
        ))
    }
}

/// The measured figures, printed together at the end.
#[derive(Default)]
struct Report {
    rows: Vec<(String, String, String)>,
    notes: Vec<String>,
}

impl Report {
    fn row(
        &mut self,
        what: impl Into<String>,
        value: impl Into<String>,
        target: impl Into<String>,
    ) {
        self.rows.push((what.into(), value.into(), target.into()));
    }

    fn print(&self) {
        let data = || self.rows.iter().filter(|r| !r.1.is_empty());
        let w0 = data().map(|r| r.0.len()).max().unwrap_or(0);
        let w1 = data().map(|r| r.1.len()).max().unwrap_or(0);
        for (what, value, target) in &self.rows {
            if value.is_empty() && target.is_empty() {
                println!();
                println!("{what}");
                continue;
            }
            println!("  {what:<w0$}  {value:>w1$}  {target}");
        }
        if !self.notes.is_empty() {
            println!();
            for note in &self.notes {
                println!("note: {note}");
            }
        }
    }
}

/// `value <= target`, as the word printed in the table.
fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "NOT MET"
    }
}

fn run(options: &Options) -> Result<(), String> {
    let binary = acs_lint_binary()?;
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    std::fs::create_dir_all(&options.work)
        .map_err(|e| format!("cannot create {}: {e}", options.work.display()))?;
    let work = std::fs::canonicalize(&options.work)
        .map_err(|e| format!("cannot resolve {}: {e}", options.work.display()))?;
    let mut report = Report::default();
    println!("acs-bench: commit {}", commit());
    println!("acs-bench: machine {}", machine(threads));
    println!("acs-bench: acs-lint {}", binary.display());
    println!("acs-bench: {} runs per timing, median taken", options.runs);
    println!("acs-bench: load average before: {}", load_average());

    if options.wants("check") {
        let ast_grep = options
            .ast_grep
            .clone()
            .ok_or_else(|| "--ast-grep PATH is needed for the check section".to_string())?;
        scan::versus_ast_grep(
            &binary,
            &ast_grep,
            &work,
            threads,
            options.runs,
            &mut report,
        )?;
    }
    if options.wants("parse") {
        scan::versus_bare_parse(&binary, &work, threads, options.runs, &mut report)?;
    }
    if options.wants("lsp") {
        lsp::keystrokes(&binary, &work, &mut report)?;
    }
    if options.wants("memory") {
        lsp::memory(&binary, &work, &mut report)?;
    }
    println!("acs-bench: load average after: {}", load_average());
    println!();
    println!("==== results ====");
    report.print();
    Ok(())
}

/// The 1, 5 and 15 minute load averages: other work on the machine skews the figures.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".to_string())
}

/// The commit the benchmark runs on (with `+dirty` when the work tree has changes).
fn commit() -> String {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let Some(head) = git(&["rev-parse", "--short=12", "HEAD"]) else {
        return "unknown (not a git checkout)".to_string();
    };
    let dirty =
        git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    let subject = git(&["log", "-1", "--format=%s"]).unwrap_or_default();
    format!("{head}{} ({subject})", if dirty { "+dirty" } else { "" })
}

/// Cores, processor and memory of this machine.
fn machine(threads: usize) -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, m)| m.trim().to_string())
        .unwrap_or_else(|| "unknown processor".to_string());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<u64>().ok())
        .map(|kb| format!("{:.1} GiB", kb as f64 / 1024.0 / 1024.0))
        .unwrap_or_else(|| "unknown memory".to_string());
    format!(
        "{threads} cores ({model}), {memory}, {} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// The median of some durations, in milliseconds.
fn median_ms(samples: &mut [f64]) -> f64 {
    samples.sort_by(|a, b| a.total_cmp(b));
    match samples.len() {
        0 => 0.0,
        n if n % 2 == 1 => samples.get(n / 2).copied().unwrap_or(0.0),
        n => {
            let a = samples.get(n / 2 - 1).copied().unwrap_or(0.0);
            let b = samples.get(n / 2).copied().unwrap_or(0.0);
            (a + b) / 2.0
        }
    }
}

/// Writes a corpus under `dir`, reporting its size.
fn write_corpus(dir: &Path, files: &[corpus::SourceFile], what: &str) -> Result<(), String> {
    corpus::write(dir, files).map_err(|e| format!("cannot write {}: {e}", dir.display()))?;
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    let lines: usize = files.iter().map(|f| f.text.lines().count()).sum();
    let acs = files.iter().filter(|f| f.uses_acs).count();
    let mut by_lang = String::new();
    for lang in corpus::Lang::ALL {
        let n = files.iter().filter(|f| f.lang == lang).count();
        by_lang.push_str(&format!(" {}={n}", lang.extension()));
    }
    println!(
        "acs-bench: {what}: {} files ({acs} use ACS;{by_lang}), {lines} lines, {:.1} MB, digest {:016x}, in {}",
        files.len(),
        bytes as f64 / 1e6,
        corpus::digest(files),
        dir.display()
    );
    Ok(())
}
