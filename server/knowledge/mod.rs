//! The ACS error-code and troubleshooting-ID knowledge base.
//!
//! The data lives in `codes.toml` and `ids.toml` beside this file and is compiled into the binary with
//! `include_str!`. It is parsed once, lazily, the first time any function here is called. Hover, inlay
//! hints and `acs-lint explain` all read it through this module.
//!
//! Invariants kept by the data (checked by `tests/knowledge.rs`):
//! - no two entries share `(area, code, subcode)`;
//! - every `(area, code)` that has subcode entries also has a code-only entry;
//! - Call Automation's generic subcode table (subcodes published without a code) is stored as
//!   code-only entries keyed by the subcode number (code `8523`, no subcode). See [`lookup_subcode`].
//!
//! Nothing here panics: if the embedded data could not be parsed, every lookup finds nothing.

use serde::Deserialize;
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

const CODES_TOML: &str = include_str!("codes.toml");
const IDS_TOML: &str = include_str!("ids.toml");

/// The part of ACS a code belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Area {
    Calling,
    CallAutomation,
    Chat,
    Sms,
    Pstn,
}

impl Area {
    /// Every area, in display order.
    pub const ALL: [Area; 5] = [
        Area::Calling,
        Area::CallAutomation,
        Area::Chat,
        Area::Sms,
        Area::Pstn,
    ];

