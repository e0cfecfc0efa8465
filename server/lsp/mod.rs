//! The language server (`acs-lint lsp`), on tower-lsp-server.
//!
//! Ordering: tower-lsp-server runs up to four handlers at once and switches at every `.await`.
//! Document changes are therefore applied to the store synchronously, before the first
//! `.await` of their handler, and ignored when their version is older than the stored one.
//! Linting happens right after a change on a snapshot; a result whose version is no longer the
//! newest is dropped, so only the newest version is published. Requests to the client (such as
//! `workspace/configuration`) are never awaited inside a notification handler: they run in
//! spawned tasks.
//!
//! Isolation: everything that touches a document runs inside `guard` (`catch_unwind`); a panic
//! is logged with `window/logMessage` naming the document, a request gets a JSON-RPC error,
//! and the server goes on. Disk diagnostics (workspace scan, watched files) live in `scan.rs`.

mod actions;
mod output;
mod scan;
mod state;
mod transport;
mod wire;

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{LanguageServer, LspService, Server};

use output::Peer;

use crate::line_index::{Encoding, LineCol};
pub use actions::{code_actions, fix_all_edit};
pub use state::{EditorSettings, LintResult, State, Stats};

/// The hidden request that returns `Stats` (open documents and bytes, disk entries).
pub const STATS_METHOD: &str = "$/acs-lint/stats";
/// How long `shutdown` waits for running scans to send their last progress message.
const SCAN_STOP_WAIT: Duration = Duration::from_secs(2);

/// The kind of the fix-all code action.
pub const FIX_ALL_KIND: &str = "source.fixAll.acs-lint";
/// The command that applies every fix of a document.
pub const FIX_ALL_COMMAND: &str = "acs-lint.applyAllFixes";

pub struct Backend {
    /// The client, with diagnostics published straight to stdout (see `output.rs`).
    client: Peer,
    state: Arc<State>,
}

/// Runs the server on stdin/stdout until the client exits.
pub fn run_stdio() {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("acs-lint: cannot start the async runtime: {err}");
            return;
        }
    };
    let state = Arc::new(State::default());
    let server_state = state.clone();
    let (frames, writer) = output::start(std::io::stdout());
    runtime.block_on(async move {
        let splitter = output::FrameSplitter::new(frames.clone());
        let (service, socket) = LspService::build(move |client| Backend {
            client: Peer::new(client, frames),
            state: server_state,
        })
        .custom_method(STATS_METHOD, Backend::stats)
        .custom_method("window/workDoneProgress/cancel", Backend::cancel_progress)
        .finish();
        let (filtered_writer, filtered_reader) = tokio::io::duplex(1 << 16);
        tokio::spawn(transport::filter_frames(
            tokio::io::stdin(),
            filtered_writer,
        ));
        Server::new(filtered_reader, splitter, socket)
            .serve(service)
            .await;
    });
    // The blocking stdin read would keep the runtime alive until the client closes the pipe;
    // after `exit` the process ends now. The status is 0 only after a `shutdown` request.
    runtime.shutdown_timeout(std::time::Duration::from_millis(50));
    // Nothing more is queued; what was queued reaches stdout first (bounded wait).
    writer.finish();
    std::process::exit(if state.is_shut_down() { 0 } else { 1 });
}

/// Runs `f`, turning a panic into `Err` with its message (the server goes on).
pub(crate) fn guard<R>(f: impl FnOnce() -> R) -> std::result::Result<R, String> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| panic_message(payload.as_ref()))
}

/// The text of a panic payload.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
}

fn to_position(pos: LineCol) -> Position {
    Position::new(pos.line, pos.col)
}

fn from_position(pos: Position) -> LineCol {
    LineCol {
        line: pos.line,
        col: pos.character,
    }
}

