#!/usr/bin/env bash
# The benchmark of DESIGN.md §11: builds the release binaries, installs ast-grep (npm
# @ast-grep/cli, pinned) into .cache/bench, generates the deterministic corpus under
# .cache/bench/corpus and prints the figures (check vs ast-grep, check vs a bare parse,
# keystroke-to-diagnostics latency, server memory). Extra arguments go to acs-bench, e.g.
# `scripts/bench.sh --runs 9` or `scripts/bench.sh --only lsp,memory`.
# Slow (a few minutes) and noisy by nature: it is not part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

AST_GREP_VERSION="0.51.1"
work=".cache/bench"
ast_grep="$work/node_modules/.bin/ast-grep"

mkdir -p "$work"
if ! "$ast_grep" --version 2>/dev/null | grep -qx "ast-grep $AST_GREP_VERSION"; then
  echo "installing @ast-grep/cli@$AST_GREP_VERSION into $work" >&2
  npm install --prefix "$work" --no-save --no-audit --no-fund --loglevel=error \
    "@ast-grep/cli@$AST_GREP_VERSION" >&2
fi

cargo build --release --bins >&2
exec target/release/acs-bench --work "$work" --ast-grep "$ast_grep" "$@"
