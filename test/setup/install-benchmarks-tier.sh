#!/usr/bin/env bash
# What the benchmarks tier needs: minimap2 from Debian (the fixtures' figures come from 2.24).
set -euo pipefail
missing=()
command -v minimap2 >/dev/null || missing+=(minimap2)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
