//! Suppression comments: `acs-lint: ignore [CODES]` on the line of a finding or alone on the line
//! above it, and `acs-lint: ignore-file [CODES]` anywhere. A directive that silences nothing is
//! reported as ACS000 with a fix that removes it.

use std::ops::Range;

use crate::config::RuleSettings;
use crate::facts::Facts;
use crate::prefilter::SUPPRESSION_MARKER;
use crate::rules::{Edit, Finding, Fix, Severity, UnusedSuppression};

/// A parsed suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// The comment's byte range.
    pub range: Range<usize>,
    /// Codes it names; empty means every rule.
    pub codes: Vec<String>,
    /// `ignore-file`.
    pub whole_file: bool,
    /// The line the directive applies to (zero-based).
    pub target_line: usize,
    /// The comment is the only thing on its line.
    pub own_line: bool,
}

impl Directive {
    fn covers(&self, code: &str) -> bool {
        self.codes.is_empty() || self.codes.iter().any(|c| c == code)
    }
}

/// Zero-based line starts of a text (lines end at `\n`).
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Lines { starts }
    }

    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    pub fn start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }
}

/// Parses the directive in a comment's text, if it has one: `(whole_file, codes)`. The marker
/// counts only where a word starts (`xacs-lint:` is not one), as the pre-filter finds it.
pub fn parse_directive(comment: &str) -> Option<(bool, Vec<String>)> {
    let (at, _) = comment
        .match_indices(SUPPRESSION_MARKER)
        .find(|&(at, _)| crate::prefilter::starts_word(comment.as_bytes(), at))?;
    let rest = comment.get(at + SUPPRESSION_MARKER.len()..)?.trim_start();
    let (whole_file, rest) = if let Some(rest) = rest.strip_prefix("ignore-file") {
        (true, rest)
    } else if let Some(rest) = rest.strip_prefix("ignore") {
        (false, rest)
    } else {
        return None;
    };
    if rest.starts_with(|c: char| c.is_alphanumeric() || c == '-' || c == '_') {
        return None;
    }
    let mut codes = Vec::new();
    for token in rest.split(|c: char| c == ',' || c.is_whitespace()) {
        if token.is_empty() {
            continue;
        }
        let upper = token.to_ascii_uppercase();
        let is_code = upper.len() == 6
            && upper.starts_with("ACS")
            && upper.bytes().skip(3).all(|b| b.is_ascii_digit());
        if !is_code {
            break;
        }
        codes.push(upper);
    }
    Some((whole_file, codes))
}

/// Every directive of a file.
pub fn directives(source: &str, facts: &Facts, lines: &Lines) -> Vec<Directive> {
    let mut out = Vec::new();
    for comment in &facts.comments {
        let Some(text) = source.get(comment.range.clone()) else {
            continue;
        };
        let Some((whole_file, codes)) = parse_directive(text) else {
            continue;
        };
        let line = lines.line_of(comment.range.start);
        let line_start = lines.start(line).unwrap_or(0);
        let own_line = source
            .get(line_start..comment.range.start)
            .is_some_and(|before| before.trim().is_empty());
        out.push(Directive {
            range: comment.range.clone(),
            codes,
            whole_file,
            target_line: if own_line { line + 1 } else { line },
            own_line,
        });
    }
    out
}

/// The edit that removes a directive's comment (its whole line when it stands alone).
fn removal(source: &str, directive: &Directive, lines: &Lines) -> Edit {
    let line = lines.line_of(directive.range.start);
    if directive.own_line {
        let start = lines.start(line).unwrap_or(directive.range.start);
        let end = lines.start(line + 1).unwrap_or(source.len());
        return Edit {
            range: start..end,
            content: String::new(),
        };
    }
    let before = source.get(..directive.range.start).unwrap_or("");
    let start = before.trim_end_matches([' ', '\t']).len();
    Edit {
        range: start..directive.range.end,
        content: String::new(),
    }
}

/// Removes suppressed findings and adds ACS000 for directives that silence nothing.
pub fn apply(
    source: &str,
    facts: &Facts,
    findings: Vec<Finding>,
    settings: &RuleSettings,
) -> Vec<Finding> {
    // Most files have no directive at all: one vectorised search instead of a line table
    // and a look at every comment.
    if memchr::memmem::find(source.as_bytes(), SUPPRESSION_MARKER.as_bytes()).is_none() {
        return findings;
    }
    let lines = Lines::new(source);
    let directives = directives(source, facts, &lines);
    if directives.is_empty() {
        return findings;
    }
    let mut used = vec![false; directives.len()];
    let mut kept = Vec::with_capacity(findings.len());
    for finding in findings {
        let line = lines.line_of(finding.range.start);
        let mut suppressed = false;
        for (i, directive) in directives.iter().enumerate() {
            if directive.covers(finding.code)
                && (directive.whole_file || directive.target_line == line)
            {
                used[i] = true;
                suppressed = true;
            }
        }
        if !suppressed {
            kept.push(finding);
        }
    }
    if settings.is_enabled(UnusedSuppression::CODE) {
        for (directive, used) in directives.iter().zip(used) {
            // A directive for a rule that is switched off cannot be judged.
            let judged = directive.codes.iter().all(|c| settings.is_enabled(c));
            if used || !judged {
                continue;
            }
            let what = if directive.codes.is_empty() {
                "any finding".to_string()
            } else {
                directive.codes.join(", ")
            };
            let place = if directive.whole_file {
                "in this file"
            } else if directive.own_line {
                "on the next line"
            } else {
                "on this line"
            };
            kept.push(Finding {
                code: UnusedSuppression::CODE,
                severity: settings.severity_of(UnusedSuppression::CODE, Severity::Hint),
                message: format!("Unused suppression: there is no {what} {place} to ignore"),
                range: directive.range.clone(),
                fix: Some(Fix {
                    title: "Remove the unused suppression".to_string(),
                    edits: vec![removal(source, directive, &lines)],
                }),
            });
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_directives() {
        assert_eq!(
            parse_directive("// acs-lint: ignore"),
            Some((false, vec![]))
        );
        assert_eq!(
            parse_directive("# acs-lint: ignore ACS001, acs008 -- reason"),
            Some((false, vec!["ACS001".into(), "ACS008".into()]))
        );
        assert_eq!(
            parse_directive("/* acs-lint: ignore-file ACS006 */"),
            Some((true, vec!["ACS006".into()]))
        );
        assert_eq!(parse_directive("// acs-lint: ignored"), None);
        // Only where a word starts, as the pre-filter sees it (found by the server fuzzer).
        assert_eq!(parse_directive("// tacs-lint: ignore ACS999"), None);
        assert_eq!(
            parse_directive("// tacs-lint: x, acs-lint: ignore ACS001"),
            Some((false, vec!["ACS001".to_string()]))
        );
        assert_eq!(parse_directive("// nothing here"), None);
    }
}
