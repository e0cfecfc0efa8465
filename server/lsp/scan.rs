//! The workspace scan and the other diagnostics that come from disk rather than from the
//! editor: files reported by `workspace/didChangeWatchedFiles`, and a document's file after
//! the editor closes it.
//!
//! A scan walks the given folders with the same walker as `check` (`crate::files`), lints
//! the files in parallel on rayon's pool inside a blocking task, and publishes from an async
//! loop that also reports `$/progress`. A document open in the editor always wins: disk
//! results are never published for it. Every disk read is numbered per file; only the newest
//! read of a file is published, so a slow scan cannot overwrite what a later change reported.
//! Scans stop when cancelled (`window/workDoneProgress/cancel`, `shutdown`, the setting
//! switched off): each file checks the flag before it is read.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rayon::prelude::*;
use tokio::sync::{mpsc, watch};
use tower_lsp_server::ls_types::notification::Progress as ProgressNotification;
use tower_lsp_server::ls_types::request::WorkDoneProgressCreate;
use tower_lsp_server::ls_types::*;

use super::output::Peer;
use super::state::{DiskLint, State};
use super::{panic_message, Backend};
use crate::config::CONFIG_FILE;
use crate::language::Language;

/// How often a running scan reports its percentage.
const REPORT_EVERY: Duration = Duration::from_millis(200);

/// One running scan.
pub struct ScanControl {
    pub id: u64,
    pub token: ProgressToken,
    cancelled: AtomicBool,
    done: watch::Sender<bool>,
}

impl ScanControl {
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }

    /// Waits until the scan has sent its last message.
    pub async fn finished(&self) {
        let mut done = self.done.subscribe();
        let _ = done.wait_for(|d| *d).await;
    }
}

/// The running scans.
#[derive(Default)]
pub struct Scans {
    next: AtomicU64,
    running: Mutex<HashMap<u64, Arc<ScanControl>>>,
}

impl Scans {
    fn start(&self) -> Arc<ScanControl> {
        let id = self.next.fetch_add(1, Ordering::SeqCst) + 1;
        let control = Arc::new(ScanControl {
            id,
            token: ProgressToken::String(format!("acs-lint/scan/{id}")),
            cancelled: AtomicBool::new(false),
            done: watch::channel(false).0,
        });
        if let Ok(mut running) = self.running.lock() {
            running.insert(id, control.clone());
        }
        control
    }

    /// Takes a scan off the running list (before its last progress message goes out).
    fn remove(&self, control: &ScanControl) {
        if let Ok(mut running) = self.running.lock() {
            running.remove(&control.id);
        }
    }

    /// Cancels the scan reporting progress under `token`; true when there was one.
    pub fn cancel_token(&self, token: &ProgressToken) -> bool {
        let Ok(running) = self.running.lock() else {
            return false;
        };
        let found = running.values().find(|c| &c.token == token);
        if let Some(control) = found {
            control.cancel();
        }
        found.is_some()
    }

    /// Cancels every scan; returns them so the caller can wait for them to end.
    pub fn cancel_all(&self) -> Vec<Arc<ScanControl>> {
        let running: Vec<Arc<ScanControl>> = self
            .running
            .lock()
            .map(|r| r.values().cloned().collect())
            .unwrap_or_default();
        for control in &running {
            control.cancel();
        }
        running
    }

    pub fn running(&self) -> usize {
        self.running.lock().map(|r| r.len()).unwrap_or(0)
    }
}

enum ScanEvent {
    /// The walk is done: this many files will be linted.
    Total(usize),
    /// One file's result and the number of its read (0: open in the editor, not read).
    File(Uri, u64, DiskLint),
    /// A file's lint panicked.
    Panicked(Uri, String),
}

