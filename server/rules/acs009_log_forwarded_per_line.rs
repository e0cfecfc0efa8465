use crate::facts::{Call, ExprKind};
use crate::rules::{Context, Finding, Need, Rule, Severity};

/// ## What it does
/// In JavaScript and TypeScript, reports an `AzureLogger.log` override whose body sends a
/// network request (`fetch`, `navigator.sendBeacon`, `XMLHttpRequest`, `axios`,
/// `http.request`/`https.request`) directly, once for every log line. Requests made from a
/// separate flush function or a timer callback (buffering) are fine. Files that import other
/// Azure SDKs and no ACS package are not checked.
///
/// ## Why is this bad?
/// The Azure SDKs log many lines per operation. Forwarding each one in its own request floods
/// your log endpoint, slows the page or process down, and loses lines when requests fail or the
/// page unloads; the troubleshooting guide recommends buffering log lines and sending them in
/// batches.
///
/// ## Example
/// ```javascript
/// AzureLogger.log = (...args) => {
///   fetch("/api/logs", { method: "POST", body: JSON.stringify(args) });
/// };
/// ```
///
/// Use instead:
/// ```javascript
/// const pending = [];
/// AzureLogger.log = (...args) => {
///   pending.push(args.join(" "));
/// };
/// setInterval(() => {
///   if (pending.length) navigator.sendBeacon("/api/logs", JSON.stringify(pending.splice(0)));
/// }, 5000);
/// ```
///
/// ## Fix
/// There is no automatic fix: collect lines in a buffer inside the override and send them in
/// batches from a timer or when the buffer fills.
pub struct LogForwardedPerLine;

/// Calls that run a callback later: requests made there are batched, not per line.
const TIMERS: &[&str] = &[
    "setTimeout",
    "setInterval",
    "requestIdleCallback",
    "requestAnimationFrame",
    "queueMicrotask",
    "debounce",
    "throttle",
];

impl Rule for LogForwardedPerLine {
    fn code(&self) -> &'static str {
        "ACS009"
    }

    fn name(&self) -> &'static str {
        "log-forwarded-per-line"
    }

    fn severity(&self) -> Severity {
        Severity::Warning
    }

    fn needs(&self) -> &'static [Need] {
        const NEEDS: &[Need] = &[Need::any(&["AzureLogger"])];
        NEEDS
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        if !ctx.language.is_js_family() || uses_other_azure_sdks_only(ctx) {
            return;
        }
        let facts = ctx.facts;
        for assign in &facts.assigns {
            let is_override = assign.name == "log"
                && assign
                    .object
                    .is_some_and(|o| facts.text(o, ctx.source) == "AzureLogger");
            if !is_override {
                continue;
            }
            let function = facts.resolve(assign.value);
            let Some(body) = facts
                .expr(function)
                .filter(|e| matches!(e.kind, ExprKind::Function))
                .map(|e| e.range.clone())
            else {
                continue;
            };
            // Timer callbacks nested inside the override send later, in batches: their calls
            // do not count. Other callbacks (`args.forEach(a => fetch(..))`) still run per line.
            let nested: Vec<_> = facts
                .functions
                .iter()
                .filter(|f| {
                    f.range != body && body.start <= f.range.start && f.range.end <= body.end
                })
                .filter(|f| {
                    facts
                        .calls_containing(f.range.start)
                        .first()
                        .is_some_and(|c| TIMERS.contains(&c.callee.as_str()))
                })
                .map(|f| f.range.clone())
                .collect();
            for call in &facts.calls {
                let inside = body.start <= call.range.start && call.range.end <= body.end;
                let in_nested = nested
                    .iter()
                    .any(|n| n.start <= call.range.start && call.range.end <= n.end);
                if !inside || in_nested {
                    continue;
                }
                if let Some(what) = network_request(ctx, call) {
                    out.push(ctx.finding(
                        self,
                        call.range.clone(),
                        format!(
                            "This `AzureLogger.log` override sends {what} for every log line; buffer the lines and send them in batches"
                        ),
                    ));
                }
            }
        }
    }
}

/// `@azure/logger` is shared by every Azure SDK: a file that imports other Azure packages and
/// no ACS package is another service's code. (A logging set-up file that imports only
/// `@azure/logger` is still checked.)
fn uses_other_azure_sdks_only(ctx: &Context) -> bool {
    let azure: Vec<&str> = ctx
        .facts
        .imports
        .iter()
        .map(|i| i.module.trim_matches(['"', '\'', '`']))
        .filter(|m| m.starts_with("@azure/") && *m != "@azure/logger")
        .collect();
    !azure.is_empty() && !azure.iter().any(|m| m.starts_with("@azure/communication-"))
}

/// What kind of network request a call makes, if it makes one.
fn network_request(ctx: &Context, call: &Call) -> Option<&'static str> {
    let receiver = call
        .receiver
        .map(|r| ctx.facts.text(r, ctx.source))
        .unwrap_or_default();
    match (call.callee.as_str(), receiver) {
        ("fetch", "" | "window" | "globalThis" | "self") => Some("a `fetch` request"),
        ("sendBeacon", _) => Some("a beacon"),
        ("XMLHttpRequest", _) if call.is_new => Some("an `XMLHttpRequest`"),
        ("axios", "") => Some("an axios request"),
        ("post" | "put" | "get" | "patch" | "request", "axios") => Some("an axios request"),
        ("request" | "get", "http" | "https") => Some("an HTTP request"),
        _ => None,
    }
}
