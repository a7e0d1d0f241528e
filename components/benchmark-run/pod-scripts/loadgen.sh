#!/bin/sh
# The load Job's main container: send the converted reads to the model's service at each
# concurrency level, then publish the report in a ConfigMap that the Pulumi program reads back.
# Environment (set by the Job spec): EDGECALL_TARGET, EDGECALL_CONCURRENCY, EDGECALL_MANIFEST,
# EDGECALL_TIMEOUT_S, EDGECALL_RESULT_NAME, EDGECALL_NAMESPACE.
set -eu

report=/work/load.json
# The table goes to the pod's log; the report file is what is published.
edgecall loadgen --target "$EDGECALL_TARGET" --concurrency "$EDGECALL_CONCURRENCY" \
  --manifest "$EDGECALL_MANIFEST" --timeout-s "$EDGECALL_TIMEOUT_S" --out "$report"
exec node /scripts/publish-result.js "$EDGECALL_NAMESPACE" "$EDGECALL_RESULT_NAME" "$report" load.json
