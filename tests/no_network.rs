//! acs-lint never opens a socket other than its stdio and never runs a program.
//!
//! - `check` and the server (with a workspace scan, an open document and hover) give the same
//!   results inside a user+network namespace (`unshare -rn`, only a downed loopback) as
//!   outside. Where the machine does not allow `unshare`, the test says so on stderr and
//!   passes.
//! - Under `strace` (where it works), neither makes a network system call nor executes
//!   anything but itself.
//! - The source names no socket or process API, and tokio has no `net` or `process` feature.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::Server;
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_acs-lint");

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

/// True when `program args.. true` runs here.
fn works(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .arg("true")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn unshare_works() -> bool {
    let ok = works("unshare", &["-rn"]);
    if !ok {
        eprintln!(
            "note: `unshare -rn` is not permitted on this machine; the no-network comparison is skipped"
        );
    }
    ok
}

fn check(prefix: &[&str]) -> Output {
    let mut command = match prefix.split_first() {
        Some((program, args)) => {
            let mut c = Command::new(program);
            c.args(args).arg(BIN);
            c
        }
        None => Command::new(BIN),
    };
    command
        .args(["check", "--output-format", "json", "."])
        .current_dir(examples())
        .output()
        .expect("run check")
}

#[test]
fn check_gives_the_same_results_without_a_network() {
    if !unshare_works() {
        return;
    }
    let normal = check(&[]);
    let isolated = check(&["unshare", "-rn"]);
    assert_eq!(normal.status.code(), Some(1));
    assert_eq!(isolated.status.code(), normal.status.code());
    assert_eq!(
        String::from_utf8_lossy(&isolated.stdout),
        String::from_utf8_lossy(&normal.stdout)
    );
    let findings: Value = serde_json::from_slice(&normal.stdout).expect("json");
    assert!(findings.as_array().is_some_and(|a| a.len() > 5));
}

/// A session: scan the examples, open one file, hover; returns what was published per file
/// and the hover.
fn session(mut server: Server) -> (BTreeMap<String, Value>, Value) {
    let root = examples();
    let root_uri = format!("file://{}", root.display());
    server.initialize_with(json!({
        "processId": null, "rootUri": root_uri,
        "workspaceFolders": [ { "uri": root_uri, "name": "examples" } ],
        "capabilities": { "window": { "workDoneProgress": true } },
    }));
    let messages = server
        .messages_until(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end");
    let mut published = BTreeMap::new();
    for m in messages
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
    {
        published.insert(
            m["params"]["uri"].as_str().unwrap_or("").to_string(),
            m["params"]["diagnostics"].clone(),
        );
    }
    let file = root.join("contoso-calls/python/app.py");
    let text = std::fs::read_to_string(&file).expect("read");
    let uri = format!("file://{}", file.display());
    server.open(&uri, "python", &text);
    let open = server.diagnostics(&uri, Some(1));
    published.insert(format!("open {uri}"), open["diagnostics"].clone());
    let hover = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 18, "character": 20 } }),
    );
    assert_eq!(server.shutdown(), Some(0));
    (published, hover)
}

#[test]
fn the_server_gives_the_same_results_without_a_network() {
    if !unshare_works() {
        return;
    }
    let normal = session(Server::spawn());
    let mut command = Command::new("unshare");
    command.args(["-rn", BIN, "lsp"]);
    let isolated = session(Server::spawn_command(command));
    assert!(normal.0.len() >= 5, "{:#?}", normal.0);
    assert_eq!(isolated, normal);
}

/// The system calls of interest in an `strace` log: network calls, and executions other than
/// the first (the binary itself).
///
/// Only lines that name a system call count. strace also writes lines that do not: `???(
/// <detached ...>` when a thread ends while strace detaches from it, `--- SIGCHLD ... ---` for
/// signals, `+++ exited with 0 +++`, and `<... socket resumed>` for the second half of a call
/// whose first half (`socket(... <unfinished ...>`) was already counted.
fn forbidden_calls(log: &str) -> Vec<String> {
    let mut execs = 0;
    log.lines()
        .filter(|line| {
            let call = line
                .split_whitespace()
                .nth(1)
                .unwrap_or("")
                .split('(')
                .next()
                .unwrap_or("");
            let names_a_call = !call.is_empty()
                && call
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !names_a_call {
                return false;
            }
            if call.starts_with("exec") {
                execs += 1;
                return execs > 1;
            }
            true
        })
        .map(str::to_string)
        .collect()
}

const TRACE: &[&str] = &[
    "-f",
    "-qq",
    "-e",
    "trace=%network,execve,execveat,fork,vfork",
];

#[test]
fn neither_check_nor_the_server_makes_network_calls_or_runs_programs() {
    if !works("strace", &["-f", "-qq", "-o", "/dev/null"]) {
        eprintln!("note: strace does not work here; the system-call check is skipped");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let check_log = dir.path().join("check.log");
    let mut args: Vec<&str> = TRACE.to_vec();
    let log = check_log.to_string_lossy().into_owned();
    args.extend(["-o", &log]);
    let output = check(&[&["strace"], args.as_slice()].concat());
    assert_eq!(output.status.code(), Some(1));
    let text = std::fs::read_to_string(&check_log).expect("strace log");
    assert_eq!(forbidden_calls(&text), Vec::<String>::new(), "{text}");

    let server_log = dir.path().join("server.log");
    let log = server_log.to_string_lossy().into_owned();
    let mut command = Command::new("strace");
    command.args(TRACE).args(["-o", &log, BIN, "lsp"]);
    let (published, _) = session(Server::spawn_command(command));
    assert!(!published.is_empty());
    let text = std::fs::read_to_string(&server_log).expect("strace log");
    assert_eq!(forbidden_calls(&text), Vec::<String>::new(), "{text}");
}

#[test]
fn the_source_names_no_socket_or_process_api() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // (`std::net`'s address types are fine: ACS005 parses IP literals with them.)
    let forbidden = [
        "ToSocketAddrs",
        "lookup_host",
        "TcpStream",
        "TcpListener",
        "UdpSocket",
        "UnixStream",
        "tokio::net",
        "process::Command",
        "Command::new",
        "tokio::process",
    ];
    let mut stack = vec![root.join("server")];
    let mut found = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read_dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("read");
                for word in forbidden {
                    if text.contains(word) {
                        found.push(format!("{}: {word}", path.display()));
                    }
                }
            }
        }
    }
    assert_eq!(found, Vec::<String>::new());
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml");
    let tokio = manifest
        .lines()
        .find(|l| l.starts_with("tokio"))
        .unwrap_or_default();
    for feature in ["\"net\"", "\"process\"", "\"full\""] {
        assert!(!tokio.contains(feature), "tokio has {feature}: {tokio}");
    }
}

#[test]
fn the_strace_filter_catches_sockets_and_second_executions() {
    let log = "10 execve(\"/bin/acs-lint\", [\"acs-lint\"], 0x1 /* 3 vars */) = 0\n\
11 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n\
12 execve(\"/bin/sh\", [\"sh\"], 0x1 /* 3 vars */) = 0\n\
12 +++ exited with 0 +++\n\
13 ???( <detached ...>\n\
14 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED} ---\n\
15 connect(3, {sa_family=AF_UNIX} <unfinished ...>\n\
15 <... connect resumed>) = 0\n";
    let found = forbidden_calls(log);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[0].contains("socket") && found[1].contains("/bin/sh"));
    assert!(found[2].starts_with("15 connect("), "{found:?}");
}
