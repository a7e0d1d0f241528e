#!/usr/bin/env bash
# Debian packages for the tiers' setup scripts, which `npm test` runs side by side: one flock
# serialises their apt-get runs (two at once would fail on dpkg's lock), and what another lane
# installed meanwhile is not installed again. No package's daemon is started (policy-rc.d): the
# tests start the daemons they use.
#
#   apt_install PACKAGE...    installs those that dpkg does not list as fully installed; a package
#                             an interrupted apt-get left unpacked but unconfigured counts as
#                             missing, and `dpkg --configure -a` repairs such a state first
#   apt_reinstall PACKAGE...  the same repair, then the packages installed afresh

# shellcheck source=/dev/null # checked on its own
. "$(dirname "${BASH_SOURCE[0]}")/note.sh"

apt_missing() {
  local package
  for package in "$@"; do
    dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -qx "install ok installed" || printf '%s\n' "$package"
  done
}

apt_as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# apt_locked [--reinstall] PACKAGE...: under the lock, repair, then install.
apt_locked() {
  local reinstall=() missing lock_fd made_policy=false status=0
  if [ "${1:-}" = --reinstall ]; then reinstall=(--reinstall); shift; fi
  exec {lock_fd}>"${EDGECALL_APT_LOCK:-/tmp/edgecall-apt.lock}"
  flock "$lock_fd"
  if [ ${#reinstall[@]} -gt 0 ]; then missing=("$@"); else mapfile -t missing < <(apt_missing "$@"); fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "apt: installing ${reinstall[*]} ${missing[*]}" >&2
    setup_note "Debian packages ${missing[*]}"
    if [ -n "$(dpkg --audit 2>/dev/null)" ]; then
      echo "apt: dpkg reports packages left half-installed; running dpkg --configure -a" >&2
      apt_as_root env DEBIAN_FRONTEND=noninteractive dpkg --configure -a >&2 || status=$?
    fi
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' | apt_as_root tee /usr/sbin/policy-rc.d >/dev/null
      apt_as_root chmod 755 /usr/sbin/policy-rc.d
      made_policy=true
    fi
    if [ $status -eq 0 ]; then
      apt_as_root apt-get update -qq >&2 &&
        apt_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${reinstall[@]}" "${missing[@]}" >&2 ||
        status=$?
    fi
    if $made_policy; then apt_as_root rm -f /usr/sbin/policy-rc.d; fi
    [ $status -eq 0 ] || echo "apt: installing ${missing[*]} failed (exit $status)" >&2
  fi
  flock -u "$lock_fd"
  exec {lock_fd}>&-
  return $status
}

apt_install() {
  [ -n "$(apt_missing "$@")" ] || return 0
  apt_locked "$@"
}

apt_reinstall() {
  apt_locked --reinstall "$@"
}
