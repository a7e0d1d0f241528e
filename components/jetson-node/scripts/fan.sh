#!/usr/bin/env bash
# Sets the fan (EDGECALL_FAN: auto, max or a PWM value 0..255) through the pwm-fan driver's
# target_pwm. The value found before the first change is stored; auto and delete put it back.

pwm=/sys/devices/pwm-fan/target_pwm
orig_file=$EDGECALL_STATE_DIR/fan.orig

setting=${EDGECALL_FAN:-auto}
[ "$EDGECALL_ACTION" = delete ] && setting=auto

case $setting in
  auto)
    if [ ! -f "$orig_file" ]; then
      unchanged
      exit 0
    fi
    orig=$(cat "$orig_file")
    [ ! -f "$pwm" ] || [ "$(cat "$pwm")" = "$orig" ] || echo "$orig" >"$pwm"
    rm -f "$orig_file"
    forget_state_dir_if_empty
    changed
    exit 0
    ;;
  max) wanted=255 ;;
  *)
    if ! [[ $setting =~ ^[0-9]+$ ]] || [ "$setting" -gt 255 ]; then
      fail "EDGECALL_FAN '$setting' must be auto, max or a PWM value 0..255 (power.fan)"
    fi
    wanted=$((10#$setting))
    ;;
esac

[ -f "$pwm" ] || fail "this board has no PWM fan control ($pwm not found): set power.fan to auto for it"
current=$(cat "$pwm")
if [ "$current" = "$wanted" ]; then
  unchanged
  exit 0
fi
if [ ! -f "$orig_file" ]; then
  state_dir
  echo "$current" >"$orig_file"
fi
echo "$wanted" >"$pwm" || fail "cannot write $pwm; check the pwm-fan driver"
changed
