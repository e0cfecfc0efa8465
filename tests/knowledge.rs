//! The ACS error-code knowledge base: well-formed data, complete coverage of the reference tables,
//! and the lookup / rendering API used by hover, inlay hints and `acs-lint explain`.
//!
//! Coverage is checked against the reference markdown itself: `../shared/reference/` beside the
//! repository when it is there, else the copies of the table rows in `tests/fixtures/reference/`.

use acs_lint::knowledge::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------------
// Reading the reference tables
// ---------------------------------------------------------------------------------------------------

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shared_path(rel: &str) -> PathBuf {
    manifest_dir().join("../shared/reference").join(rel)
}

fn fixture_path(rel: &str) -> PathBuf {
    manifest_dir().join("tests/fixtures/reference").join(rel)
}

/// The reference file from `shared/` when present, else its fixture copy.
fn read_reference(shared_rel: &str, fixture_rel: &str) -> (PathBuf, String) {
    for path in [shared_path(shared_rel), fixture_path(fixture_rel)] {
        if let Ok(text) = std::fs::read_to_string(&path) {
            return (path, text);
        }
    }
    panic!(
        "neither {} nor {} could be read",
        shared_path(shared_rel).display(),
        fixture_path(fixture_rel).display()
    );
}

const GUIDE: (&str, &str) = ("acs-troubleshooting.md", "acs-troubleshooting-tables.md");

/// (file name under acs-codes/, area of its codes, minimum number of rows it must yield)
const CODE_TABLES: [(&str, Area, usize); 6] = [
    ("calling-sdk.md", Area::Calling, 50),
    ("call-end.md", Area::Calling, 40),
    ("call-automation-sdk.md", Area::CallAutomation, 150),
    ("pstn.md", Area::Pstn, 20),
    ("chat-sdk.md", Area::Chat, 4),
    ("sms-sdk.md", Area::Sms, 17),
];

/// One code of one table row. `code` is `None` for Call Automation's generic subcode table, whose
/// rows carry a subcode only.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Row {
    area: Area,
    code: Option<u32>,
    subcode: Option<u32>,
}

fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

fn numbers(cell: &str) -> Vec<u32> {
    cell.split(',')
        .filter_map(|part| part.trim().parse::<u32>().ok())
        .collect()
}

/// Every code in the markdown tables of `text`. `area_of` maps the latest `##` heading (and the
/// current area) to the area of the tables below it; `None` skips those tables.
fn parse_tables(text: &str, mut area_of: impl FnMut(&str) -> Option<Area>) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut area: Option<Area> = area_of("");
    // (code column, subcode column) of the table being read
    let mut columns: Option<(Option<usize>, Option<usize>)> = None;
    let mut in_table = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') {
            area = area_of(trimmed.trim_start_matches('#').trim());
        }
        if !trimmed.starts_with('|') {
            in_table = false;
            columns = None;
            continue;
        }
        let cells = cells(trimmed);
        if !in_table {
            in_table = true;
            let lower: Vec<String> = cells.iter().map(|c| c.to_lowercase()).collect();
            let code = lower
                .iter()
                .position(|c| c == "code" || c == "error code" || c == "status code");
            let subcode = lower.iter().position(|c| c == "subcode");
            columns = Some((code, subcode));
            continue;
        }
        if cells
            .iter()
            .all(|c| c.chars().all(|ch| ch == '-' || ch == ':'))
        {
            continue; // separator row
        }
        let (Some(area), Some((code_col, sub_col))) = (area, columns) else {
            continue;
        };
        let subcode = sub_col
            .and_then(|i| cells.get(i))
            .and_then(|c| numbers(c).first().copied());
        match code_col {
            Some(i) => {
                for code in numbers(cells.get(i).map(String::as_str).unwrap_or("")) {
                    rows.push(Row {
                        area,
                        code: Some(code),
                        subcode,
                    });
                }
            }
            None => {
                if let Some(subcode) = subcode {
                    rows.push(Row {
                        area,
                        code: None,
                        subcode: Some(subcode),
                    });
                }
            }
        }
    }
    rows
}

fn guide_area(heading: &str) -> Option<Area> {
    match heading.trim() {
        "Calling SDK error codes" => Some(Area::Calling),
        "Call Automation SDK error codes" => Some(Area::CallAutomation),
        "Chat SDK error codes" => Some(Area::Chat),
        "SMS error codes" => Some(Area::Sms),
        _ => None,
    }
}

