//! ACS000: a suppression comment that silences nothing. The check itself lives in
//! `crate::suppress`, which sees every other rule's findings.

/// ## What it does
/// Reports an `acs-lint: ignore` or `acs-lint: ignore-file` comment that silences no finding.
///
/// ## Why is this bad?
/// A stale suppression hides the next real problem on that line and tells readers that there is
/// a pitfall where there is none. It usually stays behind after the code it excused was fixed.
///
/// ## Example
/// ```python
/// # acs-lint: ignore ACS001
/// client.answer_call(context, callback_url="https://contoso.example/api/callbacks")
/// ```
///
/// ## Fix
/// Remove the comment (the quick fix does this).
pub struct UnusedSuppression;

impl UnusedSuppression {
    pub const CODE: &'static str = "ACS000";
    pub const NAME: &'static str = "unused-suppression";
}
