#!/usr/bin/env bash
# `npm test`: every check and test, on the pinned Node, inside a private keyring session.
# Ends with one line `tests: N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
export npm_config_loglevel=error
export PATH="$PWD/node_modules/.bin:$PATH"  # run tools directly: no start-up or npm config warnings
[ -d node_modules ] || { echo "test: run npm install first" >&2; exit 1; }
mkdir -p test-results
rm -f test-results/vitest.json test-results/playwright.json

echo "== typecheck"; tsc -b
echo "== lint"; eslint .
echo "== format"; prettier --check . >/dev/null || { prettier --check .; exit 1; }
echo "== build"; electron-vite build >/dev/null

status=0
echo "== unit (vitest, real keyring)"
scripts/with-keyring.sh vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || status=1
if [ -z "${SKIP_E2E:-}" ]; then
  echo "== renderer e2e (Playwright + Debian Chromium)"
  PLAYWRIGHT_JSON_OUTPUT_NAME=test-results/playwright.json \
    scripts/with-keyring.sh playwright test --project=renderer --reporter=list,json || status=1
fi
node scripts/test-summary.mjs test-results/vitest.json test-results/playwright.json || status=1
exit $status
