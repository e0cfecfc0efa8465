//! Fuzzing the real server binary with JSON-RPC frames: garbage bytes (UTF-8 or not) between
//! frames, bad and odd headers, bodies that are not JSON or not JSON-RPC, ids and params of the
//! wrong type, huge numbers, unknown methods, and the server's own methods with their params
//! mutated (positions and versions out of range, wrong types, missing fields).
//!
//! After each sequence a valid request is still answered, a newly opened document still gets
//! diagnostics, and `shutdown` + `exit` end the process with status 0.
//!
//! `ACS_FUZZ_CASES=N cargo test --test fuzz_rpc` runs N sequences (see README).

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{frame, Server};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// The fuzz workspace (created once per run, removed at the end).
static ROOT: OnceLock<PathBuf> = OnceLock::new();

fn root() -> &'static Path {
    ROOT.get()
        .map(PathBuf::as_path)
        .unwrap_or(Path::new("/nonexistent/acs-lint-fuzz"))
}

fn uri_of(rel: &str) -> String {
    format!("file://{}/{rel}", root().display())
}
const TEXT: &str = "from azure.communication.callautomation import CallAutomationClient\n\
HOST = \"http://contoso.example\"  # café 😀\n\
client.answer_call(context, callback_url=HOST + \"/api/callbacks\")\n\
if result.code == 8523:\n    pass\n";

/// Numbers and strings that break careless conversions.
fn edge_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(0)),
        Just(json!(-1)),
        Just(json!(1)),
        Just(json!(7)),
        Just(json!(4000)),
        Just(json!(u32::MAX)),
        Just(json!(u32::MAX as u64 + 1)),
        Just(json!(i32::MAX)),
        Just(json!(i32::MIN)),
        Just(json!(i64::MAX)),
        Just(json!(i64::MIN)),
        Just(json!(u64::MAX)),
        Just(json!(1.5)),
        Just(json!(1e300)),
        Just(json!(-0.0)),
        Just(json!(null)),
        Just(json!(true)),
        Just(json!("")),
        Just(json!("😀\u{0}\u{fffd}")),
        Just(json!(uri_of("app.py"))),
        Just(json!(uri_of("sub/other.ts"))),
        Just(json!(uri_of("acs-lint.toml"))),
        Just(json!(uri_of(""))),
        Just(json!("file:///%FF%FE/x.cs")),
        Just(json!("file://server/share/x.java")),
        Just(json!("untitled:Untitled-1")),
        Just(json!("not a uri at all")),
        Just(json!("file:///C:/x.js")),
        Just(json!("python")),
        Just(json!("csharp")),
        Just(json!("acs-lint.applyAllFixes")),
        Just(json!("source.fixAll.acs-lint")),
        Just(json!({})),
        Just(json!([])),
        Just(json!([null, 1, "x"])),
        any::<i64>().prop_map(Value::from),
        any::<u32>().prop_map(Value::from),
        "\\PC{0,20}".prop_map(Value::from),
    ]
}

const KEYS: &[&str] = &[
    "textDocument",
    "uri",
    "position",
    "line",
    "character",
    "range",
    "start",
    "end",
    "text",
    "version",
    "contentChanges",
    "languageId",
    "context",
    "diagnostics",
    "only",
    "settings",
    "changes",
    "type",
    "arguments",
    "command",
    "token",
    "value",
    "kind",
    "acs-lint",
    "rules",
    "ignore",
    "severity",
    "scanWorkspace",
    "inlayHints",
];

/// Arbitrary JSON, leaning on LSP vocabulary and edge values.
fn any_json() -> impl Strategy<Value = Value> {
    edge_value().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((0..KEYS.len(), inner), 0..4).prop_map(|pairs| {
                let mut map = Map::new();
                for (key, value) in pairs {
                    map.insert(KEYS[key].to_string(), value);
                }
                Value::Object(map)
            }),
        ]
    })
}

