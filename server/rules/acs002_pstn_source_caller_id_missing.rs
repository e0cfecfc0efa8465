use std::ops::Range;

use crate::facts::{Call, ExprId, ExprKind, Prop};
use crate::rules::util::{
    arg, has_unseen_keywords, is_phone_target, line_ending, list_items, positional,
};
use crate::rules::{Context, Edit, Finding, Fix, Need, Rule, Severity};

/// ## What it does
/// Reports a PSTN action (create call, add participant, transfer, redirect) to a phone number
/// that presents no source caller ID.
///
/// It looks at these forms:
///
/// - C# and Java: `new CallInvite(phoneNumber, null)` (or no caller ID at all); C#
///   `new TransferToParticipantOptions(phoneNumber)` without `SourceCallerIdNumber`, Java
///   `new TransferCallToParticipantOptions(phoneNumber)` without `setSourceCallerIdNumber`, and
///   `TransferCallToParticipant[Async](phoneNumber)` / `transferCallToParticipant(phoneNumber)`.
/// - Python: `create_call`, `add_participant` and `transfer_call_to_participant` to a
///   `PhoneNumberIdentifier` without `source_caller_id_number=`, and the older
///   `CallInvite(target)` without it.
/// - JavaScript and TypeScript: a call invite (`{ targetParticipant: { phoneNumber } }`) without
///   `sourceCallIdNumber`; the misspelling `sourceCallerIdNumber`, which the SDK silently
///   ignores; `sourceCallIdNumber` passed in the `createCall` options, where it is ignored
///   because it belongs in the invite; `transferCallToParticipant(phoneNumber)` without it.
///
/// Teams users and ACS users are not PSTN targets and need no caller ID. The phone number, the
/// invite and the options are followed through variables of the same file.
///
/// ## Why is this bad?
/// A call to the public telephone network must present a caller ID: one of your ACS phone
/// numbers. Without it the service rejects the call or transfer (the troubleshooting guide's
/// "source caller ID" errors), or, with the JavaScript misspelling, the call fails although the
/// code looks right.
///
/// ## Example
/// ```javascript
/// const invite = {
///   targetParticipant: { phoneNumber: "+14255550123" },
///   sourceCallerIdNumber: { phoneNumber: "+18005550100" },
/// };
/// await client.createCall(invite, callbackUrl);
/// ```
///
/// Use instead:
/// ```javascript
/// const invite = {
///   targetParticipant: { phoneNumber: "+14255550123" },
///   sourceCallIdNumber: { phoneNumber: "+18005550100" },
/// };
/// await client.createCall(invite, callbackUrl);
/// ```
///
/// ## Fix
/// The misspelling is renamed to `sourceCallIdNumber`, and a `sourceCallIdNumber` passed in
/// the `createCall` options is moved into the invite when the invite is an object literal of the
/// same file. Elsewhere, pass one of your ACS phone numbers as the caller ID by hand.
pub struct PstnSourceCallerIdMissing;

const NO_CALLER_ID: &str = "has no source caller ID; a call to a phone number must present one of your ACS numbers as caller ID";

impl Rule for PstnSourceCallerIdMissing {
    fn code(&self) -> &'static str {
        "ACS002"
    }

    fn name(&self) -> &'static str {
        "pstn-source-caller-id-missing"
    }

    fn severity(&self) -> Severity {
        Severity::Error
    }

    fn needs(&self) -> &'static [Need] {
        // A phone target (or the misspelt `sourceCallerIdNumber`) in a call, invite or transfer.
        const NEEDS: &[Need] = &[Need::both(
            &["phoneNumber", "phone_number", "callerId", "sourceCall"],
            &[
                "CallInvite",
                "transfer",
                "createCall",
                "create_call",
                "add_participant",
                "targetParticipant",
                "sourceCallerId",
            ],
        )];
        NEEDS
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let facts = ctx.facts;
        for call in &facts.calls {
            match call.callee.as_str() {
                "CallInvite" => self.check_invite_call(ctx, call, out),
                "TransferToParticipantOptions" | "TransferCallToParticipantOptions" => {
                    self.check_transfer_options(ctx, call, out)
                }
                "TransferCallToParticipant"
                | "TransferCallToParticipantAsync"
                | "transferCallToParticipant"
                | "transfer_call_to_participant" => self.check_transfer_call(ctx, call, out),
                "create_call" | "add_participant" => self.check_python_call(ctx, call, out),
                "createCall" if ctx.language.is_js_family() => {
                    self.check_js_create_call(ctx, call, out)
                }
                _ => {}
            }
        }
        if ctx.language.is_js_family() {
            self.check_js_invites(ctx, out);
        }
    }
}

