#!/bin/sh
# The benchmark pod's main container: summarize the run, push it to the metrics store when one is
# configured, and publish the summary in a ConfigMap that the Pulumi program reads back.
# Environment (set by the Job spec): EDGECALL_RUN_DIR, EDGECALL_TELEMETRY, EDGECALL_REFERENCE,
# EDGECALL_RESULT_NAME, EDGECALL_NAMESPACE, optional EDGECALL_METRICS_URL, optional
# EDGECALL_KEEP_RUN (where on the board to keep the run directory) and, in an indexed (scaling)
# Job, JOB_COMPLETION_INDEX.
set -eu

summary=/work/summary.json
# The sidecar keeps recording until the pod ends: once it has a sample after the timed window's
# end (it samples every second or so), a copy covers the whole window.
# Status 2 is a fault no wait mends (run.json unusable): stop at once, with its reason.
i=0
while true; do
  status=0
  node /scripts/telemetry-covers-run.js "$EDGECALL_RUN_DIR/run.json" "$EDGECALL_TELEMETRY" 2>/tmp/covers-run.why || status=$?
  [ "$status" -eq 0 ] && break
  if [ "$status" -ne 1 ]; then
    echo "edgecall evaluate: $(cat /tmp/covers-run.why)" >&2
    exit 1
  fi
  i=$((i + 1))
  if [ "$i" -ge 60 ]; then
    echo "edgecall evaluate: no telemetry sample after the timed window within 30 s ($(cat /tmp/covers-run.why)); is the telemetry sidecar running?" >&2
    exit 1
  fi
  sleep 0.5
done
cp "$EDGECALL_TELEMETRY" "$EDGECALL_RUN_DIR/telemetry.jsonl"
edgecall summarize "$EDGECALL_RUN_DIR" --reference "$EDGECALL_REFERENCE" --json >"$summary"

if [ -n "${EDGECALL_METRICS_URL:-}" ]; then
  # The run directory, not the copy: db push stores the telemetry.jsonl beside summary.json too.
  edgecall db push --url "$EDGECALL_METRICS_URL" "$EDGECALL_RUN_DIR"
fi

name=$EDGECALL_RESULT_NAME
if [ -n "${JOB_COMPLETION_INDEX:-}" ]; then name="$name-$JOB_COMPLETION_INDEX"; fi

if [ -n "${EDGECALL_KEEP_RUN:-}" ]; then
  kept=$EDGECALL_KEEP_RUN
  if [ -n "${JOB_COMPLETION_INDEX:-}" ]; then kept="$kept-$JOB_COMPLETION_INDEX"; fi
  mkdir -p "$kept"
  cp -r "$EDGECALL_RUN_DIR/." "$kept/"
  cp "$summary" "$kept/summary.json"
fi
exec node /scripts/publish-result.js "$EDGECALL_NAMESPACE" "$name" "$summary"
