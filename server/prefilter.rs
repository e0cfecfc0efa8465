//! The text pre-filter: one Aho-Corasick pass over a file's bytes for the words that rules need.
//! A file in which no rule's [`Need`] is met cannot produce a finding and is never parsed by
//! `check`. The needs come from the rules themselves (`Rule::needs`), so a new rule cannot be
//! forgotten.
//!
//! Words match in any case, but only where a word starts: at the start of an identifier or of
//! one of its camelCase or snake_case parts. `play` is found in `playToAll`, `onPlay` and
//! `PLAY_URL`, not in `display`; `fileSource` in `FileSource` and `audioFileSource`, not in
//! `profileSource`. Rules that test the text themselves use [`mentions`], so the rule and the
//! pre-filter agree on what a word is.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use memchr::memmem::Finder;

use crate::rules::{self, Need};

/// What ACS000 (unused suppression) needs: a suppression comment.
pub const SUPPRESSION_MARKER: &str = "acs-lint:";

/// The needs of every rule, plus the suppression marker (for ACS000).
pub fn needs() -> Vec<Need> {
    let mut needs: Vec<Need> = rules::all()
        .iter()
        .flat_map(|rule| rule.needs().iter().copied())
        .collect();
    needs.push(Need::any(&[SUPPRESSION_MARKER]));
    needs
}

/// Every word of every need, lower-cased, sorted and without repeats.
pub fn words() -> Vec<String> {
    let mut words: Vec<String> = needs()
        .iter()
        .flat_map(|need| need.words.iter().chain(need.with))
        .map(|w| w.to_ascii_lowercase())
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// Bit sets over [`words`]; a file may hold up to 128 distinct words (a test keeps it so).
type Bits = u128;

struct Filter {
    automaton: AhoCorasick,
    /// Per word: its first byte is a letter, so the start boundary applies.
    letter_start: Vec<bool>,
    /// Every need as (words, with) bit sets; `with == 0` means no second condition.
    needs: Vec<(Bits, Bits)>,
}

fn met(needs: &[(Bits, Bits)], found: Bits) -> bool {
    needs
        .iter()
        .any(|&(words, with)| found & words != 0 && (with == 0 || found & with != 0))
}

impl Filter {
    fn build() -> Option<Filter> {
        let words = words();
        if words.len() > Bits::BITS as usize {
            return None;
        }
        let bits_of = |list: &[&str]| -> Bits {
            list.iter()
                .filter_map(|w| {
                    let lower = w.to_ascii_lowercase();
                    words.iter().position(|x| *x == lower)
                })
                .fold(0, |acc, i| acc | (1 << i))
        };
        let to_bits = |needs: &[Need]| -> Vec<(Bits, Bits)> {
            needs
                .iter()
                .map(|need| (bits_of(need.words), bits_of(need.with)))
                .collect()
        };
        let needs = to_bits(&needs());
        let letter_start = words
            .iter()
            .map(|w| w.as_bytes().first().is_some_and(u8::is_ascii_alphabetic))
            .collect();
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&words)
            .ok()?;
        Some(Filter {
            automaton,
            letter_start,
            needs,
        })
    }

    /// Sets the bit of the word matched at `m` when it starts a word; true when it was new.
    fn add(&self, bytes: &[u8], m: &aho_corasick::Match, found: &mut Bits) -> bool {
        let word = m.pattern().as_usize();
        let bit: Bits = 1 << word;
        if *found & bit != 0 {
            return false;
        }
        let letter_start = self.letter_start.get(word).copied().unwrap_or(false);
        if letter_start && !starts_word(bytes, m.start()) {
            return false;
        }
        *found |= bit;
        true
    }
}

fn filter() -> Option<&'static Filter> {
    static FILTER: OnceLock<Option<Filter>> = OnceLock::new();
    FILTER.get_or_init(Filter::build).as_ref()
}

/// True when a word starting at byte `at` starts a word of the identifier it is in: nothing
/// alphanumeric comes before it, or it begins a camelCase part (an upper-case letter after a
/// lower-case letter or a digit).
pub fn starts_word(bytes: &[u8], at: usize) -> bool {
    let Some(before) = at.checked_sub(1).and_then(|i| bytes.get(i)) else {
        return true;
    };
    if !before.is_ascii_alphanumeric() {
        return true;
    }
    let first_upper = bytes.get(at).is_some_and(u8::is_ascii_uppercase);
    first_upper && (before.is_ascii_lowercase() || before.is_ascii_digit())
}

