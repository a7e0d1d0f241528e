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

# -k forgets any cached credential so a wrong password is always caught here, with a clear
# message, before the step changes anything.
printf '%s\n' "$password" | sudo -S -k -p '' true 2>/dev/null ||
  fail "sudo refused the password of user $(id -un); check ssh.sudoPassword (set it with 'pulumi config set --secret --path edgecall:ssh.sudoPassword')"
printf '%s\n' "$password" | sudo -S -p '' env "$@" EDGECALL_STEP="$step" EDGECALL_ACTION="$action" \
  EDGECALL_SECRETS_FILE="$secrets_file" bash -c "$script" "edgecall-$step" "$action"
