#!/usr/bin/env bash
# Pins the clocks at their maximum with jetson_clocks (EDGECALL_JETSON_CLOCKS=on) after storing the
# clock settings found before; off and delete restore them from that file. Check looks at the
# limits in effect: pinned means every CPU's and the GPU's minimum frequency equals its maximum.

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

# Succeeds when the CPU and GPU frequency floors are at their ceilings, as jetson_clocks leaves them.
# The GPU's devfreq node is named after the SoC (gpu.0 on a Nano, 17000000.ga10b on an Orin, ...).
clocks_pinned() {
  local min max seen=false
  for min in /sys/devices/system/cpu/cpu*/cpufreq/scaling_min_freq /sys/devices/gpu.0/devfreq/min_freq \
    /sys/devices/gpu.0/devfreq/*/min_freq /sys/devices/*.gv11b/devfreq/*/min_freq /sys/devices/platform/*.ga10b/devfreq/*/min_freq; do
    [ -f "$min" ] || continue
    max=${min%min_freq}max_freq
    [ -f "$max" ] || continue
    seen=true
    [ "$(cat "$min")" = "$(cat "$max")" ] || return 1
  done
  $seen
}

setting=${EDGECALL_JETSON_CLOCKS:-off}
[ "$EDGECALL_ACTION" = delete ] && setting=off
if [ "$EDGECALL_ACTION" = check ]; then
  case $setting in
    on) if [ -f "$stored" ] && clocks_pinned; then in_sync; else drifted; fi ;;
    *) if [ -f "$stored" ]; then drifted; else in_sync; fi ;;
  esac
  exit 0
fi
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
