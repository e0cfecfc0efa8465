//! The workspace scan end to end: diagnostics for files not open in the editor, `$/progress`
//! in order, gitignore and hidden files respected, open documents winning over the disk,
//! closing a document, watched-file changes, configuration changes, cancellation by the client
//! and by `shutdown`, and the `scanWorkspace` setting.

mod common;

use std::path::{Path, PathBuf};

use common::Server;
use serde_json::{json, Value};

const BAD_PY: &str = "from azure.communication.callautomation import CallAutomationClient\n\
HOST = \"http://contoso.example\"\n\
client.answer_call(context, callback_url=HOST + \"/api/callbacks\")\n";
const GOOD_PY: &str = "from azure.communication.callautomation import CallAutomationClient\n\
HOST = \"https://contoso.example\"\n\
client.answer_call(context, callback_url=HOST + \"/api/callbacks\")\n";
const BAD_TS: &str = "import { SmsClient } from \"@azure/communication-sms\";\n\
const results = await smsClient.send({ from: \"425 555 0100\", to: [\"+14255550100\"], message: \"hi\" }, { enableDeliveryReport: true });\n";
const CLEAN_JS: &str = "// mentions callback and sms, finds nothing\nconst x = 1;\n";

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, text).expect("write");
    path
}

/// A workspace with findings in some files, ignored and hidden files, and a clean one.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, ".gitignore", "generated/\n");
    write(root, "src/app.py", BAD_PY);
    write(root, "src/sms.ts", BAD_TS);
    write(root, "src/clean.js", CLEAN_JS);
    write(root, "src/open.py", BAD_PY);
    write(root, "generated/out.py", BAD_PY);
    write(root, ".hidden/x.py", BAD_PY);
    write(root, "notes.txt", BAD_PY);
    dir
}

fn capabilities(progress: bool) -> Value {
    json!({
        "window": { "workDoneProgress": progress },
        "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } }
    })
}

fn init_params(root: &Path, capabilities: Value, options: Value) -> Value {
    json!({
        "processId": null,
        "rootUri": uri(root),
        "workspaceFolders": [ { "uri": uri(root), "name": "ws" } ],
        "capabilities": capabilities,
        "initializationOptions": options,
    })
}

fn is_progress(m: &Value, kind: &str) -> bool {
    m["method"] == "$/progress" && m["params"]["value"]["kind"] == kind
}

fn published(messages: &[Value]) -> Vec<(String, Value)> {
    messages
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .map(|m| {
            (
                m["params"]["uri"].as_str().unwrap_or("").to_string(),
                m["params"].clone(),
            )
        })
        .collect()
}

