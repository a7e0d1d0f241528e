#!/usr/bin/env bash
# The Python half of `npm run lint`: ruff (ruff.toml) over the runner, the converter and the tests'
# Python, from the runner tier's environment.
set -euo pipefail
cd "$(dirname "$0")/.."
ruff=.venv-runner/bin/ruff
[ -x "$ruff" ] || { echo "lint: $ruff is missing; run test/setup/install-runner-tier.sh first" >&2; exit 1; }
"$ruff" check --no-cache .
