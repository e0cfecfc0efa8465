//! Output formats of `check`: text, JSON, SARIF 2.1.0 and GitHub workflow commands.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::OutputFormat;
use crate::line_index::LineCol;
use crate::rules::{self, Finding, Severity};

/// A finding with 1-based display positions.
pub struct Located {
    pub finding: Finding,
    pub start: LineCol,
    pub end: LineCol,
    pub fix_edits: Vec<(LineCol, LineCol)>,
}

/// The findings of one file.
pub struct FileReport {
    pub path: PathBuf,
    pub findings: Vec<Located>,
    pub fixed: usize,
}

/// A path as the user gave it, without a leading `./`, with forward slashes.
pub fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}

pub fn print(
    out: &mut dyn Write,
    format: OutputFormat,
    reports: &[FileReport],
    fixed: usize,
) -> io::Result<()> {
    match format {
        OutputFormat::Text => text(out, reports, fixed),
        OutputFormat::Json => {
            write_json_findings(out, reports)?;
            writeln!(out)
        }
        OutputFormat::Sarif => {
            serde_json::to_writer_pretty(&mut *out, &sarif(reports))?;
            writeln!(out)
        }
        OutputFormat::Github => github(out, reports),
    }
}

fn text(out: &mut dyn Write, reports: &[FileReport], fixed: usize) -> io::Result<()> {
    let mut counts = [0usize; 4];
    let mut fixable = 0;
    for report in reports {
        let path = display_path(&report.path);
        for located in &report.findings {
            let f = &located.finding;
            counts[f.severity as usize] += 1;
            let marker = if f.fix.is_some() {
                fixable += 1;
                " [*]"
            } else {
                ""
            };
            writeln!(
                out,
                "{path}:{}:{}: {}{marker} [{}] {}",
                located.start.line + 1,
                located.start.col + 1,
                f.code,
                f.severity.as_str(),
                f.message
            )?;
        }
    }
    let total: usize = counts.iter().sum();
    if fixed > 0 {
        writeln!(out, "Fixed {fixed} finding{}.", plural(fixed))?;
    }
    if total == 0 {
        return writeln!(out, "All checks passed!");
    }
    let mut parts = Vec::new();
    for (severity, name) in [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Information, "information"),
        (Severity::Hint, "hint"),
    ] {
        let n = counts[severity as usize];
        if n > 0 {
            let name = if n == 1 || name == "information" {
                name.to_string()
            } else {
                format!("{name}s")
            };
            parts.push(format!("{n} {name}"));
        }
    }
    write!(
        out,
        "Found {total} problem{} ({})",
        plural(total),
        parts.join(", ")
    )?;
    if fixable > 0 {
        write!(out, "; {fixable} fixable with `--fix`")?;
    }
    writeln!(out, ".")
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A JSON position (1-based). Fields of these types are in alphabetical order, the order
/// `serde_json::Value` objects print in, so the output is as it was when built from values.
#[derive(serde::Serialize)]
struct JsonLocation {
    column: u32,
    row: u32,
}

impl From<LineCol> for JsonLocation {
    fn from(pos: LineCol) -> Self {
        JsonLocation {
            column: pos.col + 1,
            row: pos.line + 1,
        }
    }
}

#[derive(serde::Serialize)]
struct JsonEdit<'a> {
    content: &'a str,
    end_location: JsonLocation,
    location: JsonLocation,
}

#[derive(serde::Serialize)]
struct JsonFix<'a> {
    edits: Vec<JsonEdit<'a>>,
    message: &'a str,
}

#[derive(serde::Serialize)]
struct JsonFinding<'a> {
    code: &'a str,
    end_location: JsonLocation,
    filename: &'a str,
    fix: Option<JsonFix<'a>>,
    location: JsonLocation,
    message: &'a str,
    name: &'a str,
    severity: &'a str,
    url: String,
}

