use crate::facts::{Call, ExprId, ExprKind};
use crate::language::Language;
use crate::rules::util::{append_argument, has_unseen_keywords, line_ending, positional};
use crate::rules::{Context, Edit, Finding, Fix, Need, Rule, Severity};

/// ## What it does
/// Reports the creation of an ACS client (`CallAutomationClient`, `SmsClient`, `EmailClient`,
/// `ChatClient`, `CommunicationIdentityClient`, and the JavaScript calling SDK's `CallClient`)
/// in a file that configures no SDK logging anywhere.
///
/// Constructors, Python's `from_connection_string` and the Java builders'
/// `buildClient()`/`buildAsyncClient()` chains count as creations. Names that other SDKs use
/// too (`SmsClient`, `ChatClient`, `EmailClient`, `CallClient`) count only in a file that names
/// the ACS package for them, or a type that only that ACS SDK has (`SmsSendResult`,
/// `ChatThreadClient`, `CommunicationTokenCredential`, `EmailSendOperation`, ...): a C# project
/// that imports the package once with `global using` names it in no other file. Logging counts
/// as configured when the file has:
///
/// - C#: a `Diagnostics` client option or an `AzureEventSourceListener`;
/// - Python: `logging_enable=True`, `http_logging_policy=` or `logging.getLogger("azure...")`;
/// - JavaScript/TypeScript: `setLogLevel`, `createClientLogger`, an `AzureLogger.log`
///   override, or a `logger`/`loggingOptions` client option;
/// - Java: `.httpLogOptions(...)`.
///
/// ## Why is this bad?
/// When a call, message or chat fails, Microsoft support asks for the request's MS-CV
/// (correlation vector) and the call or message IDs. They are in the SDK's HTTP logs, and only
/// there: a client created without logging leaves you nothing to give support, and the failure
/// cannot be traced.
///
/// ## Example
/// ```python
/// sms_client = SmsClient.from_connection_string(connection_string)
/// ```
///
/// Use instead:
/// ```python
/// sms_client = SmsClient.from_connection_string(connection_string, logging_enable=True)
/// ```
///
/// ## Fix
/// Adds the idiomatic logging option where the client is created: C# an options argument with
/// `Diagnostics = { IsLoggingEnabled = true }`, Python `logging_enable=True`, JavaScript and
/// TypeScript `setLogLevel("info")` from `@azure/logger` after the imports, Java
/// `.httpLogOptions(new HttpLogOptions().setLogLevel(HttpLogDetailLevel.HEADERS))` in the builder
/// chain (with its imports). Remember to route the logs somewhere you keep.
pub struct DiagnosticsLoggingNotConfigured;

/// ACS client types whose creation should come with logging.
const CLIENTS: &[&str] = &[
    "CallAutomationClient",
    "SmsClient",
    "EmailClient",
    "ChatClient",
    "CommunicationIdentityClient",
];
/// JavaScript-only clients.
const JS_CLIENTS: &[&str] = &["CallClient"];
/// Client names other SDKs use too (OpenAI's `ChatClient`, Tencent Cloud's `SmsClient`): they
/// count only in a file that names the ACS package or a type that only the ACS SDK for that
/// client has. The types matter in C#, where a project's `global using Azure.Communication.Sms;`
/// (in a `GlobalUsings.cs`) leaves the other files without the package name. Matched
/// case-insensitively at a word start.
const SHARED_NAMES: &[(&str, &[&str])] = &[
    ("SmsClient", SMS_EVIDENCE),
    ("ChatClient", CHAT_EVIDENCE),
    ("EmailClient", EMAIL_EVIDENCE),
    ("CallClient", CALLING_EVIDENCE),
];
const SMS_EVIDENCE: &[&str] = &[
    "communication.sms",
    "communication-sms",
    "SmsSendResult",
    "SmsSendOptions",
];
const CHAT_EVIDENCE: &[&str] = &[
    "communication.chat",
    "communication-chat",
    "ChatThreadClient",
    "CommunicationTokenCredential",
    "CreateChatThreadResult",
];
const EMAIL_EVIDENCE: &[&str] = &[
    "communication.email",
    "communication-email",
    "EmailSendOperation",
    "EmailSendResult",
    "EmailSendStatus",
    "EmailRecipients",
];
const CALLING_EVIDENCE: &[&str] = &["communication-calling"];

