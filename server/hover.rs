//! Hover and inlay-hint knowledge: which ACS error code a number is, decided from the code
//! around it, which troubleshooting ID an identifier carries, and rule documentation inside
//! suppression comments. Language-neutral: works on facts only.

use std::ops::Range;

use crate::facts::{ExprId, ExprKind, Facts};
use crate::knowledge::{self, Area};
use crate::rules;

/// What the cursor is on.
pub struct HoverInfo {
    pub markdown: String,
    pub range: Range<usize>,
}

/// A recognised code literal.
pub struct CodeAt {
    pub range: Range<usize>,
    pub code: u32,
    /// When the literal is a subcode compared next to a code (or a code next to its subcode).
    pub pair: Option<(u32, u32)>,
    pub is_subcode: bool,
    pub areas: Vec<Area>,
}

/// The areas that an expression compared with a number speaks for, and whether it is a subcode.
fn classify(text: &str, source: &str) -> Option<(Vec<Area>, bool)> {
    let lower = text.to_ascii_lowercase().replace('_', "");
    let is_sub = lower.ends_with("subcode") || lower.ends_with("getsubcode()");
    let area = if lower.contains("callendreason") {
        vec![Area::Calling]
    } else if lower.contains("resultinformation")
        || lower.contains("playfailed")
        || lower.contains("recognizefailed")
    {
        vec![Area::CallAutomation]
    } else if lower.contains("deliverystatus") {
        vec![Area::Sms]
    } else if lower.contains("sipcode") || lower.contains("sipstatus") {
        vec![Area::Pstn]
    } else if lower.ends_with("code")
        || lower.ends_with("code()")
        || lower.ends_with("status")
        || lower.ends_with("statuscode")
        || lower.ends_with("getstatus()")
    {
        let areas = areas_from_file(source);
        if !areas.is_empty() {
            areas
        } else if crate::rules::util::uses_acs(source) {
            // An ACS file whose context does not decide: every area that has the code.
            Area::ALL.to_vec()
        } else {
            return None;
        }
    } else {
        return None;
    };
    Some((area, is_sub))
}

/// The ACS areas a file works with, from its imports and the clients it names.
fn areas_from_file(source: &str) -> Vec<Area> {
    let lower = source.to_ascii_lowercase();
    let mut areas = Vec::new();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if has(&[
        "communication-calling",
        "callclient",
        "callendreason",
        "calling",
    ]) {
        areas.push(Area::Calling);
    }
    if has(&[
        "callautomation",
        "call-automation",
        "call_automation",
        "resultinformation",
        "result_information",
    ]) {
        areas.push(Area::CallAutomation);
    }
    if has(&[
        "chatclient",
        "chat_client",
        "communication-chat",
        "communication.chat",
    ]) {
        areas.push(Area::Chat);
    }
    if has(&[
        "smsclient",
        "sms_client",
        "communication-sms",
        "communication.sms",
    ]) {
        areas.push(Area::Sms);
    }
    if has(&["pstn", "phonenumberidentifier", "sipcode"]) {
        areas.push(Area::Pstn);
    }
    areas
}

fn number_value(facts: &Facts, id: ExprId, source: &str) -> Option<u32> {
    let expr = facts.expr(id)?;
    let text = match &expr.kind {
        ExprKind::Number(text) => text.as_str(),
        ExprKind::Str { .. } => {
            let value = facts.string_value(id, source)?;
            return value.full()?.trim().parse().ok();
        }
        _ => return None,
    };
    let digits = text.trim_end_matches(['L', 'l', 'u', 'U']).replace('_', "");
    digits.parse().ok()
}

/// Decides what the number literal `id` is, or `None` for a number that is not an ACS code.
fn code_of(facts: &Facts, id: ExprId, source: &str) -> Option<CodeAt> {
    let value = number_value(facts, id, source)?;
    let range = facts.expr(id)?.range.clone();
    let compare = facts
        .compares
        .iter()
        .find(|c| c.left == id || c.right == id);
    let mut areas: Vec<Area>;
    let mut is_subcode = false;
    let mut pair = None;
    if let Some(compare) = compare {
        let other = if compare.left == id {
            compare.right
        } else {
            compare.left
        };
        let other_text = facts.text(other, source);
        match classify(other_text, source) {
            Some((found, sub)) => {
                areas = found;
                is_subcode = sub;
                // The partner comparison on the same line: `code === 500 && subCode === 4521`.
                let line_start = source.get(..range.start)?.rfind('\n').map_or(0, |i| i + 1);
                let line_end = source
                    .get(range.end..)
                    .and_then(|s| s.find('\n'))
                    .map_or(source.len(), |i| range.end + i);
                for partner in &facts.compares {
                    if std::ptr::eq(partner, compare)
                        || partner.range.start < line_start
                        || partner.range.end > line_end
                    {
                        continue;
                    }
                    for (side, number) in
                        [(partner.left, partner.right), (partner.right, partner.left)]
                    {
                        let Some(n) = number_value(facts, number, source) else {
                            continue;
                        };
                        if let Some((_, partner_sub)) = classify(facts.text(side, source), source) {
                            if partner_sub != sub {
                                pair = Some(if sub { (n, value) } else { (value, n) });
                            }
                        }
                    }
                }
            }
            None => return None,
        }
    } else {
        // Not compared: only 4-digit SMS and Call Automation codes in an ACS file.
        if !(1000..=9999).contains(&value) {
            return None;
        }
        let file_areas = areas_from_file(source);
        areas = knowledge::areas_with_code(value)
            .into_iter()
            .filter(|a| matches!(a, Area::Sms | Area::CallAutomation) && file_areas.contains(a))
            .collect();
        if areas.is_empty() {
            return None;
        }
    }
    let known = if is_subcode && pair.is_none() {
        !knowledge::lookup_subcode(value, &areas).is_empty()
    } else {
        let (code, sub) = pair.unwrap_or((value, 0));
        !knowledge::lookup(code, pair.map(|_| sub), &areas).is_empty()
    };
    if !known {
        // The context is ACS but no area has this code: try every area.
        let all = knowledge::areas_with_code(value);
        if all.is_empty() || is_subcode {
            return None;
        }
        areas = all;
    }
    Some(CodeAt {
        range,
        code: value,
        pair,
        is_subcode,
        areas,
    })
}

