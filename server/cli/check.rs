//! `acs-lint check`: walk, pre-filter, lint in parallel, print, fix.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::output::{self, FileReport, Located};
use super::CheckArgs;
use crate::config::{self, Config, RuleSettings};
use crate::document::Skip;
use crate::engine::{self, LintOptions};
use crate::files::{self, Source};
use crate::language::Language;
use crate::rules::Finding;

/// What happened to one file.
enum Outcome {
    Linted(FileReport),
    Skipped(String),
    Failed(String),
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let cli_settings = match config::rule_settings(
        (!args.select.is_empty()).then(|| args.select.clone()),
        args.ignore.clone(),
        &Default::default(),
        "--",
    ) {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("error: {}", message.replace("`--.", "`--"));
            return ExitCode::from(2);
        }
    };
    let explicit_config = match &args.config {
        Some(path) => match Config::load(path) {
            Ok(config) => Some(Arc::new(config)),
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    for path in &paths {
        if !path.exists() {
            eprintln!("error: {}: no such file or directory", path.display());
            return ExitCode::from(2);
        }
    }
    let files = files::source_files(&paths, &|| false);
    let configs = ConfigCache::default();
    let roots: Vec<PathBuf> = paths
        .iter()
        .filter_map(|p| {
            let dir = if p.is_dir() {
                p.clone()
            } else {
                p.parent()?.to_path_buf()
            };
            let dir = if dir.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                dir
            };
            std::fs::canonicalize(dir).ok()
        })
        .collect();

    let outcomes: Vec<(PathBuf, Outcome)> = files
        .par_iter()
        .map(|path| {
            let config = match &explicit_config {
                Some(config) => Ok(config.clone()),
                None => configs.for_file(path),
            };
            let outcome = match config {
                Err(err) => Outcome::Failed(err),
                Ok(config) => {
                    let settings = config.rules.merged(&cli_settings);
                    if config.is_excluded(path) {
                        Outcome::Skipped(String::new())
                    } else {
                        let path_for_panic = path.clone();
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            check_file(path, &settings, &roots, args.fix, &configs)
                        }))
                        .unwrap_or_else(|_| {
                            Outcome::Failed(format!(
                                "{}: internal error while linting; please report it",
                                path_for_panic.display()
                            ))
                        })
                    }
                }
            };
            (path.clone(), outcome)
        })
        .collect();

    let mut reports = Vec::new();
    let mut failed = false;
    let mut fixed_total = 0;
    for (path, outcome) in outcomes {
        match outcome {
            Outcome::Linted(report) => {
                fixed_total += report.fixed;
                reports.push(report);
            }
            Outcome::Skipped(reason) if !reason.is_empty() => {
                eprintln!("warning: {}: {reason}", path.display());
            }
            Outcome::Skipped(_) => {}
            Outcome::Failed(message) => {
                eprintln!("error: {message}");
                failed = true;
            }
        }
    }
    // Stdout is line-buffered: without a buffer, every line of output is one write call.
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let printed = output::print(&mut out, args.output_format, &reports, fixed_total)
        .and_then(|()| out.flush());
    if let Err(err) = printed {
        eprintln!("error: cannot write output: {err}");
        return ExitCode::from(2);
    }
    if failed {
        return ExitCode::from(2);
    }
    let threshold = args.fail_on.threshold();
    let failing = reports
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| f.finding.severity >= threshold);
    if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The configuration of each directory, found once.
#[derive(Default)]
struct ConfigCache {
    by_dir: Mutex<HashMap<PathBuf, Result<Arc<Config>, String>>>,
    /// Each directory as walked, resolved (symbolic links followed) once.
    resolved: Mutex<HashMap<PathBuf, PathBuf>>,
}

impl ConfigCache {
    fn for_file(&self, path: &Path) -> Result<Arc<Config>, String> {
        let dir = path
            .parent()
            .map(|p| {
                if p.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    p
                }
            })
            .unwrap_or(Path::new("."));
        // Keyed by the directory as walked: most files share it with the previous one, and
        // resolving it (one system call per path component) is done once per directory.
        if let Ok(cache) = self.by_dir.lock() {
            if let Some(found) = cache.get(dir) {
                return found.clone();
            }
        }
        let resolved = self.resolve_dir(dir);
        let result = match config::find_config(&resolved) {
            Some(file) => Config::load(&file).map(Arc::new).map_err(|e| e.to_string()),
            None => Ok(Arc::new(Config::default())),
        };
        if let Ok(mut cache) = self.by_dir.lock() {
            cache.insert(dir.to_path_buf(), result.clone());
        }
        result
    }

    fn resolve_dir(&self, dir: &Path) -> PathBuf {
        if let Ok(cache) = self.resolved.lock() {
            if let Some(found) = cache.get(dir) {
                return found.clone();
            }
        }
        let resolved = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if let Ok(mut cache) = self.resolved.lock() {
            cache.insert(dir.to_path_buf(), resolved.clone());
        }
        resolved
    }

    /// The absolute path of a file: its directory resolved (once per directory) and its name.
    fn absolute(&self, path: &Path) -> PathBuf {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        match path.file_name() {
            Some(name) => self.resolve_dir(dir).join(name),
            None => std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
        }
    }
}