impl Rule for DiagnosticsLoggingNotConfigured {
    fn code(&self) -> &'static str {
        "ACS006"
    }

    fn name(&self) -> &'static str {
        "diagnostics-logging-not-configured"
    }

    fn severity(&self) -> Severity {
        Severity::Information
    }

    fn needs(&self) -> &'static [Need] {
        const NEEDS: &[Need] = &[
            Need::any(&["CallAutomationClient", "CommunicationIdentityClient"]),
            // Each shared name with its own evidence, as `check` requires (`SHARED_NAMES`).
            Need::both(&["SmsClient"], SMS_EVIDENCE),
            Need::both(&["ChatClient"], CHAT_EVIDENCE),
            Need::both(&["EmailClient"], EMAIL_EVIDENCE),
            Need::both(&["CallClient"], CALLING_EVIDENCE),
        ];
        NEEDS
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let creations: Vec<_> = creations(ctx)
            .into_iter()
            .filter(
                |(_, client)| match SHARED_NAMES.iter().find(|(n, _)| n == client) {
                    Some((_, evidence)) => evidence.iter().any(|w| ctx.mentions_word_start(w)),
                    None => true,
                },
            )
            .collect();
        if creations.is_empty() || logging_configured(ctx, &creations) {
            return;
        }
        for (call, client) in creations {
            let mut finding = ctx.finding(
                self,
                call.range.clone(),
                format!(
                    "`{client}` is created but this file configures no SDK logging, so failed requests leave no MS-CV or request ID to give support"
                ),
            );
            finding.fix = fix(ctx, call, client);
            out.push(finding);
        }
    }
}

/// Every client creation in the file, with the client's type name.
fn creations<'a>(ctx: &'a Context) -> Vec<(&'a Call, &'a str)> {
    let facts = ctx.facts;
    let mut out = Vec::new();
    for call in &facts.calls {
        let name = call.callee.as_str();
        // Java ACS clients come only from builders; `new SmsClient(..)` there is another SDK's.
        if call.is_new && ctx.language != Language::Java {
            if let Some(client) = client_name(ctx, name) {
                out.push((call, client));
            }
            continue;
        }
        match name {
            // Python factory methods.
            "from_connection_string" => {
                let receiver = call
                    .receiver
                    .map(|r| facts.text(r, ctx.source))
                    .unwrap_or_default();
                if let Some(client) = client_name(ctx, receiver) {
                    out.push((call, client));
                }
            }
            // Java builders: `new SmsClientBuilder()...buildClient()`.
            "buildClient" | "buildAsyncClient" => {
                if let Some(client) = builder_client(ctx, call) {
                    out.push((call, client));
                }
            }
            _ => {}
        }
    }
    out
}

/// The client type a (possibly qualified) constructed name stands for.
fn client_name(ctx: &Context, name: &str) -> Option<&'static str> {
    let simple = name.rsplit(['.', ':']).next().unwrap_or(name);
    CLIENTS
        .iter()
        .chain(if ctx.language.is_js_family() {
            JS_CLIENTS.iter()
        } else {
            [].iter()
        })
        .copied()
        .find(|c| *c == simple)
}

/// The client a Java builder chain builds, following the chain and variables back to
/// `new XClientBuilder()`.
fn builder_client(ctx: &Context, build: &Call) -> Option<&'static str> {
    let facts = ctx.facts;
    let mut current = build.receiver;
    for _ in 0..64 {
        let id = facts.resolve(current?);
        let call = facts.as_call(id)?;
        if call.is_new {
            let builder = call.callee.rsplit('.').next().unwrap_or(&call.callee);
            let client = builder.strip_suffix("Builder")?;
            return CLIENTS.iter().copied().find(|c| *c == client);
        }
        current = call.receiver;
    }
    None
}

/// True when the file configures SDK logging anywhere.
fn logging_configured(ctx: &Context, creations: &[(&Call, &str)]) -> bool {
    let facts = ctx.facts;
    match ctx.language {
        Language::CSharp => {
            ctx.mentions_in_code("AzureEventSourceListener")
                || facts
                    .calls
                    .iter()
                    .any(|c| c.init.iter().any(|p| p.key == "Diagnostics"))
                || facts.assigns.iter().any(|a| {
                    a.name == "Diagnostics"
                        || a.object
                            .and_then(|o| facts.expr(o))
                            .is_some_and(|o| matches!(&o.kind, ExprKind::Member { name, .. } if name == "Diagnostics"))
                })
        }
        Language::Python => facts.calls.iter().any(|c| {
            c.args.iter().any(|a| match a.name.as_deref() {
                Some("logging_enable") => facts.text(a.value, ctx.source) == "True",
                Some("http_logging_policy") => true,
                _ => false,
            }) || (c.callee == "getLogger"
                && positional(c, 0)
                    .and_then(|n| facts.string_value(n, ctx.source))
                    .is_some_and(|v| v.known_prefix().starts_with("azure")))
        }),
        Language::JavaScript | Language::TypeScript | Language::Tsx => {
            facts
                .calls
                .iter()
                .any(|c| c.callee == "setLogLevel" || c.callee == "createClientLogger")
                || facts.assigns.iter().any(|a| {
                    a.name == "log"
                        && a.object
                            .is_some_and(|o| facts.text(o, ctx.source) == "AzureLogger")
                })
                || creations.iter().any(|(call, _)| {
                    call.args.iter().any(|a| {
                        facts.object_props(a.value).is_some_and(|props| {
                            props
                                .iter()
                                .any(|p| p.key == "logger" || p.key == "loggingOptions")
                        })
                    })
                })
        }
        Language::Java => facts.calls.iter().any(|c| c.callee == "httpLogOptions"),
    }
}

