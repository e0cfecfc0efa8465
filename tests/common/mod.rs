//! A tiny LSP client for end-to-end tests: spawns the real binary and speaks framed JSON-RPC.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct Server {
    child: Child,
    /// Everything the server wrote to stderr so far.
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// Messages received but not yet consumed.
    pending: Vec<Value>,
    next_id: i64,
    /// What `workspace/configuration` is answered with.
    pub configuration: Value,
    /// When set, requests from the server are kept pending unanswered (answer with `send`).
    pub hold_requests: bool,
    /// While true, nothing more is read from the server's stdout (see [`Server::pause_reading`]).
    paused: std::sync::Arc<(std::sync::Mutex<bool>, std::sync::Condvar)>,
}

pub fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

impl Server {
    pub fn spawn() -> Server {
        Server::spawn_with(|_| {})
    }

    /// Spawns `acs-lint lsp` after `configure` adjusts the command (environment, directory).
    pub fn spawn_with(configure: impl FnOnce(&mut Command)) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_acs-lint"));
        command.arg("lsp");
        configure(&mut command);
        Server::spawn_command(command)
    }

    /// Spawns a prepared command that runs the server (for example under `unshare`).
    pub fn spawn_command(mut command: Command) -> Server {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn acs-lint lsp");
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        if let Some(mut pipe) = child.stderr.take() {
            let sink = stderr.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = pipe.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    if let Ok(mut s) = sink.lock() {
                        s.push_str(&String::from_utf8_lossy(&buf[..n]));
                    }
                }
            });
        }
        let stdout = child.stdout.take().expect("stdout");
        let stdin = child.stdin.take();
        let (tx, rx) = channel();
        let paused = std::sync::Arc::new((std::sync::Mutex::new(false), std::sync::Condvar::new()));
        let gate = paused.clone();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                {
                    let (lock, resumed) = &*gate;
                    let Ok(mut paused) = lock.lock() else { return };
                    while *paused {
                        let Ok(guard) = resumed.wait(paused) else {
                            return;
                        };
                        paused = guard;
                    }
                }
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        length = v.parse::<usize>().ok();
                    }
                }
                let Some(length) = length else { return };
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                if let Ok(value) = serde_json::from_slice(&body) {
                    if tx.send(value).is_err() {
                        return;
                    }
                }
            }
        });
        Server {
            child,
            stderr,
            stdin,
            messages: rx,
            pending: Vec::new(),
            next_id: 1,
            configuration: Value::Null,
            hold_requests: false,
            paused,
        }
    }

    /// Stops reading the server's stdout after the message being read, as a busy editor
    /// would: once the pipe is full, the server's writes wait.
    pub fn pause_reading(&mut self) {
        self.set_paused(true);
    }

    pub fn resume_reading(&mut self) {
        self.set_paused(false);
    }

    fn set_paused(&mut self, paused: bool) {
        let (lock, changed) = &*self.paused;
        *lock.lock().expect("reader gate") = paused;
        changed.notify_all();
    }

    /// Makes the client's own request ids start at `id` (fuzzing sends ids of its own).
    pub fn set_next_id(&mut self, id: i64) {
        self.next_id = id;
    }

    /// What the server wrote to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Writes bytes to the server; false when its stdin is closed (it has exited).
    pub fn try_send_raw(&mut self, bytes: &[u8]) -> bool {
        let Some(stdin) = self.stdin.as_mut() else {
            return false;
        };
        stdin.write_all(bytes).is_ok() && stdin.flush().is_ok()
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write");
        stdin.flush().expect("flush");
    }

    pub fn send(&mut self, message: &Value) {
        let body = message.to_string();
        self.send_raw(&frame(&body));
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    pub fn request_id(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        id
    }

    /// Sends a request and returns its whole response (`result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.request_id(method, params);
        self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
    }

    /// Sends a request and waits for its response; `None` on timeout.
    pub fn try_wait_for_response(&mut self, method: &str, params: Value) -> Option<Value> {
        let id = self.request_id(method, params);
        self.try_wait_for(
            &|m: &Value| m.get("id") == Some(&json!(id)) && m.get("method").is_none(),
            TIMEOUT,
        )
    }

    /// Waits for a message matching `pred`, answering server-to-client requests on the way.
    pub fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        self.try_wait_for(&pred, TIMEOUT)
            .unwrap_or_else(|| panic!("timed out; pending: {:#?}", self.pending))
    }

    pub fn try_wait_for(
        &mut self,
        pred: &dyn Fn(&Value) -> bool,
        timeout: Duration,
    ) -> Option<Value> {
        if let Some(pos) = self.pending.iter().position(pred) {
            return Some(self.pending.remove(pos));
        }
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) => {
                    if pred(&message) {
                        return Some(message);
                    }
                    self.answer_server_request(&message);
                    self.pending.push(message);
                }
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {
                    return None
                }
            }
        }
    }

    /// Every message up to and including the first that matches `pred`, in arrival order
    /// (server requests are answered on the way). Messages after it stay pending.
    pub fn messages_until(&mut self, pred: impl Fn(&Value) -> bool) -> Vec<Value> {
        let mut out = std::mem::take(&mut self.pending);
        if let Some(pos) = out.iter().position(&pred) {
            self.pending = out.split_off(pos + 1);
            return out;
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) => {
                    self.answer_server_request(&message);
                    let done = pred(&message);
                    out.push(message);
                    if done {
                        return out;
                    }
                }
                Err(_) => panic!("timed out; received: {out:#?}"),
            }
        }
    }

    /// Every message that arrives within `wait` (server requests are answered on the way).
    pub fn drain(&mut self, wait: Duration) -> Vec<Value> {
        let mut out = std::mem::take(&mut self.pending);
        while let Ok(message) = self.messages.recv_timeout(wait) {
            self.answer_server_request(&message);
            out.push(message);
        }
        out
    }

    /// Answers `workspace/configuration` and other server requests with defaults.
    fn answer_server_request(&mut self, message: &Value) {
        let (Some(id), Some(method)) = (message.get("id"), message.get("method")) else {
            return;
        };
        if self.hold_requests {
            return;
        }
        let result = match method.as_str() {
            Some("workspace/configuration") => json!([self.configuration.clone()]),
            _ => Value::Null,
        };
        let reply = json!({ "jsonrpc": "2.0", "id": id, "result": result });
        self.send(&reply);
    }

    /// Waits for diagnostics of `uri`, optionally of a given version.
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Value {
        let uri = uri.to_string();
        self.wait_for(move |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri.as_str()
                && version.is_none_or(|v| m["params"]["version"] == v)
        })["params"]
            .clone()
    }

    pub fn initialize(&mut self, capabilities: Value) -> Value {
        self.initialize_with(
            json!({ "processId": null, "rootUri": null, "capabilities": capabilities }),
        )
    }

    /// Initializes with whole `InitializeParams` (workspace folders, options).
    pub fn initialize_with(&mut self, params: Value) -> Value {
        let response = self.request("initialize", params);
        self.notify("initialized", json!({}));
        response
    }

    pub fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
        );
    }

    /// Shuts down and exits; returns the exit status code.
    pub fn shutdown(mut self) -> Option<i32> {
        let response = self.request("shutdown", Value::Null);
        assert!(response.get("error").is_none(), "{response}");
        self.exit()
    }

    /// Sends `exit` and waits for the process to end; returns the exit status code.
    pub fn exit(mut self) -> Option<i32> {
        self.notify("exit", Value::Null);
        // stdin stays open, as in real editors: the server must exit by itself.
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn is_alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The number of cases a fuzz target runs: `ACS_FUZZ_CASES` when set (for long runs), else the
/// default that keeps `cargo test` quick.
pub fn fuzz_cases(default: u32) -> u32 {
    std::env::var("ACS_FUZZ_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|&n: &u32| n > 0)
        .unwrap_or(default)
}

/// The source files (of a supported language) under `dir`, recursively, in a stable order.
pub fn source_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<std::path::PathBuf> =
        entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            source_files(&path, out);
        } else if acs_lint::language::Language::from_path(&path).is_some() {
            out.push(path);
        }
    }
}

/// Every source file of the test fixtures and the example app.
pub fn fixture_and_example_files() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    source_files(&root.join("tests/fixtures"), &mut files);
    source_files(&root.join("examples"), &mut files);
    files
}