fn check_file(
    path: &Path,
    settings: &RuleSettings,
    roots: &[PathBuf],
    fix: bool,
    configs: &ConfigCache,
) -> Outcome {
    let Some(language) = Language::from_path(path) else {
        return Outcome::Skipped(String::new());
    };
    let source = match files::read_source(path) {
        Ok(source) => source,
        Err(err) => return Outcome::Failed(format!("{}: cannot read: {err}", path.display())),
    };
    let (text, bom) = match &source {
        Source::Text { text, bom } => (text.as_str(), *bom),
        Source::CannotMatch => return Outcome::Linted(FileReport::empty(path)),
        Source::NotUtf8 => return Outcome::Skipped(files::NOT_UTF8.to_string()),
        Source::TooLarge => return Outcome::Skipped(Skip::TooLarge.reason()),
    };
    let body = source.body();
    let absolute = configs.absolute(path);
    let options = LintOptions {
        settings,
        path: Some(&absolute),
        roots,
    };
    let lint = |source: &str| engine::lint_source(language, source, options);
    let mut findings = match lint(body) {
        Ok(findings) => findings,
        Err(skip) => return Outcome::Skipped(skip.reason()),
    };
    let mut current = body.to_string();
    let mut fixed = 0;
    if fix {
        for _ in 0..8 {
            let (next, count) = crate::fix::apply_fixes(&current, &findings);
            if count == 0 || next == current {
                break;
            }
            fixed += count;
            current = next;
            findings = lint(&current).unwrap_or_default();
        }
        if current != body {
            let bom = if bom { "\u{feff}" } else { "" };
            let new_text = format!("{bom}{current}");
            if let Err(message) = write_atomically(path, text.as_bytes(), new_text.as_bytes()) {
                return Outcome::Failed(format!("{}: {message}", path.display()));
            }
        }
    }
    Outcome::Linted(FileReport::new(path, &current, findings, fixed))
}

/// Writes `new` to `path` through a temporary file and a rename, keeping the file's
/// permissions, unless the file no longer holds `original`.
pub fn write_atomically(path: &Path, original: &[u8], new: &[u8]) -> Result<(), String> {
    let on_disk = std::fs::read(path).map_err(|e| format!("cannot re-read before fixing: {e}"))?;
    if on_disk != original {
        return Err("changed on disk while acs-lint was fixing it; not overwritten".to_string());
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temp = dir.join(format!(".{name}.acs-lint-{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let metadata = std::fs::metadata(path)?;
        {
            let mut file = std::fs::File::create(&temp)?;
            file.write_all(new)?;
            file.sync_all()?;
        }
        std::fs::set_permissions(&temp, metadata.permissions())?;
        std::fs::rename(&temp, path)
    })();
    if let Err(err) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(format!("cannot write fixes: {err}"));
    }
    Ok(())
}

impl FileReport {
    fn empty(path: &Path) -> FileReport {
        FileReport {
            path: path.to_path_buf(),
            findings: Vec::new(),
            fixed: 0,
        }
    }

    fn new(path: &Path, source: &str, findings: Vec<Finding>, fixed: usize) -> FileReport {
        let rope = ropey::Rope::from_str(source);
        let index = crate::line_index::LineIndex::new(&rope, crate::line_index::Encoding::Utf32);
        let findings = findings
            .into_iter()
            .map(|finding| {
                let start = index.position(finding.range.start);
                let end = index.position(finding.range.end);
                let fix_edits = finding
                    .fix
                    .as_ref()
                    .map(|fix| {
                        fix.edits
                            .iter()
                            .map(|e| (index.position(e.range.start), index.position(e.range.end)))
                            .collect()
                    })
                    .unwrap_or_default();
                Located {
                    finding,
                    start,
                    end,
                    fix_edits,
                }
            })
            .collect();
        FileReport {
            path: path.to_path_buf(),
            findings,
            fixed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_changed_on_disk_since_it_was_read_is_not_overwritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("app.py");
        std::fs::write(&path, "edited by someone else\n").expect("write");
        let err =
            write_atomically(&path, b"what acs-lint read\n", b"fixed\n").expect_err("must refuse");
        assert!(err.contains("changed on disk"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "edited by someone else\n"
        );
        // The unchanged file is replaced in one rename, keeping its mode, leaving no temp file.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o751)).expect("chmod");
        }
        write_atomically(&path, b"edited by someone else\n", b"fixed\r\n").expect("write");
        assert_eq!(std::fs::read(&path).expect("read"), b"fixed\r\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o751);
        }
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("ls")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("app.py")]);
    }
}
