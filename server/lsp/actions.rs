//! Code actions: each finding's quick fix, "Suppress ACSxxx for this line" and "... for this
//! file", and fix-all.

use std::collections::HashMap;

use tower_lsp_server::ls_types::*;

use super::state::{Analysis, State};
use super::{from_position, FIX_ALL_KIND};
use crate::language::Language;
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

/// Where a file-wide suppression goes: the top of the file, after what must stay first: a byte
/// order mark, a `#!` line, and in Python an encoding declaration (PEP 263 reads it on the
/// first two lines only).
fn file_directive_at(source: &str, language: Language) -> usize {
    let line_end = |from: usize| {
        source
            .get(from..)
            .and_then(|rest| rest.find('\n'))
            .map_or(source.len(), |i| from + i + 1)
    };
    let line = |from: usize| source.get(from..line_end(from)).unwrap_or_default();
    let mut at = if source.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let first = at;
    if line(at).starts_with("#!") {
        at = line_end(at);
    }
    if language == Language::Python {
        let second = line_end(first);
        for start in [first, second] {
            let text = line(start).trim_start();
            let cookie =
                text.starts_with('#') && (text.contains("coding:") || text.contains("coding="));
            if cookie {
                at = at.max(line_end(start));
            }
        }
    }
    at
}

/// The edit that suppresses `code` in the whole file.
fn file_suppression(source: &str, language: Language, code: &str) -> Edit {
    let at = file_directive_at(source, language);
    let newline = line_ending(source, at);
    // Text whose last line has no line break gets one before the directive.
    let before = if at == source.len() && !source.is_empty() && !source.ends_with('\n') {
        newline
    } else {
        ""
    };
    Edit {
        range: at..at,
        content: format!(
            "{before}{} acs-lint: ignore-file {code}{newline}",
            language.spec().line_comment
        ),
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
    let mut file_wide: Vec<&str> = Vec::new();
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
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(workspace_edit(uri, &index, &[edit])),
                ..Default::default()
            }));
            // Once per code: a rule such as ACS006 can be wrong for a whole file (logging set
            // up in another one), and one directive covers all of its findings there.
            if !file_wide.contains(&finding.code) {
                file_wide.push(finding.code);
                let edit = file_suppression(&analysis.source, analysis.language, finding.code);
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Suppress {} for this file", finding.code),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic]),
                    edit: Some(workspace_edit(uri, &index, &[edit])),
                    ..Default::default()
                }));
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn suppressed(source: &str, language: Language) -> String {
        let edit = file_suppression(source, language, "ACS006");
        crate::fix::apply_edits(source, &mut [edit])
    }

    #[test]
    fn a_file_suppression_goes_first_but_after_what_must_stay_first() {
        assert_eq!(
            suppressed("const a = 1;\n", Language::JavaScript),
            "// acs-lint: ignore-file ACS006\nconst a = 1;\n"
        );
        assert_eq!(
            suppressed(
                "#!/usr/bin/env node\r\nconst a = 1;\r\n",
                Language::JavaScript
            ),
            "#!/usr/bin/env node\r\n// acs-lint: ignore-file ACS006\r\nconst a = 1;\r\n"
        );
        assert_eq!(
            suppressed("\u{feff}import os\n", Language::Python),
            "\u{feff}# acs-lint: ignore-file ACS006\nimport os\n"
        );
        assert_eq!(
            suppressed(
                "#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\nimport os\n",
                Language::Python
            ),
            "#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n# acs-lint: ignore-file ACS006\nimport os\n"
        );
        assert_eq!(
            suppressed(
                "# vim: set fileencoding=utf-8 :\nimport os\n",
                Language::Python
            ),
            "# vim: set fileencoding=utf-8 :\n# acs-lint: ignore-file ACS006\nimport os\n"
        );
        // A cookie on the third line does not count, so nothing moves below it.
        assert_eq!(
            suppressed("import os\n\n# coding: utf-8\n", Language::Python),
            "# acs-lint: ignore-file ACS006\nimport os\n\n# coding: utf-8\n"
        );
        assert_eq!(
            suppressed("#!/bin/sh", Language::Python),
            "#!/bin/sh\n# acs-lint: ignore-file ACS006\n"
        );
        assert_eq!(
            suppressed("", Language::CSharp),
            "// acs-lint: ignore-file ACS006\n"
        );
    }
}
