#!/usr/bin/env bash
# setup_note TEXT: records that the setup had to build or install something, for the table at the
# end of `npm test` (test/run-summary.ts), which calls a run with no note warm.
setup_note() {
  if [ -n "${EDGECALL_SETUP_NOTES:-}" ]; then printf '%s\n' "$*" >>"$EDGECALL_SETUP_NOTES"; fi
}
