#!/usr/bin/env bash
# `npm test`: lint, typecheck, Vitest (unit + integration on a throw-away embedded PostgreSQL),
# Playwright (production build in Chromium), then the survival tests (real `next start`
# processes). Every step runs even if an earlier one failed, so one run shows everything; the
# last line sums the tests: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
failed_steps=()

step() {
  local name=$1; shift
  echo
  echo "── $name"
  if ! "$@"; then failed_steps+=("$name"); fi
}

step lint npm run --silent lint
step typecheck npm run --silent typecheck
step vitest npx vitest run --project unit --project integration --reporter=default --reporter=json --outputFile.json="$results/vitest.json"
step playwright env PLAYWRIGHT_JSON_OUTPUT_NAME="$results/playwright.json" npx playwright test --reporter=list,json
# Crashes, database restarts, two instances, soak and hostile input against `next start`: after
# Playwright, which leaves the production build they run.
step survival npx vitest run --project survival --reporter=default --reporter=json --outputFile.json="$results/survival.json"

echo
node scripts/test-summary.mjs "$results" "${failed_steps[@]}"
