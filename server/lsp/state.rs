//! The server's state: open documents, settings, configuration files. Everything here is
//! synchronous; the protocol handlers in `mod.rs` call it and do the `.await`s.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use dashmap::DashMap;
use ropey::Rope;
use serde_json::Value;
use tower_lsp_server::ls_types::*;
use tree_sitter::Tree;

use super::scan::Scans;
use super::wire::{self, WireDiagnostic};
use super::{from_position, to_position};
use crate::config::{self, Config, ConfigError, RuleSettings};
use crate::document::{Document, Skip};
use crate::engine::{self, LintOptions};
use crate::facts::{Facts, FactsCache};
use crate::files::{self, Source};
use crate::language::Language;
use crate::line_index::{Encoding, LineCol, LineIndex};
use crate::rules::Finding;

/// Settings sent by the editor (section `acs-lint`).
#[derive(Clone, Debug, PartialEq)]
pub struct EditorSettings {
    pub rules: RuleSettings,
    pub inlay_hints: bool,
    pub scan_workspace: bool,
}

/// The settings before the client sent any: the documented defaults.
impl Default for EditorSettings {
    fn default() -> Self {
        EditorSettings {
            rules: RuleSettings::default(),
            inlay_hints: false,
            scan_workspace: true,
        }
    }
}

impl EditorSettings {
    /// Reads the settings object; accepts nested (`{"rules": {"ignore": []}}`) and dotted
    /// (`{"rules.ignore": []}`) keys.
    pub fn from_json(value: &Value) -> std::result::Result<EditorSettings, String> {
        let get = |path: &[&str]| -> Option<&Value> {
            let dotted = path.join(".");
            value
                .get(&dotted)
                .or_else(|| path.iter().try_fold(value, |v, key| v.get(*key)))
        };
        let strings = |path: &[&str]| -> std::result::Result<Vec<String>, String> {
            match get(path) {
                None | Some(Value::Null) => Ok(Vec::new()),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|i| {
                        i.as_str().map(str::to_string).ok_or_else(|| {
                            format!("`acs-lint.{}` must list strings", path.join("."))
                        })
                    })
                    .collect(),
                Some(_) => Err(format!("`acs-lint.{}` must be a list", path.join("."))),
            }
        };
        let select = strings(&["rules", "select"])?;
        let ignore = strings(&["rules", "ignore"])?;
        let mut severity = std::collections::BTreeMap::new();
        match get(&["rules", "severity"]) {
            None | Some(Value::Null) => {}
            Some(Value::Object(map)) => {
                for (code, level) in map {
                    let level = level.as_str().ok_or_else(|| {
                        format!("`acs-lint.rules.severity.{code}` must be a string")
                    })?;
                    severity.insert(code.clone(), level.to_string());
                }
            }
            Some(_) => return Err("`acs-lint.rules.severity` must be an object".to_string()),
        }
        let rules = config::rule_settings(
            (!select.is_empty()).then_some(select),
            ignore,
            &severity,
            "acs-lint.rules",
        )?;
        let flag =
            |key: &str, default: bool| get(&[key]).and_then(Value::as_bool).unwrap_or(default);
        Ok(EditorSettings {
            rules,
            inlay_hints: flag("inlayHints", false),
            scan_workspace: flag("scanWorkspace", true),
        })
    }
}

/// The result of linting one document version.
pub struct LintResult {
    pub version: i32,
    /// The `textDocument/publishDiagnostics` notification, serialized (see `wire.rs`).
    pub publish: serde_json::Result<Vec<u8>>,
    pub message: Option<String>,
}

/// A document's findings at one version, with what is needed to place them.
pub struct Analysis {
    /// Where to hand the facts back when done (large documents, see `FactsCache::recycle`).
    recycle: Option<(Arc<Mutex<FactsCache>>, u64)>,
    pub rope: Rope,
    pub source: String,
    pub language: Language,
    pub version: i32,
    pub facts: Facts,
    pub findings: Vec<Finding>,
}

