//! Applying fixes to a text.

use crate::rules::{Edit, Finding};

/// Applies the fixes of `findings` to `source`. A fix whose edits overlap an edit already taken
/// is left for a later pass (identical edits, e.g. two uses of one constant, are applied once).
/// Returns the new text and the number of findings fixed.
pub fn apply_fixes(source: &str, findings: &[Finding]) -> (String, usize) {
    let mut taken: Vec<Edit> = Vec::new();
    let mut fixed = 0;
    for finding in findings {
        let Some(fix) = &finding.fix else { continue };
        let conflicts = fix.edits.iter().any(|edit| {
            taken.iter().any(|t| {
                t != edit
                    && (t.range.start < edit.range.end && edit.range.start < t.range.end
                        || t.range == edit.range
                        || (t.range.is_empty()
                            && edit.range.is_empty()
                            && t.range.start == edit.range.start))
            })
        });
        let in_bounds = fix.edits.iter().all(|e| {
            e.range.start <= e.range.end
                && source.is_char_boundary(e.range.start)
                && source.is_char_boundary(e.range.end)
        });
        if conflicts || !in_bounds {
            continue;
        }
        for edit in &fix.edits {
            if !taken.contains(edit) {
                taken.push(edit.clone());
            }
        }
        fixed += 1;
    }
    (apply_edits(source, &mut taken), fixed)
}

/// Applies non-overlapping edits.
pub fn apply_edits(source: &str, edits: &mut [Edit]) -> String {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for edit in edits.iter() {
        if edit.range.start < at {
            continue;
        }
        out.push_str(source.get(at..edit.range.start).unwrap_or(""));
        out.push_str(&edit.content);
        at = edit.range.end;
    }
    out.push_str(source.get(at..).unwrap_or(""));
    out
}
