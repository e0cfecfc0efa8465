//! Inlay hints over LSP: off by default, on with the `inlayHints` setting, labels after the code
//! literals that hover explains and nowhere else.

mod common;

use common::Server;
use serde_json::{json, Value};

const SOURCE: &str = "import { CallClient } from \"@azure/communication-calling\";\nconst port = 8080;\nif (call.callEndReason.code === 487) { retry(); }\n";

fn hints(server: &mut Server, uri: &str) -> Vec<Value> {
    let response = server.request(
        "textDocument/inlayHint",
        json!({
            "textDocument": { "uri": uri },
            "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 10, "character": 0 } }
        }),
    );
    response["result"].as_array().cloned().unwrap_or_default()
}

#[test]
fn inlay_hints_follow_the_setting() {
    let mut server = Server::spawn();
    server.configuration = json!({});
    server.initialize(json!({ "workspace": { "configuration": true } }));
    let uri = "file:///tmp/acs-lint-e2e/inlay.js";
    server.open(uri, "javascript", SOURCE);
    server.diagnostics(uri, Some(1));
    assert!(
        hints(&mut server, uri).is_empty(),
        "inlay hints are off by default"
    );

    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "acs-lint": { "inlayHints": true } } }),
    );
    // The notification and the next request are handled concurrently: ask until it applies.
    let mut on = Vec::new();
    let deadline = std::time::Instant::now() + common::TIMEOUT;
    while std::time::Instant::now() < deadline {
        on = hints(&mut server, uri);
        if !on.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(
        on.len(),
        1,
        "one hint, after 487 and not after 8080: {on:?}"
    );
    let hint = &on[0];
    assert_eq!(hint["position"]["line"], 2);
    let label = hint["label"].to_string().to_lowercase();
    assert!(label.contains("cancel"), "{label}");
    let after_487 = SOURCE.lines().nth(2).and_then(|l| l.find("487")).unwrap() + 3;
    assert_eq!(hint["position"]["character"], after_487);

    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "acs-lint": { "inlayHints": false } } }),
    );
    let mut off = on;
    let deadline = std::time::Instant::now() + common::TIMEOUT;
    while std::time::Instant::now() < deadline {
        off = hints(&mut server, uri);
        if off.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(off.is_empty(), "turned off again: {off:?}");
    assert_eq!(server.shutdown(), Some(0));
}
