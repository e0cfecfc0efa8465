//! Sections 3 and 4: the real `acs-lint lsp` process, spoken to over stdio.

use std::collections::HashSet;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::corpus::{self, Lang, Rng};
use crate::{verdict, Report};

/// How long to wait for one answer before calling the run failed.
const TIMEOUT: Duration = Duration::from_secs(60);

/// A language server process and the messages it sends, timestamped on arrival.
struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<(Instant, Value)>,
    next_id: i64,
}

impl Server {
    fn start(binary: &Path) -> Result<Server, String> {
        let mut child = Command::new(binary)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {} lsp: {e}", binary.display()))?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| "no stdin for the server".to_string())?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| "no stdout for the server".to_string())?;
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut header = String::new();
                    match reader.read_line(&mut header) {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    let header = header.trim();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(value) = header.strip_prefix("Content-Length:") {
                        length = value.trim().parse::<usize>().ok();
                    }
                }
                let Some(length) = length else { return };
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let now = Instant::now();
                if let Ok(value) = serde_json::from_slice::<Value>(&body) {
                    if sender.send((now, value)).is_err() {
                        return;
                    }
                }
            }
        });
        Ok(Server {
            child,
            stdin,
            messages,
            next_id: 1,
        })
    }

    fn send(&mut self, message: &Value) -> Result<Instant, String> {
        let body = message.to_string();
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        let sent = Instant::now();
        self.stdin
            .write_all(frame.as_bytes())
            .and_then(|()| self.stdin.flush())
            .map_err(|e| format!("cannot write to the server: {e}"))?;
        Ok(sent)
    }

    fn notify(&mut self, method: &str, params: Value) -> Result<Instant, String> {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }))
    }

    fn request(&mut self, method: &str, params: Value) -> Result<Value, String> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }))?;
        let (_, response) =
            self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())?;
        Ok(response)
    }

    /// The next message that satisfies `wanted`; requests from the server are answered with
    /// `null` on the way.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Result<(Instant, Value), String> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let (at, message) = match self.messages.recv_timeout(left) {
                Ok(received) => received,
                Err(RecvTimeoutError::Timeout) => {
                    return Err("the server did not answer in time".to_string())
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err("the server closed its output".to_string())
                }
            };
            if let (Some(id), Some(_)) = (message.get("id"), message.get("method")) {
                let id = id.clone();
                self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": null }))?;
                continue;
            }
            if wanted(&message) {
                return Ok((at, message));
            }
        }
    }

    fn initialize(&mut self, root: &Path) -> Result<(), String> {
        let root_uri = file_uri(root);
        self.request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "rootUri": root_uri,
                "workspaceFolders": [{ "uri": root_uri, "name": "bench" }],
                "capabilities": {
                    "general": { "positionEncodings": ["utf-16"] },
                    "textDocument": {
                        "synchronization": { "dynamicRegistration": false },
                        "publishDiagnostics": { "versionSupport": true }
                    }
                }
            }),
        )?;
        self.notify("initialized", json!({}))?;
        Ok(())
    }

    fn open(&mut self, uri: &str, lang: Lang, text: &str) -> Result<Instant, String> {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": lang.lsp_id(), "version": 1, "text": text } }),
        )
    }

    /// The resident memory of the server, in bytes.
    fn rss(&self) -> Result<u64, String> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .map_err(|e| format!("cannot read the server's /proc status: {e}"))?;
        status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<u64>().ok())
            .map(|kb| kb * 1024)
            .ok_or_else(|| "no VmRSS in the server's /proc status".to_string())
    }

    fn stop(mut self) {
        let _ = self.request("shutdown", Value::Null);
        let _ = self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn is_diagnostics_for(message: &Value, uri: &str) -> bool {
    message.get("method").and_then(Value::as_str) == Some("textDocument/publishDiagnostics")
        && message.pointer("/params/uri").and_then(Value::as_str) == Some(uri)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    // Nearest rank.
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted
        .get(rank.saturating_sub(1).min(sorted.len() - 1))
        .copied()
        .unwrap_or(0.0)
}

/// Section 3: keystroke-to-diagnostics latency on a 10,000-line file.
/// Inserts `text` at `(line, character)` as version `version` of `uri` and waits for that
/// version's diagnostics; returns the milliseconds in between.
fn insert(
    server: &mut Server,
    uri: &str,
    version: i64,
    (line, character): (usize, usize),
    text: &str,
) -> Result<f64, String> {
    let at = json!({ "line": line, "character": character });
    let change = json!({
        "textDocument": { "uri": uri, "version": version },
        "contentChanges": [{ "range": { "start": at, "end": at }, "text": text }]
    });
    let sent = server.notify("textDocument/didChange", change)?;
    let (arrived, _) = server.wait_for(|m| {
        is_diagnostics_for(m, uri)
            && m.pointer("/params/version").and_then(Value::as_i64) == Some(version)
    })?;
    Ok(arrived.duration_since(sent).as_secs_f64() * 1e3)
}

pub fn keystrokes(binary: &Path, work: &Path, report: &mut Report) -> Result<(), String> {
    let dir = work.join("lsp");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut rng = Rng::new(crate::BIG_FILE_SEED);
    let text = corpus::source_with_lines(
        &mut rng,
        Lang::TypeScript,
        true,
        "OutboundCallCampaign",
        crate::BIG_FILE_LINES,
    );
    let path = dir.join("OutboundCallCampaign.ts");
    std::fs::write(&path, &text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let uri = file_uri(&path);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();

    let mut server = Server::start(binary)?;
    server.initialize(&dir)?;
    let opened = server.open(&uri, Lang::TypeScript, &text)?;
    let (at, first) = server.wait_for(|m| is_diagnostics_for(m, &uri))?;
    let open_ms = at.duration_since(opened).as_secs_f64() * 1e3;
    let open_diagnostics = first
        .pointer("/params/diagnostics")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);

    // Typing: at spots spread over the file, a new line and a short statement, one
    // character per change, waiting for each change's diagnostics before the next.
    const TYPED: &str = "\nlet k = 42;";
    let per_spot = TYPED.chars().count();
    let spots = crate::KEYSTROKES.div_ceil(per_spot);
    let mut version = 1;
    let mut latencies = Vec::new();
    for spot in 0..spots {
        let line = (spot * lines.len() / spots + 37).min(lines.len().saturating_sub(1));
        let mut row = line;
        let mut col = lines.get(row).map_or(0, |l| l.encode_utf16().count());
        for ch in TYPED.chars() {
            if latencies.len() == crate::KEYSTROKES {
                break;
            }
            version += 1;
            latencies.push(insert(
                &mut server,
                &uri,
                version,
                (row, col),
                &ch.to_string(),
            )?);
            // Keep the model of the text in step, to place the next keystroke.
            if ch == '\n' {
                let rest = lines
                    .get_mut(row)
                    .map(|l| l.split_off(l.len().min(col)))
                    .unwrap_or_default();
                lines.insert(row + 1, rest);
                row += 1;
                col = 0;
            } else if let Some(l) = lines.get_mut(row) {
                l.insert(col.min(l.len()), ch);
                col += 1;
            }
        }
    }
    // Editors ask for code actions at the cursor after an edit (VS Code's light bulb): each
    // keystroke, typed at the start of a line in the middle of the file, is followed by that
    // request.
    let mut action_ms = Vec::new();
    let mut typed_ms = Vec::new();
    let row = lines.len() / 2;
    let mut col = 0;
    for _ in 0..crate::ACTION_KEYSTROKES {
        version += 1;
        typed_ms.push(insert(&mut server, &uri, version, (row, col), "x")?);
        col += 1;
        let asked = Instant::now();
        server.request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": uri },
                "range": { "start": { "line": row, "character": col }, "end": { "line": row, "character": col } },
                "context": { "diagnostics": [] }
            }),
        )?;
        action_ms.push(asked.elapsed().as_secs_f64() * 1e3);
    }
    server.stop();
    action_ms.sort_by(|a, b| a.total_cmp(b));
    typed_ms.sort_by(|a, b| a.total_cmp(b));
    latencies.sort_by(|a, b| a.total_cmp(b));
    let p50 = percentile(&latencies, 50.0);
    let p99 = percentile(&latencies, 99.0);
    let max = latencies.last().copied().unwrap_or(0.0);
    let mean = latencies.iter().sum::<f64>() / latencies.len().max(1) as f64;
    report.row(
        format!(
            "3. keystroke to diagnostics over LSP, {}-line TypeScript file, {} single-character edits at {spots} spots",
            crate::BIG_FILE_LINES,
            latencies.len()
        ),
        "",
        "",
    );
    report.row(
        "didOpen to first diagnostics",
        format!("{open_ms:.1} ms"),
        format!("{open_diagnostics} diagnostics"),
    );
    report.row(
        "p50",
        format!("{p50:.2} ms"),
        format!("target <= 5 ms: {}", verdict(p50 <= 5.0)),
    );
    report.row(
        "p99",
        format!("{p99:.2} ms"),
        format!("target <= 16 ms: {}", verdict(p99 <= 16.0)),
    );
    report.row("mean / max", format!("{mean:.2} / {max:.2} ms"), "");
    let p50_p99 = |sorted: &[f64]| {
        format!(
            "{:.2} / {:.2} ms",
            percentile(sorted, 50.0),
            percentile(sorted, 99.0)
        )
    };
    report.row(
        format!(
            "3b. the same file: {} edits, each followed by a code-action request at the cursor (as VS Code asks)",
            typed_ms.len()
        ),
        "",
        "",
    );
    report.row(
        "  keystroke to diagnostics p50 / p99",
        p50_p99(&typed_ms),
        "",
    );
    report.row(
        "  code actions at the cursor p50 / p99",
        p50_p99(&action_ms),
        "",
    );
    Ok(())
}

