#!/usr/bin/env bash
# What the benchmarks tier needs: minimap2 from Debian (the fixtures' figures come from 2.24) and a
# PostgreSQL server the db tests start and stop themselves (on 127.0.0.1, in a temp dir).
# Also Debian's chromium, which the browser tests drive headless through puppeteer-core (JavaScript
# and network off), with DejaVu fonts so text has the same metrics on every machine; without its
# recommends (udev, mesa, printing, notifications: nothing a headless page needs).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=/dev/null # checked on its own
. test/setup/lib/apt.sh

apt_install minimap2 postgresql chromium fonts-dejavu-core
command -v minimap2 >/dev/null || { echo "install-benchmarks-tier: minimap2 is still missing" >&2; exit 1; }
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || { echo "install-benchmarks-tier: PostgreSQL's initdb is still missing" >&2; exit 1; }
