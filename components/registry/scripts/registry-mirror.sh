#!/usr/bin/env bash
# Lets the board pull from edgecall's in-cluster registry, which speaks plain HTTP on the server.
# containerd: a registries.yaml mirror for EDGECALL_REGISTRY (K3s reads it at start).
# docker: EDGECALL_REGISTRY in daemon.json's insecure-registries (K3s on Docker pulls through Docker).
# The service that reads the file (k3s, k3s-agent or docker) is restarted only when it changed.
# Delete puts the file back as it was before apply, byte for byte. Check tells whether the board
# still pulls from the registry through the file.
# Environment: EDGECALL_REGISTRY (host:port), EDGECALL_K3S_RUNTIME, EDGECALL_K3S_SERVICE.

registries_yaml=/etc/rancher/k3s/registries.yaml
daemon_json=/etc/docker/daemon.json
marker="# edgecall registry mirror"
orig_copy=$EDGECALL_STATE_DIR/registry-mirror.orig
orig_absent=$EDGECALL_STATE_DIR/registry-mirror.absent
written_sum=$EDGECALL_STATE_DIR/registry-mirror.sha256

case $EDGECALL_REGISTRY in
  *[!A-Za-z0-9.:-]* | "") fail "registry address '$EDGECALL_REGISTRY' must be host:port" ;;
esac

restart_if_active() {
  if systemctl is-active --quiet "$1"; then
    systemctl restart "$1" >&2 || fail "'systemctl restart $1' failed; see 'journalctl -u $1'"
  fi
}

registries_text() {
  printf '%s\nmirrors:\n  "%s":\n    endpoint:\n      - "http://%s"\n' "$marker" "$EDGECALL_REGISTRY" "$EDGECALL_REGISTRY"
}

# daemon.json with the registry in insecure-registries on stdout; nothing when it is there already.
# Exits 3 when the file is not a JSON object (or its insecure-registries not a list).
daemon_with_registry() {
  python3 - "$daemon_json" "$EDGECALL_REGISTRY" <<'PY'
import json, os, sys

path, registry = sys.argv[1], sys.argv[2]
config = {}
if os.path.exists(path):
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        config = json.loads(text) if text.strip() else {}
    except (ValueError, UnicodeDecodeError):
        sys.exit(3)
if not isinstance(config, dict) or not isinstance(config.get("insecure-registries", []), list):
    sys.exit(3)
if registry in config.get("insecure-registries", []):
    sys.exit(0)
config["insecure-registries"] = config.get("insecure-registries", []) + [registry]
sys.stdout.write(json.dumps(config, indent=4) + "\n")
PY
}

# Stores the file as it is before the first change, so delete can put it back.
remember_original() {
  state_dir
  if [ ! -f "$orig_copy" ] && [ ! -f "$orig_absent" ]; then
    if [ -f "$1" ]; then cp -p "$1" "$orig_copy"; else touch "$orig_absent"; fi
  fi
}

replace_file() { # FILE CONTENT
  local next
  mkdir -p "$(dirname "$1")"
  next=$(mktemp "$1.edgecall.XXXXXX")
  printf '%s' "$2" >"$next"
  if [ -f "$1" ]; then chmod --reference="$1" "$next"; else chmod 644 "$next"; fi
  mv "$next" "$1"
  sha256sum "$1" | cut -d' ' -f1 >"$written_sum"
}

apply_containerd() {
  local wanted
  wanted="$(registries_text)"$'\n'
  if [ -f "$registries_yaml" ] && ! head -n 1 "$registries_yaml" | grep -qxF "$marker"; then
    if grep -qF "\"$EDGECALL_REGISTRY\"" "$registries_yaml" || grep -qE "^[[:space:]]*$EDGECALL_REGISTRY:" "$registries_yaml"; then
      unchanged
      return
    fi
    fail "$registries_yaml exists and is not edgecall's: add a mirror \"$EDGECALL_REGISTRY\" with endpoint http://$EDGECALL_REGISTRY to it, or move it away, then retry (nothing was changed)"
  fi
  if [ -f "$registries_yaml" ] && [ "$(cat "$registries_yaml"; echo x)" = "${wanted}x" ]; then
    unchanged
    return
  fi
  remember_original "$registries_yaml"
  replace_file "$registries_yaml" "$wanted"
  restart_if_active "$EDGECALL_K3S_SERVICE"
  changed
}

apply_docker() {
  command -v python3 >/dev/null || fail "python3 not found (JetPack ships it); install python3 to edit $daemon_json"
  local merged status=0
  merged=$(daemon_with_registry) || status=$?
  [ "$status" = 3 ] && fail "$daemon_json is not a JSON object with a list of insecure-registries; fix it, then retry (nothing was changed)"
  [ "$status" = 0 ] || fail "python3 could not read $daemon_json"
  if [ -z "$merged" ]; then
    unchanged
    return
  fi
  remember_original "$daemon_json"
  replace_file "$daemon_json" "$merged"$'\n'
  restart_if_active docker
  changed
}

delete() {
  local file=$registries_yaml service=$EDGECALL_K3S_SERVICE
  if [ "$EDGECALL_K3S_RUNTIME" = docker ]; then file=$daemon_json service=docker; fi
  if [ ! -f "$orig_copy" ] && [ ! -f "$orig_absent" ]; then
    unchanged
    return
  fi
  if [ -f "$file" ] && [ "$(sha256sum "$file" | cut -d' ' -f1)" != "$(cat "$written_sum" 2>/dev/null)" ]; then
    fail "$file changed since edgecall wrote it; remove the $EDGECALL_REGISTRY entry yourself, then delete $orig_copy $orig_absent and retry"
  fi
  if [ -f "$orig_copy" ]; then cp -p "$orig_copy" "$file"; else rm -f "$file"; fi
  rm -f "$orig_copy" "$orig_absent" "$written_sum"
  restart_if_active "$service"
  forget_state_dir_if_empty
  changed
}

check() {
  if [ "$EDGECALL_K3S_RUNTIME" = docker ]; then
    local merged status=0
    merged=$(daemon_with_registry) || status=$?
    if [ "$status" = 0 ] && [ -z "$merged" ]; then in_sync; else drifted; fi
  elif [ -f "$registries_yaml" ] && { [ "$(cat "$registries_yaml"; echo x)" = "$(registries_text)"$'\n'x ] ||
    { ! head -n 1 "$registries_yaml" | grep -qxF "$marker" && grep -qF "\"$EDGECALL_REGISTRY\"" "$registries_yaml"; }; }; then
    in_sync
  else
    drifted
  fi
}

case $EDGECALL_ACTION in
  apply) if [ "$EDGECALL_K3S_RUNTIME" = docker ]; then apply_docker; else apply_containerd; fi ;;
  check) check ;;
  delete) delete ;;
esac
