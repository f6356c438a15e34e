#!/usr/bin/env bash
# VS Code extension: builds the .vsix for each platform (with the bundled server), checks
# their contents, installs a real VS Code (code-server) and headless Chromium, then runs the
# extension's unit tests and the end-to-end test with this machine's .vsix. Exits non-zero on
# the first failure.
#
#   bash .ci/vscode-e2e.sh
#
# Needs Node 18+, npm, a Python 3.10+ with pip (PYTHON, default python3) and root for the
# editor's apt packages; ../shared/vscode-web (beside the repository) provides the installer.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EXT="$ROOT/vscode-extension"
SHARED=${VSCODE_WEB_SCRIPTS:-$ROOT/../shared/vscode-web}
export VSCODE_WEB_SCRIPTS=$SHARED

begin=$(date +%s)
step=$begin
timing() {
  local now
  now=$(date +%s)
  echo "[vscode-e2e] $1 took $((now - step)) s"
  step=$now
}

if [[ ! -f $SHARED/install.sh ]]; then
  echo "[vscode-e2e] $SHARED/install.sh not found" >&2
  exit 1
fi

# The editor install does not depend on the build: run it alongside.
install_log=$(mktemp)
trap 'rm -f "$install_log"' EXIT
bash "$SHARED/install.sh" >"$install_log" 2>&1 &
install_pid=$!

cd "$EXT"
# --ignore-scripts: nothing here needs an install script (esbuild finds its platform binary
# without one; vsce's optional native keychain module is only used to publish).
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
timing "npm ci"
npm run --silent typecheck
timing "typecheck"
npm run --silent test:unit
timing "unit tests"
npm run --silent package:all
timing "build and package the five platform .vsix files"
# Their contents (compiled modules per platform and CPython version, shared pure-Python
# files), and this machine's package run with each CPython 3.10+ found here.
test_python=${PYTHON:-python3}
if [[ -x $ROOT/.venv/bin/python ]]; then
  test_python=$ROOT/.venv/bin/python
fi
TFGUARD_REQUIRE_VSIX=1 TFGUARD_VSIX_DIR=$EXT "$test_python" -m pytest -q -p no:cacheprovider \
  -s "$EXT/test/package"
timing "package contents"
host_target=$(node --input-type=module -e \
  "import { hostTarget } from './scripts/targets.mjs'; console.log(hostTarget())")
version=$(node -p "require('./package.json').version")
export TFGUARD_VSIX="$EXT/tfguard-$version-$host_target.vsix"

if ! wait "$install_pid"; then
  echo "[vscode-e2e] installing the editor failed:" >&2
  cat "$install_log" >&2
  exit 1
fi
VSCODE_WEB_DIR=$(tail -n 1 "$install_log")
export VSCODE_WEB_DIR
timing "waiting for the editor install"

npm run --silent test:e2e
timing "end-to-end test"
echo "[vscode-e2e] total $(( $(date +%s) - begin )) s"
