//! End-to-end tests: the real binary over stdio.

mod common;

use common::{frame, Server};
use serde_json::{json, Value};

const PY: &str = "from azure.communication.callautomation import CallAutomationClient\n\
HOST = \"http://contoso.example\"\n\
client.answer_call(context, callback_url=HOST + \"/api/callbacks\")\n";

fn codes(diagnostics: &Value) -> Vec<String> {
    diagnostics["diagnostics"]
        .as_array()
        .map(|d| {
            d.iter()
                .map(|x| x["code"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Applies LSP text edits (utf-16 or utf-8 columns) to a text.
fn apply(text: &str, edits: &[Value], utf8: bool) -> String {
    let offset = |pos: &Value| -> usize {
        let line = pos["line"].as_u64().unwrap_or(0) as usize;
        let character = pos["character"].as_u64().unwrap_or(0) as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let line_text = text[start..].split('\n').next().unwrap_or("");
        if utf8 {
            return start + character;
        }
        let mut units = 0;
        for (i, ch) in line_text.char_indices() {
            if units >= character {
                return start + i;
            }
            units += ch.len_utf16();
        }
        start + line_text.len()
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, t) in edits {
        out.replace_range(s..e, &t);
    }
    out
}

#[test]
fn full_session_over_stdio_with_utf16() {
    let mut server = Server::spawn();
    let init = server.initialize(json!({}));
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2);
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["codeActionProvider"]["resolveProvider"], true);
    assert!(caps["codeActionProvider"]["codeActionKinds"]
        .as_array()
        .is_some_and(|k| k.contains(&json!("source.fixAll.acs-lint"))));

    let uri = "file:///tmp/acs-lint-e2e/app.py";
    server.open(uri, "python", PY);
    let published = server.diagnostics(uri, Some(1));
    assert_eq!(codes(&published), ["ACS001"]);
    let diagnostic = &published["diagnostics"][0];
    assert_eq!(diagnostic["source"], "acs-lint");
    assert_eq!(diagnostic["severity"], 1);
    assert!(diagnostic["codeDescription"]["href"]
        .as_str()
        .is_some_and(|h| h.ends_with("ACS001.md")));
    assert_eq!(
        diagnostic["range"]["start"],
        json!({"line": 2, "character": 41})
    );
    assert_eq!(diagnostic["data"]["fix"]["edits"][0]["newText"], "https://");

    // Code actions at the diagnostic: the quick fix, the suppression and fix-all.
    let response = server.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": diagnostic["range"], "context": { "diagnostics": [diagnostic] } }),
    );
    let actions = response["result"].as_array().cloned().unwrap_or_default();
    let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
    assert_eq!(
        titles,
        [
            "Use https://",
            "Suppress ACS001 for this line",
            "Suppress ACS001 for this file",
            "Fix all acs-lint problems"
        ]
    );
    let fixed = apply(
        PY,
        actions[0]["edit"]["changes"][uri]
            .as_array()
            .unwrap_or(&vec![]),
        false,
    );
    assert!(
        fixed.contains("HOST = \"https://contoso.example\""),
        "{fixed}"
    );
    let suppressed = apply(
        PY,
        actions[1]["edit"]["changes"][uri]
            .as_array()
            .unwrap_or(&vec![]),
        false,
    );
    assert!(
        suppressed.contains("# acs-lint: ignore ACS001\nclient.answer_call"),
        "{suppressed}"
    );
    let file_wide = apply(
        PY,
        actions[2]["edit"]["changes"][uri]
            .as_array()
            .unwrap_or(&vec![]),
        false,
    );
    assert_eq!(file_wide, format!("# acs-lint: ignore-file ACS001\n{PY}"));
    let all = apply(
        PY,
        actions[3]["edit"]["changes"][uri]
            .as_array()
            .unwrap_or(&vec![]),
        false,
    );
    assert_eq!(all, fixed);
    let only_fix_all = server.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": { "start": {"line":0,"character":0}, "end": {"line":0,"character":0} },
                "context": { "diagnostics": [], "only": ["source.fixAll"] } }),
    );
    assert_eq!(only_fix_all["result"].as_array().map(Vec::len), Some(1));

    // Incremental change: an emoji before the literal, then the scheme fixed.
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [
            { "range": { "start": {"line":1,"character":0}, "end": {"line":1,"character":0} }, "text": "# 😀 note\n" }
        ]}),
    );
    let published = server.diagnostics(uri, Some(2));
    assert_eq!(published["diagnostics"][0]["range"]["start"]["line"], 3);
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [
            { "range": { "start": {"line":2,"character":12}, "end": {"line":2,"character":16} }, "text": "https" }
        ]}),
    );
    let published = server.diagnostics(uri, Some(3));
    assert_eq!(codes(&published), Vec::<String>::new());

    // A stale version is ignored.
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [ { "text": "garbage" } ]}),
    );
    let hover = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 2, "character": 3 } }),
    );
    assert!(hover.get("error").is_none());

    // Hover on an error code.
    let js = "import { CallClient } from \"@azure/communication-calling\";\nif (call.callEndReason.code === 487) { retry(); }\n";
    let js_uri = "file:///tmp/acs-lint-e2e/call.js";
    server.open(js_uri, "javascript", js);
    let hover = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": js_uri }, "position": { "line": 1, "character": 33 } }),
    );
    let markdown = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(
        markdown.contains("Calling") && markdown.contains("487"),
        "{markdown}"
    );
    assert_eq!(hover["result"]["contents"]["kind"], "markdown");

    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": js_uri } }),
    );
    let closed = server.diagnostics(js_uri, None);
    assert_eq!(closed["diagnostics"], json!([]));
    assert_eq!(server.shutdown(), Some(0));
}