/// The facts go back to the document's cache when the analysis is done with, whoever made it
/// (a lint or a request), so the next lint rebuilds only the chunks an edit touched.
impl Drop for Analysis {
    fn drop(&mut self) {
        if let Some((cache, generation)) = self.recycle.take() {
            if let Ok(mut cache) = cache.try_lock() {
                cache.recycle(std::mem::take(&mut self.facts), generation);
            }
        }
    }
}

struct Snapshot {
    rope: Rope,
    tree: Option<Tree>,
    version: i32,
    language: Option<Language>,
    facts_cache: Arc<Mutex<FactsCache>>,
}

/// What linting one file from disk gave (workspace scan, watched files, closed documents).
pub enum DiskLint {
    /// Diagnostics, possibly none, for the file as it is on disk.
    Diagnostics(Vec<Diagnostic>),
    /// Not linted; the message says why.
    Skipped(String),
    /// Not a file the scan covers (deleted, unreadable, excluded, unknown language): earlier
    /// diagnostics go.
    Gone,
}

/// The diagnostics published for a file from disk: the newest read and whether it published
/// anything. Files without findings have no entry, so this grows with findings, not files.
struct DiskEntry {
    read: u64,
    published: bool,
}

/// Counters for `$/acs-lint/stats`.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    pub open_documents: usize,
    pub open_bytes: usize,
    /// Open documents that hold a syntax tree (the others are dormant or not parsable).
    pub parsed_documents: usize,
    pub disk_entries: usize,
    pub skip_messages: usize,
    pub running_scans: usize,
}

/// Documents at least this large have their facts built chunk by chunk and the unchanged
/// chunks reused across edits; smaller ones are rebuilt whole (a millisecond or two).
const CACHED_FACTS_BYTES: usize = 64 * 1024;

#[derive(Default)]
pub struct State {
    docs: DashMap<Uri, Document>,
    encoding: RwLock<Encoding>,
    settings: RwLock<EditorSettings>,
    /// The last ticket handed out for settings, and the ticket of the settings in force.
    settings_tickets: AtomicU64,
    settings_applied: Mutex<u64>,
    roots: RwLock<Vec<PathBuf>>,
    configs: Mutex<HashMap<PathBuf, Arc<std::result::Result<Config, ConfigError>>>>,
    skip_logged: Mutex<std::collections::HashSet<Uri>>,
    supports_configuration: AtomicBool,
    supports_progress: AtomicBool,
    supports_watch_registration: AtomicBool,
    shutting_down: AtomicBool,
    disk: DashMap<Uri, DiskEntry>,
    disk_reads: AtomicU64,
    /// Held while a disk result is checked against the store and published, so results for
    /// one file go out in the order they were read.
    pub(super) disk_publish: tokio::sync::Mutex<()>,
    pub(super) scans: Scans,
}

fn read<T: Clone + Default>(lock: &RwLock<T>) -> T {
    lock.read().map(|g| g.clone()).unwrap_or_default()
}

