#!/usr/bin/env bash
# shellcheck disable=SC2317 # the lanes' functions are called through `lane` and `step`
# `npm test`: installs what the test tiers need (idempotent, cached by content), runs every tier and
# ends with a table of wall times and one line "tests: N passed, N failed, N skipped" over all tiers.
#
# Three lanes run side by side, each step after the one before it in its lane:
#   boardless: setup, then lint -> unit -> benchmarks -> runner (vitest, then pytest) -> models
#   scripts:   setup, then the scripts tier (simulated boards at indexes 1-9)
#   e2e:       setup, then the e2e tier (boards 10-13 and 20-24; its two files side by side) ->
#              bench:provision
# The lanes share no board (test/sim/run-lock.ts) and no file they write; the setups share the
# apt lock and the caches' locks.
# Each lane's output is prefixed with its name. EDGECALL_TIERS (space-separated) runs a subset, e.g.
# EDGECALL_TIERS="unit scripts"; EDGECALL_SKIP_SETUP=1 skips the installs; EDGECALL_LANES=serial runs
# the lanes one after the other. With the e2e tier and CI=true (or EDGECALL_BENCH_PROVISION=1),
# `npm run bench:provision` follows it and prints its figures; a benchmark that cannot run fails the
# run, a goal it misses does not.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

tiers=" ${EDGECALL_TIERS:-unit scripts benchmarks runner models e2e} "
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
export EDGECALL_RUN_RESULTS=$results
# What the setup scripts had to build or install: empty on a warm machine (test/setup/lib/note.sh).
export EDGECALL_SETUP_NOTES=$results/setup-notes.txt
: >"$EDGECALL_SETUP_NOTES"
started=$(date +%s)

# step LANE NAME COMMAND...: runs one step, records its wall time and outcome in timings.tsv.
step() {
  local lane=$1 name=$2 begin status
  shift 2
  echo "== $name"
  begin=$(date +%s)
  "$@"
  status=$?
  printf '%s\t%s\t%s\t%s\n' "$lane" "$name" "$(($(date +%s) - begin))" "$status" >>"$results/timings.tsv"
  return "$status"
}

has_tier() { [[ $tiers == *" $1 "* ]]; }

setup() {
  local tier
  [ "${EDGECALL_SKIP_SETUP:-}" != 1 ] || return 0
  for tier in "$@"; do
    has_tier "$tier" || continue
    [ -f "test/setup/install-$tier-tier.sh" ] || continue
    bash "test/setup/install-$tier-tier.sh" || { echo "setup of the $tier tier failed (test/setup/install-$tier-tier.sh)" >&2; return 1; }
  done
}

run_tier() {
  local tier=$1
  if [ -z "$(find "test/$tier" -name '*.test.ts' 2>/dev/null | head -n 1)" ]; then
    echo "tier $tier has no tests yet"
    return 0
  fi
  local workers=()
  # The e2e tier's two files, on boards of their own, run side by side.
  if [ "$tier" = e2e ]; then workers=(--maxWorkers 2); fi
  npx vitest run --project "$tier" "${workers[@]}" --reporter=default --reporter=json --outputFile.json="$results/$tier.json"
}

run_pytest() {
  npm run -s test:python -- --junitxml="$results/pytest.junit.xml"
}

boardless_lane() {
  local status=0 tier
  # torch would take every core for each of its runs, the other lane's included.
  export OMP_NUM_THREADS=1
  step boardless setup setup unit benchmarks runner models || return 1
  step boardless lint npm run -s lint || status=1
  for tier in unit benchmarks runner models; do
    has_tier "$tier" || continue
    step boardless "$tier" run_tier "$tier" || status=1
    # The runner's and converter's own Python unit tests belong to the runner tier.
    if [ "$tier" = runner ]; then step boardless pytest run_pytest || status=1; fi
  done
  return "$status"
}

scripts_lane() {
  step scripts setup setup scripts || return 1
  has_tier scripts || return 0
  step scripts scripts run_tier scripts
}

e2e_lane() {
  local status=0
  # The rehearsal's own four-board figures, which bench:provision then need not measure again.
  export EDGECALL_PROVISION_FIGURES=$results/provision-rehearsal.json
  step e2e setup setup e2e || return 1
  has_tier e2e || return 0
  step e2e e2e run_tier e2e || status=1
  if [ "${CI:-}" = true ] || [ "${EDGECALL_BENCH_PROVISION:-}" = 1 ]; then
    step e2e bench:provision npm run -s bench:provision -- --rehearsal "$EDGECALL_PROVISION_FIGURES" || status=1
  fi
  return "$status"
}

# lane NAME FUNCTION: the lane's output, each line prefixed with its name as it comes.
lane() {
  local name=$1
  "$2" > >(sed -u "s/^/[$name] /") 2>&1
  local status=$?
  echo "$status" >"$results/lane-$name.status"
}

lanes=(boardless scripts e2e)
if [ "${EDGECALL_LANES:-parallel}" = serial ]; then
  for name in "${lanes[@]}"; do lane "$name" "${name}_lane"; done
else
  for name in "${lanes[@]}"; do lane "$name" "${name}_lane" & done
  wait
fi
# sed's last lines may follow the lanes' exit by a moment.
sleep 0.2

status=0
for name in "${lanes[@]}"; do
  [ "$(cat "$results/lane-$name.status" 2>/dev/null)" = 0 ] || status=1
done
npx tsx test/run-summary.ts "$results" "$(($(date +%s) - started))" || status=1
exit $status
