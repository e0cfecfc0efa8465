#!/usr/bin/env bash
# The benchmark of DESIGN.md §11: builds the release binaries, installs ast-grep (npm
# @ast-grep/cli, pinned) into .cache/bench, generates the deterministic corpus under
# $TMPDIR/acs-bench (outside the repository, whose ignore files would hide it from both
# tools) and prints the figures (check vs ast-grep, check vs a bare parse,
# keystroke-to-diagnostics latency, server memory). Extra arguments go to acs-bench, e.g.
# `scripts/bench.sh --runs 9` or `scripts/bench.sh --only lsp,memory`.
# Slow (a few minutes) and noisy by nature: it is not part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

AST_GREP_VERSION="0.51.1"
tools=".cache/bench"
ast_grep="$tools/node_modules/.bin/ast-grep"

mkdir -p "$tools"
if ! "$ast_grep" --version 2>/dev/null | grep -qx "ast-grep $AST_GREP_VERSION"; then
  echo "installing @ast-grep/cli@$AST_GREP_VERSION into $tools" >&2
  npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error \
    "@ast-grep/cli@$AST_GREP_VERSION" >&2
fi

cargo build --release --bins >&2
exec target/release/acs-bench --ast-grep "$ast_grep" "$@"
