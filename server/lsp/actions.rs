//! Code actions: each finding's quick fix, "Suppress ACSxxx for this line", and fix-all.

use std::collections::HashMap;

use tower_lsp_server::ls_types::*;

use super::state::{Analysis, State};
use super::{from_position, FIX_ALL_KIND};
use crate::line_index::LineIndex;
use crate::rules::{Edit, UnusedSuppression};
use crate::suppress::Lines;

fn workspace_edit(uri: &Uri, index: &LineIndex, edits: &[Edit]) -> WorkspaceEdit {
    let text_edits = edits
        .iter()
        .map(|e| TextEdit {
            range: super::wire::range(index, &e.range),
            new_text: e.content.clone(),
        })
        .collect();
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), text_edits)])),
        ..Default::default()
    }
}

fn wanted(only: &Option<Vec<CodeActionKind>>, kind: &str) -> bool {
    match only {
        None => true,
        Some(kinds) => kinds
            .iter()
            .any(|k| kind == k.as_str() || kind.starts_with(&format!("{}.", k.as_str()))),
    }
}

/// The edits of every fix in a document that can be applied together.
fn fix_all_edits(analysis: &Analysis) -> Vec<Edit> {
    let (fixed, count) = crate::fix::apply_fixes(&analysis.source, &analysis.findings);
    if count == 0 {
        return Vec::new();
    }
    // One edit from the first to the last changed byte keeps the result exact.
    let prefix = analysis
        .source
        .bytes()
        .zip(fixed.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let mut prefix = prefix.min(analysis.source.len()).min(fixed.len());
    while !analysis.source.is_char_boundary(prefix) || !fixed.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = (analysis.source.len() - prefix).min(fixed.len() - prefix);
    let mut suffix = analysis
        .source
        .bytes()
        .rev()
        .zip(fixed.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !analysis
        .source
        .is_char_boundary(analysis.source.len() - suffix)
        || !fixed.is_char_boundary(fixed.len() - suffix)
    {
        suffix -= 1;
    }
    // Neither end may fall between the `\r` and `\n` of a CRLF: LSP has no position there.
    let source = analysis.source.as_bytes();
    if prefix > 0 && source.get(prefix - 1) == Some(&b'\r') && source.get(prefix) == Some(&b'\n') {
        prefix -= 1;
    }
    let end = analysis.source.len() - suffix;
    if suffix > 0
        && end > 0
        && source.get(end - 1) == Some(&b'\r')
        && source.get(end) == Some(&b'\n')
    {
        suffix -= 1;
    }
    vec![Edit {
        range: prefix..analysis.source.len() - suffix,
        content: fixed
            .get(prefix..fixed.len() - suffix)
            .unwrap_or_default()
            .to_string(),
    }]
}

/// The line break to use for a line inserted before the line at `line_start`: the one that ends
/// that line, else the file's first one, else `\n`. Inserting keeps a CRLF file CRLF.
fn line_ending(source: &str, line_start: usize) -> &'static str {
    let ends_crlf = |from: usize| {
        let rest = source.get(from..).unwrap_or_default();
        memchr::memchr(b'\n', rest.as_bytes())
            .map(|at| at > 0 && rest.as_bytes().get(at - 1) == Some(&b'\r'))
    };
    match ends_crlf(line_start).or_else(|| ends_crlf(0)) {
        Some(true) => "\r\n",
        _ => "\n",
    }
}

pub fn fix_all_edit(state: &State, uri: &Uri) -> Option<WorkspaceEdit> {
    let analysis = state.analyze(uri)?;
    let edits = fix_all_edits(&analysis);
    if edits.is_empty() {
        return None;
    }
    let index = LineIndex::new(&analysis.rope, state.encoding());
    Some(workspace_edit(uri, &index, &edits))
}

pub fn code_actions(state: &State, params: &CodeActionParams) -> Option<CodeActionResponse> {
    let uri = &params.text_document.uri;
    let analysis = state.analyze(uri)?;
    let index = LineIndex::new(&analysis.rope, state.encoding());
    let start = index.offset(from_position(params.range.start));
    let end = index.offset(from_position(params.range.end));
    let only = &params.context.only;
    let mut actions = Vec::new();
    let lines = Lines::new(&analysis.source);
    for finding in &analysis.findings {
        let touches = finding.range.start <= end && start <= finding.range.end;
        if !touches {
            continue;
        }
        let diagnostic = state.diagnostic(finding, &index);
        if let Some(fix) = &finding.fix {
            if wanted(only, CodeActionKind::QUICKFIX.as_str()) {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(workspace_edit(uri, &index, &fix.edits)),
                    is_preferred: Some(true),
                    ..Default::default()
                }));
            }
        }
        if finding.code != UnusedSuppression::CODE
            && wanted(only, CodeActionKind::QUICKFIX.as_str())
        {
            let line = lines.line_of(finding.range.start);
            let line_start = lines.start(line).unwrap_or(0);
            let indent: String = analysis
                .source
                .get(line_start..)
                .unwrap_or("")
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            let comment = analysis.language.spec().line_comment;
            let newline = line_ending(&analysis.source, line_start);
            let edit = Edit {
                range: line_start..line_start,
                content: format!(
                    "{indent}{comment} acs-lint: ignore {}{newline}",
                    finding.code
                ),
            };
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Suppress {} for this line", finding.code),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic]),
                edit: Some(workspace_edit(uri, &index, &[edit])),
                ..Default::default()
            }));
        }
    }
    if wanted(only, FIX_ALL_KIND) {
        let edits = fix_all_edits(&analysis);
        if !edits.is_empty() {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: "Fix all acs-lint problems".to_string(),
                kind: Some(CodeActionKind::new(FIX_ALL_KIND)),
                edit: Some(workspace_edit(uri, &index, &edits)),
                ..Default::default()
            }));
        }
    }
    Some(actions)
}
