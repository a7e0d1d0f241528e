#!/usr/bin/env bash
# What the benchmarks tier needs: minimap2 from Debian (the fixtures' figures come from 2.24) and a
# PostgreSQL server the db tests start and stop themselves (on 127.0.0.1, in a temp dir).
# Also Debian's chromium, which the browser tests drive headless through puppeteer-core (JavaScript
# and network off), with DejaVu fonts so text has the same metrics on every machine; without its
# recommends (udev, mesa, printing, notifications: nothing a headless page needs).
set -euo pipefail
missing=()
command -v minimap2 >/dev/null || missing+=(minimap2)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
browser=()
[ -x /usr/bin/chromium ] || [ -x /usr/bin/chromium-headless-shell ] || browser+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || browser+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ] || [ ${#browser[@]} -gt 0 ]; then
  apt-get update -qq
  [ ${#missing[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  [ ${#browser[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${browser[@]}"
fi
