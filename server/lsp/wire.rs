//! Diagnostics as they go on the wire, borrowed from the findings. This is the one place that
//! says what a diagnostic looks like: `source`, `code`, `codeDescription.href`, the fix edits in
//! `data`. The typed `Diagnostic` (code actions, disk diagnostics) is made from it, and
//! `publishDiagnostics` for open documents is serialized from it directly, without the
//! intermediate `Diagnostic` values and JSON tree (see `output.rs`).

use std::sync::OnceLock;

use serde::Serialize;
use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticSeverity, DiagnosticTag, NumberOrString, Range, Uri,
};

use super::to_position;
use crate::line_index::LineIndex;
use crate::rules::{Finding, Severity};

/// The `source` of every diagnostic.
pub const SOURCE: &str = "acs-lint";

/// One diagnostic, ready to serialize.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WireDiagnostic<'a> {
    range: Range,
    severity: DiagnosticSeverity,
    code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_description: Option<Href>,
    source: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<[DiagnosticTag; 1]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<FixData<'a>>,
}

#[derive(Serialize)]
struct Href {
    href: &'static Uri,
}

/// A diagnostic's `data`: its fix, which `codeAction/resolve` and clients read back.
#[derive(Serialize)]
struct FixData<'a> {
    fix: WireFix<'a>,
}

#[derive(Serialize)]
struct WireFix<'a> {
    title: &'a str,
    edits: Vec<WireEdit<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireEdit<'a> {
    range: Range,
    new_text: &'a str,
}

/// The LSP range of a byte range.
pub fn range(index: &LineIndex, range: &std::ops::Range<usize>) -> Range {
    Range::new(
        to_position(index.position(range.start)),
        to_position(index.position(range.end)),
    )
}

impl<'a> WireDiagnostic<'a> {
    pub fn new(finding: &'a Finding, index: &LineIndex) -> WireDiagnostic<'a> {
        let severity = match finding.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Information => DiagnosticSeverity::INFORMATION,
            Severity::Hint => DiagnosticSeverity::HINT,
        };
        let data = finding.fix.as_ref().map(|fix| FixData {
            fix: WireFix {
                title: &fix.title,
                edits: fix
                    .edits
                    .iter()
                    .map(|e| WireEdit {
                        range: range(index, &e.range),
                        new_text: &e.content,
                    })
                    .collect(),
            },
        });
        WireDiagnostic {
            range: range(index, &finding.range),
            severity,
            code: finding.code,
            code_description: rule_href(finding.code).map(|href| Href { href }),
            source: SOURCE,
            message: &finding.message,
            tags: (finding.code == crate::rules::UnusedSuppression::CODE)
                .then_some([DiagnosticTag::UNNECESSARY]),
            data,
        }
    }

    /// The same diagnostic as an owned `Diagnostic`.
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic {
            range: self.range,
            severity: Some(self.severity),
            code: Some(NumberOrString::String(self.code.to_string())),
            code_description: self.code_description.as_ref().map(|h| CodeDescription {
                href: h.href.clone(),
            }),
            source: Some(self.source.to_string()),
            message: self.message.to_string(),
            tags: self.tags.as_ref().map(|t| t.to_vec()),
            data: self
                .data
                .as_ref()
                .and_then(|d| serde_json::to_value(d).ok()),
            ..Default::default()
        }
    }
}

/// The method of the notification that carries diagnostics.
pub const PUBLISH_DIAGNOSTICS: &str = "textDocument/publishDiagnostics";

/// The body of a JSON-RPC notification, serialized straight from `params`.
pub fn notification_body(method: &str, params: &impl Serialize) -> serde_json::Result<Vec<u8>> {
    #[derive(Serialize)]
    struct Notification<'a, P> {
        jsonrpc: &'static str,
        method: &'a str,
        params: &'a P,
    }
    let mut body = Vec::with_capacity(4096);
    serde_json::to_writer(
        &mut body,
        &Notification {
            jsonrpc: "2.0",
            method,
            params,
        },
    )?;
    Ok(body)
}

/// The body of a `textDocument/publishDiagnostics` notification.
pub fn publish_body(
    uri: &Uri,
    version: Option<i32>,
    diagnostics: &[WireDiagnostic<'_>],
) -> serde_json::Result<Vec<u8>> {
    #[derive(Serialize)]
    struct Params<'a> {
        uri: &'a Uri,
        diagnostics: &'a [WireDiagnostic<'a>],
        #[serde(skip_serializing_if = "Option::is_none")]
        version: Option<i32>,
    }
    notification_body(
        PUBLISH_DIAGNOSTICS,
        &Params {
            uri,
            diagnostics,
            version,
        },
    )
}