/// Every recognised code literal of a file (for inlay hints).
pub fn codes(facts: &Facts, source: &str) -> Vec<CodeAt> {
    let mut ids: Vec<ExprId> = facts.numbers.clone();
    ids.extend(facts.strings.iter().copied().filter(|&s| {
        facts
            .string_value(s, source)
            .and_then(|v| v.full())
            .is_some_and(|t| !t.is_empty() && t.len() <= 6 && t.bytes().all(|b| b.is_ascii_digit()))
    }));
    ids.into_iter()
        .filter_map(|id| code_of(facts, id, source))
        .collect()
}

/// The short label shown after a code literal.
pub fn inlay_label(code: &CodeAt) -> Option<String> {
    if let Some((c, s)) = code.pair {
        let entries = knowledge::lookup(c, Some(s), &code.areas);
        return entries.first().map(|e| e.label.clone());
    }
    if code.is_subcode {
        return knowledge::lookup_subcode(code.code, &code.areas)
            .first()
            .map(|e| e.label.clone());
    }
    knowledge::inlay_label(code.code, &code.areas).map(str::to_string)
}

fn code_hover(code: &CodeAt) -> Option<String> {
    let entries = match code.pair {
        Some((c, s)) => knowledge::lookup(c, Some(s), &code.areas),
        None if code.is_subcode => knowledge::lookup_subcode(code.code, &code.areas),
        None => {
            let general: Vec<_> = knowledge::lookup(code.code, None, &code.areas)
                .into_iter()
                .filter(|e| e.subcode.is_none())
                .collect();
            if general.is_empty() {
                knowledge::lookup(code.code, None, &code.areas)
            } else {
                general
            }
        }
    };
    if entries.is_empty() {
        return None;
    }
    Some(knowledge::hover_markdown(&entries))
}

/// Identifier characters for troubleshooting-ID names (`MS-CV` has a dash).
fn word_at(source: &str, offset: usize) -> Option<Range<usize>> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    let before = source.get(..offset)?;
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let after = source.get(offset..)?;
    let end = offset
        + after
            .char_indices()
            .find(|(_, c)| !is_word(*c))
            .map_or(after.len(), |(i, _)| i);
    (start < end).then_some(start..end)
}

/// The hover at a byte offset.
pub fn hover(facts: &Facts, source: &str, offset: usize) -> Option<HoverInfo> {
    // A rule code inside a suppression comment.
    if let Some(comment) = facts
        .comments
        .iter()
        .find(|c| c.range.start <= offset && offset < c.range.end)
    {
        let text = source.get(comment.range.clone())?;
        crate::suppress::parse_directive(text)?;
        let word = word_at(source, offset)?;
        let code = source.get(word.clone())?.to_ascii_uppercase();
        if rules::is_known_code(&code) {
            let name = rules::rule(&code).map_or("unused-suppression", |r| r.name());
            let markdown = format!(
                "**{code}** `{name}`\n\n{}\n\n[Documentation]({}/{code}.md)",
                rules::doc(&code),
                rules::DOCS_BASE
            );
            return Some(HoverInfo {
                markdown,
                range: word,
            });
        }
        return None;
    }
    // A number or numeric string that is an ACS code.
    let literal = facts
        .numbers
        .iter()
        .chain(facts.strings.iter())
        .copied()
        .filter(|&id| {
            facts
                .expr(id)
                .is_some_and(|e| e.range.start <= offset && offset < e.range.end)
        })
        .min_by_key(|&id| facts.expr(id).map_or(usize::MAX, |e| e.range.len()));
    if let Some(id) = literal {
        if let Some(code) = code_of(facts, id, source) {
            if let Some(markdown) = code_hover(&code) {
                return Some(HoverInfo {
                    markdown,
                    range: code.range,
                });
            }
        }
    }
    // A troubleshooting ID: an identifier, a member name or a string such as "MS-CV".
    let word = word_at(source, offset)?;
    let name = source.get(word.clone())?;
    let entry = knowledge::troubleshooting_id(name)?;
    Some(HoverInfo {
        markdown: knowledge::id_hover_markdown(entry),
        range: word,
    })
}
