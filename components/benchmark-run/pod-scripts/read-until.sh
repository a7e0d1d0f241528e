#!/bin/sh
# The read-until Job's main container: adaptive sampling's load on the model's service (a chunk per
# channel every decision interval), then the report in a ConfigMap that the Pulumi program reads back.
# Environment (set by the Job spec): EDGECALL_TARGET, EDGECALL_MANIFEST, EDGECALL_CHANNELS,
# EDGECALL_CHUNK_S, EDGECALL_SAMPLE_RATE_HZ, EDGECALL_ROUNDS, EDGECALL_IN_TIME,
# EDGECALL_RESULT_NAME, EDGECALL_NAMESPACE.
set -eu

report=/work/read-until.json
edgecall loadgen --read-until --target "$EDGECALL_TARGET" --manifest "$EDGECALL_MANIFEST" \
  --channels "$EDGECALL_CHANNELS" --chunk-s "$EDGECALL_CHUNK_S" --sample-rate-hz "$EDGECALL_SAMPLE_RATE_HZ" \
  --rounds "$EDGECALL_ROUNDS" --in-time "$EDGECALL_IN_TIME" --out "$report"
exec node /scripts/publish-result.js "$EDGECALL_NAMESPACE" "$EDGECALL_RESULT_NAME" "$report" read-until.json
