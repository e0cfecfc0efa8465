//! The benchmark's corpus generator (`acs-bench corpus`) is deterministic and writes code that
//! parses cleanly. A smoke test only: the benchmark itself is run by `scripts/bench.sh`.

use std::path::{Path, PathBuf};
use std::process::Command;

use acs_lint::language::Language;

fn generate(dir: &Path, files: usize) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_acs-bench"))
        .args(["corpus", "--files", &files.to_string(), "--out"])
        .arg(dir)
        .output()
        .expect("run acs-bench corpus");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read corpus dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    files_under(dir, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("read corpus file");
            (p.strip_prefix(dir).expect("inside").to_path_buf(), bytes)
        })
        .collect()
}

#[test]
fn the_bench_corpus_is_deterministic_and_parses() {
    let temp = tempfile::tempdir().expect("temp dir");
    let (a, b) = (temp.path().join("a"), temp.path().join("b"));
    let digest_a = generate(&a, 40);
    let digest_b = generate(&b, 40);
    assert_eq!(digest_a.len(), 16, "a hex digest: {digest_a}");
    assert_eq!(digest_a, digest_b);
    let (files_a, files_b) = (contents(&a), contents(&b));
    assert_eq!(files_a.len(), 40);
    assert!(files_a == files_b, "same seed, different files");

    let mut acs = 0;
    for (path, bytes) in &files_a {
        let language = Language::from_path(path).expect("a supported extension");
        let text = std::str::from_utf8(bytes).expect("UTF-8");
        let tree = acs_lint::document::parse(language, text).expect("parsed");
        assert!(
            !tree.root_node().has_error(),
            "{}: syntax error in generated code",
            path.display()
        );
        acs += usize::from(
            text.to_ascii_lowercase().contains("azure.communication")
                || text.contains("@azure/communication"),
        );
    }
    // One file in five uses ACS.
    assert_eq!(acs, 8);
}
