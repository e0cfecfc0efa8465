use crate::facts::{ExprId, ExprKind};
use crate::rules::util::{
    arg, is_sms_send, list_items, positional, shorten, ACS_PACKAGE, SMS_SDK_WORDS, SMS_SEND,
};
use crate::rules::{Context, Edit, Finding, Fix, Need, Rule, Severity};

/// ## What it does
/// Reports a phone number literal that is not in E.164 form (`+`, then 2 to 15 digits, the first
/// not `0`) where ACS takes a phone number: `PhoneNumberIdentifier(...)` in C#, Python and Java,
/// `{ phoneNumber: ... }` identifiers in JavaScript and TypeScript, and the `from`/`from_` and
/// `to` numbers of an SMS send (also inside a `to` list), including through constants and
/// variables of the same file. A template placeholder left in from a sample
/// (`"<TARGET_PHONE_NUMBER>"`) is reported too, and the message says it is one.
///
/// ## Why is this bad?
/// ACS only understands E.164 numbers. An SMS to or from a number in another form fails with
/// delivery error 4001 (invalid source) or 4002 (invalid destination), and a PSTN call or
/// transfer to it is rejected.
///
/// ## Example
/// ```javascript
/// const target = { phoneNumber: "(425) 555-0100" };
/// await smsClient.send({ from: "0044 20 7946 0000", to: ["14255550100"], message: "Hi" });
/// ```
///
/// Use instead:
/// ```javascript
/// const target = { phoneNumber: "+14255550100" };
/// await smsClient.send({ from: "+442079460000", to: ["+14255550100"], message: "Hi" });
/// ```
///
/// ## Fix
/// Offered only when the intended number is unambiguous: spaces, dashes, dots and parentheses
/// are removed, a `00` international prefix becomes `+`, and 11 to 15 digits without `+` get a
/// `+`. A shorter national number (like `(425) 555-0100`) is reported without a fix, because
/// acs-lint never guesses a country code.
pub struct PhoneNumberNotE164;

/// True for `+` followed by 2 to 15 digits, the first not 0.
pub fn is_e164(number: &str) -> bool {
    let Some(digits) = number.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// The E.164 form of a number, when it can be derived without guessing.
pub fn normalize(number: &str) -> Option<String> {
    // "+44 (0)20 ..." marks a trunk prefix that is dropped in international form.
    let without_trunk = number.replacen("(0)", "", 1);
    let cleaned: String = without_trunk
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '\u{a0}' | '\t'))
        .collect();
    let candidate = if let Some(rest) = cleaned.strip_prefix('+') {
        format!("+{rest}")
    } else if let Some(rest) = cleaned.strip_prefix("00") {
        format!("+{rest}")
    } else if (11..=15).contains(&cleaned.len()) && cleaned.bytes().all(|b| b.is_ascii_digit()) {
        format!("+{cleaned}")
    } else {
        return None;
    };
    is_e164(&candidate).then_some(candidate)
}

/// True when a literal is a sample's placeholder rather than a number: no digit, and wrapped in
/// `<..>`, `{..}` or `[..]`, or starting with `your` (`<TARGET_PHONE_NUMBER>`, `your-number`).
fn is_placeholder(text: &str) -> bool {
    let text = text.trim();
    if text.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let wrapped = [('<', '>'), ('{', '}'), ('[', ']')]
        .iter()
        .any(|&(open, close)| text.len() > 2 && text.starts_with(open) && text.ends_with(close));
    wrapped
        || text
            .get(..4)
            .is_some_and(|start| start.eq_ignore_ascii_case("your"))
}

/// True when a literal looks like an attempt at a phone number (digits and separators only).
fn looks_like_phone_number(text: &str) -> bool {
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    digits >= 3
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '.' | '(' | ')'))
}

impl PhoneNumberNotE164 {
    /// Checks one value. `strict`: report any literal (the API takes only phone numbers);
    /// otherwise only literals that look like phone numbers (SMS `to` may share code with email).
    fn check_value(&self, ctx: &Context, use_site: ExprId, strict: bool, out: &mut Vec<Finding>) {
        let Some(value) = ctx.facts.string_value(use_site, ctx.source) else {
            return;
        };
        let Some(text) = value.full() else { return };
        if is_e164(&text) || (!strict && !looks_like_phone_number(&text)) || text.is_empty() {
            return;
        }
        let Some(range) = ctx.facts.expr(use_site).map(|e| e.range.clone()) else {
            return;
        };
        if out
            .iter()
            .any(|f| f.code == self.code() && f.range == range)
        {
            return;
        }
        let fixed = normalize(&text);
        let message = if is_placeholder(&text) {
            format!(
                "`{}` is a template placeholder, not a phone number, so ACS rejects it; replace it with an E.164 number such as `+14255550100`",
                shorten(&text)
            )
        } else {
            let advice = match &fixed {
                Some(fixed) => format!("write it as `{fixed}`"),
                None => "write it as `+`, the country code and the number, e.g. `+14255550100`"
                    .to_string(),
            };
            format!(
                "`{}` is not an E.164 phone number, so ACS rejects it; {advice}",
                shorten(&text)
            )
        };
        let mut finding = ctx.finding(self, range, message);
        finding.fix = fixed.and_then(|fixed| {
            let (_, range) = value.single_literal()?;
            Some(Fix {
                title: format!("Use `{fixed}`"),
                edits: vec![Edit {
                    range,
                    content: fixed,
                }],
            })
        });
        out.push(finding);
    }
}

