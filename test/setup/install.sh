#!/usr/bin/env bash
# The install command: Node.js 22 where the machine has an older one (install-node.sh), edgecall's
# Node.js dependencies exactly as locked (their install scripts denied: package.json allowScripts
# says which and why), then `npm run build`, which compiles the program, the components and the CLI
# into dist/. The test tiers' own tools (OpenSSH, minimap2, PostgreSQL, the Pulumi CLI, ...) are
# installed by `npm test` through test/setup/install-<tier>-tier.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash test/setup/install-node.sh
npm ci --no-audit --no-fund
npm run -s build
