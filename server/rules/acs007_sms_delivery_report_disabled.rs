use crate::facts::{Call, ExprId};
use crate::language::Language;
use crate::rules::util::{
    append_argument, arg, has_unseen_keywords, is_sms_send, positional, SMS_NEEDS, SMS_SEND,
};
use crate::rules::{Context, Edit, Finding, Fix, Need, Rule, Severity};

/// ## What it does
/// Reports an SMS send that does not ask for delivery reports, or switches them off.
///
/// It looks at these forms:
///
/// - C#: `Send`/`SendAsync(from, to, message)` without `new SmsSendOptions(enableDeliveryReport: true)`;
/// - Python: `send(...)` without `enable_delivery_report=True`;
/// - JavaScript/TypeScript: `send(request)` without `{ enableDeliveryReport: true }` as options;
/// - Java: `send(from, to, message)` (which cannot take options), or a send whose
///   `SmsSendOptions` does not call `setDeliveryReportEnabled(true)`.
///
/// Options built in one statement and passed in the next, or changed after they were created
/// (`options.EnableDeliveryReport = true`, `options.setDeliveryReportEnabled(true)`), are followed.
///
/// ## Why is this bad?
/// Without delivery reports, the `SMSDeliveryReportReceived` event and its
/// `DeliveryStatusDetails` never arrive. A message that the carrier rejected or never delivered
/// looks exactly like one that arrived, and there is nothing to give support when a customer
/// says they got nothing.
///
/// ## Example
/// ```csharp
/// await smsClient.SendAsync("+18005550100", "+14255550123", "Your code is 123456");
/// ```
///
/// Use instead:
/// ```csharp
/// await smsClient.SendAsync("+18005550100", "+14255550123", "Your code is 123456",
///     new SmsSendOptions(enableDeliveryReport: true));
/// ```
///
/// ## Fix
/// Turns an explicit `false` into `true`, or adds the option: C# an `SmsSendOptions` argument,
/// Python `enable_delivery_report=True`, JavaScript `{ enableDeliveryReport: true }`, Java
/// `.setDeliveryReportEnabled(true)` on the options. Java's three-argument `send` has no
/// automatic fix: use the overload that takes `SmsSendOptions`. Subscribe to the
/// `Microsoft.Communication.SMSDeliveryReportReceived` Event Grid event to receive the reports.
pub struct SmsDeliveryReportDisabled;

const MISSING: &str =
    "This SMS send does not ask for delivery reports, so `DeliveryStatusDetails` never arrives and failed deliveries go unnoticed";
const DISABLED: &str =
    "Delivery reports are switched off for this SMS send, so `DeliveryStatusDetails` never arrives and failed deliveries go unnoticed";

/// What a delivery-report setting is.
enum Setting {
    On,
    Off(ExprId),
    Unknown,
}

impl Rule for SmsDeliveryReportDisabled {
    fn code(&self) -> &'static str {
        "ACS007"
    }

    fn name(&self) -> &'static str {
        "sms-delivery-report-disabled"
    }

    fn severity(&self) -> Severity {
        Severity::Information
    }

    fn needs(&self) -> &'static [Need] {
        SMS_NEEDS
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for call in &ctx.facts.calls {
            if !SMS_SEND.contains(&call.callee.as_str()) || !is_sms_send(ctx, call) {
                continue;
            }
            match ctx.language {
                Language::CSharp => self.check_csharp(ctx, call, out),
                Language::Python => self.check_python(ctx, call, out),
                Language::JavaScript | Language::TypeScript | Language::Tsx => {
                    self.check_js(ctx, call, out)
                }
                Language::Java => self.check_java(ctx, call, out),
            }
        }
    }
}

/// A boolean literal's value.
fn literal_bool(ctx: &Context, id: ExprId) -> Option<bool> {
    match ctx.facts.text(ctx.facts.resolve(id), ctx.source) {
        "true" | "True" => Some(true),
        "false" | "False" => Some(false),
        _ => None,
    }
}

fn setting_of(ctx: &Context, value: ExprId) -> Setting {
    match literal_bool(ctx, value) {
        Some(true) => Setting::On,
        Some(false) => Setting::Off(ctx.facts.resolve(value)),
        None => Setting::Unknown,
    }
}

impl SmsDeliveryReportDisabled {
    fn missing(&self, ctx: &Context, call: &Call, fix: Option<Fix>, out: &mut Vec<Finding>) {
        let mut finding = ctx.finding(self, call.range.clone(), MISSING.to_string());
        finding.fix = fix;
        out.push(finding);
    }

    fn switched_off(&self, ctx: &Context, value: ExprId, out: &mut Vec<Finding>) {
        let Some(expr) = ctx.facts.expr(value) else {
            return;
        };
        let text = ctx.source.get(expr.range.clone()).unwrap_or_default();
        let on = if text == "False" { "True" } else { "true" };
        let mut finding = ctx.finding(self, expr.range.clone(), DISABLED.to_string());
        finding.fix = Some(Fix {
            title: "Turn delivery reports on".to_string(),
            edits: vec![Edit {
                range: expr.range.clone(),
                content: on.to_string(),
            }],
        });
        if !out
            .iter()
            .any(|f| f.code == self.code() && f.range == expr.range)
        {
            out.push(finding);
        }
    }