#[test]
fn utf8_is_negotiated_when_offered() {
    let mut server = Server::spawn();
    let init =
        server.initialize(json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } }));
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
    let uri = "file:///tmp/acs-lint-e2e/u8.ts";
    let text = "/* 😀é */ await client.createCall(target, \"http://contoso.example/cb\");\n";
    server.open(uri, "typescript", text);
    let published = server.diagnostics(uri, Some(1));
    let start = &published["diagnostics"][0]["range"]["start"];
    // Byte column: the emoji is 4 bytes and é is 2.
    assert_eq!(
        start["character"].as_u64(),
        text.find("\"http").map(|b| b as u64)
    );
    let edits = published["diagnostics"][0]["data"]["fix"]["edits"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(apply(text, &edits, true).contains("\"https://contoso.example/cb\""));
    assert_eq!(server.shutdown(), Some(0));
}

#[test]
fn bad_input_never_ends_the_server() {
    let mut server = Server::spawn();
    server.initialize(json!({}));
    // Malformed JSON, JSON that is not JSON-RPC, garbage between frames, and an unknown method.
    server.send_raw(&frame("{ this is not json"));
    server.send_raw(&frame("{\"id\": {}, \"method\": 3}"));
    server.send_raw(b"garbage without headers\r\n\r\n");
    server.send_raw(&frame("[1, 2, 3]"));
    let unknown = server.request("acs-lint/noSuchMethod", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    // Wrong params for a known method.
    let bad = server.request("textDocument/hover", json!({ "nonsense": true }));
    assert!(bad.get("error").is_some(), "{bad}");
    // Edits to a document that is not open, and out-of-range positions.
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": "file:///nowhere.py", "version": 5 }, "contentChanges": [ { "text": "x" } ]}),
    );
    let uri = "file:///tmp/acs-lint-e2e/range.js";
    server.open(uri, "javascript", "createCall(t, \"http://a.example\");\n");
    server.diagnostics(uri, Some(1));
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [
            { "range": { "start": {"line":99,"character":99}, "end": {"line":120,"character":0} }, "text": "\n// tail" }
        ]}),
    );
    let published = server.diagnostics(uri, Some(2));
    assert_eq!(codes(&published), ["ACS001"]);
    let hover = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 4000, "character": 4000 } }),
    );
    assert!(hover.get("error").is_none(), "{hover}");
    // Binary content and an unknown language.
    server.open(
        "file:///tmp/acs-lint-e2e/blob.py",
        "python",
        "\u{0}\u{1}\u{fffd}\u{7f}def (((",
    );
    server.diagnostics("file:///tmp/acs-lint-e2e/blob.py", Some(1));
    server.open(
        "file:///tmp/acs-lint-e2e/notes.txt",
        "plaintext",
        "http://x",
    );
    assert_eq!(
        server.diagnostics("file:///tmp/acs-lint-e2e/notes.txt", Some(1))["diagnostics"],
        json!([])
    );
    // A 20 MB document is not parsed, and the server says so once.
    let huge = format!(
        "x = 1\n{}",
        "# padding line for a very large file\n".repeat(20 * 1024 * 1024 / 38 + 1)
    );
    server.open("file:///tmp/acs-lint-e2e/huge.py", "python", &huge);
    let log = server.wait_for(|m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|s| s.contains("huge.py"))
    });
    assert!(log["params"]["message"]
        .as_str()
        .unwrap_or("")
        .contains("MB"));
    assert!(server.is_alive());
    assert_eq!(server.shutdown(), Some(0));
}

