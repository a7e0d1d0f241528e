#!/usr/bin/env bash
# Boots the board without the desktop (EDGECALL_HEADLESS=true: multi-user.target), freeing the
# memory the GUI takes; the default target found by the first apply is stored (even when it is
# already multi-user.target, so that repairing drift never stores the drifted one) and put back by
# false/delete.
# Check compares the default target in effect.

orig_file=$EDGECALL_STATE_DIR/default-target.orig
headless=${EDGECALL_HEADLESS:-false}
[ "$EDGECALL_ACTION" = delete ] && headless=false

current=$(systemctl get-default 2>/dev/null) || fail "'systemctl get-default' failed; is systemd running on this board?"
if [ "$EDGECALL_ACTION" = check ]; then
  fact default_target "$current"
  case $headless in
    true) if [ "$current" = multi-user.target ]; then in_sync; else drifted; fi ;;
    *) if [ -f "$orig_file" ]; then drifted; else in_sync; fi ;;
  esac
  exit 0
fi
case $headless in
  true)
    result=unchanged
    if [ ! -f "$orig_file" ]; then
      state_dir
      echo "$current" >"$orig_file"
      result=changed
    fi
    if [ "$current" != multi-user.target ]; then
      systemctl set-default multi-user.target >&2 || fail "'systemctl set-default multi-user.target' failed"
      result=changed
    fi
    $result
    ;;
  false)
    if [ ! -f "$orig_file" ]; then
      unchanged
      exit 0
    fi
    orig=$(cat "$orig_file")
    [ "$current" = "$orig" ] || systemctl set-default "$orig" >&2 || fail "'systemctl set-default $orig' failed"
    rm -f "$orig_file"
    forget_state_dir_if_empty
    changed
    ;;
  *) fail "EDGECALL_HEADLESS '$headless' must be true or false (power.headless)" ;;
esac
