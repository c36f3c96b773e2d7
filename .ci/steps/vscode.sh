#!/usr/bin/env bash
# VS Code extension (vscode-client/): typecheck, lint, unit tests, .vsix, end-to-end in code-server.
#
# Installs what it needs itself (Debian packages, npm packages, code-server, a pygls venv for the
# stand-in server) and caches the heavy parts under $VETPY_CI_CACHE (default ~/.cache/vetpy-ci).
#   VETPY_SERVER_PYTHON  a Python with vetpy installed: the e2e runs the real `vetpy serve`;
#                        unset (or VETPY_E2E_SERVER=fake): the stand-in test/fixtures/fake_server.py.
#   VETPY_E2E=0          skip the end-to-end test (typecheck, lint, unit tests and package only).
set -euo pipefail
cd "$(dirname "$0")/../../vscode-client"
CLIENT=$PWD
CACHE=${VETPY_CI_CACHE:-$HOME/.cache/vetpy-ci}
CODE_SERVER_VERSION=4.100.3
export TMPDIR=${TMPDIR:-/tmp}
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
mkdir -p "$CACHE"
ARTIFACTS=$(mktemp -d "$TMPDIR/vetpy-vscode-ci.XXXXXX")
T0=$(date +%s)
step() { echo "-- [vscode $(( $(date +%s) - T0 ))s] $*"; }

step "Debian packages"
need=()
for pkg in libkrb5-dev ripgrep chromium; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi

step "npm ci (node_modules cached by package-lock.json hash, linked into place)"
key=$(sha256sum package-lock.json | cut -c1-16)
# The folder must be named node_modules: Node and TypeScript resolve hoisted packages from the real path.
cached="$CACHE/vscode-client-$key/node_modules"
if [ ! -d "$cached" ]; then
    rm -rf node_modules
    npm ci --prefer-offline
    rm -rf "$CACHE"/vscode-client-*
    mkdir -p "$(dirname "$cached")" && mv node_modules "$cached"
fi
rm -rf node_modules && ln -s "$cached" node_modules

step "typecheck"
npm run -s typecheck
step "lint"
npm run -s lint
step "unit tests"
npm test
step "package"
npm run -s package
ls -l vetpy.vsix

if [ "${VETPY_E2E:-1}" = 0 ]; then
    step "end-to-end skipped (VETPY_E2E=0)"
    exit 0
fi

step "code-server $CODE_SERVER_VERSION (cached)"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
CODE_SERVER="$CS_DIR/node_modules/.bin/code-server"
# code-server writes a default config.yaml under XDG_CONFIG_HOME even for --version: keep it out of ~.
cs_version() { XDG_CONFIG_HOME="$CS_DIR/.xdg" "$CODE_SERVER" --version; }
if [ ! -f "$CS_DIR/.complete" ] || ! cs_version >/dev/null 2>&1; then
    rm -rf "$CS_DIR" && mkdir -p "$CS_DIR"
    # @vscode/ripgrep downloads rg from GitHub: pre-seed its cache with Debian's rg.
    mkdir -p "$TMPDIR/vscode-ripgrep-cache-1.15.11"
    tar czf "$TMPDIR/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C /usr/bin rg
    echo '{"name": "vetpy-ci-code-server", "private": true}' > "$CS_DIR/package.json"
    # Root needs unsafe-perm; node-pty runs npx (yes); npm >= 11.10 blocks dependency install
    # scripts, which code-server's postinstall (and its nested npm installs) need.
    (cd "$CS_DIR" && env npm_config_unsafe_perm=true npm_config_yes=true npm_config_dangerously_allow_all_scripts=true \
        XDG_CONFIG_HOME="$CS_DIR/.xdg" npm install --no-save "code-server@$CODE_SERVER_VERSION")
    cs_version
    touch "$CS_DIR/.complete"
fi

step "stand-in server venv (pygls)"
FAKE_VENV="$CACHE/fake-server-venv"
if ! "$FAKE_VENV/bin/python" -c 'import pygls, lsprotocol' 2>/dev/null; then
    rm -rf "$FAKE_VENV"
    "${PYTHON:-python3}" -m venv "$FAKE_VENV"
    "$FAKE_VENV/bin/pip" install -q 'pygls>=2.1,<3' 'lsprotocol==2025.0.0'
fi
export VETPY_FAKE_PYTHON="$FAKE_VENV/bin/python"
if [ "${VETPY_E2E_SERVER:-}" = fake ]; then
    unset VETPY_SERVER_PYTHON
fi

step "end-to-end (server: ${VETPY_SERVER_PYTHON:-stand-in})"
run_e2e() {
    CODE_SERVER="$CODE_SERVER" VSIX="$CLIENT/vetpy.vsix" E2E_ARTIFACTS="$ARTIFACTS" E2E_SCREENSHOT="$ARTIFACTS/quickfix.png" \
        PYTHONDONTWRITEBYTECODE=1 node test/e2e/run.mjs 2>&1 | tee "$ARTIFACTS/e2e-output.txt"
    return "${PIPESTATUS[0]}"
}
set +e
run_e2e
rc=$?
if [ "$rc" -ne 0 ]; then
    # A workbench driven through a browser on a loaded 2-core machine can miss a timing window;
    # the scenarios that failed get exactly one more try, and both runs stay in the log.
    failed=$(sed -n 's/^ *[0-9]*ms FAIL \([a-z0-9-]*\):.*/\1/p' "$ARTIFACTS/e2e-output.txt" | paste -sd, -)
    if [ -n "$failed" ]; then
        step "retrying the failed scenarios once: $failed"
        E2E_ONLY="$failed" run_e2e
        rc=$?
    fi
fi
set -e
step "done (exit $rc); artifacts in $ARTIFACTS"
exit $rc
