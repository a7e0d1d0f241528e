#!/usr/bin/env bash
# Shared helpers prepended to every edgecall host step before it is sent to a board.
# A step runs as root with EDGECALL_STEP, EDGECALL_ACTION and EDGECALL_SECRETS_FILE set by wrapper.sh.
set -euo pipefail

# Where steps keep what they need to undo themselves (the power mode found before, the original
# daemon.json, ...). Removed when the last step's delete leaves it empty.
EDGECALL_STATE_DIR=/var/lib/edgecall

# fail MESSAGE: one line on stderr naming the board and the step, then exit non-zero.
fail() {
  echo "edgecall: $(hostname 2>/dev/null || echo unknown-host): ${EDGECALL_STEP:-step}: $*" >&2
  exit 1
}

# secret NAME: the value of a secret passed on stdin (never on a command line).
secret() {
  sed -n "s/^$1=//p" "${EDGECALL_SECRETS_FILE:-/dev/null}" | head -n 1
}

# fact KEY VALUE: a key=value line the Pulumi program reads back from stdout.
fact() {
  printf '%s=%s\n' "$1" "$2"
}

# The last line of every step's stdout says whether it changed the board; tests assert on it.
changed() { echo changed; }
unchanged() { echo unchanged; }

# The last line of a check (EDGECALL_ACTION=check, run on `pulumi refresh`): the board is as apply
# left it, or it drifted (then `pulumi up --refresh` runs apply again). A check changes nothing.
in_sync() { echo in-sync; }
drifted() { echo drifted; }

state_dir() {
  mkdir -p "$EDGECALL_STATE_DIR"
  chmod 700 "$EDGECALL_STATE_DIR"
}

# Removes the state directory once no step keeps anything in it, so a destroyed board has no trace.
forget_state_dir_if_empty() {
  if [ -d "$EDGECALL_STATE_DIR" ] && [ -z "$(ls -A "$EDGECALL_STATE_DIR")" ]; then
    rmdir "$EDGECALL_STATE_DIR"
  fi
}