/// Opens `docs` and waits until each has its diagnostics.
fn open_all(server: &mut Server, docs: &[(String, Lang, String)]) -> Result<(), String> {
    for (uri, lang, text) in docs {
        server.open(uri, *lang, text)?;
    }
    let mut waiting: HashSet<&str> = docs.iter().map(|(u, _, _)| u.as_str()).collect();
    while !waiting.is_empty() {
        let (_, message) = server.wait_for(|m| {
            m.get("method").and_then(Value::as_str) == Some("textDocument/publishDiagnostics")
        })?;
        if let Some(uri) = message.pointer("/params/uri").and_then(Value::as_str) {
            waiting.remove(uri);
        }
    }
    Ok(())
}

/// Closes `docs` and waits until each has had its diagnostics cleared.
fn close_all(server: &mut Server, docs: &[(String, Lang, String)]) -> Result<(), String> {
    for (uri, _, _) in docs {
        server.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri } }),
        )?;
    }
    let mut waiting: HashSet<&str> = docs.iter().map(|(u, _, _)| u.as_str()).collect();
    while !waiting.is_empty() {
        let (_, message) = server.wait_for(|m| {
            m.get("method").and_then(Value::as_str) == Some("textDocument/publishDiagnostics")
                && m.pointer("/params/diagnostics")
                    .and_then(Value::as_array)
                    .is_some_and(Vec::is_empty)
        })?;
        if let Some(uri) = message.pointer("/params/uri").and_then(Value::as_str) {
            waiting.remove(uri);
        }
    }
    Ok(())
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Section 4: resident memory with 1,000 open documents of 500 lines.
pub fn memory(binary: &Path, work: &Path, report: &mut Report) -> Result<(), String> {
    let dir = work.join("memory");
    let mut rng = Rng::new(crate::MEMORY_SEED);
    let docs: Vec<(String, Lang, String)> = (0..crate::MEMORY_DOCS)
        .map(|i| {
            let lang = Lang::ALL
                .get(i % Lang::ALL.len())
                .copied()
                .unwrap_or(Lang::TypeScript);
            let uses_acs = i % 2 == 0;
            let name = format!("Module{i:04}");
            let text =
                corpus::source_with_lines(&mut rng, lang, uses_acs, &name, crate::MEMORY_DOC_LINES);
            let uri = file_uri(&dir.join(format!("{name}.{}", lang.extension())));
            (uri, lang, text)
        })
        .collect();
    let text_bytes: usize = docs.iter().map(|(_, _, t)| t.len()).sum();

    let mut server = Server::start(binary)?;
    server.initialize(work)?;
    // Let the server settle after start-up.
    std::thread::sleep(Duration::from_millis(200));
    let baseline = server.rss()?;
    // Documents that use ACS first, then the others (which the server keeps without a syntax
    // tree while they cannot produce a finding), so each kind is measured.
    let (acs_docs, other_docs): (Vec<_>, Vec<_>) = docs
        .iter()
        .cloned()
        .partition(|(_, _, text)| acs_lint::prefilter::may_match(text.as_bytes()));
    open_all(&mut server, &acs_docs)?;
    let acs_open = server.rss()?;
    open_all(&mut server, &other_docs)?;
    let open = server.rss()?;
    let parsed = server
        .request("$/acs-lint/stats", Value::Null)?
        .pointer("/result/parsedDocuments")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    close_all(&mut server, &docs)?;
    let closed = server.rss()?;
    open_all(&mut server, &acs_docs)?;
    open_all(&mut server, &other_docs)?;
    let reopened = server.rss()?;
    close_all(&mut server, &docs)?;
    let closed_again = server.rss()?;
    server.stop();

    let n = docs.len() as u64;
    let per_doc = open.saturating_sub(baseline) / n.max(1);
    report.row(
        format!(
            "4. server resident memory (VmRSS), {} documents of {} lines ({:.1} MB of text)",
            docs.len(),
            crate::MEMORY_DOC_LINES,
            text_bytes as f64 / 1e6
        ),
        "",
        "",
    );
    report.row("after initialize", mib(baseline), "");
    report.row(
        format!("{} documents open", docs.len()),
        mib(open),
        format!("{parsed} hold a syntax tree"),
    );
    report.row(
        "per open document",
        format!("{:.1} KiB", per_doc as f64 / 1024.0),
        format!(
            "text is {:.1} KiB per document",
            text_bytes as f64 / docs.len().max(1) as f64 / 1024.0
        ),
    );
    let per = |bytes: u64, count: usize| {
        if count == 0 {
            "-".to_string()
        } else {
            format!("{:.1} KiB", bytes as f64 / count as f64 / 1024.0)
        }
    };
    report.row(
        format!("  {} documents that use ACS", acs_docs.len()),
        per(acs_open.saturating_sub(baseline), acs_docs.len()),
        "each: rope, syntax tree",
    );
    report.row(
        format!(
            "  {} documents that cannot produce a finding",
            other_docs.len()
        ),
        per(open.saturating_sub(acs_open), other_docs.len()),
        "each: rope only, no tree until one is needed",
    );
    report.row("after closing all", mib(closed), "");
    report.row("after reopening all", mib(reopened), "");
    report.row("after closing all again", mib(closed_again), "");
    // Freed memory stays with the allocator for reuse rather than going back to the system,
    // so "no growth" means: the second open/close cycle never needs more than the first.
    let limit = open + open / 50;
    let growth = |a: u64, b: u64| format!("{:+.1} MiB", (a as f64 - b as f64) / (1024.0 * 1024.0));
    report.row(
        "second cycle vs first: open, closed",
        format!(
            "{} / {}",
            growth(reopened, open),
            growth(closed_again, closed)
        ),
        format!(
            "no growth (second cycle within 2% of the first's peak): {}",
            verdict(reopened <= limit && closed_again <= limit)
        ),
    );
    Ok(())
}