#[test]
fn broken_config_is_reported_on_the_file_and_the_rest_keeps_working() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("acs-lint.toml"),
        "[rules]\nignroe = [\"ACS001\"]\n",
    )
    .expect("write");
    let file = dir.path().join("app.py");
    std::fs::write(&file, PY).expect("write");
    let uri = format!("file://{}", file.display());
    let config_uri = format!("file://{}", dir.path().join("acs-lint.toml").display());
    let mut server = Server::spawn();
    server.initialize(json!({}));
    server.open(&uri, "python", PY);
    assert_eq!(codes(&server.diagnostics(&uri, Some(1))), ["ACS001"]);
    // Saving the file triggers a re-read and the config diagnostics.
    server.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": config_uri } }),
    );
    let published = server.diagnostics(&config_uri, None);
    assert!(
        published["diagnostics"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("ignroe"),
        "{published}"
    );
    assert_eq!(server.shutdown(), Some(0));
}

/// Opens a document with one ACS001 finding, then pushes settings that ignore ACS001; returns
/// the (empty) diagnostics published for it.
fn push_ignore_acs001(server: &mut Server, uri: &str) -> Value {
    server.open(
        uri,
        "javascript",
        "await client.createCall(t, \"http://a.example/cb\");\n",
    );
    assert_eq!(codes(&server.diagnostics(uri, Some(1))), ["ACS001"]);
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "acs-lint": { "rules": { "ignore": ["ACS001"] } } } }),
    );
    server.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["diagnostics"] == json!([])
    })
}

#[test]
fn settings_from_the_client_take_effect_without_restart() {
    let mut server = Server::spawn();
    server.configuration = json!({ "rules": { "ignore": [] } });
    server.initialize(json!({ "workspace": { "configuration": true } }));
    let uri = "file:///tmp/acs-lint-e2e/settings.js";
    let published = push_ignore_acs001(&mut server, uri);
    assert_eq!(published["params"]["version"], 1);
    // Pulled settings: the client answers workspace/configuration.
    server.configuration = json!({ "rules": { "ignore": [] } });
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": null }),
    );
    let again = server.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["diagnostics"] != json!([])
    });
    assert_eq!(codes(&again["params"]), ["ACS001"]);
    assert_eq!(server.shutdown(), Some(0));
}

/// Settings apply in the order the client sent them: the answer to the server's first pull,
/// held back until after the client pushed newer settings, must not undo the push. (Seen as
/// a flaky `settings_from_the_client_take_effect_without_restart` on a loaded machine.)
#[test]
fn a_pulled_answer_older_than_a_push_does_not_undo_it() {
    let mut server = Server::spawn();
    server.hold_requests = true;
    server.initialize(json!({ "workspace": { "configuration": true } }));
    let pull = server.wait_for(|m| m["method"] == "workspace/configuration");
    let uri = "file:///tmp/acs-lint-e2e/ordered-settings.js";
    push_ignore_acs001(&mut server, uri);
    // Now the stale answer: every rule on.
    server.send(&json!({
        "jsonrpc": "2.0",
        "id": pull["id"],
        "result": [{ "rules": { "ignore": [] } }]
    }));
    let undone = server.try_wait_for(
        &|m: &Value| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["diagnostics"] != json!([])
        },
        std::time::Duration::from_millis(700),
    );
    assert!(
        undone.is_none(),
        "the stale pull undid the push: {undone:?}"
    );
    server.hold_requests = false;
    assert_eq!(server.shutdown(), Some(0));
}

