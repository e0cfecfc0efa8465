use crate::rules::util::{
    is_email_send, is_sms_send, ACS_PACKAGE, EMAIL_SDK_WORDS, SMS_SDK_WORDS, SMS_SEND,
};
use crate::rules::{Context, Finding, Need, Rule, Severity};

/// ## What it does
/// Reports an SMS send or an email send whose result is thrown away: the call is a statement of
/// its own (awaited or not) or is assigned to the discard `_`, so nothing keeps the response. SMS sends are `Send`/`SendAsync`
/// (C#), `send` (Python, JavaScript, TypeScript, Java); email sends are `Send`/`SendAsync` (C#),
/// `send`/`begin_send` (Python), `send`/`beginSend` (JavaScript, TypeScript, Java).
///
/// ## Why is this bad?
/// The result carries the message ID of each SMS (and whether the service accepted it) and the
/// operation ID of an email send. These IDs are what support asks for when a message never
/// arrives, and what delivery reports are matched against. Discarded, they are gone for good.
///
/// ## Example
/// ```typescript
/// await smsClient.send({ from, to: [customer], message });
/// ```
///
/// Use instead:
/// ```typescript
/// const [result] = await smsClient.send({ from, to: [customer], message });
/// logger.info(`SMS ${result.messageId} accepted: ${result.successful}`);
/// ```
///
/// ## Fix
/// There is no automatic fix: keep the result, check whether each message was accepted, and log
/// its message ID (SMS) or operation ID (email).
pub struct TroubleshootingIdDiscarded;

/// Methods that wait for a send's result and return it (or nothing).
const WAITS: &[&str] = &[
    "ConfigureAwait",
    "GetAwaiter",
    "GetResult",
    "Wait",
    "result",
    "wait",
    "getFinalResult",
    "waitForCompletion",
    "pollUntilDone",
    "block",
    "join",
    "get",
];

impl Rule for TroubleshootingIdDiscarded {
    fn code(&self) -> &'static str {
        "ACS011"
    }

    fn name(&self) -> &'static str {
        "troubleshooting-id-discarded"
    }

    fn severity(&self) -> Severity {
        Severity::Information
    }

    fn needs(&self) -> &'static [Need] {
        const NEEDS: &[Need] = &[
            Need::any(SMS_SDK_WORDS),
            Need::both(&["sms"], ACS_PACKAGE),
            Need::any(EMAIL_SDK_WORDS),
        ];
        NEEDS
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        // Statements, and values assigned to the discard `_` (C# `_ = await ..`, Python
        // `_ = ..`), which drop the result just as surely.
        let discarded = ctx.facts.bindings.iter().filter(|b| b.name == "_");
        let dropped = ctx
            .facts
            .statements
            .iter()
            .copied()
            .chain(discarded.map(|b| b.value));
        for expr in dropped {
            let Some(mut call) = ctx.facts.as_call(expr) else {
                continue;
            };
            // Waiting for the result and dropping it loses it just the same:
            // `SendAsync(..).ConfigureAwait(false)`, `begin_send(..).result()`,
            // `beginSend(..).getFinalResult()`, `.GetAwaiter().GetResult()`.
            while WAITS.contains(&call.callee.as_str()) {
                match call.receiver.and_then(|r| ctx.facts.as_call(r)) {
                    Some(inner) => call = inner,
                    None => break,
                }
            }
            let what = if is_email_send(ctx, call) {
                "email send's result (its operation ID)"
            } else if SMS_SEND.contains(&call.callee.as_str()) && is_sms_send(ctx, call) {
                "SMS send's result (the message ID of each SMS)"
            } else {
                continue;
            };
            out.push(ctx.finding(
                self,
                call.range.clone(),
                format!(
                    "This {what} is discarded; keep it and log the ID, which support asks for when a message does not arrive"
                ),
            ));
        }
    }
}