impl Backend {
    /// Lints a document and publishes its diagnostics, unless a newer version arrived meanwhile.
    async fn lint_and_publish(&self, uri: Uri) {
        let state = self.state.clone();
        let result = match guard(|| state.lint(&uri)) {
            Ok(Some(result)) => result,
            Ok(None) => return,
            Err(message) => {
                self.log_internal_error("linting", &uri, &message).await;
                return;
            }
        };
        if let Some(message) = result.message {
            self.client.log_message(MessageType::INFO, message).await;
        }
        let body = match result.publish {
            Ok(body) => body,
            Err(err) => {
                self.log_internal_error("publishing diagnostics for", &uri, &err.to_string())
                    .await;
                return;
            }
        };
        // Only the newest version is published; a stale result is dropped here.
        self.state.if_current(&uri, result.version, || {
            self.client.send_publish(&uri, &body)
        });
    }

    /// Logs a panic caught while working on `uri`.
    async fn log_internal_error(&self, what: &str, uri: &Uri, message: &str) {
        self.client
            .log_message(
                MessageType::ERROR,
                format!(
                    "acs-lint: internal error while {what} {} ({message}); the server goes on",
                    uri.as_str()
                ),
            )
            .await;
    }

    /// Turns a panic in a request into a log message and a JSON-RPC error.
    async fn request_failed(&self, what: &str, uri: &Uri, message: String) -> Error {
        self.log_internal_error(what, uri, &message).await;
        Error::internal_error()
    }

    async fn relint_all(&self) {
        for uri in self.state.open_uris() {
            self.lint_and_publish(uri).await;
        }
        self.publish_config_errors().await;
    }

    async fn publish_config_errors(&self) {
        for (uri, diagnostics) in self.state.config_diagnostics() {
            self.client
                .publish_diagnostics(uri, diagnostics, None)
                .await;
        }
    }

    /// Applies settings from the client taken with `ticket` (see `State::settings_ticket`),
    /// re-lints the open documents, and starts or stops the workspace scan when
    /// `scanWorkspace` changed.
    async fn apply_settings(&self, value: &Value, ticket: u64) {
        match self.state.set_settings(value, ticket) {
            // Newer settings are already in force.
            Ok(None) => {}
            Ok(Some(previous)) => {
                self.relint_all().await;
                let current = self.state.settings();
                let scanning = current.scan_workspace;
                // Disk diagnostics depend on the rule settings too: re-scan when they change.
                if scanning && (!previous.scan_workspace || previous.rules != current.rules) {
                    self.start_scan(self.state.roots(), true);
                } else if !scanning && previous.scan_workspace {
                    self.state.scans.cancel_all();
                    tokio::spawn(scan::clear_disk(
                        self.client.clone(),
                        self.state.clone(),
                        None,
                    ));
                }
            }
            Err(message) => {
                self.client.log_message(MessageType::WARNING, message).await;
                self.relint_all().await;
            }
        }
    }

    /// Scans `dirs` in a spawned task. A scan of the whole workspace replaces running ones
    /// (their results would be stale).
    fn start_scan(&self, dirs: Vec<PathBuf>, whole_workspace: bool) {
        if whole_workspace {
            self.state.scans.cancel_all();
        }
        if self.state.settings().scan_workspace && !dirs.is_empty() {
            tokio::spawn(scan::scan(
                self.client.clone(),
                self.state.clone(),
                dirs,
                true,
            ));
        }
    }

    /// After `initialized`, in a spawned task: pull the settings, register file watchers,
    /// then scan the workspace.
    async fn start(self) {
        if self.state.client_supports_configuration() {
            let ticket = self.state.settings_ticket();
            let items = vec![ConfigurationItem {
                scope_uri: None,
                section: Some("acs-lint".to_string()),
            }];
            if let Ok(values) = self.client.configuration(items).await {
                if let Some(value) = values.into_iter().next().filter(|v| !v.is_null()) {
                    match self.state.set_settings(&value, ticket) {
                        Ok(Some(_)) => self.relint_all().await,
                        // A push came first: it is newer than this answer.
                        Ok(None) => {}
                        Err(message) => {
                            self.client.log_message(MessageType::WARNING, message).await;
                            self.relint_all().await;
                        }
                    }
                }
            }
        }
        if self.state.client_supports_watch_registration() {
            self.register_watchers().await;
        }
        self.start_scan(self.state.roots(), true);
    }

