use crate::facts::{ExprKind, StrPart};
use crate::rules::{Context, Finding, Need, Rule, Severity};

/// ## What it does
/// Reports a string literal that holds an ACS connection string with an access key
/// (`endpoint=https://<resource>.communication.azure.com/;accesskey=...`, keys in any case and
/// any order). Azure SignalR and Web PubSub strings, which look alike, are not reported. Placeholders such as
/// `accesskey=<your-key>` are not reported. Only literals are inspected, and the message never
/// repeats the key.
///
/// ## Why is this bad?
/// The access key grants full control of the Communication Services resource: anyone who reads
/// the repository, a build log or a shipped bundle can send SMS and place calls on your bill,
/// and rotating a leaked key breaks every deployment that still uses it.
///
/// ## Example
/// ```python
/// client = SmsClient.from_connection_string(
///     "endpoint=https://contoso.communication.azure.com/;accesskey=q0xP...Zw=="
/// )
/// ```
///
/// Use instead:
/// ```python
/// client = SmsClient.from_connection_string(os.environ["ACS_CONNECTION_STRING"])
/// ```
///
/// ## Fix
/// There is no automatic fix: rotate the key in the Azure portal (it has been exposed), then
/// read the connection string from configuration or a secret store, or use Microsoft Entra ID
/// authentication instead of keys.
pub struct HardcodedAccessKey;

/// The shortest value that is taken for a real key.
const MIN_KEY_LEN: usize = 16;

impl Rule for HardcodedAccessKey {
    fn code(&self) -> &'static str {
        "ACS010"
    }

    fn name(&self) -> &'static str {
        "hardcoded-access-key"
    }

    fn severity(&self) -> Severity {
        Severity::Error
    }

    fn needs(&self) -> &'static [Need] {
        const NEEDS: &[Need] = &[Need::any(&["accesskey="])];
        NEEDS
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for &id in &ctx.facts.strings {
            let Some(expr) = ctx.facts.expr(id) else {
                continue;
            };
            let ExprKind::Str { parts } = &expr.kind else {
                continue;
            };
            // Each literal piece on its own: an interpolated key is not a literal key.
            for part in parts {
                let StrPart::Text(range) = part else { continue };
                let Some(text) = ctx.source.get(range.clone()) else {
                    continue;
                };
                if let Some(endpoint) = hardcoded_key(text) {
                    out.push(ctx.finding(
                        self,
                        expr.range.clone(),
                        format!(
                            "This connection string for `{endpoint}` contains an access key in source code; read it from configuration or a secret store, and rotate the key"
                        ),
                    ));
                    break;
                }
            }
        }
    }
}

/// The value after `name=` (matched without case) in `text`, up to a separator.
fn value_after<'t>(text: &'t str, name: &str, allowed: impl Fn(u8) -> bool) -> Option<&'t str> {
    let lower = text.to_ascii_lowercase();
    // `SharedAccessKey=` (Service Bus, Event Hubs) is another key: the name must start a field.
    let (start, _) = lower.match_indices(name).find(|(at, _)| {
        *at == 0
            || lower
                .as_bytes()
                .get(at - 1)
                .is_some_and(|b| !b.is_ascii_alphanumeric())
    })?;
    let at = start + name.len();
    let rest = text.get(at..)?;
    let len = rest.bytes().take_while(|b| allowed(*b)).count();
    rest.get(..len)
}

/// When `text` holds a connection string with a real-looking access key, its endpoint's host.
fn hardcoded_key(text: &str) -> Option<String> {
    let key = value_after(text, "accesskey=", |b| {
        b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_')
    })?;
    let endpoint = value_after(text, "endpoint=", |b| {
        !matches!(b, b';' | b'"' | b'\'' | b'\\' | b'`') && !b.is_ascii_whitespace()
    })?;
    let distinct = key.bytes().collect::<std::collections::HashSet<_>>().len();
    let looks_real =
        key.len() >= MIN_KEY_LEN && distinct > 6 && !key.to_ascii_lowercase().starts_with("your");
    if !looks_real {
        return None;
    }
    let host = endpoint
        .split("://")
        .nth(1)
        .unwrap_or(endpoint)
        .split(['/', ':'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    // Azure SignalR and Web PubSub use the same `Endpoint=..;AccessKey=..` layout: only a
    // Communication Services host (`*.communication.azure.com` and the national clouds) counts.
    host.contains(".communication.").then_some(host)
}

#[cfg(test)]
mod tests {
    use super::hardcoded_key;

    #[test]
    fn real_keys_are_found_and_placeholders_are_not() {
        let key = "q0xPz8R2m1Vb7Yt4Kd9Ls3Nw6Hc5Jf0Ga2Ue8Ri1Ox7Pz4==";
        assert_eq!(
            hardcoded_key(&format!(
                "endpoint=https://contoso.communication.azure.com/;accesskey={key}"
            ))
            .as_deref(),
            Some("contoso.communication.azure.com")
        );
        assert!(hardcoded_key(&format!(
            "AccessKey={key};Endpoint=https://contoso.communication.azure.com/"
        ))
        .is_some());
        for placeholder in [
            "endpoint=https://contoso.communication.azure.com/;accesskey=<your-access-key>",
            "endpoint=https://contoso.communication.azure.com/;accesskey={key}",
            "endpoint=https://contoso.communication.azure.com/;accesskey=your-access-key-here",
            "endpoint=https://contoso.communication.azure.com/;accesskey=****************",
            "endpoint=https://contoso.communication.azure.com/;accesskey=xxxxxxxxxxxxxxxxxxxx",
            "endpoint=https://contoso.communication.azure.com/;accesskey=",
            "accesskey=q0xPz8R2m1Vb7Yt4Kd9Ls3Nw6Hc5Jf0Ga2Ue8Ri1Ox7Pz4==",
        ] {
            assert_eq!(hardcoded_key(placeholder), None, "{placeholder}");
        }
    }
}
