//! The rule registry and the types rules produce.
//!
//! Each rule lives in its own file, `acsNNN_<name>.rs`; the doc comment above its struct (What it
//! does / Why is this bad? / Example / Fix) is its documentation, extracted at build time.
//! Rules read [`Facts`] only; they never see a syntax tree.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::facts::{ExprId, Facts};
use crate::language::Language;

mod acs000_unused_suppression;
mod acs001_callback_url_not_https;
mod acs002_pstn_source_caller_id_missing;
mod acs003_play_source_unsupported_format;
mod acs004_play_source_wav_format;
mod acs005_url_not_publicly_reachable;
mod acs006_diagnostics_logging_not_configured;
mod acs007_sms_delivery_report_disabled;
mod acs008_phone_number_not_e164;
mod acs009_log_forwarded_per_line;
mod acs010_hardcoded_access_key;
mod acs011_troubleshooting_id_discarded;
mod acs012_play_sources_not_array;
mod acs013_event_grid_validation_unhandled;
pub mod util;

pub use acs000_unused_suppression::UnusedSuppression;

include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));

/// Where a rule's documentation is published.
pub const DOCS_BASE: &str = "https://github.com/acs-lint/acs-lint/blob/main/docs/rules";

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Hint,
    Information,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text.to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "information" | "info" => Some(Severity::Information),
            "hint" => Some(Severity::Hint),
            _ => None,
        }
    }
}

/// One text replacement, in bytes of the source.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    pub range: Range<usize>,
    pub content: String,
}

/// A fix: a title and the edits that make it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
}

/// A problem found in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub range: Range<usize>,
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn name(&self) -> &'static str {
        rule(self.code)
            .map(|r| r.name())
            .unwrap_or("unused-suppression")
    }
}

/// What a rule sees of a file.
pub struct Context<'a> {
    pub source: &'a str,
    pub facts: &'a Facts,
    pub language: Language,
    /// The file's path, when it is on disk.
    pub path: Option<&'a Path>,
    /// The workspace roots: files outside them are never read.
    pub roots: &'a [PathBuf],
    /// File-wide answers that several rules ask for, computed once per lint.
    pub memo: FileMemo,
}

/// File-wide questions about the text, answered at most once per lint (each is a scan of the
/// whole text, and rules ask them per call).
#[derive(Default)]
pub struct FileMemo {
    lower: std::sync::OnceLock<String>,
    acs: std::sync::OnceLock<bool>,
    acs_sms: std::sync::OnceLock<bool>,
    acs_email: std::sync::OnceLock<bool>,
    callback_urls: std::sync::OnceLock<Vec<ExprId>>,
    file_sources: std::sync::OnceLock<Vec<ExprId>>,
}

impl FileMemo {
    /// The text in ASCII lower case.
    pub fn lower<'s>(&'s self, source: &str) -> &'s str {
        self.lower.get_or_init(|| source.to_ascii_lowercase())
    }

    pub fn uses_acs(&self, source: &str) -> bool {
        *self
            .acs
            .get_or_init(|| util::uses_acs_lower(source, self.lower(source)))
    }

    /// Every callback URL position of the file (`util::callback_url_exprs`), found once.
    pub fn callback_urls(&self, compute: impl FnOnce() -> Vec<ExprId>) -> &[ExprId] {
        self.callback_urls.get_or_init(compute)
    }

    /// Every file play source URL of the file (`util::file_source_urls`), found once.
    pub fn file_sources(&self, compute: impl FnOnce() -> Vec<ExprId>) -> &[ExprId] {
        self.file_sources.get_or_init(compute)
    }

    pub fn uses_acs_sms(&self, compute: impl FnOnce() -> bool) -> bool {
        *self.acs_sms.get_or_init(compute)
    }

    pub fn uses_acs_email(&self, compute: impl FnOnce() -> bool) -> bool {
        *self.acs_email.get_or_init(compute)
    }
}

