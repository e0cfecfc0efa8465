//! Helpers shared by rules: API positions that several rules inspect, and value helpers.

use crate::facts::{Call, ExprId, ExprKind, Facts};
use crate::prefilter::mentions;
use crate::rules::{Context, Need};

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
/// (pac4j's and other libraries' `setCallbackUrl` are OAuth redirects, not Call Automation.)
const CALLBACK_SETTERS: &[&str] = &["setOperationCallbackUrl"];

/// Words of which a file must hold one (where a word starts, any case) to have a callback URL
/// position: each name in the tables above holds one of them (checked by a test). Rules that
/// read `callback_url_exprs` need these. A bare `callback`, as in Node-style
/// `callback(error)`, is not enough.
pub const CALLBACK_NEEDLES: &[&str] = &[
    "callbackUr",
    "callback_ur",
    "createCall",
    "answerCall",
    "connectCall",
    "createGroupCall",
    "create_call",
    "answer_call",
    "connect_call",
];

/// The ACS package prefix in every language's spelling (`Azure.Communication.Sms`,
/// `azure.communication.sms`, `com.azure.communication.sms`, `@azure/communication-sms`).
pub const ACS_PACKAGE: &[&str] = &["azure.communication", "@azure/communication-"];

/// Words that name the Call Automation SDK.
pub const CALL_AUTOMATION: &[&str] = &["callautomation", "call-automation"];

/// Words that name the ACS SMS SDK: its package or its types (see [`uses_acs_sms_sdk`]).
pub const SMS_SDK_WORDS: &[&str] = &[
    "communication.sms",
    "communication-sms",
    "SmsClient",
    "SmsAsyncClient",
    "SmsSend",
];

/// What a file needs to hold an ACS SMS send ([`is_sms_send`]): the SMS SDK named, or an
/// SMS-named receiver in a file that uses ACS.
pub const SMS_NEEDS: &[Need] = &[Need::any(SMS_SDK_WORDS), Need::both(&["sms"], ACS_PACKAGE)];

/// Words that name the ACS Email SDK (see [`uses_acs_email_sdk`]).
pub const EMAIL_SDK_WORDS: &[&str] = &[
    "communication.email",
    "communication-email",
    "EmailClient",
    "EmailAsyncClient",
];

/// Every expression used as a Call Automation callback URL in the file, at its use (found
/// once per lint, however many rules ask).
pub fn callback_url_exprs<'c>(ctx: &'c Context) -> &'c [ExprId] {
    ctx.memo.callback_urls(|| find_callback_url_exprs(ctx))
}

fn find_callback_url_exprs(ctx: &Context) -> Vec<ExprId> {
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

/// `f(**options)`: keyword arguments that cannot be seen, which may carry any option.
pub fn has_unseen_keywords(ctx: &Context, call: &Call) -> bool {
    call.args_range
        .clone()
        .and_then(|r| ctx.source.get(r))
        .is_some_and(|t| t.contains("**"))
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

/// True when a file uses an ACS SDK at all (its package names, in any language's spelling).
pub fn uses_acs(source: &str) -> bool {
    uses_acs_lower(source, &source.to_ascii_lowercase())
}

/// [`uses_acs`] with the text's ASCII lower-case copy at hand.
pub fn uses_acs_lower(source: &str, lower: &str) -> bool {
    ACS_PACKAGE
        .iter()
        .any(|w| crate::prefilter::mentions_lower(source, lower, w))
}

/// Method names of an SMS send.
pub const SMS_SEND: &[&str] = &["send", "Send", "SendAsync", "sendWithResponse"];

/// True when `call` (a `send`-like method) is an ACS SMS send. A receiver created in the file
/// with `new` decides by its type. Otherwise either the receiver is named for SMS and the file
/// uses the ACS SMS SDK (or the arguments have a shape only ACS uses), or the file uses the ACS
/// SMS SDK, the receiver is not an email or chat client, and the arguments have the shape of an
/// SMS send. Another provider's `smsService.send(..)` is not one.
pub fn is_sms_send(ctx: &Context, call: &Call) -> bool {
    let Some(receiver) = call.receiver else {
        return false;
    };
    // A receiver created in this file with `new T(..)` is an SMS client exactly when T is
    // ACS's; `new TwilioSmsGateway(..)` is not, whatever the variable is called.
    if let Some(created) = created_type(ctx, receiver) {
        return matches!(created, "SmsClient" | "SmsAsyncClient")
            && ctx.memo.uses_acs_sms(|| uses_acs_sms_sdk(ctx));
    }
    let receiver_source = ctx.facts.text(receiver, ctx.source);
    let receiver_text = receiver_source.to_ascii_lowercase();
    if receiver_text.contains("mail") || receiver_text.contains("chat") {
        return false;
    }
    let acs_sms = ctx.memo.uses_acs_sms(|| uses_acs_sms_sdk(ctx));
    if mentions(receiver_source, "sms") {
        return acs_sms || (ctx.memo.uses_acs(ctx.source) && has_acs_sms_shape(ctx, call));
    }
    acs_sms && has_sms_arguments(ctx, call)
}

/// The type a receiver was created as with `new T(..)` in this file (followed through its
/// bindings), as a simple name; `None` when it was not, or the type is not written out.
fn created_type<'a>(ctx: &'a Context, receiver: ExprId) -> Option<&'a str> {
    let created = ctx
        .facts
        .as_call(ctx.facts.resolve(receiver))
        .filter(|c| c.is_new)?;
    let simple = created.callee.rsplit(['.', ':']).next()?;
    (!simple.is_empty()).then_some(simple)
}