/// Methods with valid params to start from.
fn templates() -> Vec<(&'static str, bool, Value)> {
    let pos = json!({ "line": 2, "character": 45 });
    let range =
        json!({ "start": { "line": 1, "character": 0 }, "end": { "line": 2, "character": 10 } });
    let uri = uri_of("app.py");
    let doc = json!({ "uri": uri });
    vec![
        (
            "textDocument/hover",
            true,
            json!({ "textDocument": doc, "position": pos }),
        ),
        (
            "textDocument/codeAction",
            true,
            json!({ "textDocument": doc, "range": range, "context": { "diagnostics": [], "only": ["quickfix", "source.fixAll"] } }),
        ),
        (
            "codeAction/resolve",
            true,
            json!({ "title": "x", "kind": "quickfix" }),
        ),
        (
            "textDocument/inlayHint",
            true,
            json!({ "textDocument": doc, "range": range }),
        ),
        (
            "workspace/executeCommand",
            true,
            json!({ "command": "acs-lint.applyAllFixes", "arguments": [uri] }),
        ),
        (
            "textDocument/completion",
            true,
            json!({ "textDocument": doc, "position": pos }),
        ),
        (
            "textDocument/definition",
            true,
            json!({ "textDocument": doc, "position": pos }),
        ),
        ("$/acs-lint/stats", true, json!(null)),
        ("acs-lint/noSuchMethod", true, json!({})),
        ("initialize", true, json!({ "capabilities": {} })),
        (
            "textDocument/didOpen",
            false,
            json!({ "textDocument": { "uri": uri, "languageId": "python", "version": 1, "text": TEXT } }),
        ),
        (
            "textDocument/didOpen",
            false,
            json!({ "textDocument": { "uri": uri_of("sub/other.ts"), "languageId": "typescript", "version": 3, "text": "createCall(t, \"http://x.example\");\r\n" } }),
        ),
        (
            "textDocument/didChange",
            false,
            json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [ { "range": range, "text": "x = \"😀\"\r\n" }, { "text": TEXT } ] }),
        ),
        (
            "textDocument/didChange",
            false,
            json!({ "textDocument": { "uri": uri, "version": 9 }, "contentChanges": [ { "range": { "start": { "line": 99, "character": 99 }, "end": { "line": 0, "character": 3 } }, "text": "é" } ] }),
        ),
        (
            "textDocument/didSave",
            false,
            json!({ "textDocument": doc }),
        ),
        (
            "textDocument/didClose",
            false,
            json!({ "textDocument": doc }),
        ),
        (
            "workspace/didChangeConfiguration",
            false,
            json!({ "settings": { "acs-lint": { "rules": { "severity": { "ACS001": "warning" } }, "inlayHints": true } } }),
        ),
        (
            "workspace/didChangeConfiguration",
            false,
            json!({ "settings": null }),
        ),
        (
            "workspace/didChangeWatchedFiles",
            false,
            json!({ "changes": [ { "uri": uri_of("acs-lint.toml"), "type": 2 }, { "uri": uri, "type": 3 }, { "uri": uri_of("sub/other.ts"), "type": 1 }, { "uri": uri_of("sub"), "type": 3 } ] }),
        ),
        (
            "workspace/didChangeWorkspaceFolders",
            false,
            json!({ "event": { "added": [ { "uri": uri_of("sub"), "name": "x" } ], "removed": [ { "uri": uri_of(""), "name": "y" } ] } }),
        ),
        (
            "window/workDoneProgress/cancel",
            false,
            json!({ "token": "acs-lint/scan/1" }),
        ),
        ("$/cancelRequest", false, json!({ "id": 3 })),
        ("$/setTrace", false, json!({ "value": "verbose" })),
        ("$/noSuchNotification", false, json!({})),
        ("initialized", false, json!({})),
    ]
}

/// One step of a mutation: which node of the params (in pre-order) and what to do there.
#[derive(Clone, Debug)]
enum Mutation {
    Replace(usize, Value),
    Remove(usize),
}

fn mutate(value: &mut Value, mutation: &Mutation) {
    fn walk(value: &mut Value, target: &mut usize, mutation: &Mutation) -> bool {
        if *target == 0 {
            if let Mutation::Replace(_, new) = mutation {
                *value = new.clone();
            }
            return true;
        }
        *target -= 1;
        match value {
            Value::Object(map) => {
                let keys: Vec<String> = map.keys().cloned().collect();
                for key in keys {
                    if *target == 0 {
                        if let Mutation::Remove(_) = mutation {
                            map.remove(&key);
                            return true;
                        }
                    }
                    if let Some(child) = map.get_mut(&key) {
                        if walk(child, target, mutation) {
                            return true;
                        }
                    }
                }
                false
            }
            Value::Array(items) => items.iter_mut().any(|item| walk(item, target, mutation)),
            _ => false,
        }
    }
    let mut target = match mutation {
        Mutation::Replace(at, _) | Mutation::Remove(at) => *at % 24,
    };
    walk(value, &mut target, mutation);
}

