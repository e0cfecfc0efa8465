//! Helpers shared by rules: API positions that several rules inspect, and value helpers.

use crate::facts::{Call, ExprId, ExprKind, Facts};
use crate::rules::Context;

/// Calls whose argument at index 1 (or the named argument) is a Call Automation callback URL.
const CALLBACK_CALLS: &[&str] = &[
    // C# and Java options types (constructor argument 1).
    "CreateCallOptions",
    "AnswerCallOptions",
    "ConnectCallOptions",
    // C# client methods.
    "CreateCall",
    "CreateCallAsync",
    "AnswerCall",
    "AnswerCallAsync",
    "ConnectCall",
    "ConnectCallAsync",
    // Python client methods.
    "create_call",
    "answer_call",
    "connect_call",
    // JavaScript/TypeScript and Java client methods.
    "createCall",
    "answerCall",
    "connectCall",
    "createGroupCall",
];

/// Named arguments that carry a callback URL.
const CALLBACK_ARG_NAMES: &[&str] = &["callbackUri", "callback_url", "callbackUrl"];
/// Named arguments, object properties and initializer properties that carry an operation or
/// callback URL wherever they appear.
const CALLBACK_PROPS: &[&str] = &[
    "CallbackUri",
    "OperationCallbackUri",
    "operation_callback_url",
    "operationCallbackUrl",
    "operationCallbackUri",
];
/// Setter methods whose first argument is a callback URL (Java).
const CALLBACK_SETTERS: &[&str] = &["setOperationCallbackUrl", "setCallbackUrl"];

/// Words (any case) of which a file must hold one to have a callback URL position: each name in
/// the tables above contains one of them (checked by a test). Rules that read
/// `callback_url_exprs` declare these as their pre-filter needles.
pub const CALLBACK_NEEDLES: &[&str] = &[
    "callback",
    "createcall",
    "answercall",
    "connectcall",
    "creategroupcall",
    "create_call",
    "answer_call",
    "connect_call",
];

/// Every expression used as a Call Automation callback URL in the file, at its use.
pub fn callback_url_exprs(ctx: &Context) -> Vec<ExprId> {
    let facts = ctx.facts;
    let mut out = Vec::new();
    for call in &facts.calls {
        if CALLBACK_CALLS.contains(&call.callee.as_str()) {
            if let Some(named) = call.args.iter().find(|a| {
                a.name
                    .as_deref()
                    .is_some_and(|n| CALLBACK_ARG_NAMES.contains(&n))
            }) {
                out.push(named.value);
            } else if let Some(arg) = positional(call, 1) {
                // Java `createCall(options)` has one argument; JS/TS options come third.
                out.push(arg);
            }
        }
        if CALLBACK_SETTERS.contains(&call.callee.as_str()) {
            if let Some(arg) = positional(call, 0) {
                out.push(arg);
            }
        }
        for arg in &call.args {
            if arg
                .name
                .as_deref()
                .is_some_and(|n| CALLBACK_PROPS.contains(&n))
            {
                out.push(arg.value);
            }
            // Options objects passed inline or through a variable (JS/TS).
            if let Some(props) = facts.object_props(arg.value) {
                for prop in props {
                    if CALLBACK_PROPS.contains(&prop.key.as_str()) {
                        out.push(prop.value);
                    }
                }
            }
        }
        for prop in &call.init {
            if CALLBACK_PROPS.contains(&prop.key.as_str()) {
                out.push(prop.value);
            }
        }
    }
    for assign in &facts.assigns {
        if CALLBACK_PROPS.contains(&assign.name.as_str()) {
            out.push(assign.value);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The positional argument at `index` (named arguments are skipped).
pub fn positional(call: &Call, index: usize) -> Option<ExprId> {
    call.args
        .iter()
        .filter(|a| a.name.is_none())
        .nth(index)
        .map(|a| a.value)
}

/// The argument named `name`, or else the positional argument at `index`.
pub fn arg(call: &Call, names: &[&str], index: usize) -> Option<ExprId> {
    call.args
        .iter()
        .find(|a| a.name.as_deref().is_some_and(|n| names.contains(&n)))
        .map(|a| a.value)
        .or_else(|| positional(call, index))
}

/// Looks through URL wrappers: `new Uri(x)`, `new URI(x)`, `URI.create(x)`, `new URL(x)`.
/// `new Uri(new Uri(host), "/api")` is followed to its base, which holds the scheme.
pub fn unwrap_url(facts: &Facts, id: ExprId) -> ExprId {
    let mut current = id;
    for _ in 0..4 {
        let next = unwrap_url_once(facts, current);
        if next == current {
            break;
        }
        current = next;
    }
    current
}

fn unwrap_url_once(facts: &Facts, id: ExprId) -> ExprId {
    let resolved = facts.resolve(id);
    match facts.as_call(resolved) {
        Some(call)
            if matches!(call.callee.as_str(), "Uri" | "URI" | "URL")
                || (call.callee == "create"
                    && call
                        .receiver
                        .and_then(|r| facts.expr(r))
                        .is_some_and(|r| matches!(&r.kind, ExprKind::Ident(n) if n == "URI"))) =>
        {
            positional(call, 0).unwrap_or(id)
        }
        _ => id,
    }
}

/// The items of a list value: an array literal, `Arrays.asList(..)`/`List.of(..)`, a collection
/// initializer, or the value itself when it is not a list.
pub fn list_items(facts: &Facts, id: ExprId) -> Vec<ExprId> {
    let resolved = facts.resolve(id);
    match facts.expr(resolved).map(|e| &e.kind) {
        Some(ExprKind::Array(items)) => items.clone(),
        Some(ExprKind::Call(_)) => match facts.as_call(resolved) {
            Some(call) if matches!(call.callee.as_str(), "asList" | "of" | "listOf") => {
                call.args.iter().map(|a| a.value).collect()
            }
            Some(call) if !call.init_items.is_empty() => call.init_items.clone(),
            _ => vec![id],
        },
        _ => vec![id],
    }
}

/// A short, single-line rendering of a value for messages.
pub fn shorten(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() > 60 {
        let cut: String = one_line.chars().take(57).collect();
        format!("{cut}...")
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_callback_position_is_announced_by_a_needle() {
        let names = CALLBACK_CALLS
            .iter()
            .chain(CALLBACK_ARG_NAMES)
            .chain(CALLBACK_PROPS)
            .chain(CALLBACK_SETTERS);
        for name in names {
            let lower = name.to_ascii_lowercase();
            assert!(
                CALLBACK_NEEDLES.iter().any(|n| lower.contains(n)),
                "{name} contains no word of CALLBACK_NEEDLES"
            );
        }
    }
}
