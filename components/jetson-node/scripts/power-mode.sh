#!/usr/bin/env bash
# Sets the nvpmodel power mode (EDGECALL_NVPMODEL_MODE). The mode found by the first apply is kept
# in the state directory, even when it is already the wanted one, so that delete puts it back and a
# later apply that repairs drift never takes the drifted mode for the original. Check compares the
# mode in effect.

orig_file=$EDGECALL_STATE_DIR/nvpmodel.orig

# Prints "ID NAME" of the current mode. `nvpmodel -q` prints "NV Power Mode: NAME" then the id on
# the next line; JetPack 5/6 may print "NV Fan Mode:..." first.
current_mode() {
  local query name id
  query=$(nvpmodel -q </dev/null 2>/dev/null) || fail "'nvpmodel -q' failed: check the L4T install (nvidia-l4t-tools)"
  name=$(sed -n '/^NV Power Mode: */{s///p;q;}' <<<"$query")
  id=$(grep -m 1 -E '^[0-9]+$' <<<"$query" || true)
  if [ -z "$name" ] || [ -z "$id" ]; then
    fail "cannot read the power mode from 'nvpmodel -q' (got '${query//$'\n'/ | }'); check the L4T install"
  fi
  echo "$id $name"
}

set_mode() {
  local output
  # stdin closed: nvpmodel on JetPack 5/6 may ask whether to reboot; no answer means no reboot.
  if ! output=$(nvpmodel -m "$1" </dev/null 2>&1); then
    fail "'nvpmodel -m $1' failed ($(tail -n 1 <<<"$output")): check that power mode $1 exists for this board (see /etc/nvpmodel.conf) and fix power.nvpmodel"
  fi
  [ -z "$output" ] || echo "$output" >&2
}

read -r mode_id _ < <(current_mode)
case $EDGECALL_ACTION in
  apply)
    wanted=${EDGECALL_NVPMODEL_MODE:?EDGECALL_NVPMODEL_MODE is not set}
    [[ $wanted =~ ^[0-9]+$ ]] || fail "EDGECALL_NVPMODEL_MODE '$wanted' must be a power mode number"
    result=unchanged
    if [ ! -f "$orig_file" ]; then
      state_dir
      echo "$mode_id" >"$orig_file"
      result=changed
    fi
    if [ "$mode_id" != "$wanted" ]; then
      set_mode "$wanted"
      result=changed
    fi
    ;;
  check)
    if [ "$mode_id" = "${EDGECALL_NVPMODEL_MODE:?EDGECALL_NVPMODEL_MODE is not set}" ]; then result=in_sync; else result=drifted; fi
    ;;
  delete)
    result=unchanged
    if [ -f "$orig_file" ]; then
      orig=$(cat "$orig_file")
      [ "$mode_id" = "$orig" ] || set_mode "$orig"
      rm -f "$orig_file"
      forget_state_dir_if_empty
      result=changed
    fi
    ;;
esac

read -r mode_id mode_name < <(current_mode)
fact power_mode_id "$mode_id"
fact power_mode_name "$mode_name"
$result