#[derive(Clone, Debug)]
enum Frame {
    /// Bytes between frames (never a `Content-Length` line), then a blank line.
    Garbage(Vec<u8>),
    /// A correctly framed body of arbitrary bytes.
    Body(Vec<u8>),
    /// A correctly framed arbitrary JSON value.
    Json(Value),
    /// A known method with mutated params and an id of any shape.
    Method {
        template: usize,
        mutations: Vec<Mutation>,
        id: Option<Value>,
    },
    /// A response to a request the server never made.
    Response(Value, Value),
    /// Odd but self-delimiting headers.
    Header(usize, Value),
}

fn frame_strategy(templates: usize) -> impl Strategy<Value = Frame> {
    let id = prop_oneof![
        3 => Just(None),
        3 => (1000i64..1050).prop_map(|i| Some(json!(i))),
        1 => edge_value().prop_map(Some),
    ];
    prop_oneof![
        2 => prop::collection::vec(any::<u8>(), 0..200).prop_map(Frame::Garbage),
        2 => prop::collection::vec(any::<u8>(), 0..200).prop_map(Frame::Body),
        2 => any_json().prop_map(Frame::Json),
        8 => (0..templates, prop::collection::vec(
                prop_oneof![
                    3 => (any::<usize>(), any_json()).prop_map(|(a, v)| Mutation::Replace(a, v)),
                    1 => any::<usize>().prop_map(Mutation::Remove),
                ], 0..3), id)
            .prop_map(|(template, mutations, id)| Frame::Method { template, mutations, id }),
        1 => (edge_value(), any_json()).prop_map(|(id, result)| Frame::Response(id, result)),
        2 => (0usize..HEADERS, any_json()).prop_map(|(h, v)| Frame::Header(h, v)),
    ]
}

const HEADERS: usize = 11;

fn header_frame(which: usize, body: &str) -> Vec<u8> {
    let n = body.len();
    let text = match which {
        0 => "Content-Length: abc\r\n\r\n".to_string(),
        1 => "Content-Length: -1\r\n\r\n".to_string(),
        2 => "Content-Length: 99999999999999999999999\r\n\r\n".to_string(),
        3 => format!(
            "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: {n}\r\n\r\n{body}"
        ),
        4 => format!("content-length:{n}\r\n\r\n{body}"),
        5 => format!("Content-Length: {n}\n\n{body}"),
        6 => format!("Content-Length: 5\r\nContent-Length: {n}\r\n\r\n{body}"),
        7 => "X-Garbage-Without-Colon\r\n\r\n".to_string(),
        8 => "\r\n\r\n\n\r\n".to_string(),
        9 => "Content-Length: 0\r\n\r\n".to_string(),
        _ => format!("Content-Length:    {n}   \r\n\r\n{body}"),
    };
    text.into_bytes()
}

fn encode(step: &Frame, templates: &[(&str, bool, Value)], next_id: &mut i64) -> Vec<u8> {
    match step {
        Frame::Garbage(bytes) => {
            let lower = String::from_utf8_lossy(bytes).to_ascii_lowercase();
            let mut out = if lower.contains("content-length") {
                b"garbage".to_vec()
            } else {
                bytes.clone()
            };
            out.extend_from_slice(b"\r\n\r\n");
            out
        }
        Frame::Body(bytes) => {
            let mut out = format!("Content-Length: {}\r\n\r\n", bytes.len()).into_bytes();
            out.extend_from_slice(bytes);
            out
        }
        Frame::Json(value) => frame(&value.to_string()),
        Frame::Method {
            template,
            mutations,
            id,
        } => {
            let (method, is_request, params) = &templates[*template % templates.len()];
            let mut params = params.clone();
            for mutation in mutations {
                mutate(&mut params, mutation);
            }
            let mut message = json!({ "jsonrpc": "2.0", "method": method, "params": params });
            match id {
                Some(id) => message["id"] = id.clone(),
                None if *is_request => {
                    *next_id += 1;
                    message["id"] = json!(*next_id);
                }
                None => {}
            }
            frame(&message.to_string())
        }
        Frame::Response(id, result) => {
            frame(&json!({ "jsonrpc": "2.0", "id": id, "result": result }).to_string())
        }
        Frame::Header(which, value) => {
            let body = json!({ "jsonrpc": "2.0", "method": "$/fuzz", "params": value }).to_string();
            header_frame(*which, &body)
        }
    }
}