fn codes(params: &Value) -> Vec<String> {
    params["diagnostics"]
        .as_array()
        .map(|d| {
            d.iter()
                .map(|x| x["code"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_scan_publishes_unopened_files_with_progress_in_order() {
    let dir = workspace();
    let root = dir.path();
    let mut server = Server::spawn();
    let response = server.request(
        "initialize",
        init_params(root, capabilities(true), Value::Null),
    );
    assert!(response.get("result").is_some(), "{response}");
    // Opened before `initialized`, so before the scan starts: the editor's text (fixed) wins.
    let open_uri = uri(&root.join("src/open.py"));
    server.open(&open_uri, "python", GOOD_PY);
    server.notify("initialized", json!({}));
    let messages = server.messages_until(|m| is_progress(m, "end"));

    // The token is created before it is used, and the watchers are registered.
    let create = messages
        .iter()
        .position(|m| m["method"] == "window/workDoneProgress/create")
        .expect("progress token created");
    let token = messages[create]["params"]["token"].clone();
    let registration = messages
        .iter()
        .find(|m| m["method"] == "client/registerCapability")
        .expect("watchers registered");
    let watchers =
        registration["params"]["registrations"][0]["registerOptions"]["watchers"].to_string();
    assert!(
        watchers.contains("**/acs-lint.toml")
            && watchers.contains("py")
            && watchers.contains("tsx"),
        "{watchers}"
    );
    // begin, reports with growing percentages, end: in this order, all with the token.
    let progress: Vec<&Value> = messages
        .iter()
        .filter(|m| m["method"] == "$/progress")
        .collect();
    let kinds: Vec<&str> = progress
        .iter()
        .map(|m| m["params"]["value"]["kind"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(kinds.first(), Some(&"begin"), "{kinds:?}");
    assert_eq!(kinds.last(), Some(&"end"), "{kinds:?}");
    assert!(kinds[1..kinds.len() - 1].iter().all(|k| *k == "report"));
    assert!(kinds.len() >= 3, "{kinds:?}");
    assert!(progress.iter().all(|m| m["params"]["token"] == token));
    assert!(messages
        .iter()
        .position(|m| is_progress(m, "begin"))
        .is_some_and(|begin| begin > create));
    let percentages: Vec<u64> = progress
        .iter()
        .filter_map(|m| m["params"]["value"]["percentage"].as_u64())
        .collect();
    assert!(
        percentages.windows(2).all(|w| w[0] <= w[1]),
        "{percentages:?}"
    );
    assert_eq!(percentages.last(), Some(&100));
    assert_eq!(progress[0]["params"]["value"]["cancellable"], true);
    let end = progress
        .last()
        .map(|m| m["params"]["value"]["message"].clone());
    assert_eq!(
        end,
        Some(json!("3 files checked, 2 with findings")),
        "open.py is not read: the editor has it"
    );

    // Unopened files with findings are published without a version; nothing else is.
    let published = published(&messages);
    let by_uri = |rel: &str| {
        let wanted = uri(&root.join(rel));
        published
            .iter()
            .filter(|(u, _)| *u == wanted)
            .map(|(_, p)| p.clone())
            .collect::<Vec<_>>()
    };
    let app = by_uri("src/app.py");
    assert_eq!(app.len(), 1, "{published:#?}");
    assert_eq!(codes(&app[0]), ["ACS001"]);
    assert_eq!(app[0]["version"], Value::Null);
    assert_eq!(codes(&by_uri("src/sms.ts")[0]), ["ACS008"]);
    for rel in [
        "src/clean.js",
        "generated/out.py",
        ".hidden/x.py",
        "notes.txt",
    ] {
        assert!(by_uri(rel).is_empty(), "{rel}: {published:#?}");
    }
    // The open document only ever got its own (versioned, clean) diagnostics.
    let open = by_uri("src/open.py");
    assert!(
        open.iter()
            .all(|p| p["version"] == 1 && codes(p).is_empty()),
        "{open:#?}"
    );

    // Closing it leaves what is on disk: the file still has the pitfall.
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": open_uri } }),
    );
    let closed = server.diagnostics(&open_uri, None);
    assert_eq!(codes(&closed), ["ACS001"]);
    assert_eq!(closed["version"], Value::Null);
    // Closing a document outside the workspace clears it.
    let outside = "file:///tmp/acs-lint-outside/x.py";
    server.open(outside, "python", BAD_PY);
    assert_eq!(codes(&server.diagnostics(outside, Some(1))), ["ACS001"]);
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": outside } }),
    );
    assert_eq!(
        codes(&server.diagnostics(outside, None)),
        Vec::<String>::new()
    );
    assert_eq!(server.shutdown(), Some(0));
}

fn watched(server: &mut Server, changes: Value) {
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": changes }),
    );
}

#[test]
fn watched_file_changes_relint_clear_and_follow_the_configuration() {
    let dir = workspace();
    let root = dir.path();
    let mut server = Server::spawn();
    server.initialize_with(init_params(root, capabilities(false), Value::Null));
    let app = uri(&root.join("src/app.py"));
    let sms = uri(&root.join("src/sms.ts"));
    assert_eq!(codes(&server.diagnostics(&app, None)), ["ACS001"]);
    assert_eq!(codes(&server.diagnostics(&sms, None)), ["ACS008"]);

    // Fixed on disk (by another tool): its diagnostics go.
    write(root, "src/app.py", GOOD_PY);
    watched(&mut server, json!([{ "uri": app, "type": 2 }]));
    assert_eq!(codes(&server.diagnostics(&app, None)), Vec::<String>::new());
    // A new file with a pitfall appears; one in an ignored folder does not count.
    let new = write(root, "src/new.py", BAD_PY);
    let ignored = write(root, "generated/more.py", BAD_PY);
    watched(
        &mut server,
        json!([{ "uri": uri(&ignored), "type": 1 }, { "uri": uri(&new), "type": 1 }]),
    );
    assert_eq!(codes(&server.diagnostics(&uri(&new), None)), ["ACS001"]);
    // Deleted: cleared.
    std::fs::remove_file(root.join("src/sms.ts")).expect("rm");
    watched(&mut server, json!([{ "uri": sms, "type": 3 }]));
    assert_eq!(codes(&server.diagnostics(&sms, None)), Vec::<String>::new());
    // A configuration that ignores ACS001 re-lints the files it governs.
    let config = write(root, "acs-lint.toml", "[rules]\nignore = [\"ACS001\"]\n");
    watched(&mut server, json!([{ "uri": uri(&config), "type": 1 }]));
    assert_eq!(
        codes(&server.diagnostics(&uri(&new), None)),
        Vec::<String>::new()
    );
    let rest = server.drain(std::time::Duration::from_millis(300));
    assert!(
        !published(&rest)
            .iter()
            .any(|(u, _)| u.contains("generated")),
        "{rest:#?}"
    );
    assert_eq!(server.shutdown(), Some(0));
}

/// Many files with a finding, so a scan takes long enough to be interrupted.
fn big_workspace(files: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..files {
        write(
            dir.path(),
            &format!("src/m{}/f{i}.py", i % 20),
            &BAD_PY.replace("contoso", &format!("contoso{i}")),
        );
    }
    dir
}

#[test]
fn the_client_can_cancel_the_scan() {
    let dir = big_workspace(3000);
    let mut server = Server::spawn();
    server.initialize_with(init_params(dir.path(), capabilities(true), Value::Null));
    let begin = server.wait_for(|m| is_progress(m, "begin"));
    server.notify(
        "window/workDoneProgress/cancel",
        json!({ "token": begin["params"]["token"] }),
    );
    let messages = server.messages_until(|m| is_progress(m, "end"));
    let end = messages.last().cloned().unwrap_or_default();
    let message = end["params"]["value"]["message"].as_str().unwrap_or("");
    assert!(message.starts_with("Cancelled"), "{message}");
    assert!(published(&messages).len() < 3000);
    let stats = server.request("$/acs-lint/stats", Value::Null);
    assert_eq!(stats["result"]["runningScans"], 0, "{stats}");
    assert_eq!(server.shutdown(), Some(0));
}

#[test]
fn shutdown_stops_a_running_scan() {
    let dir = big_workspace(3000);
    let mut server = Server::spawn();
    server.initialize_with(init_params(dir.path(), capabilities(true), Value::Null));
    server.wait_for(|m| is_progress(m, "begin"));
    let id = server.request_id("shutdown", Value::Null);
    // The scan ends cancelled; everything it published comes before its end (one channel).
    let messages = server.messages_until(|m| is_progress(m, "end"));
    let end = messages.last().cloned().unwrap_or_default();
    let message = end["params"]["value"]["message"].as_str().unwrap_or("");
    assert!(message.starts_with("Cancelled"), "{message}");
    assert!(published(&messages).len() < 3000);
    let is_answer = |m: &Value| m["id"] == id && m.get("method").is_none();
    let answer = match messages.iter().find(|m| is_answer(m)) {
        Some(answer) => answer.clone(),
        None => server.wait_for(is_answer),
    };
    assert!(answer.get("error").is_none(), "{answer}");
    let after = server.drain(std::time::Duration::from_millis(300));
    assert!(published(&after).is_empty(), "{after:#?}");
    assert_eq!(server.exit(), Some(0));
}

#[test]
fn scan_workspace_off_scans_nothing_until_switched_on() {
    let dir = workspace();
    let root = dir.path();
    let mut server = Server::spawn();
    server.initialize_with(init_params(
        root,
        capabilities(true),
        json!({ "scanWorkspace": false }),
    ));
    let quiet = server.drain(std::time::Duration::from_millis(500));
    assert!(published(&quiet).is_empty(), "{quiet:#?}");
    assert!(!quiet.iter().any(|m| m["method"] == "$/progress"));
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "acs-lint": { "scanWorkspace": true } } }),
    );
    let app = uri(&root.join("src/app.py"));
    assert_eq!(codes(&server.diagnostics(&app, None)), ["ACS001"]);
    server.wait_for(|m| is_progress(m, "end"));
    // Switched off again: the disk diagnostics are withdrawn.
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "acs-lint": { "scanWorkspace": false } } }),
    );
    assert_eq!(codes(&server.diagnostics(&app, None)), Vec::<String>::new());
    assert_eq!(server.shutdown(), Some(0));
}

#[test]
fn without_progress_support_the_scan_still_publishes_silently() {
    let dir = workspace();
    let root = dir.path();
    let mut server = Server::spawn();
    server.initialize_with(init_params(root, json!({}), Value::Null));
    let app = uri(&root.join("src/app.py"));
    let messages = server.messages_until(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == app.as_str()
    });
    assert!(!messages.iter().any(|m| m["method"] == "$/progress"
        || m["method"] == "window/workDoneProgress/create"
        || m["method"] == "client/registerCapability"));
    assert_eq!(server.shutdown(), Some(0));
}