/// A caller ID argument that is absent or `null`/`None`.
fn is_missing(ctx: &Context, value: Option<ExprId>) -> bool {
    match value {
        None => true,
        Some(id) => matches!(
            ctx.facts.text(ctx.facts.resolve(id), ctx.source),
            "null" | "None" | "undefined"
        ),
    }
}

/// `{ ...template, targetParticipant }`: the spread may carry any property.
fn is_spread_object(ctx: &Context, id: ExprId) -> bool {
    let resolved = ctx.facts.resolve(id);
    ctx.facts
        .expr(resolved)
        .and_then(|e| ctx.source.get(e.range.clone()))
        .is_some_and(|t| t.contains("..."))
}

/// `invite.sourceCallIdNumber = callerId` after the object was written.
fn set_later(ctx: &Context, object: ExprId) -> bool {
    ctx.facts.assigns.iter().any(|a| {
        a.name == "sourceCallIdNumber" && a.object.is_some_and(|o| ctx.facts.resolve(o) == object)
    })
}

/// The caller-ID keyword arguments and properties of every SDK.
const CALLER_ID_NAMES: &[&str] = &[
    "source_caller_id_number",
    "sourceCallerIdNumber",
    "SourceCallerIdNumber",
    "callerIdNumber",
    "sourceCallIdNumber",
];

impl PstnSourceCallerIdMissing {
    fn report(&self, ctx: &Context, range: Range<usize>, what: &str, out: &mut Vec<Finding>) {
        if out
            .iter()
            .any(|f| f.code == self.code() && f.range == range)
        {
            return;
        }
        out.push(ctx.finding(self, range, format!("{what} {NO_CALLER_ID}")));
    }

    /// `new CallInvite(phone, null)` (C#, Java) and `CallInvite(phone)` (Python).
    fn check_invite_call(&self, ctx: &Context, call: &Call, out: &mut Vec<Finding>) {
        let Some(target) = arg(
            call,
            &["target", "targetIdentity", "targetPhoneNumberIdentity"],
            0,
        ) else {
            return;
        };
        if !is_phone_target(ctx.facts, target) {
            return;
        }
        let caller_id = arg(call, CALLER_ID_NAMES, 1);
        let (_, assigns) = ctx.facts.configured_by(call);
        let set_later = assigns
            .iter()
            .any(|a| CALLER_ID_NAMES.contains(&a.name.as_str()))
            || call
                .init
                .iter()
                .any(|p| CALLER_ID_NAMES.contains(&p.key.as_str()));
        if is_missing(ctx, caller_id) && !set_later {
            self.report(
                ctx,
                call.range.clone(),
                "This call invite to a phone number",
                out,
            );
        }
    }

    /// C# `TransferToParticipantOptions(phone)`, Java `TransferCallToParticipantOptions(phone)`.
    fn check_transfer_options(&self, ctx: &Context, call: &Call, out: &mut Vec<Finding>) {
        let Some(target) = positional(call, 0) else {
            return;
        };
        if !is_phone_target(ctx.facts, target) {
            return;
        }
        let (calls, assigns) = ctx.facts.configured_by(call);
        let configured = call.init.iter().any(|p| p.key == "SourceCallerIdNumber")
            || assigns.iter().any(|a| a.name == "SourceCallerIdNumber")
            || calls.iter().any(|c| c.callee == "setSourceCallerIdNumber");
        if !configured {
            self.report(
                ctx,
                call.range.clone(),
                "This transfer to a phone number",
                out,
            );
        }
    }