/// Found by `fuzz_rpc`: one byte that is not UTF-8 between frames used to end the server's
/// input (the header reader decoded lines as UTF-8 and gave up).
#[test]
fn regression_non_utf8_bytes_between_frames_do_not_end_the_server() {
    let mut server = Server::spawn();
    server.initialize(json!({}));
    server.send_raw(b"\x8d\r\n\r\n");
    server.send_raw(b"\xff\xfe garbage \xc3\x28\r\n\r\n");
    // A very long garbage line (no newline for a while) is skipped without being kept.
    let mut long = vec![b'x'; 1 << 20];
    long.extend_from_slice(b"\r\n\r\n");
    server.send_raw(&long);
    // A header that promises more than it sends stays pending without allocating it up front;
    // here the promise is kept with a body that is not JSON-RPC.
    server.send_raw(b"Content-Length: 5\r\n\r\n[1,2]");
    let unknown = server.request("acs-lint/noSuchMethod", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    assert_eq!(server.shutdown(), Some(0));
}

/// Offsets of LSP positions on a CRLF text (lines end at `\r\n`; columns in utf-8 bytes or
/// utf-16 units), computed independently of the server.
fn crlf_offset(text: &str, line: u64, character: u64, utf8: bool) -> usize {
    let start: usize = text
        .split_inclusive("\r\n")
        .take(line as usize)
        .map(str::len)
        .sum();
    let mut units = 0u64;
    for (i, ch) in text[start..].char_indices() {
        if units == character {
            return start + i;
        }
        units += if utf8 { ch.len_utf8() } else { ch.len_utf16() } as u64;
    }
    text.len()
}

fn apply_crlf(text: &str, edits: &[Value], utf8: bool) -> String {
    let at = |p: &Value| {
        crlf_offset(
            text,
            p["line"].as_u64().unwrap_or(0),
            p["character"].as_u64().unwrap_or(0),
            utf8,
        )
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                at(&e["range"]["start"]),
                at(&e["range"]["end"]),
                e["newText"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (s, e, t) in spans {
        out.replace_range(s..e, &t);
    }
    out
}

#[test]
fn crlf_documents_get_exact_positions_and_edits_in_utf8_and_utf16() {
    let text = "# é 😀 ünïcödé\r\nfrom azure.communication.callautomation import CallAutomationClient\r\n\
    if True:\r\n    note = \"😀\"; client.answer_call(ctx, callback_url=\"http://contoso.example/cb\")\r\n\
    # acs-lint: ignore ACS008\r\nx = 1\r\n";
    for utf8 in [false, true] {
        let mut server = Server::spawn();
        let capabilities = if utf8 {
            json!({ "general": { "positionEncodings": ["utf-8"] } })
        } else {
            json!({})
        };
        server.initialize(capabilities);
        let uri = "file:///tmp/acs-lint-e2e/crlf.py";
        server.open(uri, "python", text);
        let published = server.diagnostics(uri, Some(1));
        assert_eq!(codes(&published), ["ACS001", "ACS000"], "{published}");
        let acs001 = &published["diagnostics"][0];
        let start = &acs001["range"]["start"];
        let found = crlf_offset(
            text,
            start["line"].as_u64().unwrap_or(0),
            start["character"].as_u64().unwrap_or(0),
            utf8,
        );
        assert_eq!(Some(found), text.find("\"http://"), "utf8={utf8}: {start}");
        let response = server.request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": acs001["range"], "context": { "diagnostics": [acs001] } }),
        );
        let actions = response["result"].as_array().cloned().unwrap_or_default();
        let edits = |title: &str| -> Vec<Value> {
            actions
                .iter()
                .find(|a| a["title"] == title)
                .and_then(|a| a["edit"]["changes"][uri].as_array().cloned())
                .unwrap_or_default()
        };
        let fixed = text.replace("http://contoso", "https://contoso");
        assert_eq!(apply_crlf(text, &edits("Use https://"), utf8), fixed);
        assert_eq!(
            apply_crlf(text, &edits("Suppress ACS001 for this line"), utf8),
            text.replace("    note", "    # acs-lint: ignore ACS001\r\n    note")
        );
        assert_eq!(
            apply_crlf(text, &edits("Suppress ACS001 for this file"), utf8),
            format!("# acs-lint: ignore-file ACS001\r\n{text}")
        );
        assert_eq!(
            apply_crlf(text, &edits("Fix all acs-lint problems"), utf8),
            fixed.replace("# acs-lint: ignore ACS008\r\n", "")
        );
        assert_eq!(server.shutdown(), Some(0));
    }
}

/// Changes sent faster than the server lints: whatever it publishes comes in version order
/// (a stale lint never lands after a newer one), and the last publication is the newest
/// version's, with the diagnostics of its text.
#[test]
fn a_burst_of_changes_publishes_in_version_order_and_ends_on_the_newest() {
    let mut server = Server::spawn();
    server.initialize(json!({}));
    let uri = "file:///tmp/acs-lint-e2e/burst.py";
    let line = "client.answer_call(context, \"http://contoso.example/cb\")\n";
    let text = format!(
        "from azure.communication.callautomation import CallAutomationClient\n{}",
        line.repeat(300)
    );
    server.open(uri, "python", &text);
    const CHANGES: i64 = 40;
    for version in 2..=CHANGES + 1 {
        // Each change fixes one more URL: line 1 + k gets `https`.
        let row = version - 1;
        server.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [
                { "range": { "start": {"line": row, "character": 29}, "end": {"line": row, "character": 33} }, "text": "https" }
            ]}),
        );
    }
    let messages = server.messages_until(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["version"] == CHANGES + 1
    });
    let versions: Vec<i64> = messages
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        .filter_map(|m| m["params"]["version"].as_i64())
        .collect();
    assert!(
        versions.windows(2).all(|w| w[0] < w[1]),
        "published versions went backwards: {versions:?}"
    );
    let last = &messages.last().expect("the newest publication")["params"];
    assert_eq!(
        codes(last).len(),
        300 - CHANGES as usize,
        "the newest text has {} plain-HTTP callbacks left",
        300 - CHANGES
    );
    assert_eq!(server.shutdown(), Some(0));
}

