//! acs-lint: finds Azure Communication Services troubleshooting pitfalls in application code.
//! See ARCHITECTURE.md for the map of the modules.

pub mod alloc;
pub mod cli;
pub mod config;
pub mod document;
pub mod engine;
pub mod facts;
pub mod fix;
pub mod hover;
pub mod knowledge;
pub mod language;
pub mod line_index;
pub mod lsp;
pub mod prefilter;
pub mod rules;
pub mod suppress;

#[cfg(test)]
mod query_tests {
    #[test]
    fn every_query_compiles_with_known_captures() {
        assert_eq!(
            crate::facts::capture_names_are_known(),
            Vec::<String>::new()
        );
    }
}
