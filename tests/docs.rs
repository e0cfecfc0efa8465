//! docs/rules/ACSxxx.md are generated from the rules' doc comments (the links in diagnostics point
//! there). Run with UPDATE_DOCS=1 to regenerate.

use std::path::Path;

fn page(code: &str, name: &str, severity: &str) -> String {
    format!(
        "# {code} {name}\n\nDefault severity: {severity}.\n\n{}\n",
        acs_lint::rules::doc(code).trim_end()
    )
}

#[test]
fn rule_pages_match_the_doc_comments() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let mut pages = vec![(
        "ACS000".to_string(),
        page("ACS000", "unused-suppression", "hint"),
    )];
    for rule in acs_lint::rules::all() {
        pages.push((
            rule.code().to_string(),
            page(rule.code(), rule.name(), rule.severity().as_str()),
        ));
    }
    for (code, text) in pages {
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Fix",
        ] {
            assert!(text.contains(section), "{code} lacks {section}");
        }
        let path = dir.join(format!("{code}.md"));
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::create_dir_all(&dir).expect("mkdir");
            std::fs::write(&path, &text).expect("write");
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            on_disk,
            text,
            "{} is stale: run UPDATE_DOCS=1 cargo test --test docs",
            path.display()
        );
    }
}