impl Context<'_> {
    /// A finding of `rule` at `range`.
    pub fn finding(&self, rule: &dyn Rule, range: Range<usize>, message: String) -> Finding {
        Finding {
            code: rule.code(),
            severity: rule.severity(),
            message,
            range,
            fix: None,
        }
    }

    /// True when the file mentions `word` anywhere (case-sensitive).
    pub fn mentions(&self, word: &str) -> bool {
        memchr::memmem::find(self.source.as_bytes(), word.as_bytes()).is_some()
    }

    /// True when the file mentions `word` outside comments (case-sensitive).
    pub fn mentions_in_code(&self, word: &str) -> bool {
        memchr::memmem::find_iter(self.source.as_bytes(), word.as_bytes())
            .any(|at| !self.in_comment(at))
    }

    /// True when the file holds `word` (any case) where a word starts, as the pre-filter
    /// matches it (see `prefilter::mentions`).
    pub fn mentions_word_start(&self, word: &str) -> bool {
        crate::prefilter::mentions_lower(self.source, self.memo.lower(self.source), word)
    }

    /// True when byte `at` lies inside a comment.
    pub fn in_comment(&self, at: usize) -> bool {
        self.facts
            .comments
            .iter()
            .any(|c| c.range.start <= at && at < c.range.end)
    }
}

/// Words a file must contain for a rule to find anything in it, the input of the pre-filter.
/// The need is met when the file contains one of `words` and, unless `with` is empty, one of
/// `with` as well. Words match in any case, where a word starts (see `prefilter::mentions`).
#[derive(Clone, Copy, Debug)]
pub struct Need {
    pub words: &'static [&'static str],
    pub with: &'static [&'static str],
}

impl Need {
    /// Met by any one of `words`.
    pub const fn any(words: &'static [&'static str]) -> Need {
        Need { words, with: &[] }
    }

    /// Met by one of `words` together with one of `with`.
    pub const fn both(words: &'static [&'static str], with: &'static [&'static str]) -> Need {
        Need { words, with }
    }
}

/// A rule.
pub trait Rule: Send + Sync {
    fn code(&self) -> &'static str;
    fn name(&self) -> &'static str;
    fn severity(&self) -> Severity;
    /// What a file must contain for this rule to find anything in it: the `check` pre-filter
    /// skips files that meet none of these needs (see [`Need`]).
    fn needs(&self) -> &'static [Need];
    fn check(&self, ctx: &Context, out: &mut Vec<Finding>);

    /// The rule's documentation, from its doc comment.
    fn doc(&self) -> &'static str {
        doc(self.code())
    }

    /// The first sentence of "What it does".
    fn summary(&self) -> String {
        summary(self.doc())
    }

    fn url(&self) -> String {
        format!("{DOCS_BASE}/{}.md", self.code())
    }
}

/// The documentation of a rule code (also ACS000).
pub fn doc(code: &str) -> &'static str {
    RULE_DOCS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, d)| *d)
        .unwrap_or("")
}

/// The first paragraph after "## What it does", as one line.
pub fn summary(doc: &str) -> String {
    let mut lines = doc
        .lines()
        .skip_while(|l| !l.starts_with("## What it does"));
    lines.next();
    let paragraph: Vec<&str> = lines
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    paragraph.join(" ")
}

static RULES: &[&dyn Rule] = &[
    &acs001_callback_url_not_https::CallbackUrlNotHttps,
    &acs002_pstn_source_caller_id_missing::PstnSourceCallerIdMissing,
    &acs003_play_source_unsupported_format::PlaySourceUnsupportedFormat,
    &acs004_play_source_wav_format::PlaySourceWavFormat,
    &acs005_url_not_publicly_reachable::UrlNotPubliclyReachable,
    &acs006_diagnostics_logging_not_configured::DiagnosticsLoggingNotConfigured,
    &acs007_sms_delivery_report_disabled::SmsDeliveryReportDisabled,
    &acs008_phone_number_not_e164::PhoneNumberNotE164,
    &acs009_log_forwarded_per_line::LogForwardedPerLine,
    &acs010_hardcoded_access_key::HardcodedAccessKey,
    &acs011_troubleshooting_id_discarded::TroubleshootingIdDiscarded,
    &acs012_play_sources_not_array::PlaySourcesNotArray,
    &acs013_event_grid_validation_unhandled::EventGridValidationUnhandled,
];

/// Every rule, by code.
pub fn all() -> &'static [&'static dyn Rule] {
    RULES
}

/// The rule with this code.
pub fn rule(code: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.code() == code)
}

/// True for ACS000 and every registered rule code.
pub fn is_known_code(code: &str) -> bool {
    code == UnusedSuppression::CODE || rule(code).is_some()
}
