#!/usr/bin/env bash
# Installs edgecall's Node.js dependencies exactly as locked. The test tiers' own tools (OpenSSH,
# minimap2, PostgreSQL, the Pulumi CLI, ...) are installed by `npm test` through test/setup/install-<tier>-tier.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
npm ci --no-audit --no-fund
