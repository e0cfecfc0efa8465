use std::net::{Ipv4Addr, Ipv6Addr};

use crate::facts::{ExprId, Segment};
use crate::rules::util::{callback_url_exprs, file_source_urls, unwrap_url, CALLBACK_NEEDLES};
use crate::rules::{Context, Finding, Need, Rule, Severity};

/// ## What it does
/// Reports a Call Automation callback URL or a file play-source URL that the ACS service cannot
/// reach from the internet: a `localhost`, loopback (`127.0.0.0/8`, `::1`), unspecified
/// (`0.0.0.0`), private (`10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16`), link-local
/// (`169.254.0.0/16`) or `*.local` host, a `file:` URL, or a URL that still holds a template
/// placeholder (`<your-host>`, `{host}`, `your-app.azurewebsites.net`).
///
/// It looks at the same callback positions as ACS001 and the same play sources as ACS003,
/// following constants, variables and concatenations of the same file.
///
/// ## Why is this bad?
/// ACS calls your callback URL and downloads your prompts from Azure, not from your machine.
/// A private or placeholder address makes callbacks vanish (the call connects but no event ever
/// arrives) and prompts fail with `PlayFailed`, with nothing in your logs to say why.
///
/// ## Example
/// ```javascript
/// const callbackUrl = "https://localhost:5001/api/callbacks";
/// await client.answerCall(incomingCallContext, callbackUrl);
/// ```
///
/// Use instead:
/// ```javascript
/// const callbackUrl = `${process.env.CALLBACK_HOST}/api/callbacks`;
/// await client.answerCall(incomingCallContext, callbackUrl);
/// ```
///
/// ## Fix
/// There is no automatic fix. During development, expose your local endpoint through a tunnel
/// (for example Azure Dev Tunnels) and use its public HTTPS address; host prompts in Azure Blob
/// Storage or another public HTTPS location; read the host from configuration.
pub struct UrlNotPubliclyReachable;

impl Rule for UrlNotPubliclyReachable {
    fn code(&self) -> &'static str {
        "ACS005"
    }

    fn name(&self) -> &'static str {
        "url-not-publicly-reachable"
    }

    fn severity(&self) -> Severity {
        Severity::Warning
    }

    fn needs(&self) -> &'static [Need] {
        const NEEDS: &[Need] = &[Need::any(CALLBACK_NEEDLES), Need::any(&["fileSource"])];
        NEEDS
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let callbacks = callback_url_exprs(ctx);
        let sources = file_source_urls(ctx);
        let uses = callbacks
            .iter()
            .map(|&id| (id, "Callback URL"))
            .chain(sources.iter().map(|&id| (id, "Play source URL")));
        for (use_site, what) in uses {
            let Some(problem) = unreachable(ctx, use_site) else {
                continue;
            };
            let Some(range) = ctx.facts.expr(use_site).map(|e| e.range.clone()) else {
                continue;
            };
            if out
                .iter()
                .any(|f| f.code == self.code() && f.range == range)
            {
                continue;
            }
            // The message names the problem, not the whole URL: fixing another rule's finding
            // on the same URL (its scheme) leaves this message as it is.
            out.push(ctx.finding(
                self,
                range,
                format!("{what} {problem}; ACS reaches it from the internet and cannot get there"),
            ));
        }
    }
}

/// Why the URL at `id` is not reachable, when it is not.
fn unreachable(ctx: &Context, id: ExprId) -> Option<String> {
    let value = ctx
        .facts
        .string_value(unwrap_url(ctx.facts, id), ctx.source)?;
    // Placeholders can sit anywhere in the known text.
    for segment in &value.segments {
        if let Segment::Known { text, .. } = segment {
            if let Some(placeholder) = placeholder(text) {
                return Some(format!("still holds the placeholder `{placeholder}`"));
            }
        }
    }
    let prefix = value.known_prefix();
    let complete = value.full().is_some();
    let (scheme, rest) = prefix.split_once(':')?;
    if !scheme
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    {
        return None;
    }
    if scheme.eq_ignore_ascii_case("file") {
        return Some("is a local `file:` URL".to_string());
    }
    let authority_and_path = rest.strip_prefix("//")?;
    let end = authority_and_path.find(['/', '?', '#']);
    // The host must be completely known.
    let authority = match end {
        Some(end) => authority_and_path.get(..end)?,
        None if complete => authority_and_path,
        None => return None,
    };
    let host = host_of(authority);
    private_host(host).map(|why| format!("points at {why}"))
}

