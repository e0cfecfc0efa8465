//! Configuration: `acs-lint.toml` files and editor settings, and how they combine.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::rules::{self, Severity};

pub const CONFIG_FILE: &str = "acs-lint.toml";

/// Which rules run and at what severity.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleSettings {
    /// When set, only these codes (or code prefixes) run.
    pub select: Option<Vec<String>>,
    /// Codes (or code prefixes) that never run.
    pub ignore: Vec<String>,
    /// Severity overrides by code.
    pub severity: BTreeMap<String, Severity>,
}

fn matches_code(pattern: &str, code: &str) -> bool {
    pattern.eq_ignore_ascii_case("ALL") || code.starts_with(&pattern.to_ascii_uppercase())
}

impl RuleSettings {
    pub fn is_enabled(&self, code: &str) -> bool {
        let selected = match &self.select {
            Some(select) if !select.is_empty() => select.iter().any(|p| matches_code(p, code)),
            _ => true,
        };
        selected && !self.ignore.iter().any(|p| matches_code(p, code))
    }

    pub fn severity_of(&self, code: &str, default: Severity) -> Severity {
        self.severity.get(code).copied().unwrap_or(default)
    }

    /// `self` with `over` applied on top: a non-empty select replaces, ignores add up, severities
    /// override.
    pub fn merged(&self, over: &RuleSettings) -> RuleSettings {
        let mut out = self.clone();
        if over.select.as_ref().is_some_and(|s| !s.is_empty()) {
            out.select = over.select.clone();
        }
        out.ignore.extend(over.ignore.iter().cloned());
        for (code, severity) in &over.severity {
            out.severity.insert(code.clone(), *severity);
        }
        out
    }
}

/// A configuration error, naming the file and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
    /// Byte range in the file, when known.
    pub span: Option<std::ops::Range<usize>>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for ConfigError {}

/// A loaded `acs-lint.toml`.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub rules: RuleSettings,
    pub exclude: Vec<String>,
    exclude_set: Option<GlobSet>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    files: RawFiles,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRules {
    select: Option<Vec<String>>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFiles {
    #[serde(default)]
    exclude: Vec<String>,
}

/// Checks rule codes and severities given as strings; `what` names the setting in errors.
pub fn rule_settings(
    select: Option<Vec<String>>,
    ignore: Vec<String>,
    severity: &BTreeMap<String, String>,
    what: &str,
) -> Result<RuleSettings, String> {
    let check = |key: &str, codes: &[String]| -> Result<(), String> {
        for code in codes {
            let upper = code.to_ascii_uppercase();
            let known = upper == "ALL"
                || rules::is_known_code(&upper)
                || (upper.starts_with("ACS") && upper.len() < 6);
            if !known {
                return Err(format!("unknown rule code `{code}` in `{what}.{key}`"));
            }
        }
        Ok(())
    };
    if let Some(select) = &select {
        check("select", select)?;
    }
    check("ignore", &ignore)?;
    let mut levels = BTreeMap::new();
    for (code, level) in severity {
        let upper = code.to_ascii_uppercase();
        if !rules::is_known_code(&upper) {
            return Err(format!("unknown rule code `{code}` in `{what}.severity`"));
        }
        let Some(level) = Severity::parse(level) else {
            return Err(format!(
                "`{what}.severity.{code}` is `{level}`; expected error, warning, information or hint"
            ));
        };
        levels.insert(upper, level);
    }
    Ok(RuleSettings {
        select: select.map(|s| s.iter().map(|c| c.to_ascii_uppercase()).collect()),
        ignore: ignore.iter().map(|c| c.to_ascii_uppercase()).collect(),
        severity: levels,
    })
}

impl Config {
    /// Parses the text of a configuration file.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let error = |message: String, span| ConfigError {
            path: path.to_path_buf(),
            message,
            span,
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let message = e.message().trim().to_string();
            let span = e.span();
            let location = span
                .clone()
                .map(|s| {
                    let line = text.get(..s.start).unwrap_or("").matches('\n').count() + 1;
                    format!(" (line {line})")
                })
                .unwrap_or_default();
            error(format!("{message}{location}"), span)
        })?;
        let rules = rule_settings(
            raw.rules.select,
            raw.rules.ignore,
            &raw.rules.severity,
            "rules",
        )
        .map_err(|m| error(m, None))?;
        let mut builder = GlobSetBuilder::new();
        for pattern in &raw.files.exclude {
            let glob = Glob::new(pattern)
                .map_err(|e| error(format!("bad pattern in `files.exclude`: {e}"), None))?;
            builder.add(glob);
        }
        let exclude_set = builder
            .build()
            .map_err(|e| error(format!("bad `files.exclude`: {e}"), None))?;
        Ok(Config {
            path: Some(path.to_path_buf()),
            rules,
            exclude: raw.files.exclude,
            exclude_set: Some(exclude_set),
        })
    }

    /// Reads and parses a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            message: format!("cannot read: {e}"),
            span: None,
        })?;
        Config::parse(&text, path)
    }

    /// True when `path` matches `files.exclude` (relative to the configuration's directory, or
    /// as given).
    pub fn is_excluded(&self, path: &Path) -> bool {
        let Some(set) = &self.exclude_set else {
            return false;
        };
        let given = path.strip_prefix(".").unwrap_or(path);
        if set.is_match(given) {
            return true;
        }
        let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let base = self.path.as_deref().and_then(Path::parent);
        let base = base.map(|b| std::fs::canonicalize(b).unwrap_or_else(|_| b.to_path_buf()));
        match base.as_deref().and_then(|b| absolute.strip_prefix(b).ok()) {
            Some(relative) => set.is_match(relative),
            None => false,
        }
    }
}

/// The closest `acs-lint.toml` in `dir` or above it.
pub fn find_config(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(CONFIG_FILE))
        .find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_example() {
        let text = r#"
[rules]
ignore = ["ACS008"]
[rules.severity]
ACS001 = "warning"
[files]
exclude = ["**/generated/**"]
"#;
        let config = Config::parse(text, Path::new("acs-lint.toml")).expect("valid");
        assert!(!config.rules.is_enabled("ACS008"));
        assert!(config.rules.is_enabled("ACS001"));
        assert_eq!(
            config.rules.severity_of("ACS001", Severity::Error),
            Severity::Warning
        );
        assert!(config.is_excluded(Path::new("src/generated/x.cs")));
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_key() {
        let err = Config::parse("[rules]\nignroe = []\n", Path::new("a/acs-lint.toml"))
            .expect_err("unknown key");
        assert!(err.message.contains("ignroe"), "{}", err.message);
        assert!(err.to_string().starts_with("a/acs-lint.toml"));
        let err = Config::parse("[rules.severity]\nACS001 = \"loud\"\n", Path::new("x"))
            .expect_err("bad severity");
        assert!(err.message.contains("ACS001") && err.message.contains("loud"));
        let err = Config::parse("[rules]\nselect = [\"ACS999\"]\n", Path::new("x"))
            .expect_err("bad code");
        assert!(err.message.contains("ACS999"));
    }

    #[test]
    fn select_and_prefixes() {
        let settings = RuleSettings {
            select: Some(vec!["ACS00".into()]),
            ignore: vec!["ACS008".into()],
            ..Default::default()
        };
        assert!(settings.is_enabled("ACS001"));
        assert!(!settings.is_enabled("ACS008"));
        assert!(!settings.is_enabled("ACS010"));
    }
}