impl Rule for PhoneNumberNotE164 {
    fn code(&self) -> &'static str {
        "ACS008"
    }

    fn name(&self) -> &'static str {
        "phone-number-not-e164"
    }

    fn severity(&self) -> Severity {
        Severity::Error
    }

    fn needs(&self) -> &'static [Need] {
        const NEEDS: &[Need] = &[
            Need::any(&["PhoneNumberIdentifier"]),
            Need::any(SMS_SDK_WORDS),
            Need::both(&["sms", "phoneNumber"], ACS_PACKAGE),
        ];
        NEEDS
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let facts = ctx.facts;
        for call in &facts.calls {
            if call.callee == "PhoneNumberIdentifier" {
                if let Some(value) = arg(call, &["phoneNumber", "phone_number", "value"], 0) {
                    self.check_value(ctx, value, true, out);
                }
                continue;
            }
            if SMS_SEND.contains(&call.callee.as_str()) && is_sms_send(ctx, call) {
                // JS/TS: send({ from, to, message }).
                if let Some(request) = positional(call, 0).and_then(|r| facts.object_props(r)) {
                    for prop in request {
                        match prop.key.as_str() {
                            "from" => self.check_value(ctx, prop.value, false, out),
                            "to" => {
                                for item in list_items(facts, prop.value) {
                                    self.check_value(ctx, item, false, out);
                                }
                            }
                            _ => {}
                        }
                    }
                    continue;
                }
                if let Some(from) = arg(call, &["from", "from_"], 0) {
                    self.check_value(ctx, from, false, out);
                }
                if let Some(to) = arg(call, &["to"], 1) {
                    for item in list_items(facts, to) {
                        self.check_value(ctx, item, false, out);
                    }
                }
            }
        }
        // JS/TS identifiers: `{ phoneNumber: "..." }` anywhere in a file that uses ACS (a
        // contact form's `phoneNumber` elsewhere is not an ACS identifier).
        if !ctx.memo.uses_acs(ctx.source) {
            return;
        }
        for expr in &facts.exprs {
            if let ExprKind::Object(props) = &expr.kind {
                for prop in props.iter().filter(|p| p.key == "phoneNumber") {
                    self.check_value(ctx, prop.value, true, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e164_validation() {
        assert!(is_e164("+14255550100"));
        assert!(is_e164("+44"));
        assert!(!is_e164("+4"));
        assert!(!is_e164("+04255550100"));
        assert!(!is_e164("14255550100"));
        assert!(!is_e164("+1 425 555 0100"));
        assert!(!is_e164("+1234567890123456"));
    }

    #[test]
    fn placeholders_are_told_apart_from_numbers() {
        for text in [
            "<TARGET_PHONE_NUMBER>",
            "{phone}",
            "[ACS number]",
            "your-acs-number",
            " <to> ",
        ] {
            assert!(is_placeholder(text), "{text}");
        }
        for text in [
            "<+1 425>",
            "(425) 555-0100",
            "<>",
            "phone",
            "+14255550100",
            "you",
        ] {
            assert!(!is_placeholder(text), "{text}");
        }
    }

    #[test]
    fn a_placeholder_is_called_one_and_a_misspelt_number_is_not() {
        let source = "from azure.communication.callautomation import PhoneNumberIdentifier\n\
            target = PhoneNumberIdentifier(\"<TARGET_PHONE_NUMBER>\")\n\
            caller = PhoneNumberIdentifier(\"425 555 0100\")\n";
        let settings = crate::config::RuleSettings::default();
        let options = crate::engine::LintOptions {
            settings: &settings,
            path: None,
            roots: &[],
        };
        let findings =
            crate::engine::lint_source(crate::language::Language::Python, source, options)
                .unwrap_or_default();
        let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages[0].starts_with("`<TARGET_PHONE_NUMBER>` is a template placeholder"),
            "{messages:?}"
        );
        assert!(
            messages[1].starts_with("`425 555 0100` is not an E.164 phone number"),
            "{messages:?}"
        );
        assert!(findings.iter().all(|f| f.fix.is_none()));
    }

    #[test]
    fn normalization_never_guesses_a_country_code() {
        assert_eq!(
            normalize("+1 (425) 555-0100").as_deref(),
            Some("+14255550100")
        );
        assert_eq!(
            normalize("0044 20 7946 0000").as_deref(),
            Some("+442079460000")
        );
        assert_eq!(normalize("14255550100").as_deref(), Some("+14255550100"));
        assert_eq!(normalize("(425) 555-0100"), None);
        assert_eq!(normalize("4255550100"), None);
        assert_eq!(normalize("+1 425 555 CALL"), None);
        assert_eq!(normalize("04255550100"), None);
        assert_eq!(
            normalize("+44 (0)20 7946 0000").as_deref(),
            Some("+442079460000")
        );
    }
}
