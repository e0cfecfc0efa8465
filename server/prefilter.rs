//! The text pre-filter: one Aho-Corasick pass over a file's bytes for the words that rules need.
//! A file that contains none of them cannot produce a finding and is never parsed by `check`.
//! The words come from the rules themselves (`Rule::needles`), so a new rule cannot be forgotten.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use crate::rules;

/// The words of every rule, plus the suppression marker (for ACS000).
pub fn needles() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = rules::all()
        .iter()
        .flat_map(|rule| rule.needles().iter().copied())
        .collect();
    words.push("acs-lint:");
    words.sort_unstable();
    words.dedup();
    words
}

fn automaton() -> Option<&'static AhoCorasick> {
    static AUTOMATON: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    AUTOMATON
        .get_or_init(|| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(needles())
                .ok()
        })
        .as_ref()
}

/// True when the bytes may hold a finding.
pub fn may_match(bytes: &[u8]) -> bool {
    match automaton() {
        Some(automaton) => automaton.is_match(bytes),
        // Without an automaton nothing is skipped.
        None => true,
    }
}
