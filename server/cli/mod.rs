//! The command line: `check`, `rule`, `explain`, `lsp`.

mod check;
mod output;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::rules::{self, Severity};

#[derive(Parser)]
#[command(
    name = "acs-lint",
    version,
    about = "Finds Azure Communication Services troubleshooting pitfalls in C#, Python, JavaScript, TypeScript and Java",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the language server on stdio.
    Lsp,
    /// Check files and directories (default: the current directory).
    Check(CheckArgs),
    /// List the rules, or print one rule's documentation.
    Rule {
        /// A rule code, e.g. ACS001.
        code: Option<String>,
    },
    /// Explain an ACS error code.
    Explain {
        /// The code, e.g. 487 or 4001 (a subcode may follow: 487/0 or 487:0).
        code: String,
        /// Restrict to one area.
        #[arg(long, value_enum)]
        area: Option<AreaArg>,
    },
    /// Print the facts acs-lint extracts from a file (for rule authors).
    #[command(hide = true)]
    DebugFacts { path: std::path::PathBuf },
}

#[derive(Clone, Copy, ValueEnum)]
enum AreaArg {
    Calling,
    CallAutomation,
    Chat,
    Sms,
    Pstn,
}

/// Output formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    #[default]
    Text,
    Json,
    Sarif,
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Information,
    Hint,
}

impl FailOn {
    fn threshold(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Information => Severity::Information,
            FailOn::Hint => Severity::Hint,
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to check.
    pub paths: Vec<std::path::PathBuf>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output_format: OutputFormat,
    /// Use this configuration file instead of the closest acs-lint.toml.
    #[arg(long)]
    pub config: Option<std::path::PathBuf>,
    /// Apply safe fixes in place.
    #[arg(long)]
    pub fix: bool,
    /// Only run these rules (comma-separated codes or prefixes).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not run these rules (comma-separated codes or prefixes).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// The lowest severity that makes the exit status 1.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
}

/// Runs the command line; returns the process exit status.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Lsp => {
            crate::lsp::run_stdio();
            ExitCode::SUCCESS
        }
        Command::Check(args) => check::run(&args),
        Command::Rule { code } => rule(code.as_deref()),
        Command::Explain { code, area } => explain(&code, area),
        Command::DebugFacts { path } => debug_facts(&path),
    }
}

fn rule(code: Option<&str>) -> ExitCode {
    match code {
        None => {
            println!("{:<8}{:<38}{:<13}summary", "code", "name", "severity");
            for rule in rules::all() {
                println!(
                    "{:<8}{:<38}{:<13}{}",
                    rule.code(),
                    rule.name(),
                    rule.severity().as_str(),
                    rule.summary()
                );
            }
            ExitCode::SUCCESS
        }
        Some(code) => {
            let upper = code.to_ascii_uppercase();
            if upper == rules::UnusedSuppression::CODE {
                println!(
                    "# ACS000 unused-suppression (hint)\n\n{}",
                    rules::doc("ACS000")
                );
                return ExitCode::SUCCESS;
            }
            match rules::rule(&upper) {
                Some(rule) => {
                    println!(
                        "# {} {} ({})\n\n{}\n\nDocumentation: {}",
                        rule.code(),
                        rule.name(),
                        rule.severity().as_str(),
                        rule.doc(),
                        rule.url()
                    );
                    ExitCode::SUCCESS
                }
                None => {
                    eprintln!(
                        "error: unknown rule `{code}`; run `acs-lint rule` to list the rules"
                    );
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn explain(code: &str, area: Option<AreaArg>) -> ExitCode {
    use crate::knowledge::{self, Area};
    let areas: Vec<Area> = match area {
        None => Vec::new(),
        Some(AreaArg::Calling) => vec![Area::Calling],
        Some(AreaArg::CallAutomation) => vec![Area::CallAutomation],
        Some(AreaArg::Chat) => vec![Area::Chat],
        Some(AreaArg::Sms) => vec![Area::Sms],
        Some(AreaArg::Pstn) => vec![Area::Pstn],
    };
    let mut parts = code.split(['/', ':', '.']);
    let parsed = (
        parts.next().and_then(|c| c.trim().parse::<u32>().ok()),
        parts.next().map(|s| s.trim().parse::<u32>()),
    );
    let (number, subcode) = match parsed {
        (Some(number), None) => (number, None),
        (Some(number), Some(Ok(sub))) => (number, Some(sub)),
        _ => {
            eprintln!("error: `{code}` is not a code; give a number such as 487, or a code and subcode such as 487/0");
            return ExitCode::from(2);
        }
    };
    let mut entries = knowledge::lookup(number, subcode, &areas);
    if entries.is_empty() && subcode.is_none() {
        entries = knowledge::lookup_subcode(number, &areas);
    }
    if entries.is_empty() {
        let scope = area.map(|_| " in that area").unwrap_or("");
        eprintln!("acs-lint knows no ACS code `{code}`{scope}");
        return ExitCode::from(1);
    }
    print!("{}", knowledge::explain_text(&entries));
    ExitCode::SUCCESS
}

fn debug_facts(path: &std::path::Path) -> ExitCode {
    let Some(language) = crate::language::Language::from_path(path) else {
        eprintln!("error: {}: not a file acs-lint reads", path.display());
        return ExitCode::from(2);
    };
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("error: {}: cannot read", path.display());
        return ExitCode::from(2);
    };
    let Some(tree) = crate::document::parse(language, &text) else {
        return ExitCode::from(2);
    };
    let facts = crate::facts::build(language, &tree, &text);
    println!("{facts:#?}");
    ExitCode::SUCCESS
}
