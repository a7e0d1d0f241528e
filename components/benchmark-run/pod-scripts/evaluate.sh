#!/bin/sh
# The benchmark pod's main container: summarize the run, push it to the metrics store when one is
# configured, and publish the summary in a ConfigMap that the Pulumi program reads back.
# Environment (set by the Job spec): EDGECALL_RUN_DIR, EDGECALL_TELEMETRY, EDGECALL_REFERENCE,
# EDGECALL_RESULT_NAME, EDGECALL_NAMESPACE, optional EDGECALL_METRICS_URL and, in an indexed
# (scaling) Job, JOB_COMPLETION_INDEX.
set -eu

summary=/work/summary.json
# The sidecar keeps recording until the pod ends; a copy now covers the whole timed window.
cp "$EDGECALL_TELEMETRY" "$EDGECALL_RUN_DIR/telemetry.jsonl"
edgecall summarize "$EDGECALL_RUN_DIR" --reference "$EDGECALL_REFERENCE" --json >"$summary"

if [ -n "${EDGECALL_METRICS_URL:-}" ]; then
  # The run directory, not the copy: db push stores the telemetry.jsonl beside summary.json too.
  edgecall db push --url "$EDGECALL_METRICS_URL" "$EDGECALL_RUN_DIR"
fi

name=$EDGECALL_RESULT_NAME
if [ -n "${JOB_COMPLETION_INDEX:-}" ]; then name="$name-$JOB_COMPLETION_INDEX"; fi
exec node /scripts/publish-result.js "$EDGECALL_NAMESPACE" "$name" "$summary"