    /// A transfer whose first argument is the phone number itself.
    fn check_transfer_call(&self, ctx: &Context, call: &Call, out: &mut Vec<Finding>) {
        let Some(target) = arg(call, &["target_participant", "targetParticipant"], 0) else {
            return;
        };
        if !is_phone_target(ctx.facts, target) {
            return;
        }
        // Python keyword, or a JS/TS options object with the caller ID.
        if !is_missing(ctx, arg(call, &["source_caller_id_number"], usize::MAX))
            || has_unseen_keywords(ctx, call)
        {
            return;
        }
        if let Some(options) = positional(call, 1) {
            match ctx.facts.object_props(options) {
                Some(props) if props.iter().any(|p| p.key == "sourceCallIdNumber") => return,
                Some(_) if is_spread_object(ctx, options) => return,
                Some(_) => {}
                // Options that cannot be seen (a parameter) may carry the caller ID.
                None if ctx.language.is_js_family() => return,
                None => {}
            }
        }
        self.report(
            ctx,
            call.range.clone(),
            "This transfer to a phone number",
            out,
        );
    }

    /// Python `create_call(target, ...)` and `add_participant(target, ...)`.
    fn check_python_call(&self, ctx: &Context, call: &Call, out: &mut Vec<Finding>) {
        let Some(target) = arg(call, &["target_participant", "target"], 0) else {
            return;
        };
        let any_phone = list_items(ctx.facts, target)
            .into_iter()
            .any(|item| is_phone_target(ctx.facts, item));
        if !any_phone {
            return;
        }
        if !is_missing(ctx, arg(call, &["source_caller_id_number"], usize::MAX))
            || has_unseen_keywords(ctx, call)
        {
            return;
        }
        let what = if call.callee == "add_participant" {
            "Adding this phone number"
        } else {
            "This call to a phone number"
        };
        self.report(ctx, call.range.clone(), what, out);
    }

    /// JS/TS `createCall(invite, url, { sourceCallIdNumber })`: the option is ignored there.
    fn check_js_create_call(&self, ctx: &Context, call: &Call, out: &mut Vec<Finding>) {
        let Some(options) = positional(call, 2) else {
            return;
        };
        let Some(misplaced) = ctx
            .facts
            .object_props(options)
            .and_then(|props| props.iter().find(|p| p.key == "sourceCallIdNumber"))
        else {
            return;
        };
        let mut finding = ctx.finding(
            self,
            misplaced.range.clone(),
            "`sourceCallIdNumber` in the `createCall` options is ignored; it belongs in the call invite"
                .to_string(),
        );
        let invite = positional(call, 0).map(|i| ctx.facts.resolve(i));
        if let Some((invite, ExprKind::Object(invite_props))) =
            invite.and_then(|i| ctx.facts.expr(i).map(|e| (e, &e.kind)))
        {
            let has_own = invite_props.iter().any(|p| p.key == "sourceCallIdNumber");
            if !has_own {
                finding.fix = move_prop_fix(ctx.source, misplaced, &invite.range, invite_props);
            }
        }
        out.push(finding);
    }