    async fn register_watchers(&self) {
        let extensions: Vec<&str> = crate::language::LANGUAGES
            .iter()
            .flat_map(|spec| spec.extensions.iter().copied())
            .collect();
        let watchers = vec![
            FileSystemWatcher {
                glob_pattern: GlobPattern::String(format!("**/*.{{{}}}", extensions.join(","))),
                kind: None,
            },
            FileSystemWatcher {
                glob_pattern: GlobPattern::String(format!("**/{}", crate::config::CONFIG_FILE)),
                kind: None,
            },
        ];
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = Registration {
            id: "acs-lint/watched-files".to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: serde_json::to_value(options).ok(),
        };
        if let Err(err) = self.client.register_capability(vec![registration]).await {
            self.client
                .log_message(
                    MessageType::WARNING,
                    format!(
                        "acs-lint: the client refused to watch files: {}",
                        err.message
                    ),
                )
                .await;
        }
    }

    async fn pull_configuration(client: Peer, state: Arc<State>, ticket: u64) {
        let items = vec![ConfigurationItem {
            scope_uri: None,
            section: Some("acs-lint".to_string()),
        }];
        if let Ok(values) = client.configuration(items).await {
            if let Some(value) = values.into_iter().next() {
                let backend = Backend { client, state };
                backend.apply_settings(&value, ticket).await;
            }
        }
    }

    /// `$/acs-lint/stats`: counters that show what the server holds (tests use it to prove
    /// closed documents are freed).
    async fn stats(&self) -> Result<Stats> {
        Ok(self.state.stats())
    }

