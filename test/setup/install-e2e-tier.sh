#!/usr/bin/env bash
# What the e2e tier needs: the scripts tier's tools (simulated boards over SSH), the unit tier's
# kubeconform (rendered manifests are schema-checked) and the real Pulumi toolchain
# (install-pulumi-toolchain.sh). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash test/setup/install-scripts-tier.sh
bash test/setup/install-unit-tier.sh
bash test/setup/install-pulumi-toolchain.sh
