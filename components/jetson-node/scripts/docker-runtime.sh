#!/usr/bin/env bash
# Makes nvidia Docker's default runtime, so containers (and K3s on Docker) see the GPU: merges
# "default-runtime": "nvidia" and runtimes.nvidia.path into /etc/docker/daemon.json, keeping every
# other key. The file found by the first apply (or its absence) is stored, even when it already has
# both settings, so that repairing drift never stores the drifted file; delete restores it
# byte-for-byte.
# Docker is restarted, when it runs, only if the file changed. Check tells whether the file still
# has both settings.

daemon_json=/etc/docker/daemon.json
orig_copy=$EDGECALL_STATE_DIR/daemon.json.orig
orig_absent=$EDGECALL_STATE_DIR/daemon.json.absent
created_dir=$EDGECALL_STATE_DIR/etc-docker.created

command -v python3 >/dev/null || fail "python3 not found (JetPack ships it); install python3 to edit $daemon_json"

restart_docker() {
  if systemctl is-active --quiet docker; then
    systemctl restart docker >&2 || fail "'systemctl restart docker' failed; see 'journalctl -u docker'"
  fi
}

# The merged configuration on stdout, or nothing when the file already has both settings. Exits 3
# when the existing file is not a JSON object.
merged_config() {
  python3 - "$daemon_json" <<'PY'
import json, os, sys

path = sys.argv[1]
config = {}
if os.path.exists(path):
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        config = json.loads(text) if text.strip() else {}
    except (ValueError, UnicodeDecodeError):
        sys.exit(3)
    if not isinstance(config, dict):
        sys.exit(3)
runtimes = config.get("runtimes")
if runtimes is not None and not isinstance(runtimes, dict):
    sys.exit(3)
nvidia = (runtimes or {}).get("nvidia", {})
if not isinstance(nvidia, dict):
    sys.exit(3)
if config.get("default-runtime") == "nvidia" and nvidia.get("path") == "nvidia-container-runtime":
    sys.exit(0)
nvidia["path"] = "nvidia-container-runtime"
nvidia.setdefault("runtimeArgs", [])
config["runtimes"] = dict(runtimes or {}, nvidia=nvidia)
config["default-runtime"] = "nvidia"
sys.stdout.write(json.dumps(config, indent=4) + "\n")
PY
}

apply() {
  local merged status=0
  merged=$(merged_config) || status=$?
  if [ "$status" = 3 ]; then
    fail "$daemon_json is not a valid JSON object; fix or remove it, then retry (nothing was changed)"
  elif [ "$status" != 0 ]; then
    fail "python3 could not read $daemon_json"
  fi
  local recorded=false
  if [ ! -f "$orig_copy" ] && [ ! -f "$orig_absent" ]; then
    state_dir
    if [ -f "$daemon_json" ]; then cp -p "$daemon_json" "$orig_copy"; else touch "$orig_absent"; fi
    recorded=true
  fi
  if [ -z "$merged" ]; then
    if $recorded; then changed; else unchanged; fi
    return
  fi
  if [ ! -d "$(dirname "$daemon_json")" ]; then
    mkdir -p "$(dirname "$daemon_json")"
    touch "$created_dir"
  fi
  local next
  next=$(mktemp "$daemon_json.edgecall.XXXXXX")
  printf '%s\n' "$merged" >"$next"
  if [ -f "$daemon_json" ]; then
    chmod --reference="$daemon_json" "$next"
  else
    chmod 644 "$next"
  fi
  mv "$next" "$daemon_json"
  restart_docker
  changed
}

delete() {
  if [ -f "$orig_copy" ]; then
    if ! cmp -s "$orig_copy" "$daemon_json"; then
      cp -p "$orig_copy" "$daemon_json"
      restart_docker
    fi
    rm -f "$orig_copy"
  elif [ -f "$orig_absent" ]; then
    rm -f "$daemon_json"
    if [ -f "$created_dir" ]; then rmdir "$(dirname "$daemon_json")" 2>/dev/null || true; fi
    restart_docker
    rm -f "$orig_absent"
  else
    unchanged
    return
  fi
  rm -f "$created_dir"
  forget_state_dir_if_empty
  changed
}

check() {
  local merged status=0
  merged=$(merged_config) || status=$?
  if [ "$status" = 0 ] && [ -z "$merged" ]; then in_sync; else drifted; fi
}

case $EDGECALL_ACTION in
  apply) apply ;;
  check) check ;;
  delete) delete ;;
esac
