#!/usr/bin/env bash
# Boots the board without the desktop (EDGECALL_HEADLESS=true: multi-user.target), freeing the
# memory the GUI takes; the default target found before is stored and put back by false/delete.

orig_file=$EDGECALL_STATE_DIR/default-target.orig
headless=${EDGECALL_HEADLESS:-false}
[ "$EDGECALL_ACTION" = delete ] && headless=false

current=$(systemctl get-default 2>/dev/null) || fail "'systemctl get-default' failed; is systemd running on this board?"
case $headless in
  true)
    if [ "$current" = multi-user.target ]; then
      unchanged
      exit 0
    fi
    if [ ! -f "$orig_file" ]; then
      state_dir
      echo "$current" >"$orig_file"
    fi
    systemctl set-default multi-user.target >&2 || fail "'systemctl set-default multi-user.target' failed"
    changed
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
