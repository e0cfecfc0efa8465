//! The command line, run as a real process.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const BAD_PY: &str = "from azure.communication.callautomation import CallAutomationClient\n\
HOST = \"http://contoso.example\"\n\
client.answer_call(context, callback_url=HOST + \"/api/callbacks\")\n\
target = PhoneNumberIdentifier(\"(425) 555-0100\")\n";

const CLEAN_PY: &str = "from azure.communication.callautomation import CallAutomationClient\n\
client.answer_call(context, callback_url=\"https://contoso.example/api/callbacks\")\n";

fn acs_lint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_acs-lint"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run acs-lint")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
    }
    dir
}

#[test]
fn text_output_names_file_line_column_and_exits_1_on_errors() {
    let dir = project(&[("src/app.py", BAD_PY), ("src/clean.py", CLEAN_PY)]);
    let output = acs_lint(dir.path(), &["check", "src"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("src/app.py:3:42: ACS001 [*] [error] Callback URL `http://contoso.example/api/callbacks`"), "{text}");
    assert!(text.contains("src/app.py:4:32: ACS008 [error]"), "{text}");
    assert!(
        text.contains("Found 2 problems (2 errors); 1 fixable with `--fix`."),
        "{text}"
    );
    assert!(!text.contains("clean.py"));
}

#[test]
fn exit_status_is_0_when_clean_and_hints_do_not_fail_unless_asked() {
    let dir = project(&[("clean.py", CLEAN_PY)]);
    let output = acs_lint(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("All checks passed!"));
    let hinted = format!("{CLEAN_PY}x = 1  # acs-lint: ignore ACS001\n");
    let dir = project(&[("hint.py", &hinted)]);
    let output = acs_lint(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("ACS000"));
    let output = acs_lint(dir.path(), &["check", "--fail-on", "hint"]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn usage_configuration_and_io_errors_exit_2_naming_the_file() {
    let dir = project(&[("app.py", BAD_PY)]);
    let output = acs_lint(dir.path(), &["check", "missing-dir"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("missing-dir"));
    let output = acs_lint(dir.path(), &["check", "--select", "ACS999"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("ACS999"));
    let output = acs_lint(dir.path(), &["check", "--no-such-flag"]);
    assert_eq!(output.status.code(), Some(2));
    let dir = project(&[
        ("app.py", BAD_PY),
        ("acs-lint.toml", "[rules]\nignroe = [\"ACS001\"]\n"),
    ]);
    let output = acs_lint(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("acs-lint.toml") && err.contains("ignroe"),
        "{err}"
    );
}

#[test]
fn json_output_has_the_documented_shape() {
    let dir = project(&[("app.py", BAD_PY)]);
    let output = acs_lint(dir.path(), &["check", "--output-format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let value: Value = serde_json::from_str(&stdout(&output)).expect("json");
    let first = &value[0];
    assert_eq!(first["code"], "ACS001");
    assert_eq!(first["name"], "callback-url-not-https");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["filename"], "app.py");
    assert_eq!(
        first["location"],
        serde_json::json!({"row": 3, "column": 42})
    );
    assert_eq!(first["end_location"]["row"], 3);
    assert_eq!(first["fix"]["message"], "Use https://");
    assert_eq!(first["fix"]["edits"][0]["content"], "https://");
    assert_eq!(
        first["fix"]["edits"][0]["location"],
        serde_json::json!({"row": 2, "column": 9})
    );
    assert!(first["url"]
        .as_str()
        .is_some_and(|u| u.ends_with("/ACS001.md")));
    assert_eq!(value[1]["fix"], Value::Null);
}

#[test]
fn sarif_output_validates_against_the_oasis_schema() {
    let dir = project(&[("pkg/app.py", BAD_PY)]);
    std::fs::create_dir(dir.path().join(".git")).expect("git dir");
    let output = acs_lint(
        &dir.path().join("pkg"),
        &["check", "--output-format", "sarif", "."],
    );
    assert_eq!(output.status.code(), Some(1));
    let sarif: Value = serde_json::from_str(&stdout(&output)).expect("json");
    let schema_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sarif-schema-2.1.0.json"),
    )
    .expect("schema");
    let schema: Value = serde_json::from_str(&schema_text).expect("schema json");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(rules.iter().any(|r| r["id"] == "ACS001"
        && r["helpUri"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://"))));
    assert!(rules
        .iter()
        .all(|r| r["help"]["text"].as_str().is_some_and(|t| !t.is_empty())));
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "ACS001");
    let location = &result["locations"][0]["physicalLocation"];
    // Relative to the repository root, not to the working directory.
    assert_eq!(location["artifactLocation"]["uri"], "pkg/app.py");
    assert_eq!(location["region"]["startLine"], 3);
    assert_eq!(location["region"]["startColumn"], 42);
}

#[test]
fn github_output_prints_workflow_commands() {
    let dir = project(&[("app.py", BAD_PY)]);
    let output = acs_lint(dir.path(), &["check", "--output-format", "github"]);
    let text = stdout(&output);
    assert!(
        text.lines().any(|l| l
            .starts_with("::error file=app.py,line=3,col=42,endLine=3,endColumn=")
            && l.contains("title=ACS001 (callback-url-not-https)::Callback URL")),
        "{text}"
    );
}

#[test]
fn configuration_files_and_flags_select_rules_and_severities() {
    let config = "[rules]\nignore = [\"ACS008\"]\n[rules.severity]\nACS001 = \"warning\"\n[files]\nexclude = [\"generated/**\"]\n";
    let dir = project(&[
        ("app.py", BAD_PY),
        ("generated/gen.py", BAD_PY),
        ("acs-lint.toml", config),
    ]);
    let output = acs_lint(dir.path(), &["check"]);
    let text = stdout(&output);
    assert!(text.contains("ACS001 [*] [warning]"), "{text}");
    assert!(
        !text.contains("ACS008") && !text.contains("gen.py"),
        "{text}"
    );
    assert_eq!(output.status.code(), Some(1));
    // Flags on top of the file, and --config instead of the closest file.
    let output = acs_lint(dir.path(), &["check", "--ignore", "ACS001"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    std::fs::write(
        dir.path().join("other.toml"),
        "[rules]\nselect = [\"ACS008\"]\n",
    )
    .expect("write");
    let output = acs_lint(dir.path(), &["check", "--config", "other.toml", "app.py"]);
    let text = stdout(&output);
    assert!(
        text.contains("ACS008") && !text.contains("ACS001"),
        "{text}"
    );
    let output = acs_lint(
        dir.path(),
        &[
            "check",
            "--config",
            "other.toml",
            "--select",
            "ACS001",
            "app.py",
        ],
    );
    let text = stdout(&output);
    assert!(
        text.contains("ACS001") && !text.contains("ACS008"),
        "{text}"
    );
}

#[test]
fn suppression_comments_are_honoured_and_unused_ones_reported() {
    let text = "HOST = \"http://contoso.example\"\n\
client.answer_call(ctx, callback_url=HOST)  # acs-lint: ignore ACS001\n\
# acs-lint: ignore ACS001\n\
client.answer_call(ctx, callback_url=HOST)\n\
x = PhoneNumberIdentifier(\"555\")  # acs-lint: ignore ACS001\n";
    let dir = project(&[("app.py", text)]);
    let output = acs_lint(dir.path(), &["check", "--output-format", "json"]);
    let value: Value = serde_json::from_str(&stdout(&output)).expect("json");
    let found: Vec<(String, u64)> = value
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or("").to_string(),
                f["location"]["row"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("ACS008".to_string(), 5), ("ACS000".to_string(), 5)]
    );
    let whole = format!("# acs-lint: ignore-file ACS008, ACS001\n{BAD_PY}");
    let dir = project(&[("app.py", &whole)]);
    let output = acs_lint(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn fix_rewrites_files_in_place_keeping_line_endings_bom_and_mode() {
    let crlf = format!("\u{feff}{}", BAD_PY.replace('\n', "\r\n"));
    let dir = project(&[("app.py", &crlf)]);
    let path = dir.path().join("app.py");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    }
    let output = acs_lint(dir.path(), &["check", "--fix"]);
    let text = stdout(&output);
    assert!(text.contains("Fixed 1 finding."), "{text}");
    // The unfixable national number remains, so the run still fails.
    assert_eq!(output.status.code(), Some(1));
    let fixed = std::fs::read_to_string(&path).expect("read");
    assert_eq!(fixed, crlf.replace("http://contoso", "https://contoso"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
    let again = acs_lint(dir.path(), &["check", "--output-format", "json"]);
    let value: Value = serde_json::from_str(&stdout(&again)).expect("json");
    assert_eq!(value.as_array().map(Vec::len), Some(1));
    assert_eq!(value[0]["code"], "ACS008");
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("ls")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn non_utf8_files_are_skipped_with_a_message_and_never_rewritten() {
    let dir = project(&[]);
    let path = dir.path().join("latin1.py");
    let mut bytes = b"HOST = \"http://contoso.example\" # caf\xe9\n".to_vec();
    bytes.extend_from_slice(b"client.answer_call(ctx, callback_url=HOST)\n");
    std::fs::write(&path, &bytes).expect("write");
    let output = acs_lint(dir.path(), &["check", "--fix"]);
    assert!(stderr(&output).contains("latin1.py") && stderr(&output).contains("UTF-8"));
    assert_eq!(std::fs::read(&path).expect("read"), bytes);
}

#[test]
fn rule_lists_rules_and_prints_documentation() {
    let dir = project(&[]);
    let output = acs_lint(dir.path(), &["rule"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.contains("ACS001")
            && text.contains("callback-url-not-https")
            && text.contains("ACS008")
    );
    let output = acs_lint(dir.path(), &["rule", "acs001"]);
    let text = stdout(&output);
    for section in [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Fix",
    ] {
        assert!(text.contains(section), "{section} missing from {text}");
    }
    let output = acs_lint(dir.path(), &["rule", "ACS999"]);
    assert_eq!(output.status.code(), Some(2));
    let output = acs_lint(dir.path(), &["--version"]);
    assert_eq!(
        stdout(&output).trim(),
        format!("acs-lint {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn explain_prints_knowledge_and_exits_1_for_unknown_codes() {
    let dir = project(&[]);
    let output = acs_lint(dir.path(), &["explain", "4001", "--area", "sms"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.contains("SMS") && text.contains("What to do"),
        "{text}"
    );
    let output = acs_lint(dir.path(), &["explain", "99999"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("99999"));
}

#[test]
fn fix_keeps_mixed_line_endings_and_the_trailing_newline_state_byte_for_byte() {
    // Each file: its text, and the only change --fix may make.
    let mixed = "from azure.communication.callautomation import CallAutomationClient\r\n\
HOST = \"http://contoso.example\"\n\
# acs-lint: ignore ACS008\r\n\
client.answer_call(context, callback_url=HOST + \"/api/callbacks\")\r\n\
other = 1\n";
    let no_newline = "client.answer_call(ctx, callback_url=\"http://a.example/cb\")";
    let crlf_end = "client.answer_call(ctx, callback_url=\"http://a.example/cb\")\r\n";
    let blank_tail = "client.answer_call(ctx, callback_url=\"http://a.example/cb\")\n\n\n";
    let bom_no_newline =
        "\u{feff}// callback\r\nawait client.createCall(t, \"http://a.example/cb\");";
    let lone_cr = "// callback\rawait client.createCall(t, \"http://a.example/cb\");\r";
    let files = [
        ("mixed.py", mixed),
        ("no_newline.py", no_newline),
        ("crlf_end.py", crlf_end),
        ("blank_tail.py", blank_tail),
        ("bom.ts", bom_no_newline),
        ("lone_cr.js", lone_cr),
    ];
    let dir = project(&files);
    let output = acs_lint(dir.path(), &["check", "--fix"]);
    assert!(
        stdout(&output).contains("Fixed 7 findings."),
        "{}",
        stdout(&output)
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    for (name, original) in files {
        let fixed = std::fs::read(dir.path().join(name)).expect("read");
        let mut expected = original.replace("http://", "https://");
        // The unused suppression's line goes, with its own CRLF, and nothing else.
        expected = expected.replace("# acs-lint: ignore ACS008\r\n", "");
        assert_eq!(
            String::from_utf8_lossy(&fixed),
            expected,
            "{name} changed beyond its fixes"
        );
    }
}