    /// The identifier used in `codes.toml`, in configuration and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Area::Calling => "calling",
            Area::CallAutomation => "call-automation",
            Area::Chat => "chat",
            Area::Sms => "sms",
            Area::Pstn => "pstn",
        }
    }

    /// Human-readable name, used in hover headings and `explain` output.
    pub fn title(self) -> &'static str {
        match self {
            Area::Calling => "Calling SDK end reason",
            Area::CallAutomation => "Call Automation",
            Area::Chat => "Chat",
            Area::Sms => "SMS delivery status",
            Area::Pstn => "PSTN",
        }
    }

    /// Parses an area id (`calling`, `call-automation`, `chat`, `sms`, `pstn`), ignoring case and
    /// surrounding whitespace; `_` and spaces are accepted in place of `-`.
    pub fn parse(s: &str) -> Option<Area> {
        let normalized: String = s
            .trim()
            .chars()
            .map(|c| match c {
                '_' | ' ' => '-',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        Area::ALL.into_iter().find(|a| a.id() == normalized)
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Area {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Area::parse(s).ok_or_else(|| {
            let ids: Vec<&str> = Area::ALL.iter().map(|a| a.id()).collect();
            format!("unknown area `{s}` (expected one of: {})", ids.join(", "))
        })
    }
}

/// One ACS code (or code/subcode pair) with its explanation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeEntry {
    pub area: Area,
    pub code: u32,
    pub subcode: Option<u32>,
    /// 2-5 lowercase words, for inlay hints.
    pub label: String,
    /// What happened (Markdown, no HTML).
    pub meaning: String,
    /// What the developer should do (Markdown, no HTML).
    pub action: String,
    pub url: String,
    /// The code is in one of the four tables of the ACS troubleshooting guide.
    pub from_guide: bool,
}

/// A troubleshooting ID that ACS support asks for (MS-CV, correlation ID, message ID, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdEntry {
    /// Identifiers, header names and strings that carry the ID.
    pub names: Vec<String>,
    pub title: String,
    pub what: String,
    pub r#where: String,
    pub when: String,
    pub url: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCodes {
    #[serde(default)]
    code: Vec<RawCode>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCode {
    area: String,
    code: u32,
    subcode: Option<u32>,
    label: String,
    meaning: String,
    action: String,
    url: String,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIds {
    #[serde(default)]
    id: Vec<RawId>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawId {
    names: Vec<String>,
    title: String,
    what: String,
    r#where: String,
    when: String,
    url: String,
}

fn parse_codes(text: &str) -> Result<Vec<CodeEntry>, String> {
    let raw: RawCodes = toml::from_str(text).map_err(|e| format!("codes.toml: {e}"))?;
    let mut entries = Vec::with_capacity(raw.code.len());
    for r in raw.code {
        let area = Area::parse(&r.area).ok_or_else(|| {
            format!(
                "codes.toml: code {} has an unknown area `{}`",
                r.code, r.area
            )
        })?;
        let from_guide = match r.source.as_str() {
            "guide" => true,
            "tables" => false,
            other => {
                return Err(format!(
                    "codes.toml: code {} has an unknown source `{other}` (guide or tables)",
                    r.code
                ))
            }
        };
        entries.push(CodeEntry {
            area,
            code: r.code,
            subcode: r.subcode,
            label: r.label,
            meaning: r.meaning,
            action: r.action,
            url: r.url,
            from_guide,
        });
    }
    entries.sort_by_key(|e| (e.area, e.code, e.subcode));
    Ok(entries)
}

fn parse_ids(text: &str) -> Result<Vec<IdEntry>, String> {
    let raw: RawIds = toml::from_str(text).map_err(|e| format!("ids.toml: {e}"))?;
    Ok(raw
        .id
        .into_iter()
        .map(|r| IdEntry {
            names: r.names,
            title: r.title,
            what: r.what,
            r#where: r.r#where,
            when: r.when,
            url: r.url,
        })
        .collect())
}

struct Knowledge {
    codes: Vec<CodeEntry>,
    ids: Vec<IdEntry>,
}

fn knowledge() -> &'static Knowledge {
    static KNOWLEDGE: OnceLock<Knowledge> = OnceLock::new();
    KNOWLEDGE.get_or_init(|| Knowledge {
        // The data is compiled in and a unit test proves it parses; fall back to nothing rather
        // than panic if that ever stops being true.
        codes: parse_codes(CODES_TOML).unwrap_or_default(),
        ids: parse_ids(IDS_TOML).unwrap_or_default(),
    })
}

/// Every code entry, sorted by area, code, then subcode (code-only entry first).
pub fn codes() -> &'static [CodeEntry] {
    &knowledge().codes
}

/// Every troubleshooting-ID entry, in file order.
pub fn troubleshooting_ids() -> &'static [IdEntry] {
    &knowledge().ids
}

fn area_allowed(areas: &[Area], area: Area) -> bool {
    areas.is_empty() || areas.contains(&area)
}

/// True for the Call Automation entries that stand for a generic subcode (published without a code).
fn is_generic_subcode_entry(e: &CodeEntry) -> bool {
    e.area == Area::CallAutomation && e.subcode.is_none() && (e.code == 0 || e.code >= 1000)
}

/// All entries for `code` (and `subcode` when given: exact pair first; if no pair entry exists, the
/// code-only entry), restricted to `areas` when non-empty. Sorted by area then subcode.
///
/// Without a subcode every entry of the code is returned: the code-only entry, then each subcode.
/// With a subcode, each area gives its exact pair if it has one, else its code-only entry; in Call
/// Automation that fallback is followed by the generic subcode's entry when the tables have one
/// (so `400`/`8535` explains both "bad request" and "invalid file format").
pub fn lookup(code: u32, subcode: Option<u32>, areas: &[Area]) -> Vec<&'static CodeEntry> {
    let all = codes();
    let mut out: Vec<&'static CodeEntry> = Vec::new();
    match subcode {
        None => out.extend(
            all.iter()
                .filter(|e| e.code == code && area_allowed(areas, e.area)),
        ),
        Some(sub) => {
            for area in Area::ALL {
                if !area_allowed(areas, area) {
                    continue;
                }
                let in_area = |e: &&CodeEntry| e.area == area && e.code == code;
                if let Some(pair) = all.iter().filter(in_area).find(|e| e.subcode == Some(sub)) {
                    out.push(pair);
                    continue;
                }
                if let Some(general) = all.iter().filter(in_area).find(|e| e.subcode.is_none()) {
                    out.push(general);
                    if area == Area::CallAutomation && sub != code {
                        out.extend(
                            all.iter()
                                .filter(|e| is_generic_subcode_entry(e) && e.code == sub),
                        );
                    }
                }
            }
        }
    }
    out
}