/// True when the file names the ACS SMS SDK: its package or one of its types (as whole words).
pub fn uses_acs_sms_sdk(ctx: &Context) -> bool {
    [
        "Azure.Communication.Sms",
        "azure.communication.sms",
        "@azure/communication-sms",
        "com.azure.communication.sms",
        "SmsClient",
        "SmsAsyncClient",
        "SmsSendOptions",
        "SmsSendRequest",
        "SmsSendResult",
    ]
    .iter()
    .any(|word| mentions_word(ctx.source, word))
}

/// True when `word` occurs in `source` with no identifier character right before or after it.
pub fn mentions_word(source: &str, word: &str) -> bool {
    let bytes = source.as_bytes();
    let is_ident = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    memchr::memmem::find_iter(bytes, word.as_bytes()).any(|at| {
        let before = at.checked_sub(1).and_then(|i| bytes.get(i));
        let after = bytes.get(at + word.len());
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

/// Arguments only an ACS SMS send has: Python's `from_=` with `message=`, or a JS/TS request
/// object with `to` and `message` (other providers say `body` or `text`).
fn has_acs_sms_shape(ctx: &Context, call: &Call) -> bool {
    let named = |n: &str| call.args.iter().any(|a| a.name.as_deref() == Some(n));
    if named("from_") && named("message") {
        return true;
    }
    positional(call, 0)
        .and_then(|request| ctx.facts.object_props(request))
        .is_some_and(|props| {
            props.iter().any(|p| p.key == "to") && props.iter().any(|p| p.key == "message")
        })
}

/// `send(from, to, message)`, `send(from_=.., to=.., message=..)` or `send({ to, message })`.
fn has_sms_arguments(ctx: &Context, call: &Call) -> bool {
    let named = |n: &str| call.args.iter().any(|a| a.name.as_deref() == Some(n));
    if named("to") && (named("message") || named("from_") || named("from")) {
        return true;
    }
    if call.args.iter().filter(|a| a.name.is_none()).count() >= 3 {
        return true;
    }
    positional(call, 0)
        .and_then(|request| ctx.facts.object_props(request))
        .is_some_and(|props| {
            props.iter().any(|p| p.key == "to") && props.iter().any(|p| p.key == "message")
        })
}

/// Method names of an email send.
const EMAIL_SEND: &[&str] = &[
    "send",
    "Send",
    "SendAsync",
    "begin_send",
    "beginSend",
    "sendWithResponse",
];

/// True when `call` sends an email with ACS: a send method on a receiver created as an ACS
/// `EmailClient` in the file, or else named like an email client, in a file that uses the ACS
/// Email SDK.
pub fn is_email_send(ctx: &Context, call: &Call) -> bool {
    if !EMAIL_SEND.contains(&call.callee.as_str()) {
        return false;
    }
    let Some(receiver) = call.receiver else {
        return false;
    };
    // As for SMS: a receiver created in the file (`new SmtpClient(..)`) decides by its type.
    if let Some(created) = created_type(ctx, receiver) {
        return matches!(created, "EmailClient" | "EmailAsyncClient")
            && ctx.memo.uses_acs_email(|| uses_acs_email_sdk(ctx));
    }
    let text = ctx.facts.text(receiver, ctx.source).to_ascii_lowercase();
    (text.contains("email") || text.contains("mail"))
        && ctx.memo.uses_acs_email(|| uses_acs_email_sdk(ctx))
}

/// True when the file names the ACS Email SDK: its package or its client types (whole words).
/// SendGrid's `sgMail.send` or MailKit's `SendAsync` are not ACS sends.
pub fn uses_acs_email_sdk(ctx: &Context) -> bool {
    [
        "Azure.Communication.Email",
        "azure.communication.email",
        "@azure/communication-email",
        "com.azure.communication.email",
        "EmailClient",
        "EmailAsyncClient",
    ]
    .iter()
    .any(|word| mentions_word(ctx.source, word))
}

/// True when an expression is (or is bound to) a phone-number identifier:
/// `PhoneNumberIdentifier(...)` or a JS/TS `{ phoneNumber: ... }` object.
pub fn is_phone_target(facts: &Facts, id: ExprId) -> bool {
    let resolved = facts.resolve(id);
    if let Some(call) = facts.as_call(resolved) {
        return call.callee == "PhoneNumberIdentifier";
    }
    facts.object_prop(resolved, "phoneNumber").is_some()
}

/// Every expression used as the URL of a file play source, at its use: C# `new FileSource(uri)`,
/// Python `FileSource(url)`, JS/TS `{ kind: "fileSource", url }`, Java `new FileSource().setUrl(url)`.
pub fn file_source_urls<'c>(ctx: &'c Context) -> &'c [ExprId] {
    ctx.memo.file_sources(|| find_file_source_urls(ctx))
}

fn find_file_source_urls(ctx: &Context) -> Vec<ExprId> {
    let facts = ctx.facts;
    let mut out = Vec::new();
    for call in facts.calls.iter().filter(|c| c.callee == "FileSource") {
        if let Some(url) = arg(call, &["url", "playSourceUrl", "fileUri", "uri"], 0) {
            out.push(url);
        }
        for prop in &call.init {
            if matches!(prop.key.as_str(), "Url" | "FileUrl" | "Uri") {
                out.push(prop.value);
            }
        }
        let (calls, assigns) = facts.configured_by(call);
        for setter in calls.iter().filter(|c| c.callee == "setUrl") {
            if let Some(url) = positional(setter, 0) {
                out.push(url);
            }
        }
        for assign in assigns
            .iter()
            .filter(|a| a.name == "url" || a.name == "Url")
        {
            out.push(assign.value);
        }
    }
    for expr in &facts.exprs {
        let ExprKind::Object(props) = &expr.kind else {
            continue;
        };
        let is_file_source = props.iter().any(|p| {
            p.key == "kind"
                && facts
                    .string_value(p.value, ctx.source)
                    .and_then(|v| v.full())
                    .is_some_and(|k| k == "fileSource")
        });
        if is_file_source {
            out.extend(props.iter().filter(|p| p.key == "url").map(|p| p.value));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The path of a URL's known text, without query and fragment; `None` when the text is not a
/// URL with a known path end (`https://host/a/b.wav?sv=1` -> `/a/b.wav`).
pub fn url_path(text: &str) -> Option<&str> {
    let end = text.find(['?', '#']).unwrap_or(text.len());
    let without_query = text.get(..end)?;
    let after_scheme = match without_query.find("://") {
        Some(at) => without_query.get(at + 3..)?,
        // A relative reference or a path: all of it is path.
        None => return Some(without_query),
    };
    let path_start = after_scheme.find('/')?;
    after_scheme.get(path_start..)
}

/// The extension of the last path segment, lower-cased (`/a/B.WAV` -> `wav`).
pub fn path_extension(path: &str) -> Option<String> {
    let last = path.rsplit('/').next()?;
    let (stem, ext) = last.rsplit_once('.')?;
    if stem.is_empty() || ext.is_empty() || !ext.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    Some(ext.to_ascii_lowercase())
}

/// The text of a URL value when its path end is known: the whole value, or the known text of
/// the last segment when it is a literal (`${base}/prompts/hello.wav`).
pub fn url_text_with_known_end(ctx: &Context, id: ExprId) -> Option<String> {
    // C# `new Uri(baseUri, "prompts/hello.wav")`: the relative part holds the end.
    if let Some(call) = ctx.facts.as_call(ctx.facts.resolve(id)) {
        if call.callee == "Uri" {
            if let Some(relative) = positional(call, 1) {
                return url_text_with_known_end(ctx, relative);
            }
        }
    }
    let value = ctx
        .facts
        .string_value(unwrap_url(ctx.facts, id), ctx.source)?;
    if let Some(full) = value.full() {
        return Some(full);
    }
    // `https://host/a.ogg?${sas}`: the path ends before the unknown query.
    let prefix = value.known_prefix();
    if prefix.contains(['?', '#']) {
        return Some(prefix);
    }
    match value.segments.last()? {
        crate::facts::Segment::Known { text, .. } if text.contains('/') => Some(text.clone()),
        _ => None,
    }
}

/// The line ending new lines should use in `source`: CRLF when its first line ends so.
pub fn line_ending(source: &str) -> &'static str {
    match source.find('\n') {
        Some(at) if at > 0 && source.as_bytes().get(at - 1) == Some(&b'\r') => "\r\n",
        _ => "\n",
    }
}

/// An edit that adds `text` as the last argument of `call`, in the call's own layout: after
/// the last argument on one line, or on a line of its own (keeping a trailing comma) when the
/// arguments are one per line.
pub fn append_argument(source: &str, call: &Call, text: &str) -> Option<crate::rules::Edit> {
    let args = call.args_range.clone()?;
    let close = args.end.checked_sub(1)?;
    let Some(last) = call.args.last() else {
        return Some(crate::rules::Edit {
            range: close..close,
            content: text.to_string(),
        });
    };
    let between = source.get(last.range.end..close)?;
    // One per line when the last argument starts a line of its own after another argument,
    // or the closing parenthesis does.
    let before_last = call
        .args
        .len()
        .checked_sub(2)
        .and_then(|i| call.args.get(i))
        .and_then(|previous| source.get(previous.range.end..last.range.start));
    let one_per_line = between.contains('\n') || before_last.is_some_and(|t| t.contains('\n'));
    if !one_per_line {
        return Some(crate::rules::Edit {
            range: last.range.end..last.range.end,
            content: format!(", {text}"),
        });
    }
    let line_start = source
        .get(..last.range.start)?
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let indent: String = source
        .get(line_start..last.range.start)?
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    match between.find(',') {
        // `last,\n)` -> `last,\n    text,\n)`
        Some(comma) if between.get(..comma).is_some_and(|b| b.trim().is_empty()) => {
            let at = last.range.end + comma + 1;
            Some(crate::rules::Edit {
                range: at..at,
                content: format!("{}{indent}{text},", line_ending(source)),
            })
        }
        _ => Some(crate::rules::Edit {
            range: last.range.end..last.range.end,
            content: format!(",{}{indent}{text}", line_ending(source)),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::Language;

    fn appended(source: &str) -> String {
        let tree = crate::document::parse(Language::Python, source).unwrap();
        let facts = crate::facts::build(Language::Python, &tree, source);
        let call = facts.calls.iter().find(|c| c.callee == "send").unwrap();
        let edit = append_argument(source, call, "enable_delivery_report=True").unwrap();
        crate::fix::apply_edits(source, &mut [edit])
    }

    #[test]
    fn appended_arguments_follow_the_call_layout() {
        assert_eq!(
            appended("c.send(a, b)\n"),
            "c.send(a, b, enable_delivery_report=True)\n"
        );
        assert_eq!(
            appended("c.send(\n    a,\n    b,\n)\n"),
            "c.send(\n    a,\n    b,\n    enable_delivery_report=True,\n)\n"
        );
        assert_eq!(
            appended("c.send(\n    a,\n    b\n)\n"),
            "c.send(\n    a,\n    b,\n    enable_delivery_report=True\n)\n"
        );
        assert_eq!(
            appended("c.send(\n    a,\n    b)\n"),
            "c.send(\n    a,\n    b,\n    enable_delivery_report=True)\n"
        );
        assert_eq!(
            appended("c.send(a,\n       b)\n"),
            "c.send(a,\n       b,\n       enable_delivery_report=True)\n"
        );
        assert_eq!(
            appended("c.send(\n    a, b)\n"),
            "c.send(\n    a, b, enable_delivery_report=True)\n"
        );
        assert_eq!(
            appended("c.send()\n"),
            "c.send(enable_delivery_report=True)\n"
        );
    }

    #[test]
    fn every_callback_position_is_announced_by_a_needle() {
        let names = CALLBACK_CALLS
            .iter()
            .chain(CALLBACK_ARG_NAMES)
            .chain(CALLBACK_PROPS)
            .chain(CALLBACK_SETTERS);
        for name in names {
            assert!(
                CALLBACK_NEEDLES.iter().any(|n| mentions(name, n)),
                "{name} contains no word of CALLBACK_NEEDLES"
            );
        }
    }
}