fn guide_rows_of(text: &str) -> Vec<Row> {
    parse_tables(text, guide_area)
}

fn guide_rows() -> Vec<Row> {
    let (path, text) = read_reference(GUIDE.0, GUIDE.1);
    let rows = guide_rows_of(&text);
    assert!(
        !rows.is_empty(),
        "no table rows found in {}",
        path.display()
    );
    rows
}

fn code_table_rows(file: &str, area: Area) -> Vec<Row> {
    let (_, text) = read_reference(&format!("acs-codes/{file}"), &format!("acs-codes/{file}"));
    parse_tables(&text, |_| Some(area))
}

fn find(area: Area, code: u32, subcode: Option<u32>) -> Option<&'static CodeEntry> {
    codes()
        .iter()
        .find(|e| e.area == area && e.code == code && e.subcode == subcode)
}

// ---------------------------------------------------------------------------------------------------
// Well-formed data
// ---------------------------------------------------------------------------------------------------

fn has_html_tag(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'))
}

#[test]
fn every_code_entry_is_well_formed() {
    assert!(codes().len() > 300, "only {} entries", codes().len());
    for e in codes() {
        let what = format!("{} {} {:?}", e.area.id(), e.code, e.subcode);
        for (field, value) in [
            ("label", &e.label),
            ("meaning", &e.meaning),
            ("action", &e.action),
            ("url", &e.url),
        ] {
            assert!(!value.trim().is_empty(), "{what}: empty {field}");
            assert!(!has_html_tag(value), "{what}: HTML in {field}: {value}");
            assert_eq!(value.trim(), value, "{what}: {field} has stray whitespace");
        }
        assert!(e.url.starts_with("https://"), "{what}: url {}", e.url);
        let words = e.label.split_whitespace().count();
        assert!(
            (2..=5).contains(&words),
            "{what}: label `{}` is not 2-5 words",
            e.label
        );
        assert!(
            e.label.len() <= 40,
            "{what}: label `{}` is too long",
            e.label
        );
        assert_eq!(
            e.label,
            e.label.to_lowercase(),
            "{what}: label is not lowercase"
        );
        assert!(
            e.meaning.matches('`').count() % 2 == 0 && e.action.matches('`').count() % 2 == 0,
            "{what}: unbalanced backticks"
        );
    }
}