/// Entries that explain `subcode` when only the subcode is known (for example a literal compared with
/// `subCode`): every pair with that subcode, plus Call Automation's generic subcode entry. Restricted to
/// `areas` when non-empty; sorted by area, then code-only entries, then by code.
pub fn lookup_subcode(subcode: u32, areas: &[Area]) -> Vec<&'static CodeEntry> {
    let mut out: Vec<&'static CodeEntry> = codes()
        .iter()
        .filter(|e| area_allowed(areas, e.area))
        .filter(|e| {
            e.subcode == Some(subcode) || (is_generic_subcode_entry(e) && e.code == subcode)
        })
        .collect();
    out.sort_by_key(|e| (e.area, e.subcode.is_some(), e.code));
    out
}

/// A short label for an inlay hint after the number `value` (a code, or failing that a subcode), when
/// every matching entry in `areas` agrees on one; `None` when the number is unknown or ambiguous.
pub fn inlay_label(value: u32, areas: &[Area]) -> Option<&'static str> {
    let mut entries: Vec<&'static CodeEntry> = codes()
        .iter()
        .filter(|e| e.code == value && e.subcode.is_none() && area_allowed(areas, e.area))
        .collect();
    if entries.is_empty() {
        entries = lookup_subcode(value, areas);
    }
    let labels: BTreeSet<&'static str> = entries.iter().map(|e| e.label.as_str()).collect();
    if labels.len() == 1 {
        labels.into_iter().next()
    } else {
        None
    }
}

/// Whether any area has an entry with this code.
pub fn is_known_code(code: u32) -> bool {
    codes().iter().any(|e| e.code == code)
}

/// The areas that have an entry with this code, in [`Area::ALL`] order.
pub fn areas_with_code(code: u32) -> Vec<Area> {
    let set: BTreeSet<Area> = codes()
        .iter()
        .filter(|e| e.code == code)
        .map(|e| e.area)
        .collect();
    set.into_iter().collect()
}

/// The troubleshooting ID carried by `name`: an exact match on any of its names, else a
/// case-insensitive match, else a match that also ignores `-`, `_`, `.` and spaces.
pub fn troubleshooting_id(name: &str) -> Option<&'static IdEntry> {
    let ids = troubleshooting_ids();
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    if let Some(e) = ids.iter().find(|e| e.names.iter().any(|n| n == name)) {
        return Some(e);
    }
    if let Some(e) = ids
        .iter()
        .find(|e| e.names.iter().any(|n| n.eq_ignore_ascii_case(name)))
    {
        return Some(e);
    }
    let key = squash(name);
    if key.is_empty() {
        return None;
    }
    ids.iter()
        .find(|e| e.names.iter().any(|n| squash(n) == key))
}

/// Lowercase alphanumerics only: `X-Ms-Skype-Chain-Id` and `x_ms_skype_chain_id` become the same key.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn code_ref(e: &CodeEntry, tick: &str) -> String {
    match e.subcode {
        Some(sub) => format!("{tick}{}{tick}/{tick}{sub}{tick}", e.code),
        None => format!("{tick}{}{tick}", e.code),
    }
}

