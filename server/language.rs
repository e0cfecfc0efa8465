//! The language table: the only place that maps a file or an LSP language id to a grammar, its
//! facts query and its comment syntax. Adding a language is adding a row here and a
//! `grammars/<language>/facts.scm`.

use std::path::Path;

/// A language acs-lint reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    CSharp,
    Python,
    JavaScript,
    TypeScript,
    Tsx,
    Java,
}

/// Static facts about one language.
pub struct LanguageSpec {
    pub language: Language,
    /// Human name, used in messages.
    pub name: &'static str,
    /// File extensions, without the dot.
    pub extensions: &'static [&'static str],
    /// LSP language identifiers.
    pub lsp_ids: &'static [&'static str],
    /// The prefix of a line comment, used to insert suppression comments.
    pub line_comment: &'static str,
    /// The combined facts query (all patterns run in one pass).
    pub facts_query: &'static str,
    grammar: fn() -> tree_sitter::Language,
}

const JS_QUERY: &str = concat!(
    include_str!("../grammars/javascript/facts.scm"),
    include_str!("../grammars/javascript/javascript.scm")
);
const TS_QUERY: &str = concat!(
    include_str!("../grammars/javascript/facts.scm"),
    include_str!("../grammars/typescript/facts.scm")
);

/// The language table.
pub static LANGUAGES: &[LanguageSpec] = &[
    LanguageSpec {
        language: Language::CSharp,
        name: "C#",
        extensions: &["cs"],
        lsp_ids: &["csharp"],
        line_comment: "//",
        facts_query: include_str!("../grammars/csharp/facts.scm"),
        grammar: || tree_sitter_c_sharp::LANGUAGE.into(),
    },
    LanguageSpec {
        language: Language::Python,
        name: "Python",
        extensions: &["py", "pyi"],
        lsp_ids: &["python"],
        line_comment: "#",
        facts_query: include_str!("../grammars/python/facts.scm"),
        grammar: || tree_sitter_python::LANGUAGE.into(),
    },
    LanguageSpec {
        language: Language::JavaScript,
        name: "JavaScript",
        extensions: &["js", "jsx", "mjs", "cjs"],
        lsp_ids: &["javascript", "javascriptreact"],
        line_comment: "//",
        facts_query: JS_QUERY,
        grammar: || tree_sitter_javascript::LANGUAGE.into(),
    },
    LanguageSpec {
        language: Language::TypeScript,
        name: "TypeScript",
        extensions: &["ts", "mts", "cts"],
        lsp_ids: &["typescript"],
        line_comment: "//",
        facts_query: TS_QUERY,
        grammar: || tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
    },
    LanguageSpec {
        language: Language::Tsx,
        name: "TypeScript (TSX)",
        extensions: &["tsx"],
        lsp_ids: &["typescriptreact"],
        line_comment: "//",
        facts_query: TS_QUERY,
        grammar: || tree_sitter_typescript::LANGUAGE_TSX.into(),
    },
    LanguageSpec {
        language: Language::Java,
        name: "Java",
        extensions: &["java"],
        lsp_ids: &["java"],
        line_comment: "//",
        facts_query: include_str!("../grammars/java/facts.scm"),
        grammar: || tree_sitter_java::LANGUAGE.into(),
    },
];

impl Language {
    /// Every language, in table order.
    pub fn all() -> impl Iterator<Item = Language> {
        LANGUAGES.iter().map(|spec| spec.language)
    }

    pub fn spec(self) -> &'static LanguageSpec {
        // The table has one row per variant, in declaration order.
        &LANGUAGES[self as usize]
    }

    pub fn grammar(self) -> tree_sitter::Language {
        (self.spec().grammar)()
    }

    /// The language of a path, by extension (case-insensitive).
    pub fn from_path(path: &Path) -> Option<Language> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        LANGUAGES
            .iter()
            .find(|spec| spec.extensions.contains(&ext.as_str()))
            .map(|spec| spec.language)
    }

    /// The language of an LSP language id.
    pub fn from_lsp_id(id: &str) -> Option<Language> {
        LANGUAGES
            .iter()
            .find(|spec| spec.lsp_ids.contains(&id))
            .map(|spec| spec.language)
    }

    /// True for the JavaScript family (JS, TS, TSX), which share an SDK.
    pub fn is_js_family(self) -> bool {
        matches!(
            self,
            Language::JavaScript | Language::TypeScript | Language::Tsx
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_rows_follow_the_enum_order() {
        for (index, spec) in LANGUAGES.iter().enumerate() {
            assert_eq!(spec.language as usize, index, "{}", spec.name);
        }
    }

    #[test]
    fn extensions_and_ids_resolve() {
        assert_eq!(
            Language::from_path(Path::new("a/b.CS")),
            Some(Language::CSharp)
        );
        assert_eq!(
            Language::from_path(Path::new("x.mjs")),
            Some(Language::JavaScript)
        );
        assert_eq!(
            Language::from_path(Path::new("x.cts")),
            Some(Language::TypeScript)
        );
        assert_eq!(Language::from_path(Path::new("x.tsx")), Some(Language::Tsx));
        assert_eq!(Language::from_path(Path::new("Makefile")), None);
        assert_eq!(
            Language::from_lsp_id("typescriptreact"),
            Some(Language::Tsx)
        );
        assert_eq!(Language::from_lsp_id("rust"), None);
    }
}
