//! Bounds: closing documents frees them and nothing keeps working on them; files over 10 MB
//! and lines over 100,000 characters are skipped with one message, in the server (open
//! documents and the workspace scan) and in `check`.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::Server;
use serde_json::{json, Value};

const LANGUAGES: [(&str, &str); 4] = [
    ("py", "python"),
    ("ts", "typescript"),
    ("cs", "csharp"),
    ("java", "java"),
];

/// A 200-line document with a pitfall, in one of four languages.
fn document(i: usize) -> (String, &'static str, String) {
    let (ext, id) = LANGUAGES[i % LANGUAGES.len()];
    let call = match ext {
        "py" => format!("client.answer_call(ctx, callback_url=\"http://h{i}.example/cb\")\n"),
        _ => format!("client.createCall(target, \"http://h{i}.example/cb\");\n"),
    };
    let filler = match ext {
        "py" => "# a comment line that makes the document longer, café 😀\n",
        _ => "// a comment line that makes the document longer, café 😀\n",
    };
    let text = format!("{call}{}", filler.repeat(199));
    (
        format!("file:///tmp/acs-lint-bounds/doc{i}.{ext}"),
        id,
        text,
    )
}

fn stats(server: &mut Server) -> Value {
    let response = server.request("$/acs-lint/stats", Value::Null);
    response["result"].clone()
}

/// Resident memory of a process in KiB (Linux).
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

fn open_and_close_1000(server: &mut Server, already_open: usize) -> usize {
    let docs: Vec<_> = (0..1000).map(document).collect();
    let bytes: usize = docs.iter().map(|(_, _, t)| t.len()).sum();
    for (uri, id, text) in &docs {
        server.open(uri, id, text);
    }
    // Every one is linted before it is closed.
    let mut seen = std::collections::HashSet::new();
    while seen.len() < docs.len() {
        let m = server.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 1
        });
        assert_eq!(m["params"]["diagnostics"][0]["code"], "ACS001", "{m}");
        seen.insert(m["params"]["uri"].as_str().unwrap_or("").to_string());
    }
    let held = stats(server);
    assert_eq!(held["openDocuments"], already_open + 1000);
    if already_open == 0 {
        assert_eq!(held["openBytes"], bytes);
    }
    for (uri, _, _) in &docs {
        server.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri } }),
        );
    }
    bytes
}

#[test]
fn closing_1000_documents_frees_them_and_nothing_works_on_them_later() {
    let mut server = Server::spawn();
    server.initialize(json!({}));
    open_and_close_1000(&mut server, 0);
    let after = stats(&mut server);
    assert_eq!(after["openDocuments"], 0, "{after}");
    assert_eq!(after["openBytes"], 0, "{after}");
    assert_eq!(after["diskEntries"], 0, "{after}");
    assert_eq!(after["skipMessages"], 0, "{after}");
    let rss_first = rss_kib(server.pid());

    // Nothing works on closed documents: a settings change re-lints the open ones only.
    server.drain(Duration::from_millis(200));
    let live = "file:///tmp/acs-lint-bounds/live.py";
    server.open(live, "python", &document(0).2);
    server.diagnostics(live, Some(1));
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "acs-lint": { "rules": { "severity": { "ACS001": "warning" } } } } }),
    );
    // Wait for the live document's publication however slow the machine is, then for quiet:
    // nothing else may follow.
    let mut relinted = server.messages_until(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == live
    });
    relinted.extend(server.drain(Duration::from_millis(300)));
    let uris: Vec<&str> = relinted
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .filter_map(|m| m["params"]["uri"].as_str())
        .collect();
    assert_eq!(uris, [live]);

    // Memory returns: two more rounds of 1,000 documents do not add to what the first left.
    open_and_close_1000(&mut server, 1);
    open_and_close_1000(&mut server, 1);
    assert_eq!(stats(&mut server)["openDocuments"], 1);
    if let (Some(first), Some(third)) = (rss_first, rss_kib(server.pid())) {
        eprintln!("resident memory after round 1: {first} KiB, after round 3: {third} KiB");
        assert!(
            third < first + 16 * 1024,
            "memory grew from {first} KiB to {third} KiB over two rounds"
        );
    }
    assert_eq!(server.shutdown(), Some(0));
}