/// Scans `dirs` and publishes diagnostics for the files not open in the editor, reporting
/// `$/progress` when `show_progress` and the client supports it.
pub async fn scan(client: Peer, state: Arc<State>, dirs: Vec<PathBuf>, show_progress: bool) {
    if state.is_shut_down() || dirs.is_empty() {
        return;
    }
    let control = state.scans.start();
    let progress = if show_progress && state.client_supports_progress() {
        // Waiting for the client's answer is fine here: this runs in a spawned task.
        let created = client
            .send_request::<WorkDoneProgressCreate>(WorkDoneProgressCreateParams {
                token: control.token.clone(),
            })
            .await;
        created.is_ok().then(|| Reporter {
            client: client.clone(),
            token: control.token.clone(),
            percentage: 0,
        })
    } else {
        None
    };
    if let Some(progress) = &progress {
        progress
            .send(WorkDoneProgress::Begin(WorkDoneProgressBegin {
                title: "acs-lint".to_string(),
                cancellable: Some(true),
                message: Some("Looking for files in the workspace".to_string()),
                percentage: Some(0),
            }))
            .await;
    }

    let (tx, mut rx) = mpsc::unbounded_channel();
    let worker = {
        let state = state.clone();
        let control = control.clone();
        tokio::task::spawn_blocking(move || lint_files(&state, &dirs, &control, &tx))
    };
    let mut total = None;
    let mut done = 0usize;
    let mut checked = 0usize;
    let mut with_findings = 0usize;
    let mut progress = progress;
    let mut ticker = tokio::time::interval(REPORT_EVERY);
    loop {
        tokio::select! {
            event = rx.recv() => match event {
                None => break,
                Some(ScanEvent::Total(n)) => {
                    total = Some(n);
                    if let Some(progress) = &mut progress {
                        progress.report(0, format!("0/{n} files")).await;
                    }
                }
                Some(ScanEvent::File(uri, read, lint)) => {
                    done += 1;
                    checked += usize::from(read != 0);
                    with_findings += usize::from(matches!(&lint, DiskLint::Diagnostics(d) if !d.is_empty()));
                    publish(&client, &state, uri, read, lint, false).await;
                }
                Some(ScanEvent::Panicked(uri, message)) => {
                    done += 1;
                    log_panic(&client, &uri, &message).await;
                }
            },
            _ = ticker.tick() => {
                if let (Some(progress), Some(total)) = (&mut progress, total) {
                    let percentage = percent(done, total);
                    if percentage > progress.percentage {
                        progress.report(percentage, format!("{done}/{total} files")).await;
                    }
                }
            }
        }
    }
    let _ = worker.await;
    let cancelled = control.is_cancelled();
    state.scans.remove(&control);
    if let Some(mut progress) = progress {
        let message = if cancelled {
            format!("Cancelled after {done} files")
        } else {
            progress
                .report(100, format!("{done}/{} files", total.unwrap_or(done)))
                .await;
            format!("{checked} files checked, {with_findings} with findings")
        };
        progress
            .send(WorkDoneProgress::End(WorkDoneProgressEnd {
                message: Some(message),
            }))
            .await;
    }
    control.done.send_replace(true);
}

fn percent(done: usize, total: usize) -> u32 {
    if total == 0 {
        return 100;
    }
    ((done.min(total) * 100) / total) as u32
}

/// Sends `$/progress` for one token; percentages only grow.
struct Reporter {
    client: Peer,
    token: ProgressToken,
    percentage: u32,
}

impl Reporter {
    async fn send(&self, value: WorkDoneProgress) {
        self.client
            .send_notification::<ProgressNotification>(ProgressParams {
                token: self.token.clone(),
                value: ProgressParamsValue::WorkDone(value),
            })
            .await;
    }

    async fn report(&mut self, percentage: u32, message: String) {
        self.percentage = self.percentage.max(percentage);
        self.send(WorkDoneProgress::Report(WorkDoneProgressReport {
            cancellable: Some(true),
            message: Some(message),
            percentage: Some(self.percentage),
        }))
        .await;
    }
}

/// The blocking half of a scan: walk, then lint in parallel, sending each result.
fn lint_files(
    state: &State,
    dirs: &[PathBuf],
    control: &ScanControl,
    tx: &mpsc::UnboundedSender<ScanEvent>,
) {
    let stop = || control.is_cancelled() || state.is_shut_down();
    let files = crate::files::source_files(dirs, &stop);
    let _ = tx.send(ScanEvent::Total(files.len()));
    files.par_iter().for_each(|path| {
        if stop() {
            return;
        }
        let Some(uri) = Uri::from_file_path(path) else {
            return;
        };
        // The editor's version of an open document wins; skip reading it at all.
        if state.is_open(&uri) {
            let _ = tx.send(ScanEvent::File(uri, 0, DiskLint::Gone));
            return;
        }
        let read = state.begin_disk_read(&uri);
        let event = match std::panic::catch_unwind(AssertUnwindSafe(|| state.lint_path(path))) {
            Ok(lint) => ScanEvent::File(uri, read, lint),
            Err(payload) => ScanEvent::Panicked(uri, panic_message(payload.as_ref())),
        };
        let _ = tx.send(event);
    });
}

async fn log_panic(client: &Peer, uri: &Uri, message: &str) {
    client
        .log_message(
            MessageType::ERROR,
            format!(
                "acs-lint: internal error while linting {} ({message}); the file is skipped, the rest goes on",
                uri.as_str()
            ),
        )
        .await;
}

/// Publishes one disk result unless the file is open or a newer read exists; `force`
/// publishes even an empty result (to replace an open document's diagnostics after close).
async fn publish(
    client: &Peer,
    state: &Arc<State>,
    uri: Uri,
    read: u64,
    lint: DiskLint,
    force: bool,
) {
    let diagnostics = match lint {
        DiskLint::Diagnostics(diagnostics) => diagnostics,
        DiskLint::Skipped(reason) => {
            client
                .log_message(
                    MessageType::INFO,
                    format!("acs-lint: {} {reason}", uri.as_str()),
                )
                .await;
            Vec::new()
        }
        DiskLint::Gone => Vec::new(),
    };
    if read == 0 {
        return;
    }
    {
        let _order = state.disk_publish.lock().await;
        if !state.end_disk_read(&uri, read, !diagnostics.is_empty(), force) {
            return;
        }
        client
            .publish_diagnostics(uri.clone(), diagnostics, None)
            .await;
    }
    // Opened while this was being published: the editor's version goes out again, after.
    if state.is_open(&uri) {
        let backend = Backend {
            client: client.clone(),
            state: state.clone(),
        };
        backend.lint_and_publish(uri).await;
    }
}