/// The host of an authority (`user@host:port`, `[::1]:80`).
fn host_of(authority: &str) -> &str {
    let after_user = authority.rsplit('@').next().unwrap_or(authority);
    if let Some(bracketed) = after_user.strip_prefix('[') {
        return bracketed.split(']').next().unwrap_or(bracketed);
    }
    after_user.split(':').next().unwrap_or(after_user)
}

/// Why a host is not publicly reachable, when it is not.
fn private_host(host: &str) -> Option<String> {
    let lower = host.trim_end_matches('.').to_ascii_lowercase();
    if lower == "localhost" || lower.ends_with(".localhost") {
        return Some("`localhost`".to_string());
    }
    if lower.ends_with(".local") {
        return Some(format!("the local-network name `{lower}`"));
    }
    if let Ok(ip) = lower.parse::<Ipv4Addr>() {
        let why = if ip.is_loopback() {
            "a loopback address"
        } else if ip.is_unspecified() {
            "the unspecified address"
        } else if ip.is_private() {
            "a private network address"
        } else if ip.is_link_local() {
            "a link-local address"
        } else {
            return None;
        };
        return Some(format!("{why} (`{ip}`)"));
    }
    if let Ok(ip) = lower.parse::<Ipv6Addr>() {
        let segments = ip.segments();
        let why = if ip.is_loopback() {
            "a loopback address"
        } else if ip.is_unspecified() {
            "the unspecified address"
        } else if segments[0] & 0xfe00 == 0xfc00 {
            "a unique-local address"
        } else if segments[0] & 0xffc0 == 0xfe80 {
            "a link-local address"
        } else {
            return None;
        };
        return Some(format!("{why} (`{ip}`)"));
    }
    None
}

/// A template placeholder left in a URL: `<...>`, `{...}`, or a host label or path segment that
/// starts with `your-`/`your_`.
fn placeholder(text: &str) -> Option<String> {
    for (open, close) in [('<', '>'), ('{', '}')] {
        if let Some(start) = text.find(open) {
            if let Some(len) = text.get(start..).and_then(|t| t.find(close)) {
                if len > 1 {
                    return text.get(start..start + len + 1).map(str::to_string);
                }
            }
        }
    }
    text.split(['/', '.', ':', '?', '&', '='])
        .find(|part| {
            let lower = part.to_ascii_lowercase();
            lower.len() > 5 && (lower.starts_with("your-") || lower.starts_with("your_"))
        })
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_hosts() {
        for host in [
            "localhost",
            "api.localhost",
            "127.0.0.1",
            "127.1.2.3",
            "0.0.0.0",
            "10.1.2.3",
            "172.16.0.4",
            "172.31.255.255",
            "192.168.1.10",
            "169.254.1.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "printer.local",
        ] {
            assert!(private_host(host).is_some(), "{host}");
        }
        for host in [
            "contoso.example",
            "172.32.0.1",
            "8.8.8.8",
            "20.1.2.3",
            "2001:db8::1",
            "locals.example",
        ] {
            assert!(private_host(host).is_none(), "{host}");
        }
    }

    #[test]
    fn hosts_of_authorities() {
        assert_eq!(host_of("localhost:5001"), "localhost");
        assert_eq!(host_of("[::1]:8080"), "::1");
        assert_eq!(host_of("user:pw@10.0.0.1:80"), "10.0.0.1");
    }

    #[test]
    fn placeholders() {
        assert_eq!(
            placeholder("https://<ngrok-host>/api").as_deref(),
            Some("<ngrok-host>")
        );
        assert_eq!(placeholder("https://{host}/api").as_deref(), Some("{host}"));
        assert_eq!(
            placeholder("https://your-app.azurewebsites.net").as_deref(),
            Some("your-app")
        );
        assert_eq!(placeholder("https://contoso.example/yours"), None);
        assert_eq!(placeholder("https://contoso.example/a<b"), None);
    }
}
