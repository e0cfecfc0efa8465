//! Extracts each rule's doc comment (the `///` lines above its `pub struct`) from
//! `server/rules/acsNNN_*.rs`, so the same text serves `acs-lint rule`, hover and the docs.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

fn main() {
    let dir = Path::new("server/rules");
    println!("cargo:rerun-if-changed=server/rules");
    let mut entries: Vec<(String, String)> = Vec::new();
    if let Ok(read) = fs::read_dir(dir) {
        for entry in read.flatten() {
            let path = entry.path();
            let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            if !stem.starts_with("acs") || path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            println!("cargo:rerun-if-changed={}", path.display());
            let code = stem.get(..6).unwrap_or(stem).to_ascii_uppercase();
            let text = fs::read_to_string(&path).unwrap_or_default();
            let mut doc: Vec<String> = Vec::new();
            for line in text.lines() {
                let trimmed = line.trim_start();
                if let Some(rest) = trimmed.strip_prefix("///") {
                    doc.push(rest.strip_prefix(' ').unwrap_or(rest).to_string());
                } else if trimmed.starts_with("pub struct") && !doc.is_empty() {
                    break;
                } else if !trimmed.starts_with("#[") {
                    doc.clear();
                }
            }
            entries.push((code, doc.join("\n")));
        }
    }
    entries.sort();
    let mut out = String::from("pub static RULE_DOCS: &[(&str, &str)] = &[\n");
    for (code, doc) in entries {
        let _ = writeln!(out, "    ({code:?}, {doc:?}),");
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let _ = fs::write(Path::new(&out_dir).join("rule_docs.rs"), out);
}