fn long_line_text() -> String {
    format!(
        "client.answer_call(ctx, callback_url=\"http://a.example/cb\")\nx = \"{}\"\n",
        "a".repeat(100_001)
    )
}

fn skip_logs(messages: &[Value], name: &str) -> usize {
    messages
        .iter()
        .filter(|m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|s| s.contains(name) && s.contains("does not lint it"))
        })
        .count()
}

#[test]
fn a_long_line_document_is_skipped_with_one_message() {
    let mut server = Server::spawn();
    server.initialize(json!({}));
    let uri = "file:///tmp/acs-lint-bounds/minified.py";
    server.open(uri, "python", &long_line_text());
    assert_eq!(server.diagnostics(uri, Some(1))["diagnostics"], json!([]));
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [
            { "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": "# more\n" }
        ]}),
    );
    assert_eq!(server.diagnostics(uri, Some(2))["diagnostics"], json!([]));
    let messages = server.drain(Duration::from_millis(300));
    // The message came with version 1; the change did not repeat it.
    assert_eq!(skip_logs(&messages, "minified.py"), 1, "{messages:#?}");
    assert_eq!(stats(&mut server)["skipMessages"], 1);
    // Back under the bound (the long line removed), it is linted again.
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [
            { "range": { "start": { "line": 2, "character": 0 }, "end": { "line": 3, "character": 0 } }, "text": "" }
        ]}),
    );
    assert_eq!(
        server.diagnostics(uri, Some(3))["diagnostics"][0]["code"],
        "ACS001"
    );
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    server.diagnostics(uri, None);
    assert_eq!(stats(&mut server)["skipMessages"], 0);
    assert_eq!(server.shutdown(), Some(0));
}

fn big_text() -> String {
    let line = "client.answer_call(ctx, callback_url=\"http://a.example/cb\")\n";
    line.repeat(10 * 1024 * 1024 / line.len() + 1)
}

fn oversized_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("minified.py"), long_line_text()).expect("write");
    std::fs::write(dir.path().join("huge.py"), big_text()).expect("write");
    std::fs::write(
        dir.path().join("app.py"),
        "client.answer_call(ctx, callback_url=\"http://a.example/cb\")\n",
    )
    .expect("write");
    dir
}

#[test]
fn the_workspace_scan_skips_oversized_files_with_one_message_each() {
    let dir = oversized_project();
    let root = dir.path();
    let mut server = Server::spawn();
    let root_uri = format!("file://{}", root.display());
    server.initialize_with(json!({
        "processId": null, "rootUri": root_uri,
        "workspaceFolders": [ { "uri": root_uri, "name": "ws" } ],
        "capabilities": { "window": { "workDoneProgress": true } },
    }));
    let messages = server
        .messages_until(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end");
    assert_eq!(skip_logs(&messages, "minified.py"), 1, "{messages:#?}");
    assert_eq!(skip_logs(&messages, "huge.py"), 1);
    let published: Vec<&str> = messages
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .filter_map(|m| m["params"]["uri"].as_str())
        .collect();
    assert_eq!(published, [format!("{root_uri}/app.py")]);
    assert_eq!(server.shutdown(), Some(0));
}

fn check(dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_acs-lint"))
        .current_dir(dir)
        .arg("check")
        .output()
        .expect("run acs-lint")
}

#[test]
fn check_skips_oversized_files_with_one_warning_each() {
    let dir = oversized_project();
    let output = check(dir.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines = |name: &str| stderr.lines().filter(|l| l.contains(name)).count();
    assert_eq!(lines("minified.py"), 1, "{stderr}");
    assert_eq!(lines("huge.py"), 1, "{stderr}");
    assert!(
        stderr.contains("larger than 10 MB") && stderr.contains("100000"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("app.py") && !stdout.contains("huge.py"),
        "{stdout}"
    );
    assert_eq!(output.status.code(), Some(1));
}
