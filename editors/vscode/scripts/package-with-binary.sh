#!/usr/bin/env bash
# Packages the VS Code extension with an acs-lint binary inside (bin/acs-lint, bin/acs-lint.exe on Windows),
# as a platform-specific .vsix that needs no other install.
#
# Usage: scripts/package-with-binary.sh [--binary PATH] [--target VSCODE_TARGET] [--out FILE]
#   --binary  the server to bundle (default: <repo>/target/release/acs-lint, built with
#             `cargo build --release` when missing)
#   --target  the VS Code platform of that binary: linux-x64, linux-arm64, alpine-x64, darwin-x64,
#             darwin-arm64, win32-x64, win32-arm64 (default: this machine's platform)
#   --out     the .vsix to write (default: acs-lint-<target>-<version>.vsix in editors/vscode)
set -euo pipefail

EXT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$EXT_DIR/../.." && pwd)"
binary=""
target=""
out=""

die() { echo "package-with-binary: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="${2:?--binary needs a path}"; shift 2 ;;
    --target) target="${2:?--target needs a value}"; shift 2 ;;
    --out) out="${2:?--out needs a file}"; shift 2 ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

host_target() {
  local os arch
  case "$(uname -s)" in
    Linux) if ldd --version 2>&1 | grep -qi musl; then os=alpine; else os=linux; fi ;;
    Darwin) os=darwin ;;
    MINGW*|MSYS*|CYGWIN*) os=win32 ;;
    *) die "cannot tell the VS Code target of $(uname -s); pass --target" ;;
  esac
  case "$(uname -m)" in
    x86_64|amd64) arch=x64 ;;
    aarch64|arm64) arch=arm64 ;;
    armv7l) arch=armhf ;;
    *) die "cannot tell the VS Code target of $(uname -m); pass --target" ;;
  esac
  echo "$os-$arch"
}

[ -n "$target" ] || target="$(host_target)"
exe_name="acs-lint"
case "$target" in win32-*) exe_name="acs-lint.exe" ;; esac

if [ -z "$binary" ]; then
  binary="$REPO_DIR/target/release/$exe_name"
  if [ ! -f "$binary" ]; then
    echo "==> building $binary (cargo build --release)"
    cargo build --release --manifest-path "$REPO_DIR/Cargo.toml" --bin acs-lint
  fi
fi
[ -f "$binary" ] || die "no binary at $binary (build it with 'cargo build --release' or pass --binary)"

if [ "$target" = "$(host_target 2>/dev/null || true)" ]; then
  version_line="$("$binary" --version 2>&1)" || die "$binary --version failed: $version_line"
  echo "==> bundling $binary ($version_line) for $target"
else
  echo "==> bundling $binary for $target (not this machine's platform: not run)"
fi

cd "$EXT_DIR"
version="$(node -p 'require("./package.json").version')"
[ -n "$out" ] || out="$EXT_DIR/acs-lint-$target-$version.vsix"
[ -d node_modules ] || npm ci --no-audit --no-fund

# bin/ exists only while packaging, so that a plain `vsce package` never picks up a stale binary.
rm -rf bin
mkdir -p bin
trap 'rm -rf "$EXT_DIR/bin"' EXIT
cp "$binary" "bin/$exe_name"
chmod 755 "bin/$exe_name"

npx --no-install vsce package --no-dependencies --allow-missing-repository --target "$target" --out "$out"

python3 - "$out" "extension/bin/$exe_name" <<'PY'
import sys, zipfile
path, member = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(path) as z:
    names = z.namelist()
    for need in ("extension/dist/extension.js", member):
        if need not in names:
            sys.exit(f"package-with-binary: {need} is missing from {path}")
    mode = (z.getinfo(member).external_attr >> 16) & 0o777
print(f"==> {path}: contains extension/dist/extension.js and {member} (mode {oct(mode)})")
PY