/// A client that stops reading for a while (a busy editor) must not deadlock the server or
/// lose the newest state. While stdout is not read, at most one publication per document
/// waits; here they add up to 6 MB (32 of 200 KB), over the 4 MiB after which the server's
/// other writes (the hover response) wait too. When the client reads again, every document
/// ends on its newest version and the request sent meanwhile is answered.
#[test]
fn a_client_that_stops_reading_gets_the_newest_state_when_it_reads_again() {
    const DOCS: usize = 32;
    const LINES: usize = 400;
    const CHANGES: i64 = 5;
    let mut server = Server::spawn();
    server.initialize(json!({}));
    server.pause_reading();
    let line = "client.answer_call(context, \"http://contoso.example/cb\")\n";
    let text = format!(
        "from azure.communication.callautomation import CallAutomationClient\n{}if event.result_information.code == 500:\n    pass\n",
        line.repeat(LINES)
    );
    let uris: Vec<String> = (0..DOCS)
        .map(|i| format!("file:///tmp/acs-lint-e2e/stall{i}.py"))
        .collect();
    for uri in &uris {
        server.open(uri, "python", &text);
    }
    for version in 2..=CHANGES + 1 {
        let row = version - 1;
        for uri in &uris {
            server.notify(
                "textDocument/didChange",
                json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [
                    { "range": { "start": {"line": row, "character": 29}, "end": {"line": row, "character": 33} }, "text": "https" }
                ]}),
            );
        }
    }
    // Let the server lint everything while nothing is read, so the request's response is
    // written behind several MB of publications.
    std::thread::sleep(std::time::Duration::from_secs(2));
    let code_line = LINES + 1;
    let hover = server.request_id(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uris[0] }, "position": { "line": code_line, "character": 37 } }),
    );
    server.resume_reading();
    let newest = std::cell::RefCell::new(std::collections::HashSet::new());
    let answered = std::cell::Cell::new(false);
    let messages = server.messages_until(|m| {
        if m["id"] == hover && m.get("method").is_none() {
            answered.set(true);
        }
        if m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == CHANGES + 1
        {
            if let Some(uri) = m["params"]["uri"].as_str() {
                newest.borrow_mut().insert(uri.to_string());
            }
        }
        answered.get() && newest.borrow().len() == DOCS
    });
    let response = messages
        .iter()
        .find(|m| m["id"] == hover && m.get("method").is_none())
        .expect("the hover response");
    assert!(
        response["result"]["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.contains("500")),
        "hover on 500: {response}"
    );
    for uri in &uris {
        let published: Vec<&Value> = messages
            .iter()
            .filter(|m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri.as_str()
            })
            .map(|m| &m["params"])
            .collect();
        let versions: Vec<i64> = published
            .iter()
            .filter_map(|p| p["version"].as_i64())
            .collect();
        assert!(
            versions.windows(2).all(|w| w[0] < w[1]),
            "{uri}: published versions went backwards: {versions:?}"
        );
        let last = published.last().expect("a publication");
        assert_eq!(last["version"], CHANGES + 1, "{uri}");
        assert_eq!(
            codes(last).iter().filter(|c| *c == "ACS001").count(),
            LINES - CHANGES as usize,
            "{uri}: the newest text has {} plain-HTTP callbacks left",
            LINES - CHANGES as usize
        );
    }
    assert_eq!(server.shutdown(), Some(0));
}

