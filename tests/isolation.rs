//! A panic while linting one file is contained: the server logs it naming the file and goes
//! on (other documents, requests, the workspace scan, a later edit of the same document);
//! `check` reports the file and still reports the others. The panic comes from the test-only
//! trigger `ACS_LINT_TEST_PANIC_ON`, which nothing sets in normal use.

mod common;

use std::path::Path;
use std::process::Command;

use common::Server;
use serde_json::{json, Value};

const MARKER: &str = "ACS-LINT-TEST-PANIC-7f3a9c";

fn boom() -> String {
    // The words make the pre-filter let the file through to the linter.
    format!("# {MARKER}\nclient.answer_call(ctx, callback_url=\"http://contoso.example/cb\")\n")
}

const APP_PY: &str = "client.answer_call(ctx, callback_url=\"http://contoso.example/cb\")\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("src")).expect("mkdir");
    std::fs::write(dir.path().join("src/boom.py"), boom()).expect("write");
    std::fs::write(dir.path().join("src/app.py"), APP_PY).expect("write");
    dir
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn error_log_naming(m: &Value, name: &str) -> bool {
    m["method"] == "window/logMessage"
        && m["params"]["type"] == 1
        && m["params"]["message"]
            .as_str()
            .is_some_and(|s| s.contains(name) && s.contains("internal error"))
}

#[test]
fn a_panic_in_one_files_lint_is_logged_and_the_server_goes_on() {
    let dir = project();
    let root = dir.path();
    let mut server = Server::spawn_with(|c| {
        c.env("ACS_LINT_TEST_PANIC_ON", MARKER);
    });
    server.initialize_with(json!({
        "processId": null,
        "rootUri": uri(root),
        "workspaceFolders": [ { "uri": uri(root), "name": "ws" } ],
        "capabilities": {},
    }));
    // The workspace scan: the file is named, the other file is still published.
    server.wait_for(|m| error_log_naming(m, "boom.py"));
    let app = server.diagnostics(&uri(&root.join("src/app.py")), None);
    assert_eq!(app["diagnostics"][0]["code"], "ACS001");

    // An open document: named in the log, and requests on it get an internal error.
    let open = "file:///tmp/acs-lint-isolation/open_boom.ts";
    server.open(
        open,
        "typescript",
        &format!("// {MARKER}\nawait client.createCall(t, \"http://a.example/cb\");\n"),
    );
    server.wait_for(|m| error_log_naming(m, "open_boom.ts"));
    let hover = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": open }, "position": { "line": 1, "character": 10 } }),
    );
    assert_eq!(hover["error"]["code"], -32603, "{hover}");
    let actions = server.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": open },
                "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 1, "character": 0 } },
                "context": { "diagnostics": [] } }),
    );
    assert_eq!(actions["error"]["code"], -32603, "{actions}");

    // Other documents are linted as usual.
    let other = "file:///tmp/acs-lint-isolation/fine.ts";
    server.open(
        other,
        "typescript",
        "await client.createCall(t, \"http://a.example/cb\");\n",
    );
    assert_eq!(
        server.diagnostics(other, Some(1))["diagnostics"][0]["code"],
        "ACS001"
    );
    // Removing the marker brings the document back.
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": open, "version": 2 }, "contentChanges": [
            { "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 1, "character": 0 } }, "text": "" }
        ]}),
    );
    assert_eq!(
        server.diagnostics(open, Some(2))["diagnostics"][0]["code"],
        "ACS001"
    );
    assert!(server.is_alive());
    assert_eq!(server.shutdown(), Some(0));
}

fn check(dir: &Path, panic_on: Option<&str>) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_acs-lint"));
    command
        .current_dir(dir)
        .args(["check", "--output-format", "json"]);
    command.env_remove("ACS_LINT_TEST_PANIC_ON");
    if let Some(marker) = panic_on {
        command.env("ACS_LINT_TEST_PANIC_ON", marker);
    }
    command.output().expect("run acs-lint")
}

#[test]
fn check_names_the_file_whose_lint_panicked_and_reports_the_others() {
    let dir = project();
    let output = check(dir.path(), Some(MARKER));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("boom.py") && stderr.contains("internal error"),
        "{stderr}"
    );
    assert_eq!(output.status.code(), Some(2));
    let findings: Value = serde_json::from_slice(&output.stdout).expect("json");
    let files: Vec<&str> = findings
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["filename"].as_str()).collect())
        .unwrap_or_default();
    assert!(files.iter().any(|f| f.ends_with("app.py")), "{files:?}");

    // Without the variable the marker is just text: both files are linted normally.
    let normal = check(dir.path(), None);
    assert_eq!(normal.status.code(), Some(1));
    let findings: Value = serde_json::from_slice(&normal.stdout).expect("json");
    assert_eq!(findings.as_array().map(Vec::len), Some(2));
    // A short value is refused, so it cannot fire on everyday text by accident.
    assert_eq!(check(dir.path(), Some("callback")).status.code(), Some(1));
}