/// Re-reads one file from disk and publishes it (the scan's rules: not if open, only the
/// newest read). With `force`, an empty result is published too, and a file outside the
/// scan gets its diagnostics cleared.
pub async fn refresh(client: Peer, state: Arc<State>, uri: Uri, force: bool) {
    let Some(path) = uri.to_file_path().map(|p| p.into_owned()) else {
        if force {
            client.publish_diagnostics(uri, Vec::new(), None).await;
        }
        return;
    };
    if state.is_open(&uri) || state.is_shut_down() {
        return;
    }
    let result = {
        let state = state.clone();
        let uri = uri.clone();
        tokio::task::spawn_blocking(move || {
            // Files outside the scan get no entry at all; the read is numbered when it starts.
            if !state.is_scanned_path(&path) {
                return None;
            }
            let read = state.begin_disk_read(&uri);
            Some((
                read,
                std::panic::catch_unwind(AssertUnwindSafe(|| state.lint_path(&path))),
            ))
        })
        .await
    };
    match result {
        Ok(None) => {
            if force && !state.is_open(&uri) {
                let _order = state.disk_publish.lock().await;
                client.publish_diagnostics(uri, Vec::new(), None).await;
            }
        }
        Ok(Some((read, Ok(lint)))) => publish(&client, &state, uri, read, lint, force).await,
        Ok(Some((_, Err(payload)))) => {
            log_panic(&client, &uri, &panic_message(payload.as_ref())).await
        }
        Err(_) => {}
    }
}

/// Clears disk diagnostics of `uris`, unless a document took over.
async fn clear(client: &Peer, state: &State, uris: Vec<Uri>) {
    let _order = state.disk_publish.lock().await;
    for uri in uris {
        if !state.is_open(&uri) {
            client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }
}

/// Clears every disk diagnostic (the setting was switched off) or those under `dir`.
pub async fn clear_disk(client: Peer, state: Arc<State>, dir: Option<PathBuf>) {
    let uris = state.forget_disk_under(dir.as_deref());
    clear(&client, &state, uris).await;
}

/// Handles `workspace/didChangeWatchedFiles` for source files, in the order reported; a
/// change to an acs-lint.toml re-scans the folder it governs.
pub async fn files_changed(client: Peer, state: Arc<State>, changes: Vec<FileEvent>) {
    let scanning = state.settings().scan_workspace;
    let mut config_dirs: Vec<PathBuf> = Vec::new();
    for change in changes {
        let Some(path) = change.uri.to_file_path().map(|p| p.into_owned()) else {
            continue;
        };
        if path.file_name().and_then(|n| n.to_str()) == Some(CONFIG_FILE) {
            if let Some(dir) = path.parent() {
                config_dirs.push(dir.to_path_buf());
            }
            continue;
        }
        if !scanning || state.is_open(&change.uri) {
            continue;
        }
        if change.typ == FileChangeType::DELETED {
            if Language::from_path(&path).is_some() {
                if state.forget_disk(&change.uri) {
                    clear(&client, &state, vec![change.uri]).await;
                }
            } else {
                // A deleted folder takes its files' diagnostics with it.
                clear_disk(client.clone(), state.clone(), Some(path)).await;
            }
            continue;
        }
        if Language::from_path(&path).is_some() {
            refresh(client.clone(), state.clone(), change.uri, false).await;
        }
    }
    if scanning && !config_dirs.is_empty() {
        scan(
            client,
            state.clone(),
            governed(&state.roots(), &config_dirs),
            false,
        )
        .await;
    }
}

/// The parts of the workspace that configuration files in `dirs` govern: each directory
/// inside a workspace folder, and each workspace folder inside one of the directories.
fn governed(roots: &[PathBuf], dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for dir in dirs {
        if roots.iter().any(|r| dir.starts_with(r)) {
            out.push(dir.clone());
        }
        out.extend(roots.iter().filter(|r| r.starts_with(dir)).cloned());
    }
    out.sort();
    out.dedup();
    // A directory inside another listed one is covered by it.
    let all = out.clone();
    out.retain(|d| !all.iter().any(|o| o != d && d.starts_with(o)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configuration_governs_its_directory_or_the_folders_below_it() {
        let roots = vec![PathBuf::from("/w/a"), PathBuf::from("/w/b")];
        assert_eq!(
            governed(&roots, &[PathBuf::from("/w/a/src")]),
            vec![PathBuf::from("/w/a/src")]
        );
        assert_eq!(governed(&roots, &[PathBuf::from("/w")]), roots);
        assert_eq!(
            governed(&roots, &[PathBuf::from("/w/a"), PathBuf::from("/w/a/x")]),
            vec![PathBuf::from("/w/a")]
        );
        assert!(governed(&roots, &[PathBuf::from("/elsewhere")]).is_empty());
        assert_eq!(percent(0, 0), 100);
        assert_eq!(percent(5, 10), 50);
        assert_eq!(percent(12, 10), 100);
    }
}