/// A file that cannot produce a finding is kept without a syntax tree until it can: code
/// actions (asked wherever the cursor goes) do not parse it, hover parses it and still
/// explains a code in it, and the edit that makes it an ACS file is linted at once.
#[test]
fn a_file_without_acs_gets_hover_and_is_linted_once_an_edit_brings_acs_in() {
    let mut server = Server::spawn();
    server.initialize(json!({}));
    let uri = "file:///tmp/acs-lint-e2e/plain.ts";
    let text = "function onEnd(e) {\n  if (e.callEndReason.code === 487) { retry(); }\n}\n";
    assert!(!acs_lint::prefilter::may_match(text.as_bytes()));
    server.open(uri, "typescript", text);
    assert!(codes(&server.diagnostics(uri, Some(1))).is_empty());
    let parsed = |server: &mut Server| {
        server.request("$/acs-lint/stats", Value::Null)["result"]["parsedDocuments"].clone()
    };
    assert_eq!(parsed(&mut server), 0, "kept without a tree");
    // Editors ask for code actions wherever the cursor goes: that must not parse the file.
    let actions = server.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri },
                "range": { "start": { "line": 1, "character": 0 }, "end": { "line": 1, "character": 5 } },
                "context": { "diagnostics": [] } }),
    );
    assert!(
        actions["result"].as_array().is_none_or(Vec::is_empty),
        "{actions}"
    );
    assert_eq!(parsed(&mut server), 0, "still without a tree");
    let column = text.lines().nth(1).and_then(|l| l.find("487")).unwrap_or(0);
    let hover = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 1, "character": column + 1 } }),
    );
    assert!(
        hover["result"]["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.contains("487")),
        "{hover}"
    );
    assert_eq!(parsed(&mut server), 1, "hover parsed it");
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [
            { "range": { "start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 0} },
              "text": "await client.createCall(t, \"http://a.example/cb\");\n" }
        ]}),
    );
    assert_eq!(codes(&server.diagnostics(uri, Some(2))), ["ACS001"]);
    // And edits go on incrementally from there.
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [
            { "range": { "start": {"line": 3, "character": 28}, "end": {"line": 3, "character": 32} }, "text": "https" }
        ]}),
    );
    assert!(codes(&server.diagnostics(uri, Some(3))).is_empty());
    assert_eq!(server.shutdown(), Some(0));
}
