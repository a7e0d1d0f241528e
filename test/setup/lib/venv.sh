#!/usr/bin/env bash
# Python environments of the test tiers, cached by content so that a new checkout builds none.
#
#   cached_venv NAME PYTHON REQUIREMENTS IMPORTS [--system-site-packages]
#       prints the directory of a virtual environment under ~/.cache/edgecall/venvs (or
#       $EDGECALL_CACHE_DIR/venvs) with exactly the pinned REQUIREMENTS installed. Its name carries a
#       key over this file, the requirements file and the interpreter (path, version and binary),
#       so a changed pin or interpreter makes a new one. It is reused only if it imports IMPORTS
#       (space-separated modules): an environment whose build was interrupted, or whose system
#       packages broke, is built again rather than trusted because its directory exists.
#   checkout_venv DIR CACHED PYTHON [--system-site-packages]
#       makes DIR (.venv-runner, .venv-models in the checkout) a small environment of this
#       checkout: the cached environment's packages through a .pth file, its console scripts linked,
#       and the checkout's own Python packages installed editable by the cached pip.
# Virtual environments cannot be moved, so each is built where it stays, under a lock.

# shellcheck source=/dev/null # checked on its own
. "$(dirname "${BASH_SOURCE[0]}")/note.sh"

venv_cache_root() { echo "${EDGECALL_CACHE_DIR:-$HOME/.cache/edgecall}/venvs"; }

venv_imports_ok() {
  local python=$1 imports=$2
  [ -x "$python" ] || return 1
  "$python" -c "import ${imports// /, }" >/dev/null 2>&1
}

cached_venv() {
  local name=$1 python=$2 requirements=$3 imports=$4 system_site=${5:-}
  local interpreter key dir lock_fd
  interpreter=$(readlink -f "$(command -v "$python")") || { echo "venv: $python not found" >&2; return 1; }
  key=$({
    sha256sum "${BASH_SOURCE[0]}" "$requirements" "$interpreter" | cut -d' ' -f1
    "$interpreter" -c 'import sys; print(sys.version)'
    echo "$interpreter $system_site"
  } | sha256sum | cut -c1-12)
  dir="$(venv_cache_root)/$name-$key"
  mkdir -p "$(venv_cache_root)"
  exec {lock_fd}>"$dir.lock"
  flock "$lock_fd"
  if ! venv_imports_ok "$dir/bin/python" "$imports"; then
    [ ! -e "$dir" ] || echo "venv: $dir does not import $imports; building it again" >&2
    rm -rf "$dir"
    echo "venv: building $dir from $requirements" >&2
    setup_note "the $name Python environment"
    "$interpreter" -m venv ${system_site:+"$system_site"} "$dir" >&2
    "$dir/bin/pip" install -q --disable-pip-version-check --no-input -r "$requirements" >&2
    venv_imports_ok "$dir/bin/python" "$imports" || {
      echo "venv: $dir was built from $requirements but does not import $imports:" >&2
      "$dir/bin/python" -c "import ${imports// /, }" >&2 || true
      flock -u "$lock_fd"
      return 1
    }
    # Older environments of this name are kept but for the three newest: another checkout may
    # still use one.
    find "$(venv_cache_root)" -mindepth 1 -maxdepth 1 -type d -name "$name-*" -printf '%T@ %p\n' | sort -rn | tail -n +4 |
      cut -d' ' -f2- | while read -r stale; do rm -rf "$stale" "$stale.lock"; done
  fi
  flock -u "$lock_fd"
  exec {lock_fd}>&-
  echo "$dir"
}

checkout_venv() {
  local dir=$1 cached=$2 python=$3 system_site=${4:-} site script
  rm -rf "$dir"
  "$python" -m venv --without-pip ${system_site:+"$system_site"} "$dir"
  site=$("$dir/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  # addsitedir, not a bare path: the cached environment's own .pth files must be read too.
  printf 'import site; site.addsitedir(%s)\n' "'$("$cached/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')'" \
    >"$site/edgecall-cached-venv.pth"
  for script in "$cached"/bin/*; do
    case $(basename "$script") in python* | pip* | activate* | Activate*) continue ;; esac
    ln -sfn "$script" "$dir/bin/$(basename "$script")"
  done
}

# checkout_editable DIR CACHED PACKAGE_DIR...: the checkout's packages, editable, into DIR.
checkout_editable() {
  local dir=$1 cached=$2 args=() package
  shift 2
  for package in "$@"; do args+=(-e "$package"); done
  "$cached/bin/python" -m pip --python "$dir/bin/python" install -q --disable-pip-version-check --no-input \
    --no-deps --no-build-isolation "${args[@]}" >&2
}