#[test]
fn code_entries_are_unique_and_sorted() {
    let mut seen = BTreeSet::new();
    for e in codes() {
        assert!(
            seen.insert((e.area, e.code, e.subcode)),
            "duplicate entry {} {} {:?}",
            e.area.id(),
            e.code,
            e.subcode
        );
    }
    let keys: Vec<_> = codes()
        .iter()
        .map(|e| (e.area, e.code, e.subcode))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn every_code_with_subcodes_has_a_general_entry() {
    for e in codes().iter().filter(|e| e.subcode.is_some()) {
        assert!(
            find(e.area, e.code, None).is_some(),
            "{} {} has subcode {:?} but no code-only entry",
            e.area.id(),
            e.code,
            e.subcode
        );
    }
}

#[test]
fn every_troubleshooting_id_is_well_formed() {
    let ids = troubleshooting_ids();
    assert!(ids.len() >= 7);
    let mut all_names = BTreeMap::new();
    for (i, id) in ids.iter().enumerate() {
        assert!(!id.names.is_empty(), "{}: no names", id.title);
        for value in [&id.title, &id.what, &id.r#where, &id.when, &id.url] {
            assert!(!value.trim().is_empty(), "{}: empty field", id.title);
            assert!(!has_html_tag(value), "{}: HTML in {value}", id.title);
        }
        assert!(
            id.url.starts_with("https://"),
            "{}: url {}",
            id.title,
            id.url
        );
        for name in &id.names {
            // Case-insensitive lookup must not be able to land on another entry.
            let key: String = name
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            if let Some(other) = all_names.insert(key.clone(), i) {
                assert_eq!(other, i, "name `{name}` ({key}) is shared by two IDs");
            }
            assert_eq!(
                troubleshooting_id(name).map(|e| &e.title),
                Some(&id.title),
                "name `{name}` does not find its own entry"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// Coverage of the reference tables
// ---------------------------------------------------------------------------------------------------

#[test]
fn every_code_of_the_guide_tables_is_known_and_marked_from_guide() {
    let rows = guide_rows();
    let areas: BTreeSet<Area> = rows.iter().map(|r| r.area).collect();
    assert_eq!(
        areas,
        BTreeSet::from([Area::Calling, Area::CallAutomation, Area::Chat, Area::Sms]),
        "the guide's four code tables were not all found"
    );
    assert!(rows.len() >= 45, "only {} guide rows parsed", rows.len());
    for row in &rows {
        let code = row.code.expect("guide rows have a code");
        let entry = find(row.area, code, row.subcode).unwrap_or_else(|| {
            panic!(
                "guide code {} {code} {:?} missing",
                row.area.id(),
                row.subcode
            )
        });
        assert!(
            entry.from_guide,
            "{} {code} is in the guide but not marked so",
            row.area.id()
        );
        assert!(
            entry.url.contains("/concepts/troubleshooting-info"),
            "{} {code}: a guide entry should link the guide, not {}",
            row.area.id(),
            entry.url
        );
    }
}

#[test]
fn only_codes_of_the_guide_tables_are_marked_from_guide() {
    let rows: BTreeSet<(Area, u32, Option<u32>)> = guide_rows()
        .into_iter()
        .filter_map(|r| Some((r.area, r.code?, r.subcode)))
        .collect();
    for e in codes().iter().filter(|e| e.from_guide) {
        assert!(
            rows.contains(&(e.area, e.code, e.subcode)),
            "{} {} {:?} is marked from_guide but is not in the guide's tables",
            e.area.id(),
            e.code,
            e.subcode
        );
    }
}

#[test]
fn every_row_of_the_response_code_tables_is_known() {
    for (file, area, minimum) in CODE_TABLES {
        let rows = code_table_rows(file, area);
        assert!(
            rows.len() >= minimum,
            "{file}: only {} rows parsed, expected at least {minimum}",
            rows.len()
        );
        for row in rows {
            match (row.code, row.subcode) {
                (Some(code), subcode) => assert!(
                    find(area, code, subcode).is_some(),
                    "{file}: {} {code} {subcode:?} missing",
                    area.id()
                ),
                // Generic Call Automation subcodes are stored keyed by the subcode number.
                (None, Some(subcode)) => {
                    assert!(
                        find(area, subcode, None).is_some(),
                        "{file}: generic subcode {subcode} missing"
                    );
                    assert!(
                        lookup_subcode(subcode, &[area])
                            .iter()
                            .any(|e| e.code == subcode),
                        "{file}: lookup_subcode({subcode}) misses the generic entry"
                    );
                }
                (None, None) => unreachable!(),
            }
        }
    }
}

#[test]
fn fixture_copies_match_the_shared_reference_when_both_exist() {
    let mut pairs = vec![(shared_path(GUIDE.0), fixture_path(GUIDE.1), None::<Area>)];
    for (file, area, _) in CODE_TABLES {
        pairs.push((
            shared_path(&format!("acs-codes/{file}")),
            fixture_path(&format!("acs-codes/{file}")),
            Some(area),
        ));
    }
    for (shared, fixture, area) in pairs {
        let fixture_text = std::fs::read_to_string(&fixture)
            .unwrap_or_else(|e| panic!("fixture {} missing: {e}", fixture.display()));
        let Ok(shared_text) = std::fs::read_to_string(&shared) else {
            continue; // no shared/ beside the repository: the fixture is all there is
        };
        let parse = |text: &str| -> Vec<Row> {
            match area {
                Some(area) => parse_tables(text, |_| Some(area)),
                None => guide_rows_of(text),
            }
        };
        assert_eq!(
            parse(&shared_text),
            parse(&fixture_text),
            "{} is out of date with {}",
            fixture.display(),
            shared.display()
        );
    }
}

// ---------------------------------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------------------------------

#[test]
fn calling_487_is_call_canceled() {
    let entries = lookup(487, None, &[Area::Calling]);
    assert!(entries.len() > 1, "the subcodes of 487 are listed too");
    assert_eq!(entries[0].subcode, None, "the code-only entry comes first");
    assert_eq!(entries[0].label, "call canceled");
    assert!(entries[0].from_guide);
    assert!(entries
        .iter()
        .all(|e| e.area == Area::Calling && e.code == 487));
    let subcodes: Vec<Option<u32>> = entries.iter().map(|e| e.subcode).collect();
    let mut sorted = subcodes.clone();
    sorted.sort();
    assert_eq!(subcodes, sorted, "sorted by subcode");
}

#[test]
fn a_known_pair_gives_the_pair_and_an_unknown_one_the_general_entry() {
    let pair = lookup(487, Some(10003), &[Area::Calling]);
    assert_eq!(pair.len(), 1);
    assert_eq!(pair[0].subcode, Some(10003));

    let fallback = lookup(487, Some(99_999), &[Area::Calling]);
    assert_eq!(fallback.len(), 1);
    assert_eq!(fallback[0].subcode, None);
    assert_eq!(fallback[0].label, "call canceled");

    assert!(lookup(487, Some(10003), &[Area::Sms]).is_empty());
}

#[test]
fn sms_4001_is_an_invalid_sender_number() {
    let entries = lookup(4001, None, &[]);
    assert_eq!(entries.len(), 1);
    let e = entries[0];
    assert_eq!(e.area, Area::Sms);
    assert!(e.from_guide);
    assert!(e.meaning.contains("from"), "{}", e.meaning);
    assert!(e.action.contains("E.164"), "{}", e.action);
    assert_eq!(lookup(4001, None, &[Area::Sms]), entries);
    assert!(lookup(4001, None, &[Area::Calling]).is_empty());
}

#[test]
fn call_automation_8523_is_an_invalid_argument_alone_and_with_400() {
    let generic = lookup(8523, None, &[Area::CallAutomation]);
    assert_eq!(generic.len(), 1);
    assert_eq!(generic[0].label, "invalid argument");

    let pair = lookup(400, Some(8523), &[Area::CallAutomation]);
    assert_eq!(pair.len(), 1);
    assert_eq!((pair[0].code, pair[0].subcode), (400, Some(8523)));

    let by_subcode = lookup_subcode(8523, &[Area::CallAutomation]);
    assert!(by_subcode
        .iter()
        .any(|e| e.code == 400 && e.subcode == Some(8523)));
    assert!(by_subcode
        .iter()
        .any(|e| e.code == 8523 && e.subcode.is_none()));
}

#[test]
fn call_automation_pair_without_an_entry_explains_code_and_subcode() {
    let entries = lookup(400, Some(8535), &[Area::CallAutomation]);
    let keys: Vec<(u32, Option<u32>)> = entries.iter().map(|e| (e.code, e.subcode)).collect();
    assert_eq!(keys, vec![(400, None), (8535, None)]);
    assert_eq!(entries[1].label, "invalid file format");
}

#[test]
fn call_automation_guide_codes_cover_play_and_recognize_failures() {
    let bad_request = find(Area::CallAutomation, 400, None).unwrap();
    assert!(
        bad_request.meaning.contains("PlayFailed")
            && bad_request.meaning.contains("RecognizeFailed")
    );
    assert!(bad_request.action.contains("16 kHz"));
    let too_many = find(Area::CallAutomation, 429, None).unwrap();
    assert!(too_many.action.contains("Retry-After"));
}

#[test]
fn lookup_without_areas_spans_every_area_in_order() {
    let entries = lookup(401, None, &[]);
    let areas: Vec<Area> = entries.iter().map(|e| e.area).collect();
    let mut sorted = areas.clone();
    sorted.sort();
    assert_eq!(areas, sorted);
    assert!(areas.contains(&Area::Calling));
    assert!(areas.contains(&Area::CallAutomation));
    assert!(areas.contains(&Area::Chat));
}

#[test]
fn a_code_in_two_areas_reports_both() {
    assert_eq!(areas_with_code(9999), vec![Area::CallAutomation, Area::Sms]);
    assert_eq!(areas_with_code(429), vec![Area::CallAutomation, Area::Chat]);
    assert_eq!(
        areas_with_code(403),
        vec![Area::Calling, Area::CallAutomation, Area::Chat, Area::Pstn]
    );
    assert!(areas_with_code(8080).is_empty());
}

#[test]
fn ordinary_numbers_are_not_acs_codes() {
    for n in [1, 42, 80, 443, 1000, 3000, 8080, 65_535, u32::MAX] {
        assert!(!is_known_code(n), "{n} should not be a known code");
        assert!(lookup(n, None, &[]).is_empty());
    }
    for n in [0, 487, 603, 4001, 8523, 9999] {
        assert!(is_known_code(n), "{n} should be known");
    }
}

#[test]
fn pstn_subcodes_are_explained() {
    let e = lookup(403, Some(560403), &[Area::Pstn]);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].subcode, Some(560403));
    // The tables list 560487 under code 497; it is found under 487 too.
    assert_eq!(
        lookup(497, Some(560487), &[Area::Pstn])[0].subcode,
        Some(560487)
    );
    assert_eq!(
        lookup(487, Some(560487), &[Area::Pstn])[0].subcode,
        Some(560487)
    );
    // Calling and PSTN both have the pair; the other areas with a 403 fall back to their general entry.
    let all = lookup(403, Some(510403), &[]);
    let pairs: Vec<Area> = all
        .iter()
        .filter(|e| e.subcode.is_some())
        .map(|e| e.area)
        .collect();
    assert_eq!(pairs, vec![Area::Calling, Area::Pstn]);
    let general: Vec<Area> = all
        .iter()
        .filter(|e| e.subcode.is_none())
        .map(|e| e.area)
        .collect();
    assert_eq!(general, vec![Area::CallAutomation, Area::Chat]);
}

#[test]
fn subcode_only_lookup_finds_call_end_reasons() {
    let e = lookup_subcode(10003, &[Area::Calling]);
    assert_eq!(e.len(), 1);
    assert_eq!((e[0].code, e[0].subcode), (487, Some(10003)));
    assert!(lookup_subcode(10003, &[Area::Pstn]).is_empty());
    assert!(lookup_subcode(123_456_789, &[]).is_empty());
}

#[test]
fn inlay_labels_are_given_only_when_unambiguous() {
    assert_eq!(inlay_label(487, &[Area::Calling]), Some("call canceled"));
    assert_eq!(inlay_label(4007, &[]), Some("recipient opted out"));
    assert_eq!(
        inlay_label(10003, &[Area::Calling]),
        Some("answered elsewhere")
    );
    assert_eq!(
        inlay_label(8535, &[Area::CallAutomation]),
        Some("invalid file format")
    );
    assert_eq!(
        inlay_label(9999, &[]),
        None,
        "SMS and Call Automation disagree"
    );
    assert_eq!(inlay_label(8080, &[]), None);
}

#[test]
fn troubleshooting_ids_are_found_by_any_spelling() {
    let mscv = troubleshooting_id("MS-CV").expect("MS-CV");
    assert!(mscv.names.iter().any(|n| n == "X-Ms-Skype-Chain-Id"));
    assert_eq!(troubleshooting_id("x-ms-skype-chain-id"), Some(mscv));
    assert_eq!(troubleshooting_id("ms-cv"), Some(mscv));

    let correlation = troubleshooting_id("correlationId").expect("correlationId");
    assert_eq!(troubleshooting_id("CORRELATIONID"), Some(correlation));
    assert_eq!(troubleshooting_id("correlation_id"), Some(correlation));

    for name in [
        "callConnectionId",
        "CallConnectionId",
        "call_connection_id",
        "serverCallId",
        "server_call_id",
        "callId",
        "call_id",
        "messageId",
        "MessageId",
        "message_id",
        "operationId",
    ] {
        assert!(troubleshooting_id(name).is_some(), "{name}");
    }
    assert_ne!(
        troubleshooting_id("callId"),
        troubleshooting_id("callConnectionId")
    );
    assert_eq!(
        troubleshooting_id("call-connection-id"),
        troubleshooting_id("callConnectionId")
    );

    for name in ["", " ", "-", "id", "port", "callback", "message"] {
        assert_eq!(troubleshooting_id(name), None, "{name:?}");
    }
}

// ---------------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------------

#[test]
fn hover_markdown_has_heading_meaning_action_and_link_in_order() {
    let entries = lookup(487, Some(10003), &[Area::Calling]);
    let md = hover_markdown(&entries);
    assert!(
        md.starts_with("**ACS Calling SDK end reason `487`/`10003`**\n\n"),
        "{md}"
    );
    let meaning = md.find(&entries[0].meaning).expect("meaning");
    let action = md.find("**What to do:** ").expect("action");
    let link = md.find("[Documentation](https://").expect("link");
    assert!(meaning < action && action < link, "{md}");
    assert!(!has_html_tag(&md));

    let code_only = hover_markdown(&lookup(4001, None, &[]));
    assert!(
        code_only.starts_with("**ACS SMS delivery status `4001`**"),
        "{code_only}"
    );
    assert!(!code_only.contains("---"));
}

#[test]
fn hover_markdown_separates_entries() {
    let entries = lookup(9999, None, &[]);
    assert_eq!(entries.len(), 2);
    let md = hover_markdown(&entries);
    assert_eq!(md.matches("\n---\n").count(), 1, "{md}");
    let automation = md.find("**ACS Call Automation `9999`**").unwrap();
    let sms = md.find("**ACS SMS delivery status `9999`**").unwrap();
    assert!(automation < sms);
    assert_eq!(hover_markdown(&[]), "");
}

#[test]
fn id_hover_explains_what_where_and_when() {
    let entry = troubleshooting_id("messageId").unwrap();
    let md = id_hover_markdown(entry);
    assert!(
        md.starts_with("**ACS troubleshooting ID: SMS message ID**"),
        "{md}"
    );
    let what = md.find(&entry.what).unwrap();
    let r#where = md.find("**Where to find it:**").unwrap();
    let when = md.find("**When support asks for it:**").unwrap();
    let link = md.find("[Documentation](https://").unwrap();
    assert!(what < r#where && r#where < when && when < link);
    assert!(!has_html_tag(&md));
}

#[test]
fn explain_text_is_plain_and_ordered() {
    let entries = lookup(487, None, &[Area::Calling]);
    let text = explain_text(&entries);
    assert!(
        text.starts_with("ACS Calling SDK end reason 487 (call canceled)\n"),
        "{text}"
    );
    assert!(text.contains("ACS Calling SDK end reason 487/10003 (answered elsewhere)"));
    assert!(!text.contains("**"), "no Markdown emphasis in plain text");
    assert!(!text.contains("]("), "no Markdown links in plain text");
    let first = &entries[0];
    let meaning = text.find(&first.meaning).unwrap();
    let action = text.find(&format!("What to do: {}", first.action)).unwrap();
    let url = text.find(&format!("Documentation: {}", first.url)).unwrap();
    assert!(meaning < action && action < url);
    assert_eq!(explain_text(&[]), "");
}

// ---------------------------------------------------------------------------------------------------
// Robustness and figures
// ---------------------------------------------------------------------------------------------------

#[test]
fn no_input_panics() {
    let area_sets: [&[Area]; 3] = [&[], &[Area::Calling, Area::Pstn], &Area::ALL];
    let mut values: Vec<u32> = (0..=1_100).collect();
    values.extend((1_100..=11_000).step_by(7));
    values.extend([301_004, 510_403, 560_487, 999_999, u32::MAX - 1, u32::MAX]);
    for &v in &values {
        for areas in area_sets {
            let _ = lookup(v, None, areas);
            let _ = lookup(v, Some(v), areas);
            let _ = lookup(487, Some(v), areas);
            let _ = lookup_subcode(v, areas);
            let _ = inlay_label(v, areas);
        }
        let _ = is_known_code(v);
        let _ = areas_with_code(v);
    }
    for s in ["", "\0", "é", "🦀", "MS-CV\n", "a".repeat(10_000).as_str()] {
        let _ = troubleshooting_id(s);
        let _ = Area::parse(s);
    }
}

#[test]
fn coverage_figures() {
    let (distinct, with_subcode, total) = coverage();
    let mut per_area = BTreeMap::new();
    for e in codes() {
        *per_area.entry(e.area.id()).or_insert(0usize) += 1;
    }
    let from_guide = codes().iter().filter(|e| e.from_guide).count();
    println!(
        "ACS knowledge base: {distinct} distinct codes, {with_subcode} code/subcode pairs, {total} entries \
         ({from_guide} from the troubleshooting guide); per area: {per_area:?}; {} troubleshooting IDs",
        troubleshooting_ids().len()
    );
    assert_eq!(total, codes().len());
    assert!(with_subcode < total && distinct <= total);
    assert!(distinct >= 150 && with_subcode >= 100 && total >= 300);
}

#[test]
fn reference_paths_resolve() {
    // Either the shared reference or the fixture copy must be readable for every table.
    let (_, guide) = read_reference(GUIDE.0, GUIDE.1);
    assert!(guide.contains("| 487 |"));
    for (file, _, _) in CODE_TABLES {
        let (path, text) =
            read_reference(&format!("acs-codes/{file}"), &format!("acs-codes/{file}"));
        assert!(text.contains('|'), "{}", path.display());
        assert!(Path::new(&path).exists());
    }
}
