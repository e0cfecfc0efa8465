use std::ops::Range;

use crate::rules::{Context, Finding, Need, Rule, Severity};

/// ## What it does
/// Reports a file that handles the `Microsoft.Communication.IncomingCall` Event Grid event (by
/// its event type string, the `AcsIncomingCallEventData` type or a system event name constant)
/// but never answers Event Grid's subscription validation handshake: nothing in the file
/// mentions `SubscriptionValidationEvent`, `SubscriptionValidationEventData`, `validationCode`
/// or `validationResponse`. The finding is on the first mention of the IncomingCall event.
/// Comments do not count, either way. Azure Functions Event Grid triggers (the Functions host
/// answers the handshake) and event subscription filters (`includedEventTypes`) are not
/// reported.
///
/// ## Why is this bad?
/// Before Event Grid delivers any event to a webhook, it sends a
/// `Microsoft.EventGrid.SubscriptionValidationEvent` and waits for the `validationCode` to be
/// echoed back as `validationResponse`. An endpoint that only knows IncomingCall never completes
/// the handshake: the subscription stays unvalidated, and incoming calls ring out without your
/// application ever hearing of them.
///
/// ## Example
/// ```javascript
/// app.post("/api/incomingCall", async (req, res) => {
///   for (const event of req.body) {
///     if (event.eventType === "Microsoft.Communication.IncomingCall") {
///       await client.answerCall(event.data.incomingCallContext, callbackUrl);
///     }
///   }
///   res.sendStatus(200);
/// });
/// ```
///
/// Use instead:
/// ```javascript
/// app.post("/api/incomingCall", async (req, res) => {
///   for (const event of req.body) {
///     if (event.eventType === "Microsoft.EventGrid.SubscriptionValidationEvent") {
///       return res.json({ validationResponse: event.data.validationCode });
///     }
///     if (event.eventType === "Microsoft.Communication.IncomingCall") {
///       await client.answerCall(event.data.incomingCallContext, callbackUrl);
///     }
///   }
///   res.sendStatus(200);
/// });
/// ```
///
/// ## Fix
/// There is no automatic fix: answer the `SubscriptionValidationEvent` with its `validationCode`
/// (as `validationResponse`) in the same endpoint.
pub struct EventGridValidationUnhandled;

/// Ways code refers to the IncomingCall event: (text, must the match end at a word boundary).
const INCOMING_CALL: &[(&str, bool)] = &[
    ("Microsoft.Communication.IncomingCall", true),
    ("AcsIncomingCallEventData", true),
    ("AcsIncomingCall", false),
    ("ACS_INCOMING_CALL", true),
    ("COMMUNICATION_INCOMING_CALL", true),
];

/// Words (compared without case) that show the validation handshake is handled, or is not this
/// code's job: an Azure Functions Event Grid trigger (the Functions host answers the handshake)
/// or an event subscription's filter in infrastructure code.
const VALIDATION: &[&str] = &[
    "subscriptionvalidationevent",
    "validationcode",
    "validation_code",
    "validationresponse",
    "validation_response",
    "eventgridtrigger",
    "event_grid_trigger",
    "app.eventgrid(",
    "includedeventtypes",
    "included_event_types",
];

impl Rule for EventGridValidationUnhandled {
    fn code(&self) -> &'static str {
        "ACS013"
    }

    fn name(&self) -> &'static str {
        "event-grid-validation-unhandled"
    }

    fn severity(&self) -> Severity {
        Severity::Warning
    }

    fn needs(&self) -> &'static [Need] {
        const NEEDS: &[Need] = &[Need::any(&["IncomingCall", "INCOMING_CALL"])];
        NEEDS
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let Some(first) = first_incoming_call_mention(ctx) else {
            return;
        };
        let lower = ctx.memo.lower(ctx.source);
        let handled = VALIDATION.iter().any(|word| {
            memchr::memmem::find_iter(lower.as_bytes(), word.as_bytes())
                .any(|at| !ctx.in_comment(at))
        });
        if handled {
            return;
        }
        out.push(ctx.finding(
            self,
            first,
            "This file handles the IncomingCall event but never answers Event Grid's subscription validation (`SubscriptionValidationEvent` / `validationCode`), so the subscription is never validated and no call arrives".to_string(),
        ));
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The range of the first mention of the IncomingCall event outside comments.
fn first_incoming_call_mention(ctx: &Context) -> Option<Range<usize>> {
    let bytes = ctx.source.as_bytes();
    let mut best: Option<Range<usize>> = None;
    for (word, bounded_end) in INCOMING_CALL {
        for at in memchr::memmem::find_iter(bytes, word.as_bytes()) {
            let end = at + word.len();
            let starts_word = at == 0 || bytes.get(at - 1).is_some_and(|b| !is_word_byte(*b));
            let ends_word = !bounded_end || bytes.get(end).is_none_or(|b| !is_word_byte(*b));
            if !starts_word || !ends_word || ctx.in_comment(at) {
                continue;
            }
            // Widen an identifier prefix (`AcsIncomingCallEventName`) to the whole word.
            let mut end = end;
            while bytes.get(end).is_some_and(|b| is_word_byte(*b)) {
                end += 1;
            }
            if best.as_ref().is_none_or(|b| at < b.start) {
                best = Some(at..end);
            }
            break;
        }
    }
    best
}