/// Writes the findings as a JSON array, serialised straight from the reports (no tree of
/// `Value`s: this ran on the main thread after the parallel work, 4% of a large check).
fn write_json_findings(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    let mut items = Vec::new();
    let filenames: Vec<String> = reports.iter().map(|r| display_path(&r.path)).collect();
    for (report, filename) in reports.iter().zip(&filenames) {
        for located in &report.findings {
            let f = &located.finding;
            let fix = f.fix.as_ref().map(|fix| JsonFix {
                edits: fix
                    .edits
                    .iter()
                    .zip(&located.fix_edits)
                    .map(|(edit, (start, end))| JsonEdit {
                        content: &edit.content,
                        end_location: (*end).into(),
                        location: (*start).into(),
                    })
                    .collect(),
                message: &fix.title,
            });
            items.push(JsonFinding {
                code: f.code,
                end_location: located.end.into(),
                filename,
                fix,
                location: located.start.into(),
                message: &f.message,
                name: f.name(),
                severity: f.severity.as_str(),
                url: rule_url(f.code),
            });
        }
    }
    serde_json::to_writer_pretty(&mut *out, &items)?;
    Ok(())
}

fn rule_url(code: &str) -> String {
    format!("{}/{code}.md", rules::DOCS_BASE)
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

/// The repository root above the current directory (the directory holding `.git`), if any.
fn repository_root() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

/// A path relative to the repository root (or the current directory), with forward slashes.
fn sarif_uri(path: &Path, root: Option<&Path>) -> String {
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let base = root
        .map(Path::to_path_buf)
        .or_else(|| std::env::current_dir().ok())
        .and_then(|b| std::fs::canonicalize(b).ok());
    match base.as_deref().and_then(|b| absolute.strip_prefix(b).ok()) {
        Some(relative) => display_path(relative),
        None => display_path(path),
    }
}

fn sarif(reports: &[FileReport]) -> Value {
    let mut all_codes: Vec<(&str, &str, Severity, String, &str, String)> = rules::all()
        .iter()
        .map(|r| {
            (
                r.code(),
                r.name(),
                r.severity(),
                r.summary(),
                r.doc(),
                r.url(),
            )
        })
        .collect();
    all_codes.insert(
        0,
        (
            rules::UnusedSuppression::CODE,
            rules::UnusedSuppression::NAME,
            Severity::Hint,
            rules::summary(rules::doc("ACS000")),
            rules::doc("ACS000"),
            rule_url("ACS000"),
        ),
    );
    let rules_json: Vec<Value> = all_codes
        .iter()
        .map(|(code, name, severity, summary, doc, url)| {
            json!({
                "id": code,
                "name": name,
                "shortDescription": { "text": summary },
                "fullDescription": { "text": summary },
                "help": { "text": doc, "markdown": doc },
                "helpUri": url,
                "defaultConfiguration": { "level": sarif_level(*severity) },
            })
        })
        .collect();
    let root = repository_root();
    let mut results = Vec::new();
    for report in reports {
        let uri = sarif_uri(&report.path, root.as_deref());
        for located in &report.findings {
            let f = &located.finding;
            let rule_index = all_codes
                .iter()
                .position(|(c, ..)| *c == f.code)
                .unwrap_or(0);
            results.push(json!({
                "ruleId": f.code,
                "ruleIndex": rule_index,
                "level": sarif_level(f.severity),
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri, "uriBaseId": "%SRCROOT%" },
                        "region": {
                            "startLine": located.start.line + 1,
                            "startColumn": located.start.col + 1,
                            "endLine": located.end.line + 1,
                            "endColumn": located.end.col + 1,
                        }
                    }
                }],
            }));
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "acs-lint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/acs-lint/acs-lint",
                    "rules": rules_json,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn github(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    for report in reports {
        let path = display_path(&report.path);
        for located in &report.findings {
            let f = &located.finding;
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Information | Severity::Hint => "notice",
            };
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(&path),
                located.start.line + 1,
                located.start.col + 1,
                located.end.line + 1,
                located.end.col + 1,
                escape_property(&format!("{} ({})", f.code, f.name())),
                escape_data(&f.message)
            )?;
        }
    }
    Ok(())
}
