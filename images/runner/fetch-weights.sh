#!/bin/bash
# Image build step for images.models.<model>.weights.url: with WEIGHTS_URL set (a build argument),
# downloads the weights to the fixed path the pods' EDGECALL_WEIGHTS names and fails the build unless
# their sha256 is WEIGHTS_SHA256; without it, does nothing (the weights of the upstream clone stay).
# Usage: fetch-weights.sh MODEL. EDGECALL_WEIGHTS_DIR moves the destination (tests).
set -euo pipefail
model=$1
dir=${EDGECALL_WEIGHTS_DIR:-/opt/edgecall/weights}
[ -n "${WEIGHTS_URL:-}" ] || exit 0
if [ -z "${WEIGHTS_SHA256:-}" ]; then
  echo "WEIGHTS_URL=${WEIGHTS_URL} needs WEIGHTS_SHA256" >&2
  exit 1
fi
mkdir -p "$dir"
curl --fail --silent --show-error --location --proto '=https' --output "$dir/model.weights" "$WEIGHTS_URL"
if ! echo "${WEIGHTS_SHA256}  $dir/model.weights" | sha256sum --check --quiet -; then
  echo "weights from ${WEIGHTS_URL}: sha256 $(sha256sum "$dir/model.weights" | cut -d' ' -f1) is not the pinned ${WEIGHTS_SHA256} (images.models.${model}.weights.sha256)" >&2
  exit 1
fi
echo "${WEIGHTS_SHA256}  model.weights" > "$dir/model.weights.sha256"
