#!/usr/bin/env bash
# Runs one edgecall host step as root on a board.
#
# Arguments: STEP_NAME ACTION SCRIPT_BASE64 [KEY=VALUE ...]
# Standard input: line 1 is the sudo password (empty when none is needed), every further line is
# a NAME=value secret for the step. Secrets travel on stdin and through a mode-600 file because a
# command line is visible to every user of the board (ps, /proc/*/cmdline) and to Pulumi's logs.
set -euo pipefail

step=$1 action=$2 script_b64=$3
shift 3

host=$(hostname 2>/dev/null || echo unknown-host)
fail() {
  echo "edgecall: ${host}: ${step}: $*" >&2
  exit 3
}

script=$(printf '%s' "$script_b64" | base64 -d) || fail "the step's script could not be decoded"

secrets_file=$(mktemp /tmp/edgecall-secrets.XXXXXX)
chmod 600 "$secrets_file"
trap 'rm -f "$secrets_file"' EXIT

password=""
if IFS= read -r password; then
  cat >"$secrets_file"
fi

run_as_root() {
  env "$@" EDGECALL_STEP="$step" EDGECALL_ACTION="$action" EDGECALL_SECRETS_FILE="$secrets_file" \
    bash -c "$script" "edgecall-$step" "$action"
}

if [ "$(id -u)" = 0 ]; then
  run_as_root "$@"
  exit $?
fi

command -v sudo >/dev/null 2>&1 || fail "user $(id -un) is not root and sudo is not installed; install sudo or connect as root (nodes[].user)"

if [ -z "$password" ]; then
  sudo -n true 2>/dev/null ||
    fail "sudo asks user $(id -un) for a password; set one with 'pulumi config set --secret --path edgecall:ssh.sudoPassword' or allow NOPASSWD for this user"
  sudo -n env "$@" EDGECALL_STEP="$step" EDGECALL_ACTION="$action" EDGECALL_SECRETS_FILE="$secrets_file" \
    bash -c "$script" "edgecall-$step" "$action"
  exit $?
fi

# One sudo per step, not a check first: sudo's password hash is slow on purpose and would be paid
# twice. -k ignores any cached credential, so a wrong password is always caught. Exit status 1 is
# then sudo's own (a refused password, a user not in sudoers), because the step's own status 1 is
# carried out as 90 and turned back here. stderr waits in a file so that a refusal reads as one line.
errors=$(mktemp /tmp/edgecall-stderr.XXXXXX)
trap 'rm -f "$secrets_file" "$errors"' EXIT
# shellcheck disable=SC2016 # expanded by the root shell
as_root='script=$1; shift; status=0; bash -c "$script" "$@" || status=$?; [ "$status" != 1 ] || status=90; exit "$status"'
status=0
printf '%s\n' "$password" | sudo -S -k -p '' env "$@" EDGECALL_STEP="$step" EDGECALL_ACTION="$action" \
  EDGECALL_SECRETS_FILE="$secrets_file" bash -c "$as_root" edgecall-root "$script" "edgecall-$step" "$action" 2>"$errors" || status=$?
if [ "$status" = 1 ]; then
  if grep -qE 'incorrect password|no password was provided|Sorry, try again' "$errors"; then
    fail "sudo refused the password of user $(id -un); check ssh.sudoPassword (set it with 'pulumi config set --secret --path edgecall:ssh.sudoPassword')"
  fi
  fail "sudo did not run the step as root ($(tail -n 1 "$errors")); check that user $(id -un) may use sudo"
fi
cat "$errors" >&2
[ "$status" != 90 ] || status=1
exit "$status"