impl State {
    pub fn initialize(&self, params: &InitializeParams, encoding: Encoding) {
        if let Ok(mut e) = self.encoding.write() {
            *e = encoding;
        }
        let supports = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.configuration)
            .unwrap_or(false);
        self.supports_configuration
            .store(supports, Ordering::SeqCst);
        let progress = params
            .capabilities
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false);
        self.supports_progress.store(progress, Ordering::SeqCst);
        let watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        self.supports_watch_registration
            .store(watch, Ordering::SeqCst);
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        #[allow(deprecated)]
        if roots.is_empty() {
            if let Some(path) = params.root_uri.as_ref().and_then(|u| u.to_file_path()) {
                roots.push(path.into_owned());
            }
        }
        if let Ok(mut r) = self.roots.write() {
            *r = roots;
        }
    }

    pub fn encoding(&self) -> Encoding {
        read(&self.encoding)
    }

    pub fn settings(&self) -> EditorSettings {
        read(&self.settings)
    }

    pub fn client_supports_configuration(&self) -> bool {
        self.supports_configuration.load(Ordering::SeqCst)
    }

    pub fn client_supports_progress(&self) -> bool {
        self.supports_progress.load(Ordering::SeqCst)
    }

    pub fn client_supports_watch_registration(&self) -> bool {
        self.supports_watch_registration.load(Ordering::SeqCst)
    }

    /// A ticket for settings about to be asked for or just pushed: settings are applied in
    /// ticket order, so a pulled answer that arrives after a newer push does not undo it.
    pub fn settings_ticket(&self) -> u64 {
        self.settings_tickets.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Applies the client's settings taken with `ticket`; `Ok(None)` when newer settings were
    /// applied meanwhile (these are then stale and dropped), else the previous settings.
    pub fn set_settings(
        &self,
        value: &Value,
        ticket: u64,
    ) -> std::result::Result<Option<EditorSettings>, String> {
        let parsed =
            EditorSettings::from_json(value).map_err(|m| format!("acs-lint settings: {m}"))?;
        let Ok(mut applied) = self.settings_applied.lock() else {
            return Ok(None);
        };
        if ticket < *applied {
            return Ok(None);
        }
        *applied = ticket;
        let previous = self.settings();
        if let Ok(mut s) = self.settings.write() {
            *s = parsed;
        }
        Ok(Some(previous))
    }

    pub fn roots(&self) -> Vec<PathBuf> {
        read(&self.roots)
    }

    /// Counters for tests and diagnosis: nothing here may grow with closed documents.
    pub fn stats(&self) -> Stats {
        Stats {
            open_documents: self.docs.len(),
            open_bytes: self.docs.iter().map(|d| d.rope().len_bytes()).sum(),
            parsed_documents: self.docs.iter().filter(|d| d.tree().is_some()).count(),
            disk_entries: self.disk.len(),
            skip_messages: self.skip_logged.lock().map(|l| l.len()).unwrap_or(0),
            running_scans: self.scans.running(),
        }
    }

    pub fn is_shut_down(&self) -> bool {
        self.shutting_down.load(Ordering::SeqCst)
    }

    pub fn shut_down(&self) {
        self.shutting_down.store(true, Ordering::SeqCst);
    }

    /// Applies a folder change; returns the added folders.
    pub fn change_folders(&self, event: &WorkspaceFoldersChangeEvent) -> Vec<PathBuf> {
        let added: Vec<PathBuf> = event
            .added
            .iter()
            .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        if let Ok(mut roots) = self.roots.write() {
            for removed in &event.removed {
                if let Some(path) = removed.uri.to_file_path() {
                    roots.retain(|r| r.as_path() != path.as_ref());
                }
            }
            roots.extend(added.iter().cloned());
        }
        added
    }

    pub fn open(&self, item: TextDocumentItem) {
        let language = Language::from_lsp_id(&item.language_id).or_else(|| {
            item.uri
                .to_file_path()
                .and_then(|p| Language::from_path(&p))
        });
        // A text that cannot produce a finding keeps no tree until it can (or a hover or inlay
        // hint needs one): most open files in a repository never use ACS.
        let doc = Document::with_tree_when(
            &item.text,
            language,
            item.version,
            crate::prefilter::may_match,
        );
        self.docs.insert(item.uri, doc);
    }

    /// Applies a change synchronously. Changes to unknown documents and stale versions are
    /// refused with a message.
    pub fn change(&self, params: DidChangeTextDocumentParams) -> std::result::Result<(), String> {
        let encoding = self.encoding();
        let uri = params.text_document.uri;
        let Some(mut doc) = self.docs.get_mut(&uri) else {
            return Err(format!(
                "acs-lint: ignored a change to {} which is not open",
                uri.as_str()
            ));
        };
        let version = params.text_document.version;
        if version <= doc.version {
            return Err(format!(
                "acs-lint: ignored version {version} of {}: version {} is newer",
                uri.as_str(),
                doc.version
            ));
        }
        for change in params.content_changes {
            match change.range {
                Some(range) => doc.apply_edit(
                    from_position(range.start),
                    from_position(range.end),
                    &change.text,
                    encoding,
                ),
                None => doc.set_text(&change.text),
            }
        }
        doc.version = version;
        Ok(())
    }

    pub fn close(&self, uri: &Uri) {
        self.docs.remove(uri);
        if let Ok(mut logged) = self.skip_logged.lock() {
            logged.remove(uri);
        }
    }

    pub fn is_open(&self, uri: &Uri) -> bool {
        self.docs.contains_key(uri)
    }

    pub fn open_uris(&self) -> Vec<Uri> {
        self.docs.iter().map(|e| e.key().clone()).collect()
    }

    pub fn open_count(&self) -> usize {
        self.docs.len()
    }

    pub fn is_current(&self, uri: &Uri, version: i32) -> bool {
        self.docs.get(uri).is_some_and(|d| d.version == version)
    }

    /// Runs `send` if `version` is still the document's newest, holding the document while it
    /// runs: a change or close that comes meanwhile waits, so what it publishes next cannot be
    /// overtaken by `send`. `send` must not block or touch the document store.
    pub fn if_current(&self, uri: &Uri, version: i32, send: impl FnOnce()) -> bool {
        let Some(doc) = self.docs.get(uri) else {
            return false;
        };
        if doc.version != version {
            return false;
        }
        send();
        drop(doc);
        true
    }

    fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        let doc = self.docs.get(uri)?;
        Some(Snapshot {
            rope: doc.rope().clone(),
            tree: doc.tree().cloned(),
            version: doc.version,
            language: doc.language,
            facts_cache: doc.facts_cache(),
        })
    }

    /// The closest acs-lint.toml above `dir`, parsed once.
    fn config_for(&self, dir: &Path) -> Option<Arc<std::result::Result<Config, ConfigError>>> {
        let file = config::find_config(dir)?;
        let mut configs = self.configs.lock().ok()?;
        let loaded = configs
            .entry(file.clone())
            .or_insert_with(|| Arc::new(Config::load(&file)));
        Some(loaded.clone())
    }

    /// The rule settings for a file: its closest acs-lint.toml, then the editor's settings.
    fn rule_settings_for(&self, path: Option<&Path>) -> RuleSettings {
        let editor = self.settings().rules;
        match path
            .and_then(Path::parent)
            .and_then(|d| self.config_for(d))
            .as_deref()
        {
            Some(Ok(config)) => config.rules.merged(&editor),
            _ => editor,
        }
    }

    /// Diagnostics for every configuration file read so far (empty for valid ones).
    pub fn config_diagnostics(&self) -> Vec<(Uri, Vec<Diagnostic>)> {
        let Ok(configs) = self.configs.lock() else {
            return Vec::new();
        };
        configs
            .iter()
            .filter_map(|(path, result)| {
                let uri = Uri::from_file_path(path)?;
                let diagnostics = match result.as_ref() {
                    Ok(_) => Vec::new(),
                    Err(err) => {
                        let text = std::fs::read_to_string(path).unwrap_or_default();
                        let rope = Rope::from_str(&text);
                        let index = LineIndex::new(&rope, self.encoding());
                        let span = err.span.clone().unwrap_or(0..0);
                        vec![Diagnostic {
                            range: Range::new(
                                to_position(index.position(span.start)),
                                to_position(index.position(span.end)),
                            ),
                            severity: Some(DiagnosticSeverity::ERROR),
                            source: Some("acs-lint".to_string()),
                            message: format!("Invalid acs-lint configuration: {}", err.message),
                            ..Default::default()
                        }]
                    }
                };
                Some((uri, diagnostics))
            })
            .collect()
    }

    /// Forgets a configuration file that changed; true when it was one.
    pub fn config_file_saved(&self, uri: &Uri) -> bool {
        let Some(path) = uri.to_file_path() else {
            return false;
        };
        if path.file_name().and_then(|n| n.to_str()) != Some(config::CONFIG_FILE) {
            return false;
        }
        if let Ok(mut configs) = self.configs.lock() {
            configs.clear();
        }
        true
    }

    /// Lints the current version of a document for hover and inlay hints, which explain codes
    /// in any file: a dormant document is parsed first (and stays parsed).
    pub fn analyze_waking(&self, uri: &Uri) -> Option<Analysis> {
        if let Some(mut doc) = self.docs.get_mut(uri) {
            doc.wake();
        }
        self.analyze(uri)
    }

    /// Lints the current version of a document as it is. A dormant one gives nothing: it cannot
    /// produce a finding, so it has no diagnostics and no code actions (editors ask for those
    /// wherever the cursor goes, which must not parse every file visited).
    pub fn analyze(&self, uri: &Uri) -> Option<Analysis> {
        let snapshot = self.snapshot(uri)?;
        let language = snapshot.language?;
        let tree = snapshot.tree?;
        let source = snapshot.rope.to_string();
        let path = uri.to_file_path().map(|p| p.into_owned());
        let settings = self.rule_settings_for(path.as_deref());
        let roots = read(&self.roots);
        let options = LintOptions {
            settings: &settings,
            path: path.as_deref(),
            roots: &roots,
        };
        let cache = (source.len() >= CACHED_FACTS_BYTES)
            .then(|| snapshot.facts_cache.try_lock().ok())
            .flatten();
        let (facts, findings, recycle) = match cache {
            Some(mut cache) => {
                let (facts, findings) =
                    engine::lint_tree_cached(language, &source, &tree, options, &mut cache);
                let generation = cache.generation();
                drop(cache);
                let recycle = Some((snapshot.facts_cache.clone(), generation));
                (facts, findings, recycle)
            }
            None => {
                let (facts, findings) = engine::lint_tree(language, &source, &tree, options);
                (facts, findings, None)
            }
        };
        Some(Analysis {
            recycle,
            rope: snapshot.rope,
            source,
            language,
            version: snapshot.version,
            facts,
            findings,
        })
    }

    pub fn lint(&self, uri: &Uri) -> Option<LintResult> {
        let version = self.docs.get(uri)?.version;
        let skip = self.docs.get(uri)?.skip();
        if let Some(skip) = skip {
            let first = self
                .skip_logged
                .lock()
                .map(|mut l| l.insert(uri.clone()))
                .unwrap_or(false);
            return Some(LintResult {
                version,
                publish: wire::publish_body(uri, Some(version), &[]),
                message: first.then(|| format!("acs-lint: {} {}", uri.as_str(), skip.reason())),
            });
        }
        let Some(analysis) = self.analyze(uri) else {
            return Some(LintResult {
                version,
                publish: wire::publish_body(uri, Some(version), &[]),
                message: None,
            });
        };
        let index = LineIndex::with_text(&analysis.rope, &analysis.source, self.encoding());
        let diagnostics: Vec<WireDiagnostic> = analysis
            .findings
            .iter()
            .map(|f| WireDiagnostic::new(f, &index))
            .collect();
        let publish = wire::publish_body(uri, Some(analysis.version), &diagnostics);
        Some(LintResult {
            version: analysis.version,
            publish,
            message: None,
        })
    }

    /// Lints a file as it is on disk (for files not open in the editor). Blocking: reads the
    /// file.
    pub fn lint_path(&self, path: &Path) -> DiskLint {
        let Some(language) = Language::from_path(path) else {
            return DiskLint::Gone;
        };
        let editor = self.settings().rules;
        let settings = match path.parent().and_then(|d| self.config_for(d)).as_deref() {
            Some(Ok(config)) if config.is_excluded(path) => return DiskLint::Gone,
            Some(Ok(config)) => config.rules.merged(&editor),
            _ => editor,
        };
        let source = match files::read_source(path) {
            Ok(source) => source,
            Err(_) => return DiskLint::Gone,
        };
        match source {
            Source::CannotMatch => return DiskLint::Diagnostics(Vec::new()),
            Source::NotUtf8 => return DiskLint::Skipped(files::NOT_UTF8.to_string()),
            Source::TooLarge => return DiskLint::Skipped(Skip::TooLarge.reason()),
            Source::Text { .. } => {}
        }
        let body = source.body();
        let roots = read(&self.roots);
        let options = LintOptions {
            settings: &settings,
            path: Some(path),
            roots: &roots,
        };
        match engine::lint_source(language, body, options) {
            Err(skip) => DiskLint::Skipped(skip.reason()),
            Ok(findings) => {
                let rope = Rope::from_str(body);
                let index = LineIndex::new(&rope, self.encoding());
                DiskLint::Diagnostics(
                    findings
                        .iter()
                        .map(|f| self.diagnostic(f, &index))
                        .collect(),
                )
            }
        }
    }

    /// True when `path` is a file the workspace scan covers: under a workspace folder, not
    /// hidden or gitignored, of a known language. Blocking: reads directories.
    pub fn is_scanned_path(&self, path: &Path) -> bool {
        self.settings().scan_workspace
            && read(&self.roots)
                .iter()
                .any(|root| files::is_walked(root, path))
    }

    /// Starts a read of `uri` from disk; the number orders it against other reads.
    pub fn begin_disk_read(&self, uri: &Uri) -> u64 {
        let read = self.disk_reads.fetch_add(1, Ordering::SeqCst) + 1;
        self.disk
            .entry(uri.clone())
            .and_modify(|e| e.read = read)
            .or_insert(DiskEntry {
                read,
                published: false,
            });
        read
    }

    /// Ends a read; true when its result must be published: it is the newest read of the file,
    /// the file is not open, and it has diagnostics or replaces published ones (or `force`).
    pub fn end_disk_read(&self, uri: &Uri, read: u64, has_diagnostics: bool, force: bool) -> bool {
        if self.is_open(uri) {
            self.disk.remove_if(uri, |_, e| e.read == read);
            return false;
        }
        let Some(mut entry) = self.disk.get_mut(uri) else {
            return false;
        };
        if entry.read != read {
            return false;
        }
        let publish = has_diagnostics || entry.published || force;
        entry.published = has_diagnostics;
        drop(entry);
        if !has_diagnostics {
            self.disk.remove_if(uri, |_, e| e.read == read);
        }
        publish
    }

    /// Forgets the disk diagnostics of `uri`; true when some were published (and must be
    /// cleared).
    pub fn forget_disk(&self, uri: &Uri) -> bool {
        self.disk.remove(uri).is_some_and(|(_, e)| e.published)
    }

    /// Forgets every file with disk diagnostics under `dir` (or all with `None`); returns those
    /// whose diagnostics must be cleared.
    pub fn forget_disk_under(&self, dir: Option<&Path>) -> Vec<Uri> {
        let uris: Vec<Uri> = self
            .disk
            .iter()
            .filter(|e| match dir {
                None => true,
                Some(dir) => e.key().to_file_path().is_some_and(|p| p.starts_with(dir)),
            })
            .map(|e| e.key().clone())
            .collect();
        uris.into_iter().filter(|u| self.forget_disk(u)).collect()
    }

    pub fn diagnostic(&self, finding: &Finding, index: &LineIndex) -> Diagnostic {
        WireDiagnostic::new(finding, index).to_diagnostic()
    }

    pub fn hover(&self, uri: &Uri, position: LineCol) -> Option<(String, LineCol, LineCol)> {
        let analysis = self.analyze_waking(uri)?;
        let index = LineIndex::new(&analysis.rope, self.encoding());
        let offset = index.offset(position);
        let info = crate::hover::hover(&analysis.facts, &analysis.source, offset)?;
        Some((
            info.markdown,
            index.position(info.range.start),
            index.position(info.range.end),
        ))
    }

    pub fn inlay_hints(&self, uri: &Uri, start: LineCol, end: LineCol) -> Option<Vec<InlayHint>> {
        if !self.settings().inlay_hints {
            return Some(Vec::new());
        }
        let analysis = self.analyze_waking(uri)?;
        let index = LineIndex::new(&analysis.rope, self.encoding());
        let (start, end) = (index.offset(start), index.offset(end));
        let hints = crate::hover::codes(&analysis.facts, &analysis.source)
            .into_iter()
            .filter(|c| c.range.start >= start && c.range.end <= end)
            .filter_map(|code| {
                let label = crate::hover::inlay_label(&code)?;
                Some(InlayHint {
                    position: to_position(index.position(code.range.end)),
                    label: InlayHintLabel::String(label),
                    kind: None,
                    text_edits: None,
                    tooltip: None,
                    padding_left: Some(true),
                    padding_right: None,
                    data: None,
                })
            })
            .collect();
        Some(hints)
    }
}