/// Markdown for a hover: per entry a heading line "**ACS <area title> `code`/`subcode`**", the meaning,
/// "**What to do:** action" and a documentation link; entries separated by `---`. No raw HTML.
pub fn hover_markdown(entries: &[&CodeEntry]) -> String {
    entries
        .iter()
        .map(|e| {
            format!(
                "**ACS {} {}**\n\n{}\n\n**What to do:** {}\n\n[Documentation]({})",
                e.area.title(),
                code_ref(e, "`"),
                e.meaning.trim(),
                e.action.trim(),
                e.url.trim()
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n---\n\n")
}

/// Markdown for a hover over an identifier or string that carries a troubleshooting ID.
pub fn id_hover_markdown(entry: &IdEntry) -> String {
    let mut out = format!(
        "**ACS troubleshooting ID: {}**\n\n{}\n\n**Where to find it:** {}\n\n**When support asks for it:** {}",
        entry.title.trim(),
        entry.what.trim(),
        entry.r#where.trim(),
        entry.when.trim()
    );
    if !entry.names.is_empty() {
        let names: Vec<String> = entry.names.iter().map(|n| format!("`{n}`")).collect();
        out.push_str("\n\nCarried by: ");
        out.push_str(&names.join(", "));
    }
    out.push_str(&format!("\n\n[Documentation]({})", entry.url.trim()));
    out
}

/// Plain text for `acs-lint explain`: per entry a heading line with area, code and label, then the
/// meaning, what to do and the documentation URL; entries separated by a blank line.
pub fn explain_text(entries: &[&CodeEntry]) -> String {
    entries
        .iter()
        .map(|e| {
            format!(
                "ACS {} {} ({})\n{}\nWhat to do: {}\nDocumentation: {}\n",
                e.area.title(),
                code_ref(e, ""),
                e.label.trim(),
                e.meaning.trim(),
                e.action.trim(),
                e.url.trim()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// (number of distinct codes, number of entries with a subcode, total entries).
pub fn coverage() -> (usize, usize, usize) {
    let all = codes();
    let distinct: BTreeSet<u32> = all.iter().map(|e| e.code).collect();
    let with_subcode = all.iter().filter(|e| e.subcode.is_some()).count();
    (distinct.len(), with_subcode, all.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_codes_parse_without_losing_entries() {
        let parsed = parse_codes(CODES_TOML).expect("codes.toml parses");
        let tables = CODES_TOML
            .lines()
            .filter(|l| l.trim() == "[[code]]")
            .count();
        assert_eq!(parsed.len(), tables);
        assert!(parsed.len() > 300, "only {} entries", parsed.len());
        assert_eq!(codes().len(), parsed.len());
    }

    #[test]
    fn embedded_ids_parse_without_losing_entries() {
        let parsed = parse_ids(IDS_TOML).expect("ids.toml parses");
        let tables = IDS_TOML.lines().filter(|l| l.trim() == "[[id]]").count();
        assert_eq!(parsed.len(), tables);
        assert_eq!(troubleshooting_ids().len(), parsed.len());
    }

    #[test]
    fn bad_data_is_an_error_not_a_panic() {
        assert!(parse_codes("[[code]]\narea = \"nowhere\"").is_err());
        assert!(parse_codes("not toml at all [[[").is_err());
        let unknown_area = "[[code]]\narea = \"fax\"\ncode = 1\nlabel = \"a b\"\nmeaning = \"m\"\naction = \"a\"\nurl = \"https://x\"\nsource = \"guide\"\n";
        assert!(parse_codes(unknown_area).is_err());
        let bad_source = unknown_area.replace("fax", "sms").replace("guide", "blog");
        assert!(parse_codes(&bad_source).is_err());
        assert!(parse_ids("[[id]]\nnames = 3").is_err());
        assert_eq!(parse_codes("").map(|v| v.len()), Ok(0));
    }

    #[test]
    fn area_ids_round_trip() {
        for area in Area::ALL {
            assert_eq!(Area::parse(area.id()), Some(area));
            assert_eq!(Area::parse(&area.id().to_uppercase()), Some(area));
            assert_eq!(area.id().parse::<Area>(), Ok(area));
        }
        assert_eq!(Area::parse("call_automation"), Some(Area::CallAutomation));
        assert_eq!(Area::parse(""), None);
        assert!("voip".parse::<Area>().is_err());
    }
}
