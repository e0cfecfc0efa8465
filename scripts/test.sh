#!/usr/bin/env bash
# The one test command: formatting, lints, every Rust test (unit, fixtures, CLI, LSP end to end,
# property tests), then the editor integrations (VS Code extension and a headless Neovim, both
# installed by scripts/test-editors.sh itself). Works on a fresh machine; CI runs exactly this.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

section() { printf '\n==== %s ====\n' "$1"; }

section "cargo fmt --check"
cargo fmt --check

section "cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings

section "cargo test"
cargo test --all-targets
cargo test --doc

section "editor integrations"
ACS_LINT_BIN="$(pwd)/target/debug/acs-lint" scripts/test-editors.sh

printf '\nAll tests passed.\n'