    /// JS/TS invite objects: `{ targetParticipant: phone }` without `sourceCallIdNumber`, and the
    /// misspelling `sourceCallerIdNumber`.
    fn check_js_invites(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let facts = ctx.facts;
        // Invites whose caller ID was (wrongly) put in the createCall options: reported there.
        let fixed_elsewhere: Vec<ExprId> = facts
            .calls
            .iter()
            .filter(|c| c.callee == "createCall")
            .filter(|c| {
                positional(c, 2)
                    .and_then(|o| facts.object_props(o))
                    .is_some_and(|props| props.iter().any(|p| p.key == "sourceCallIdNumber"))
            })
            .filter_map(|c| positional(c, 0).map(|i| facts.resolve(i)))
            .collect();
        for (id, expr) in facts.exprs.iter().enumerate() {
            let ExprKind::Object(props) = &expr.kind else {
                continue;
            };
            if let Some(misspelt) = props.iter().find(|p| p.key == "sourceCallerIdNumber") {
                let mut finding = ctx.finding(
                    self,
                    misspelt.key_range.clone(),
                    "`sourceCallerIdNumber` is not an SDK property and is silently ignored; the caller ID property is `sourceCallIdNumber`"
                        .to_string(),
                );
                // Shorthand `{ sourceCallerIdNumber }` names a variable: keep it as the value.
                let shorthand = misspelt.key_range == misspelt.range;
                finding.fix = Some(Fix {
                    title: "Rename to `sourceCallIdNumber`".to_string(),
                    edits: vec![Edit {
                        range: misspelt.key_range.clone(),
                        content: if shorthand {
                            "sourceCallIdNumber: sourceCallerIdNumber".to_string()
                        } else {
                            "sourceCallIdNumber".to_string()
                        },
                    }],
                });
                out.push(finding);
                continue;
            }
            let Some(target) = props.iter().find(|p| p.key == "targetParticipant") else {
                continue;
            };
            if !is_phone_target(facts, target.value) {
                continue;
            }
            if props.iter().any(|p| p.key == "sourceCallIdNumber")
                || fixed_elsewhere.contains(&id)
                || is_spread_object(ctx, id)
                || set_later(ctx, id)
            {
                continue;
            }
            self.report(
                ctx,
                expr.range.clone(),
                "This call invite to a phone number",
                out,
            );
        }
    }
}

/// Moves the property `prop` (of another object) into the object literal at `target_range`.
fn move_prop_fix(
    source: &str,
    prop: &Prop,
    target_range: &Range<usize>,
    target_props: &[Prop],
) -> Option<Fix> {
    let prop_text = source.get(prop.range.clone())?;
    let insert = match target_props.last() {
        Some(last) => {
            let object_text = source.get(target_range.clone())?;
            let content = if object_text.contains('\n') {
                let line_start = source
                    .get(..last.range.start)?
                    .rfind('\n')
                    .map_or(0, |i| i + 1);
                let indent: String = source
                    .get(line_start..last.range.start)?
                    .chars()
                    .take_while(|c| c.is_whitespace())
                    .collect();
                format!(",{}{indent}{prop_text}", line_ending(source))
            } else {
                format!(", {prop_text}")
            };
            Edit {
                range: last.range.end..last.range.end,
                content,
            }
        }
        None => {
            let after_brace = target_range.start + 1;
            Edit {
                range: after_brace..after_brace,
                content: format!(" {prop_text} "),
            }
        }
    };
    Some(Fix {
        title: "Move `sourceCallIdNumber` into the call invite".to_string(),
        edits: vec![remove_prop_edit(source, prop)?, insert],
    })
}

/// An edit that removes a property and its separating comma from an object literal.
fn remove_prop_edit(source: &str, prop: &Prop) -> Option<Edit> {
    let bytes = source.as_bytes();
    let mut end = prop.range.end;
    while bytes.get(end).is_some_and(|b| *b == b' ' || *b == b'\t') {
        end += 1;
    }
    if bytes.get(end) == Some(&b',') {
        // Remove through the comma and the spaces after it; a property alone on its line takes
        // its whole line.
        end += 1;
        let line_start = source
            .get(..prop.range.start)?
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let alone = source
            .get(line_start..prop.range.start)?
            .chars()
            .all(char::is_whitespace);
        let mut after = end;
        while bytes.get(after).is_some_and(|b| *b == b' ' || *b == b'\t') {
            after += 1;
        }
        if alone && bytes.get(after) == Some(&b'\n') {
            return Some(Edit {
                range: line_start..after + 1,
                content: String::new(),
            });
        }
        return Some(Edit {
            range: prop.range.start..after,
            content: String::new(),
        });
    }
    // The last property: remove the comma before it.
    let before = source.get(..prop.range.start)?;
    let trimmed = before.trim_end();
    let start = if trimmed.ends_with(',') {
        trimmed.len() - 1
    } else {
        prop.range.start
    };
    Some(Edit {
        range: start..prop.range.end,
        content: String::new(),
    })
}
