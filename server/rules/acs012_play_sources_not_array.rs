use crate::facts::ExprKind;
use crate::rules::util::{positional, CALL_AUTOMATION};
use crate::rules::{Context, Edit, Finding, Fix, Need, Rule, Severity};

/// ## What it does
/// In JavaScript and TypeScript, reports `playToAll(source)` and `play(source, targets)` whose
/// first argument is a single play-source object (a `fileSource`, `textSource` or `ssmlSource`,
/// written inline or held in a variable) instead of an array of play sources.
///
/// ## Why is this bad?
/// The JavaScript Call Automation SDK takes a list of play sources. A single object is not
/// rejected by plain JavaScript, but the request the SDK builds has no valid play source, so the
/// play fails at run time (and TypeScript reports a type error that is easy to silence with a
/// cast).
///
/// ## Example
/// ```javascript
/// const prompt = { kind: "fileSource", url: "https://contoso.example/prompts/welcome.wav" };
/// await callConnection.getCallMedia().playToAll(prompt);
/// ```
///
/// Use instead:
/// ```javascript
/// await callConnection.getCallMedia().playToAll([prompt]);
/// ```
///
/// ## Fix
/// Wraps the argument in `[ ]`.
pub struct PlaySourcesNotArray;

fn uses_call_automation(ctx: &Context) -> bool {
    CALL_AUTOMATION.iter().any(|w| ctx.mentions_word_start(w))
}

/// Keys that mark an object as a play source.
const PLAY_SOURCE_KEYS: &[&str] = &["url", "text", "ssml", "playSourceCacheId"];

impl Rule for PlaySourcesNotArray {
    fn code(&self) -> &'static str {
        "ACS012"
    }

    fn name(&self) -> &'static str {
        "play-sources-not-array"
    }

    fn severity(&self) -> Severity {
        Severity::Error
    }

    fn needs(&self) -> &'static [Need] {
        // `play(..)` counts with a play source's `kind` (`"fileSource"`) or in a Call
        // Automation file.
        const NEEDS: &[Need] = &[
            Need::any(&["playToAll"]),
            Need::both(&["play"], &["callautomation", "call-automation", "Source"]),
        ];
        NEEDS
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        if !ctx.language.is_js_family() {
            return;
        }
        let facts = ctx.facts;
        for call in &facts.calls {
            let first = match call.callee.as_str() {
                "playToAll" => positional(call, 0),
                // `play(sources, targets)`; `audio.play()` has no arguments.
                "play" if positional(call, 1).is_some() => positional(call, 0),
                _ => None,
            };
            let Some(first) = first else { continue };
            let Some(props) = facts.object_props(first) else {
                continue;
            };
            let kind = props
                .iter()
                .find(|p| p.key == "kind")
                .and_then(|p| facts.string_value(p.value, ctx.source))
                .and_then(|v| v.full());
            // Without a `kind`, `{ url }` is a play source only for Call Automation's own
            // `playToAll`, or in a file that uses Call Automation (a game's `play({ url }, o)`
            // is not one).
            let is_play_source = match &kind {
                Some(kind) => kind.ends_with("Source"),
                None => {
                    props
                        .iter()
                        .any(|p| PLAY_SOURCE_KEYS.contains(&p.key.as_str()))
                        && (call.callee == "playToAll" || uses_call_automation(ctx))
                }
            };
            if !is_play_source {
                continue;
            }
            let Some(expr) = facts.expr(first) else {
                continue;
            };
            if matches!(expr.kind, ExprKind::Array(_)) {
                continue;
            }
            let described =
                kind.map_or_else(|| "a play source".to_string(), |k| format!("a `{k}`"));
            let mut finding = ctx.finding(
                self,
                expr.range.clone(),
                format!(
                    "`{}` takes an array of play sources, but this is {described} on its own; wrap it in `[ ]`",
                    call.callee
                ),
            );
            finding.fix = Some(Fix {
                title: "Wrap the play source in an array".to_string(),
                edits: vec![
                    Edit {
                        range: expr.range.start..expr.range.start,
                        content: "[".to_string(),
                    },
                    Edit {
                        range: expr.range.end..expr.range.end,
                        content: "]".to_string(),
                    },
                ],
            });
            out.push(finding);
        }
    }
}