/// The documentation page of a rule code, parsed once per code (diagnostics carry it, and a
/// large file has hundreds of them).
fn rule_href(code: &str) -> Option<&'static Uri> {
    static HREFS: OnceLock<Vec<(&'static str, Uri)>> = OnceLock::new();
    let hrefs = HREFS.get_or_init(|| {
        crate::rules::all()
            .iter()
            .map(|rule| rule.code())
            .chain([crate::rules::UnusedSuppression::CODE])
            .filter_map(|code| {
                let href = format!("{}/{code}.md", crate::rules::DOCS_BASE);
                Some((code, href.parse().ok()?))
            })
            .collect()
    });
    hrefs.iter().find(|(c, _)| *c == code).map(|(_, href)| href)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::line_index::Encoding;
    use crate::rules::{Edit, Fix};
    use ropey::Rope;
    use tower_lsp_server::ls_types::PublishDiagnosticsParams;

    /// The direct serialization says the same as the typed notification would.
    #[test]
    fn the_wire_form_matches_the_typed_notification() {
        let text = "let a = 1;\nlet 😀 = \"http://x\";\r\nlast\n";
        let rope = Rope::from_str(text);
        let finding = |code: &'static str, severity, range, fix| Finding {
            code,
            severity,
            message: format!("message for {code} with \"quotes\" and ünïcode"),
            range,
            fix,
        };
        let findings = [
            finding("ACS001", Severity::Error, 22..32, None),
            finding(
                "ACS001",
                Severity::Warning,
                22..32,
                Some(Fix {
                    title: "Use https://".into(),
                    edits: vec![
                        Edit {
                            range: 23..27,
                            content: "https".into(),
                        },
                        Edit {
                            range: 0..0,
                            content: "// top\n".into(),
                        },
                    ],
                }),
            ),
            finding("ACS000", Severity::Hint, 0..3, None),
            // Past the end: clamps.
            finding("ACS013", Severity::Information, 40..44, None),
            finding("ACS999", Severity::Warning, 0..0, None),
        ];
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            let index = LineIndex::with_text(&rope, text, encoding);
            let wire: Vec<WireDiagnostic> = findings
                .iter()
                .map(|f| WireDiagnostic::new(f, &index))
                .collect();
            let uri: Uri = "file:///tmp/a%20b.ts".parse().unwrap();
            for version in [Some(7), None] {
                let body = publish_body(&uri, version, &wire).unwrap();
                let got: serde_json::Value = serde_json::from_slice(&body).unwrap();
                let typed = PublishDiagnosticsParams::new(
                    uri.clone(),
                    wire.iter().map(WireDiagnostic::to_diagnostic).collect(),
                    version,
                );
                let want = serde_json::json!({
                    "jsonrpc": "2.0",
                    "method": "textDocument/publishDiagnostics",
                    "params": typed,
                });
                assert_eq!(got, want);
            }
        }
        // The contract itself, spelled out (DESIGN §5): source, code, href, fix edits in data.
        let index = LineIndex::with_text(&rope, text, Encoding::Utf16);
        let wire: Vec<WireDiagnostic> = findings
            .iter()
            .map(|f| WireDiagnostic::new(f, &index))
            .collect();
        let uri: Uri = "file:///a.ts".parse().unwrap();
        let body = publish_body(&uri, Some(3), &wire).unwrap();
        let got: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let second = &got["params"]["diagnostics"][1];
        assert_eq!(got["params"]["version"], 3);
        assert_eq!(second["source"], "acs-lint");
        assert_eq!(second["code"], "ACS001");
        assert_eq!(second["severity"], 2);
        assert!(second["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("/ACS001.md"));
        assert_eq!(second["data"]["fix"]["title"], "Use https://");
        assert_eq!(second["data"]["fix"]["edits"][0]["newText"], "https");
        // `😀` is two UTF-16 units: `http` (bytes 23..27) is characters 10..14 of line 1.
        assert_eq!(
            second["data"]["fix"]["edits"][0]["range"],
            serde_json::json!({"start": {"line": 1, "character": 10}, "end": {"line": 1, "character": 14}})
        );
        assert_eq!(
            got["params"]["diagnostics"][2]["tags"],
            serde_json::json!([1])
        );
        assert!(got["params"]["diagnostics"][4]
            .get("codeDescription")
            .is_none());
        assert!(got["params"]["diagnostics"][0].get("data").is_none());
    }

    #[test]
    fn every_rule_has_a_documentation_page() {
        for rule in crate::rules::all() {
            let href = rule_href(rule.code()).unwrap();
            assert!(href.as_str().ends_with(&format!("/{}.md", rule.code())));
        }
        assert!(rule_href("ACS999").is_none());
    }
}