    /// `window/workDoneProgress/cancel`: stops the scan reporting under that token.
    async fn cancel_progress(&self, params: WorkDoneProgressCancelParams) {
        self.state.scans.cancel_token(&params.token);
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .map(|kinds| {
                if kinds.contains(&PositionEncodingKind::UTF8) {
                    Encoding::Utf8
                } else {
                    Encoding::Utf16
                }
            })
            .unwrap_or(Encoding::Utf16);
        self.state.initialize(&params, encoding);
        if let Some(options) = &params.initialization_options {
            let _ = self
                .state
                .set_settings(options, self.state.settings_ticket());
        }
        let position_encoding = match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            _ => PositionEncodingKind::UTF16,
        };
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "acs-lint".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(position_encoding),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..Default::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::new(FIX_ALL_KIND),
                        ]),
                        resolve_provider: Some(true),
                        ..Default::default()
                    },
                )),
                inlay_hint_provider: Some(OneOf::Left(true)),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![FIX_ALL_COMMAND.to_string()],
                    ..Default::default()
                }),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
                ..Default::default()
            },
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let backend = Backend {
            client: self.client.clone(),
            state: self.state.clone(),
        };
        tokio::spawn(backend.start());
    }

    async fn shutdown(&self) -> Result<()> {
        self.state.shut_down();
        // Running scans stop at their next file and send their last progress message before
        // the answer is produced (the protocol library may still interleave the two on output).
        let scans = self.state.scans.cancel_all();
        let _ = tokio::time::timeout(SCAN_STOP_WAIT, async {
            for scan in scans {
                scan.finished().await;
            }
        })
        .await;
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let uri = params.text_document.uri.clone();
        let state = self.state.clone();
        if let Err(message) = guard(|| state.open(params.text_document)) {
            self.state.close(&uri);
            self.log_internal_error("opening", &uri, &message).await;
            return;
        }
        self.lint_and_publish(uri).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri.clone();
        let state = self.state.clone();
        match guard(|| state.change(params)) {
            Ok(Ok(())) => self.lint_and_publish(uri).await,
            Ok(Err(message)) => self.client.log_message(MessageType::WARNING, message).await,
            Err(message) => {
                // The document may be half-edited: drop it (and its diagnostics) rather than
                // lint a wrong text.
                self.state.close(&uri);
                self.log_internal_error("editing", &uri, &message).await;
                self.client.publish_diagnostics(uri, Vec::new(), None).await;
            }
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        if self.state.config_file_saved(&params.text_document.uri) {
            self.relint_all().await;
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.state.close(&uri);
        if self.state.settings().scan_workspace && !self.state.is_shut_down() {
            // What remains is the file as it is on disk (or nothing, outside the scan).
            tokio::spawn(scan::refresh(
                self.client.clone(),
                self.state.clone(),
                uri,
                true,
            ));
        } else {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let pushed = params
            .settings
            .get("acs-lint")
            .filter(|v| !v.is_null())
            .cloned();
        // The ticket is taken now, before any `.await`: settings apply in the order the
        // client sent them, whatever order their answers arrive in.
        let ticket = self.state.settings_ticket();
        match pushed {
            Some(value) => self.apply_settings(&value, ticket).await,
            None if self.state.client_supports_configuration() => {
                tokio::spawn(Self::pull_configuration(
                    self.client.clone(),
                    self.state.clone(),
                    ticket,
                ));
            }
            None => {}
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut config_changed = false;
        for change in &params.changes {
            config_changed |= self.state.config_file_saved(&change.uri);
        }
        if config_changed {
            self.relint_all().await;
        }
        if !self.state.is_shut_down() {
            tokio::spawn(scan::files_changed(
                self.client.clone(),
                self.state.clone(),
                params.changes,
            ));
        }
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let added = self.state.change_folders(&params.event);
        for removed in &params.event.removed {
            if let Some(path) = removed.uri.to_file_path() {
                tokio::spawn(scan::clear_disk(
                    self.client.clone(),
                    self.state.clone(),
                    Some(path.into_owned()),
                ));
            }
        }
        self.start_scan(added, false);
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let uri = params.text_document_position_params.text_document.uri;
        let position = from_position(params.text_document_position_params.position);
        let state = self.state.clone();
        let result = match guard(|| state.hover(&uri, position)) {
            Ok(result) => result,
            Err(message) => return Err(self.request_failed("hovering in", &uri, message).await),
        };
        Ok(result.map(|(markdown, start, end)| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: markdown,
            }),
            range: Some(Range::new(to_position(start), to_position(end))),
        }))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let state = self.state.clone();
        let uri = params.text_document.uri;
        let range = params.range;
        match guard(|| {
            state.inlay_hints(&uri, from_position(range.start), from_position(range.end))
        }) {
            Ok(hints) => Ok(hints),
            Err(message) => Err(self
                .request_failed("computing inlay hints for", &uri, message)
                .await),
        }
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let state = self.state.clone();
        match guard(|| actions::code_actions(&state, &params)) {
            Ok(actions) => Ok(actions),
            Err(message) => {
                let uri = &params.text_document.uri;
                Err(self
                    .request_failed("computing code actions for", uri, message)
                    .await)
            }
        }
    }

    async fn code_action_resolve(&self, action: CodeAction) -> Result<CodeAction> {
        Ok(action)
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        if params.command != FIX_ALL_COMMAND {
            return Err(Error::invalid_params(format!(
                "unknown command `{}`",
                params.command
            )));
        }
        let uri = params
            .arguments
            .first()
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<Uri>().ok())
            .ok_or_else(|| Error::invalid_params("expected the document URI as argument"))?;
        let state = self.state.clone();
        let edit = match guard(|| actions::fix_all_edit(&state, &uri)) {
            Ok(edit) => edit,
            Err(message) => return Err(self.request_failed("fixing", &uri, message).await),
        };
        if let Some(edit) = edit {
            let _ = self.client.apply_edit(edit).await;
        }
        Ok(None)
    }
}
