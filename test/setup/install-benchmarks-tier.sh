#!/usr/bin/env bash
# What the benchmarks tier needs: minimap2 from Debian (the fixtures' figures come from 2.24) and a
# PostgreSQL server the db tests start and stop themselves (on 127.0.0.1, in a temp dir).
set -euo pipefail
missing=()
command -v minimap2 >/dev/null || missing+=(minimap2)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
