//! The files of a workspace, shared by `check` and the server's workspace scan: one
//! gitignore-aware walk (hidden files and ignored paths skipped, in parallel) and one way to
//! read a source file (pre-filter, UTF-8, byte order mark).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};

use crate::language::Language;
use crate::prefilter;

const BOM: &str = "\u{feff}";

/// The walker configuration both front ends use.
fn walker(root: &Path) -> WalkBuilder {
    let mut builder = WalkBuilder::new(root);
    builder.hidden(true).git_ignore(true).require_git(false);
    builder
}

/// Every file of a known language under `paths` (a path that is itself such a file is kept),
/// honouring `.gitignore`, sorted. The walk stops early once `stop` returns true.
pub fn source_files(paths: &[PathBuf], stop: &(dyn Fn() -> bool + Sync)) -> Vec<PathBuf> {
    let found = Mutex::new(Vec::new());
    for path in paths {
        if path.is_file() {
            if Language::from_path(path).is_some() {
                if let Ok(mut found) = found.lock() {
                    found.push(path.clone());
                }
            }
            continue;
        }
        walker(path).build_parallel().run(|| {
            let found = &found;
            Box::new(move |entry| {
                if stop() {
                    return WalkState::Quit;
                }
                if let Ok(entry) = entry {
                    let is_file = entry.file_type().is_some_and(|t| t.is_file());
                    if is_file && Language::from_path(entry.path()).is_some() {
                        if let Ok(mut found) = found.lock() {
                            found.push(entry.into_path());
                        }
                    }
                }
                WalkState::Continue
            })
        });
    }
    let mut files = found.into_inner().unwrap_or_default();
    files.sort();
    files.dedup();
    files
}

/// True when walking `root` yields `path`: a file of a known language under the root that is
/// neither hidden nor ignored. Only the directories on the way to it are read.
pub fn is_walked(root: &Path, path: &Path) -> bool {
    if !path.starts_with(root) || Language::from_path(path).is_none() {
        return false;
    }
    let target = path.to_path_buf();
    walker(root)
        .filter_entry(move |entry| target.starts_with(entry.path()))
        .build()
        .flatten()
        .any(|entry| entry.path() == path && entry.file_type().is_some_and(|t| t.is_file()))
}

/// A source file as read from disk.
pub enum Source {
    /// Valid UTF-8 text; `bom` says whether it starts with a byte order mark.
    Text { text: String, bom: bool },
    /// The pre-filter says no rule can find anything in it (it was not decoded).
    CannotMatch,
    /// Not UTF-8: never linted, never rewritten.
    NotUtf8,
    /// Over the size bound (`document::MAX_FILE_BYTES`): not even read.
    TooLarge,
}

impl Source {
    /// The text rules see: without the byte order mark.
    pub fn body(&self) -> &str {
        match self {
            Source::Text { text, bom: true } => text.get(BOM.len()..).unwrap_or_default(),
            Source::Text { text, bom: false } => text,
            _ => "",
        }
    }
}

/// Reads a source file: pre-filters its bytes, then decodes it. A file over the size bound is
/// not read at all.
pub fn read_source(path: &Path) -> std::io::Result<Source> {
    if std::fs::metadata(path)?.len() > crate::document::MAX_FILE_BYTES as u64 {
        return Ok(Source::TooLarge);
    }
    let bytes = std::fs::read(path)?;
    if !prefilter::may_match(&bytes) {
        return Ok(Source::CannotMatch);
    }
    Ok(match String::from_utf8(bytes) {
        Ok(text) => {
            let bom = text.starts_with(BOM);
            Source::Text { text, bom }
        }
        Err(_) => Source::NotUtf8,
    })
}

/// The message for a file that is not UTF-8.
pub const NOT_UTF8: &str = "not valid UTF-8, so acs-lint does not read it";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_walk_skips_ignored_and_hidden_files_and_is_walked_agrees() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        let write = |rel: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, "x").expect("write");
            path
        };
        std::fs::write(root.join(".gitignore"), "build/\n*.gen.ts\n").expect("write");
        let kept = [write("src/app.py"), write("src/deep/er/Main.java")];
        let skipped = [
            write("build/out.js"),
            write("src/x.gen.ts"),
            write(".hidden/y.cs"),
            write("src/notes.txt"),
        ];
        let files = source_files(&[root.to_path_buf()], &|| false);
        assert_eq!(files, kept.to_vec());
        for path in &kept {
            assert!(is_walked(root, path), "{}", path.display());
        }
        for path in &skipped {
            assert!(!is_walked(root, path), "{}", path.display());
        }
        assert!(!is_walked(root, &root.join("src/missing.py")));
        assert!(!is_walked(&root.join("src/deep"), &kept[0]));
        // A stopped walk finds nothing more.
        assert!(source_files(&[root.to_path_buf()], &|| true).is_empty());
    }
}