/// The idiomatic in-place fix for one creation.
fn fix(ctx: &Context, call: &Call, client: &str) -> Option<Fix> {
    match ctx.language {
        Language::CSharp => {
            // Every ACS client constructor takes its options last, as `options`; with named
            // arguments before it, the added one is named too.
            let has_options = call.args.iter().any(|a| is_options_object(ctx, a.value));
            if !(1..=2).contains(&call.args.len()) || has_options {
                return None;
            }
            let named = if call.args.iter().any(|a| a.name.is_some()) {
                "options: "
            } else {
                ""
            };
            let options = format!(
                "{named}new {client}Options {{ Diagnostics = {{ IsLoggingEnabled = true }} }}"
            );
            Some(Fix {
                title: format!("Enable logging in `{client}Options`"),
                edits: vec![append_argument(ctx.source, call, &options)?],
            })
        }
        Language::Python => {
            // `f(**kwargs)` may already carry it; adding it twice would be an error.
            if has_unseen_keywords(ctx, call) {
                return None;
            }
            Some(Fix {
                title: "Add `logging_enable=True`".to_string(),
                edits: vec![append_argument(ctx.source, call, "logging_enable=True")?],
            })
        }
        Language::JavaScript | Language::TypeScript | Language::Tsx => {
            let esm = ctx.facts.imports.iter().any(|i| {
                ctx.source
                    .get(i.range.clone())
                    .is_some_and(|t| t.starts_with("import"))
            }) || !ctx.mentions("require(");
            let import = if esm {
                "import { setLogLevel } from \"@azure/logger\";"
            } else {
                "const { setLogLevel } = require(\"@azure/logger\");"
            };
            let at = after_imports(ctx);
            let nl = line_ending(ctx.source);
            Some(Fix {
                title: "Turn on Azure SDK logging with `setLogLevel(\"info\")`".to_string(),
                edits: vec![Edit {
                    range: at..at,
                    content: format!("{import}{nl}setLogLevel(\"info\");{nl}"),
                }],
            })
        }
        Language::Java => {
            let mut edits = vec![Edit {
                range: call.callee_range.start..call.callee_range.start,
                content:
                    "httpLogOptions(new HttpLogOptions().setLogLevel(HttpLogDetailLevel.HEADERS))."
                        .to_string(),
            }];
            let mut imports = String::new();
            for class in ["HttpLogDetailLevel", "HttpLogOptions"] {
                let full = format!("import com.azure.core.http.policy.{class};");
                if !ctx.mentions(&full) && !ctx.mentions("import com.azure.core.http.policy.*;") {
                    imports.push_str(&full);
                    imports.push_str(line_ending(ctx.source));
                }
            }
            if !imports.is_empty() {
                let at = after_imports(ctx);
                edits.push(Edit {
                    range: at..at,
                    content: imports,
                });
            }
            Some(Fix {
                title: "Log HTTP headers with `httpLogOptions`".to_string(),
                edits,
            })
        }
    }
}

/// True for an argument that is already a client options object (`new SmsClientOptions()`).
fn is_options_object(ctx: &Context, id: ExprId) -> bool {
    ctx.facts
        .as_call(ctx.facts.resolve(id))
        .is_some_and(|c| c.callee.ends_with("Options"))
}

/// The byte offset just after the line of the file's last import (or package declaration, or
/// shebang), where new imports go.
fn after_imports(ctx: &Context) -> usize {
    let source = ctx.source;
    let end_of_line = |at: usize| -> usize {
        match source.get(at..).and_then(|rest| rest.find('\n')) {
            Some(newline) => at + newline + 1,
            None => source.len(),
        }
    };
    if let Some(last) = ctx.facts.imports.iter().map(|i| i.range.end).max() {
        return end_of_line(last);
    }
    if ctx.language == Language::Java {
        if let Some(package) = source.find("package ") {
            if source
                .get(..package)
                .is_some_and(|b| b.trim().is_empty() || b.trim_end().ends_with("*/"))
            {
                return end_of_line(package);
            }
        }
    }
    if source.starts_with("#!") {
        return end_of_line(0);
    }
    0
}
