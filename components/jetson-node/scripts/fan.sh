#!/usr/bin/env bash
# Sets the fan (EDGECALL_FAN: auto, max or a PWM value 0..255) through the pwm-fan driver's
# target_pwm. The value found by the first apply is stored (even when it is already the wanted one,
# so that repairing drift never stores the drifted value); auto and delete put it back.
# Check compares the PWM value in effect.

pwm=/sys/devices/pwm-fan/target_pwm
orig_file=$EDGECALL_STATE_DIR/fan.orig

setting=${EDGECALL_FAN:-auto}
[ "$EDGECALL_ACTION" = delete ] && setting=auto

if [ "$EDGECALL_ACTION" = check ]; then
  case $setting in
    auto) wanted="" ;;
    max) wanted=255 ;;
    *) wanted=$((10#$setting)) ;;
  esac
  [ ! -f "$pwm" ] || fact fan_pwm "$(cat "$pwm")"
  if [ -z "$wanted" ]; then
    if [ -f "$orig_file" ]; then drifted; else in_sync; fi
  elif [ -f "$pwm" ] && [ "$(cat "$pwm")" = "$wanted" ]; then
    in_sync
  else
    drifted
  fi
  exit 0
fi

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
result=unchanged
if [ ! -f "$orig_file" ]; then
  state_dir
  echo "$current" >"$orig_file"
  result=changed
fi
if [ "$current" != "$wanted" ]; then
  echo "$wanted" >"$pwm" || fail "cannot write $pwm; check the pwm-fan driver"
  result=changed
fi
$result
