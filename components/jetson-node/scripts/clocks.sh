#!/usr/bin/env bash
# Pins the clocks at their maximum with jetson_clocks (EDGECALL_JETSON_CLOCKS=on) after storing the
# clock settings found before; off and delete restore them from that file.

stored=$EDGECALL_STATE_DIR/jetson_clocks.conf
command -v jetson_clocks >/dev/null || fail "jetson_clocks not found: check the L4T install (nvidia-l4t-tools)"

restore() {
  if [ ! -f "$stored" ]; then
    unchanged
    return
  fi
  jetson_clocks --restore "$stored" </dev/null >&2 ||
    fail "'jetson_clocks --restore $stored' failed; check the file, or reboot the board to reset the clocks and remove it"
  rm -f "$stored"
  forget_state_dir_if_empty
  changed
}

setting=${EDGECALL_JETSON_CLOCKS:-off}
[ "$EDGECALL_ACTION" = delete ] && setting=off
case $setting in
  on)
    stored_now=false
    if [ ! -f "$stored" ]; then
      stored_now=true
      state_dir
      jetson_clocks --store "$stored" </dev/null >&2 || fail "'jetson_clocks --store $stored' failed; check the L4T install"
    fi
    # The clocks fall back to their defaults on reboot, so compare what is in effect, not the file.
    before=$(jetson_clocks --show </dev/null 2>&1)
    jetson_clocks </dev/null >&2 || fail "jetson_clocks failed; check the L4T install"
    after=$(jetson_clocks --show </dev/null 2>&1)
    if [ "$before" = "$after" ] && ! $stored_now; then unchanged; else changed; fi
    ;;
  off) restore ;;
  *) fail "EDGECALL_JETSON_CLOCKS '$setting' must be on or off" ;;
esac
