//! The language server (`acs-lint lsp`), on tower-lsp-server.
//!
//! Ordering: tower-lsp-server runs up to four handlers at once and switches at every `.await`.
//! Document changes are therefore applied to the store synchronously, before the first
//! `.await` of their handler, and ignored when their version is older than the stored one.
//! Linting happens right after a change on a snapshot; a result whose version is no longer the
//! newest is dropped, so only the newest version is published. Requests to the client (such as
//! `workspace/configuration`) are never awaited inside a notification handler: they run in
//! spawned tasks.

mod actions;
mod state;
mod transport;

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::line_index::{Encoding, LineCol};
pub use actions::{code_actions, fix_all_edit};
pub use state::{EditorSettings, State};

/// The kind of the fix-all code action.
pub const FIX_ALL_KIND: &str = "source.fixAll.acs-lint";
/// The command that applies every fix of a document.
pub const FIX_ALL_COMMAND: &str = "acs-lint.applyAllFixes";

pub struct Backend {
    client: Client,
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
    runtime.block_on(async move {
        let (service, socket) = LspService::new(move |client| Backend {
            client,
            state: server_state,
        });
        let (filtered_writer, filtered_reader) = tokio::io::duplex(1 << 16);
        tokio::spawn(transport::filter_frames(
            tokio::io::stdin(),
            filtered_writer,
        ));
        Server::new(filtered_reader, tokio::io::stdout(), socket)
            .serve(service)
            .await;
    });
    // The blocking stdin read would keep the runtime alive until the client closes the pipe;
    // after `exit` the process ends now. The status is 0 only after a `shutdown` request.
    runtime.shutdown_timeout(std::time::Duration::from_millis(50));
    std::process::exit(if state.is_shut_down() { 0 } else { 1 });
}

/// Runs `f`, turning a panic into `None` (the server goes on).
pub(crate) fn guard<R>(f: impl FnOnce() -> R) -> Option<R> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).ok()
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
        let Some(result) = guard(|| state.lint(&uri)).flatten() else {
            self.client
                .log_message(
                    MessageType::ERROR,
                    format!(
                        "acs-lint: internal error while linting {}; its diagnostics are not updated",
                        uri.as_str()
                    ),
                )
                .await;
            return;
        };
        if let Some(message) = result.message {
            self.client.log_message(MessageType::INFO, message).await;
        }
        if !self.state.is_current(&uri, result.version) {
            return;
        }
        self.client
            .publish_diagnostics(uri, result.diagnostics, Some(result.version))
            .await;
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

    async fn pull_configuration(client: Client, state: Arc<State>) {
        let items = vec![ConfigurationItem {
            scope_uri: None,
            section: Some("acs-lint".to_string()),
        }];
        if let Ok(values) = client.configuration(items).await {
            if let Some(value) = values.into_iter().next() {
                if let Err(message) = state.set_settings(&value) {
                    client.log_message(MessageType::WARNING, message).await;
                }
                let backend = Backend { client, state };
                backend.relint_all().await;
            }
        }
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
            let _ = self.state.set_settings(options);
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
        if self.state.client_supports_configuration() {
            tokio::spawn(Self::pull_configuration(
                self.client.clone(),
                self.state.clone(),
            ));
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.state.shut_down();
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let uri = params.text_document.uri.clone();
        self.state.open(params.text_document);
        self.lint_and_publish(uri).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri.clone();
        match self.state.change(params) {
            Ok(()) => self.lint_and_publish(uri).await,
            Err(message) => self.client.log_message(MessageType::WARNING, message).await,
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
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let pushed = params
            .settings
            .get("acs-lint")
            .filter(|v| !v.is_null())
            .cloned();
        match pushed {
            Some(value) => {
                if let Err(message) = self.state.set_settings(&value) {
                    self.client.log_message(MessageType::WARNING, message).await;
                }
                self.relint_all().await;
            }
            None if self.state.client_supports_configuration() => {
                tokio::spawn(Self::pull_configuration(
                    self.client.clone(),
                    self.state.clone(),
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
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        self.state.change_folders(&params.event);
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let uri = params.text_document_position_params.text_document.uri;
        let position = from_position(params.text_document_position_params.position);
        let state = self.state.clone();
        let result = guard(|| state.hover(&uri, position)).ok_or_else(Error::internal_error)?;
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
        guard(|| state.inlay_hints(&uri, from_position(range.start), from_position(range.end)))
            .ok_or_else(Error::internal_error)
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let state = self.state.clone();
        guard(|| actions::code_actions(&state, &params)).ok_or_else(Error::internal_error)
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
        let edit =
            guard(|| actions::fix_all_edit(&state, &uri)).ok_or_else(Error::internal_error)?;
        if let Some(edit) = edit {
            let _ = self.client.apply_edit(edit).await;
        }
        Ok(None)
    }
}
