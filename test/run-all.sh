#!/usr/bin/env bash
# `npm test`: installs what the test tiers need (idempotent), then runs every tier in turn and ends
# with one line "tests: N passed, N failed, N skipped" over all of them.
# EDGECALL_TIERS (space-separated) runs a subset, e.g. EDGECALL_TIERS="unit scripts".
# With the e2e tier and CI=true (or EDGECALL_BENCH_PROVISION=1), `npm run bench:provision` follows
# and prints its figures; a benchmark that cannot run fails the run, a goal it misses does not.
set -uo pipefail
cd "$(dirname "$0")/.."

tiers=${EDGECALL_TIERS:-"unit scripts benchmarks runner models e2e"}
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

if [ "${EDGECALL_SKIP_SETUP:-}" != 1 ]; then
  for tier in $tiers; do
    setup="test/setup/install-${tier}-tier.sh"
    if [ -f "$setup" ]; then
      echo "== setup: $tier"
      bash "$setup" || { echo "setup of the $tier tier failed ($setup)" >&2; exit 1; }
    fi
  done
fi

status=0
echo "== lint: eslint and tsc --noEmit (strict)"
npm run -s lint || status=1

for tier in $tiers; do
  echo "== tier: $tier"
  if [ -z "$(find "test/$tier" -name '*.test.ts' 2>/dev/null | head -n 1)" ]; then
    echo "tier $tier has no tests yet"
    continue
  fi
  if ! npx vitest run --project "$tier" --reporter=default --reporter=json --outputFile.json="$results/$tier.json"; then
    status=1
  fi
done

case " $tiers " in
  *" e2e "*)
    if [ "${CI:-}" = true ] || [ "${EDGECALL_BENCH_PROVISION:-}" = 1 ]; then
      echo "== bench:provision"
      npm run -s bench:provision || status=1
    fi
    ;;
esac

node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const file of fs.readdirSync(process.argv[1])) {
    const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + file, "utf8"));
    // A file that fails to load has no failed tests of its own; count it once so it shows.
    passed += r.numPassedTests;
    failed += r.numFailedTests > 0 ? r.numFailedTests : Math.min(1, r.numFailedTestSuites || 0);
    skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  if (process.env.CI === "true" && skipped > 0) {
    console.error("CI=true: skipped tests are not allowed to stand for passing ones");
    process.exitCode = 1;
  }
' "$results" || status=1
exit $status