    /// Adds an argument to the call.
    fn append_arg(ctx: &Context, call: &Call, text: &str, title: &str) -> Option<Fix> {
        Some(Fix {
            title: title.to_string(),
            edits: vec![append_argument(ctx.source, call, text)?],
        })
    }

    fn check_csharp(&self, ctx: &Context, call: &Call, out: &mut Vec<Finding>) {
        let facts = ctx.facts;
        let Some(options) = arg(call, &["options"], 3) else {
            let named = call.args.iter().any(|a| a.name.is_some());
            let positional_count = call.args.iter().filter(|a| a.name.is_none()).count();
            let fix = if named {
                Self::append_arg(
                    ctx,
                    call,
                    "options: new SmsSendOptions(enableDeliveryReport: true)",
                    "Ask for delivery reports",
                )
            } else if positional_count == 3 {
                Self::append_arg(
                    ctx,
                    call,
                    "new SmsSendOptions(enableDeliveryReport: true)",
                    "Ask for delivery reports",
                )
            } else {
                None
            };
            return self.missing(ctx, call, fix, out);
        };
        let Some(new) = facts.as_call(facts.chain_root(options)) else {
            return;
        };
        if new.callee != "SmsSendOptions" {
            return;
        }
        let (_, assigns) = facts.configured_by(new);
        let setting = assigns
            .iter()
            .rev()
            .find(|a| a.name == "EnableDeliveryReport")
            .map(|a| a.value)
            .or_else(|| {
                new.init
                    .iter()
                    .find(|p| p.key == "EnableDeliveryReport")
                    .map(|p| p.value)
            })
            .or_else(|| arg(new, &["enableDeliveryReport"], 0));
        match setting.map(|v| setting_of(ctx, v)) {
            None => self.missing(ctx, call, None, out),
            Some(Setting::Off(value)) => self.switched_off(ctx, value, out),
            Some(Setting::On | Setting::Unknown) => {}
        }
    }

    fn check_python(&self, ctx: &Context, call: &Call, out: &mut Vec<Finding>) {
        let setting = call
            .args
            .iter()
            .find(|a| a.name.as_deref() == Some("enable_delivery_report"));
        match setting.map(|a| setting_of(ctx, a.value)) {
            None => {
                // `send(**kwargs)` may carry it.
                if has_unseen_keywords(ctx, call) {
                    return;
                }
                let fix = Self::append_arg(
                    ctx,
                    call,
                    "enable_delivery_report=True",
                    "Ask for delivery reports",
                );
                self.missing(ctx, call, fix, out)
            }
            Some(Setting::Off(value)) => self.switched_off(ctx, value, out),
            Some(Setting::On | Setting::Unknown) => {}
        }
    }

    fn check_js(&self, ctx: &Context, call: &Call, out: &mut Vec<Finding>) {
        let facts = ctx.facts;
        // `send(request, options)`: the request must look like an SMS request.
        let Some(request) = positional(call, 0) else {
            return;
        };
        if facts
            .object_props(request)
            .is_some_and(|props| !props.iter().any(|p| p.key == "message" || p.key == "to"))
        {
            return;
        }
        let Some(options) = positional(call, 1) else {
            let fix = Self::append_arg(
                ctx,
                call,
                "{ enableDeliveryReport: true }",
                "Ask for delivery reports",
            );
            return self.missing(ctx, call, fix, out);
        };
        let resolved = facts.resolve(options);
        let Some(props) = facts.object_props(resolved) else {
            return;
        };
        match props.iter().find(|p| p.key == "enableDeliveryReport") {
            Some(prop) => {
                if let Setting::Off(value) = setting_of(ctx, prop.value) {
                    self.switched_off(ctx, value, out);
                }
            }
            None => {
                let fix = facts.expr(resolved).and_then(|object| {
                    let open = object.range.start;
                    let inner = ctx.source.get(open + 1..object.range.end.checked_sub(1)?)?;
                    let content = if inner.trim().is_empty() {
                        " enableDeliveryReport: true "
                    } else {
                        " enableDeliveryReport: true,"
                    };
                    Some(Fix {
                        title: "Ask for delivery reports".to_string(),
                        edits: vec![Edit {
                            range: open + 1..open + 1,
                            content: content.to_string(),
                        }],
                    })
                });
                self.missing(ctx, call, fix, out)
            }
        }
    }

    fn check_java(&self, ctx: &Context, call: &Call, out: &mut Vec<Finding>) {
        let facts = ctx.facts;
        let Some(options) = positional(call, 3) else {
            if call.args.len() == 3 {
                self.missing(ctx, call, None, out);
            }
            return;
        };
        let Some(new) = facts.as_call(facts.chain_root(options)) else {
            return;
        };
        if new.callee != "SmsSendOptions" {
            return;
        }
        let (calls, _) = facts.configured_by(new);
        let setter = calls
            .iter()
            .rev()
            .find(|c| c.callee == "setDeliveryReportEnabled")
            .and_then(|c| positional(c, 0));
        match setter.map(|v| setting_of(ctx, v)) {
            None => {
                let at = new.range.end;
                let fix = Some(Fix {
                    title: "Ask for delivery reports".to_string(),
                    edits: vec![Edit {
                        range: at..at,
                        content: ".setDeliveryReportEnabled(true)".to_string(),
                    }],
                });
                self.missing(ctx, call, fix, out)
            }
            Some(Setting::Off(value)) => self.switched_off(ctx, value, out),
            Some(Setting::On | Setting::Unknown) => {}
        }
    }
}