/// True when `text` holds `word` (any case) where a word starts, as the pre-filter matches it.
pub fn mentions(text: &str, word: &str) -> bool {
    let (bytes, word) = (text.as_bytes(), word.as_bytes());
    let Some(&first) = word.first() else {
        return false;
    };
    let letter_start = first.is_ascii_alphabetic();
    memchr::memchr2_iter(
        first.to_ascii_lowercase(),
        first.to_ascii_uppercase(),
        bytes,
    )
    .any(|at| {
        bytes
            .get(at..at + word.len())
            .is_some_and(|window| window.eq_ignore_ascii_case(word))
            && (!letter_start || starts_word(bytes, at))
    })
}

/// [`mentions`] for a long text whose ASCII lower-case copy is at hand: a vectorised search in
/// `lower`, then the word-start test in `text`.
pub fn mentions_lower(text: &str, lower: &str, word: &str) -> bool {
    let word = word.to_ascii_lowercase();
    let letter_start = word.as_bytes().first().is_some_and(u8::is_ascii_alphabetic);
    memchr::memmem::find_iter(lower.as_bytes(), word.as_bytes())
        .any(|at| !letter_start || starts_word(text.as_bytes(), at))
}

/// True when the bytes may hold a finding: some rule's need is met.
pub fn may_match(bytes: &[u8]) -> bool {
    let Some(filter) = filter() else {
        // Without an automaton nothing is skipped.
        return true;
    };
    let mut found: Bits = 0;
    for m in filter.automaton.find_overlapping_iter(bytes) {
        if filter.add(bytes, &m, &mut found) && met(&filter.needs, found) {
            return true;
        }
    }
    false
}

/// Per rule of `rules::all()`: its needs as lower-case substring finders.
type Finders = Vec<(Vec<Finder<'static>>, Vec<Finder<'static>>)>;

fn rule_finders() -> &'static [Finders] {
    static FINDERS: OnceLock<Vec<Finders>> = OnceLock::new();
    FINDERS.get_or_init(|| {
        let finders = |words: &[&str]| {
            words
                .iter()
                .map(|w| Finder::new(w.to_ascii_lowercase().as_bytes()).into_owned())
                .collect()
        };
        rules::all()
            .iter()
            .map(|rule| {
                rule.needs()
                    .iter()
                    .map(|need| (finders(need.words), finders(need.with)))
                    .collect()
            })
            .collect()
    })
}

/// A quick superset of [`rule_may_match`] for the rule at `index` of `rules::all()`, on text
/// already in ASCII lower case: the words are looked for anywhere, without the word-start
/// condition. False means the rule cannot find anything in the text, so the engine does not
/// run it.
pub fn may_meet(index: usize, lower: &str) -> bool {
    let Some(needs) = rule_finders().get(index) else {
        return true;
    };
    let holds = |finders: &[Finder]| finders.iter().any(|f| f.find(lower.as_bytes()).is_some());
    needs
        .iter()
        .any(|(words, with)| holds(words) && (with.is_empty() || holds(with)))
}

/// True when the bytes meet one of this rule's needs.
pub fn rule_may_match(needs: &[Need], text: &str) -> bool {
    needs.iter().any(|need| {
        need.words.iter().any(|w| mentions(text, w))
            && (need.with.is_empty() || need.with.iter().any(|w| mentions(text, w)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_start_at_identifier_and_camel_case_boundaries() {
        let starts = |text: &str, word: &str| mentions(text, word);
        assert!(starts("playToAll(x)", "play"));
        assert!(starts("media.onPlay()", "play"));
        assert!(starts("PLAY_URL", "play"));
        assert!(starts("const play_url", "play"));
        assert!(!starts("display", "play"));
        assert!(!starts("DISPLAY", "play"));
        assert!(starts("audioFileSource", "filesource"));
        assert!(!starts("profileSource", "filesource"));
        assert!(starts("_smsClient", "sms"));
        assert!(starts("acs2Sms", "sms"));
        assert!(starts(
            "x = \"@azure/communication-sms\"",
            "@azure/communication-"
        ));
        assert!(!starts("", "sms"));
    }

    #[test]
    fn the_automaton_and_mentions_agree() {
        for text in [
            "display profileSource",
            "client.playToAll(src) // call-automation",
            "new FileSource(uri)",
            "// acs-lint: ignore ACS001",
            "smsClient.send(from, to, msg) azure.communication.sms",
        ] {
            let by_rules = rules::all().iter().any(|r| rule_may_match(r.needs(), text))
                || mentions(text, SUPPRESSION_MARKER);
            assert_eq!(may_match(text.as_bytes()), by_rules, "{text}");
        }
    }
}