/// Runs one sequence against a fresh server and checks it is still healthy afterwards.
fn run_sequence(
    before_init: &[Frame],
    after_init: &[Frame],
    utf8: bool,
    configuration: bool,
    progress: bool,
    workspace: bool,
) -> Result<(), String> {
    let templates = templates();
    let uri = uri_of("app.py");
    // Frames before `initialize` must not initialize the server themselves.
    let pre_templates: Vec<_> = templates
        .iter()
        .filter(|(m, _, _)| *m != "initialize")
        .cloned()
        .collect();
    let mut server = Server::spawn();
    server.set_next_id(7_777_777_777);
    let mut next_id = 100_000;
    for frame in before_init {
        if !server.try_send_raw(&encode(frame, &pre_templates, &mut next_id)) {
            return Err(format!(
                "the server exited before initialize; stderr:\n{}",
                server.stderr()
            ));
        }
    }
    let mut capabilities = json!({ "workspace": { "configuration": configuration }, "window": { "workDoneProgress": progress } });
    if utf8 {
        capabilities["general"] = json!({ "positionEncodings": ["utf-8"] });
    }
    let root_uri = if workspace {
        json!(uri_of(""))
    } else {
        Value::Null
    };
    let init = server.initialize_with(json!({
        "processId": null,
        "rootUri": root_uri,
        "capabilities": capabilities,
    }));
    if init.get("result").is_none() {
        return Err(format!("initialize failed: {init}"));
    }
    server.open(&uri, "python", TEXT);
    for frame in after_init {
        if !server.try_send_raw(&encode(frame, &templates, &mut next_id)) {
            return Err(format!("the server exited; stderr:\n{}", server.stderr()));
        }
    }
    let hover = server.try_wait_for_response(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 3, "character": 15 } }),
    );
    if hover.is_none() {
        return Err(format!(
            "no answer to a valid request; stderr:\n{}",
            server.stderr()
        ));
    }
    let fresh = "file:///tmp/acs-lint-fuzz/fresh.js";
    server.open(
        fresh,
        "javascript",
        "createCall(t, \"http://contoso.example/cb\");\n",
    );
    let published = server.try_wait_for(
        &|m: &Value| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == fresh
                && m["params"]["version"] == 1
        },
        common::TIMEOUT,
    );
    if published.is_none() {
        return Err(format!(
            "no diagnostics for a new document; stderr:\n{}",
            server.stderr()
        ));
    }
    let stderr = server.stderr();
    match server.shutdown() {
        Some(0) => Ok(()),
        other => Err(format!("exit status {other:?}; stderr:\n{stderr}")),
    }
}

#[test]
fn arbitrary_frames_never_end_or_hang_the_server() {
    // A small workspace, so scans, watched files and folder changes run under the fuzz too.
    let dir = tempfile::tempdir().expect("tempdir");
    let files = [
        ("app.py", TEXT),
        (
            "sub/other.ts",
            "await client.createCall(t, \"http://x.example/cb\");\n",
        ),
        (
            "sub/sms.py",
            "sms_client.send(from_=\"425 555 0100\", to=\"+14255550100\", message=\"x\")\n",
        ),
        ("acs-lint.toml", "[rules.severity]\nACS008 = \"warning\"\n"),
        (".gitignore", "ignored/\n"),
        ("ignored/x.py", TEXT),
    ];
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    let _ = ROOT.set(dir.path().to_path_buf());

    let config = ProptestConfig {
        cases: common::fuzz_cases(120),
        failure_persistence: None,
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    };
    let strategy = (
        prop::collection::vec(frame_strategy(24), 0..4),
        prop::collection::vec(frame_strategy(26), 0..40),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    );
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let result = runner.run(
        &strategy,
        |(before_init, after_init, utf8, configuration, progress, workspace)| {
            let result = run_sequence(
                &before_init,
                &after_init,
                utf8,
                configuration,
                progress,
                workspace,
            );
            prop_assert!(result.is_ok(), "{}", result.err().unwrap_or_default());
            Ok(())
        },
    );
    if let Err(failure) = result {
        panic!("{failure}");
    }
}
