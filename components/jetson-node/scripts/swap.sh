#!/usr/bin/env bash
# Gives the board a swap file (EDGECALL_SWAP_MB; 0 for none): /edgecall.swap, enabled now and at
# boot through an /etc/fstab line marked as edgecall's. A new size recreates the file. Delete (or 0)
# turns it off and removes the file and the fstab line, leaving the rest of fstab byte-identical.
# Check looks for the file at its size, active, and its fstab line (or for none of them at 0).

swap_file=/edgecall.swap
fstab=/etc/fstab
fstab_line="$swap_file none swap sw 0 0 # edgecall"
# Set when edgecall had to add a final newline to fstab, or create fstab, so delete can undo that.
added_newline=$EDGECALL_STATE_DIR/fstab.added-newline
created_fstab=$EDGECALL_STATE_DIR/fstab.created

size_mb=${EDGECALL_SWAP_MB:-0}
[ "$EDGECALL_ACTION" = delete ] && size_mb=0
[[ $size_mb =~ ^[0-9]+$ ]] || fail "EDGECALL_SWAP_MB '$size_mb' must be a size in MB (power.swapMb); 0 means no swap file"
size_mb=$((10#$size_mb))

# grep without -q reads all its input: with pipefail, an early exit could fail the pipeline.
swap_active() { swapon --show=NAME --noheadings 2>/dev/null | grep -xF "$swap_file" >/dev/null; }
fstab_has_line() { [ -f "$fstab" ] && grep -qxF "$fstab_line" "$fstab"; }

add_fstab_line() {
  if [ ! -f "$fstab" ]; then
    state_dir
    touch "$created_fstab"
    printf '%s\n' "$fstab_line" >"$fstab"
    return
  fi
  if [ -s "$fstab" ] && [ -n "$(tail -c 1 "$fstab")" ]; then
    state_dir
    touch "$added_newline"
    printf '\n' >>"$fstab"
  fi
  printf '%s\n' "$fstab_line" >>"$fstab"
}

remove_fstab_line() {
  if [ -f "$created_fstab" ] && [ "$(cat "$fstab")" = "$fstab_line" ]; then
    rm -f "$fstab"
  elif fstab_has_line; then
    local kept
    kept=$(mktemp "$fstab.edgecall.XXXXXX")
    grep -vxF "$fstab_line" "$fstab" >"$kept" || true
    if [ -f "$added_newline" ]; then truncate -s -1 "$kept"; fi
    # Same owner and mode as before; rename is atomic.
    chmod --reference="$fstab" "$kept"
    chown --reference="$fstab" "$kept"
    mv "$kept" "$fstab"
  fi
  rm -f "$created_fstab" "$added_newline"
}

remove_swap() {
  local result=unchanged
  if swap_active; then
    swapoff "$swap_file" || fail "'swapoff $swap_file' failed (not enough free memory to move its pages back?); free memory and retry"
    result=changed
  fi
  if fstab_has_line || [ -f "$created_fstab" ] || [ -f "$added_newline" ]; then
    remove_fstab_line
    result=changed
  fi
  if [ -e "$swap_file" ]; then
    rm -f "$swap_file"
    result=changed
  fi
  forget_state_dir_if_empty
  $result
}

if [ "$EDGECALL_ACTION" = check ]; then
  if [ "$size_mb" = 0 ]; then
    if swap_active || fstab_has_line || [ -e "$swap_file" ]; then drifted; else in_sync; fi
  elif [ -f "$swap_file" ] && [ "$(stat -c %s "$swap_file")" = "$((size_mb * 1048576))" ] && swap_active && fstab_has_line; then
    in_sync
  else
    drifted
  fi
  exit 0
fi

if [ "$size_mb" = 0 ]; then
  remove_swap
  exit 0
fi

wanted_bytes=$((size_mb * 1048576))
result=unchanged
if [ ! -f "$swap_file" ] || [ "$(stat -c %s "$swap_file")" != "$wanted_bytes" ]; then
  if swap_active; then swapoff "$swap_file" || fail "'swapoff $swap_file' failed; free memory and retry"; fi
  free_mb=$(($(stat -f -c '%a * %S' /) / 1048576))
  [ "$free_mb" -gt "$size_mb" ] || fail "a ${size_mb} MB swap file does not fit in the ${free_mb} MB free on /: lower power.swapMb"
  rm -f "$swap_file"
  # dd, not fallocate: swapon refuses files with holes on some file systems.
  (umask 077 && dd if=/dev/zero of="$swap_file" bs=1M count="$size_mb" status=none) ||
    fail "cannot write $swap_file; check free space on /"
  chmod 600 "$swap_file"
  mkswap "$swap_file" >/dev/null || fail "'mkswap $swap_file' failed"
  result=changed
fi
if ! swap_active; then
  swapon "$swap_file" || fail "'swapon $swap_file' failed; check the kernel log (dmesg)"
  result=changed
fi
if ! fstab_has_line; then
  add_fstab_line
  result=changed
fi
$result
