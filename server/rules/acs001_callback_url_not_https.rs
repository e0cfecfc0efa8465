use crate::rules::util::{callback_url_exprs, shorten, unwrap_url, CALLBACK_NEEDLES};
use crate::rules::{Context, Edit, Finding, Fix, Need, Rule, Severity};

/// ## What it does
/// Reports a Call Automation callback URL that starts with `http://`: a literal, a
/// concatenation, a template or interpolated string whose constant start is known, including
/// through constants and variables of the same file.
///
/// It looks at every place a callback URL is given: the `CreateCallOptions`,
/// `AnswerCallOptions` and `ConnectCallOptions` constructors, the create/answer/connect call
/// methods of every SDK (`CreateCallAsync`, `create_call(callback_url=...)`,
/// `createCall(target, url)`, `createGroupCall`), and the `CallbackUri`,
/// `OperationCallbackUri`, `operation_callback_url`, `operationCallbackUrl` and
/// `setOperationCallbackUrl` options.
///
/// ## Why is this bad?
/// Call Automation delivers call events only to HTTPS endpoints. The service rejects the request
/// with "The field CallbackUri is invalid", so the call never starts or is never answered, and
/// the error surfaces far from the line that caused it.
///
/// ## Example
/// ```csharp
/// const string CallbackHost = "http://contoso.example";
/// var options = new CreateCallOptions(invite, new Uri(CallbackHost + "/api/callbacks"));
/// ```
///
/// Use instead:
/// ```csharp
/// const string CallbackHost = "https://contoso.example";
/// var options = new CreateCallOptions(invite, new Uri(CallbackHost + "/api/callbacks"));
/// ```
///
/// ## Fix
/// The quick fix replaces `http://` with `https://` in the literal that holds the scheme, even
/// when that literal is a constant declared elsewhere in the file. Your endpoint must then serve
/// HTTPS (a dev tunnel or a public host with a certificate).
pub struct CallbackUrlNotHttps;

impl Rule for CallbackUrlNotHttps {
    fn code(&self) -> &'static str {
        "ACS001"
    }

    fn name(&self) -> &'static str {
        "callback-url-not-https"
    }

    fn severity(&self) -> Severity {
        Severity::Error
    }

    fn needs(&self) -> &'static [Need] {
        const NEEDS: &[Need] = &[Need::any(CALLBACK_NEEDLES)];
        NEEDS
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for &use_site in callback_url_exprs(ctx) {
            let value = unwrap_url(ctx.facts, use_site);
            let Some(string) = ctx.facts.string_value(value, ctx.source) else {
                continue;
            };
            let prefix = string.known_prefix();
            let Some(scheme) = prefix.get(..7) else {
                continue;
            };
            if !scheme.eq_ignore_ascii_case("http://") {
                continue;
            }
            let Some(range) = ctx.facts.expr(use_site).map(|e| e.range.clone()) else {
                continue;
            };
            let shown = match string.full() {
                Some(full) => full,
                None => format!("{prefix}..."),
            };
            let mut finding = ctx.finding(
                self,
                range,
                format!(
                    "Callback URL `{}` uses plain HTTP; Call Automation only accepts `https://` callback URLs",
                    shorten(&shown)
                ),
            );
            finding.fix = string.source_range(0, 7).map(|range| Fix {
                title: "Use https://".to_string(),
                edits: vec![Edit {
                    range,
                    content: "https://".to_string(),
                }],
            });
            out.push(finding);
        }
    }
}
