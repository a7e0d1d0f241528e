#!/usr/bin/env bash
# Installs K3s as a server or an agent with the official installer, configured through
# /etc/rancher/k3s/config.yaml (mode 600: it holds the join token, which comes on stdin as the
# secret K3S_TOKEN and never appears on a command line or in output). Air-gap installs take the
# binary, image tarball and install.sh from EDGECALL_K3S_AIRGAP_DIR. A second run with the same
# version and configuration changes nothing, except that it starts K3s if it is stopped. Check
# (refresh) tells whether the version, configuration and running service are still as apply left
# them. Delete runs K3s's own uninstall script and removes whatever else edgecall left.

role=${EDGECALL_K3S_ROLE:?EDGECALL_K3S_ROLE is not set}
version=${EDGECALL_K3S_VERSION:?EDGECALL_K3S_VERSION is not set}
runtime=${EDGECALL_K3S_RUNTIME:-containerd}
source=${EDGECALL_K3S_SOURCE:-online}
airgap_dir=${EDGECALL_K3S_AIRGAP_DIR:-}
server_url=${EDGECALL_K3S_SERVER_URL:-}

config_dir=/etc/rancher/k3s
config=$config_dir/config.yaml
binary=/usr/local/bin/k3s
images_dir=/var/lib/rancher/k3s/agent/images

case $role in
  server) uninstall=/usr/local/bin/k3s-uninstall.sh service=k3s ;;
  agent) uninstall=/usr/local/bin/k3s-agent-uninstall.sh service=k3s-agent ;;
  *) fail "EDGECALL_K3S_ROLE '$role' must be server or agent (nodes[].role)" ;;
esac

# A YAML double-quoted scalar.
yaml_string() {
  local value=${1//\\/\\\\}
  printf '"%s"' "${value//\"/\\\"}"
}

# The config.yaml K3s reads at start, in a fixed order so an unchanged configuration gives the same bytes.
render_config() {
  local token=$1 label san arg key value
  echo "# Written by edgecall (k3s-install); changes are overwritten by the next 'pulumi up'."
  echo "token: $(yaml_string "$token")"
  [ "$role" = agent ] && echo "server: $(yaml_string "$server_url")"
  [ -n "${EDGECALL_NODE_NAME:-}" ] && echo "node-name: $(yaml_string "$EDGECALL_NODE_NAME")"
  if [ -n "${EDGECALL_NODE_LABELS:-}" ]; then
    echo "node-label:"
    for label in $EDGECALL_NODE_LABELS; do echo "  - $(yaml_string "$label")"; done
  fi
  [ "$runtime" = docker ] && echo "docker: true"
  if [ "$role" = server ] && [ -n "${EDGECALL_K3S_TLS_SAN:-}" ]; then
    echo "tls-san:"
    for san in $EDGECALL_K3S_TLS_SAN; do echo "  - $(yaml_string "$san")"; done
  fi
  # Extra arguments are K3s flags: --key=value or --key (a boolean). Each becomes a config key; a
  # flag given twice becomes a list, as K3s accepts for repeatable flags.
  local -A seen=()
  local keys=()
  local -A values=()
  for arg in ${EDGECALL_K3S_EXTRA_ARGS:-}; do
    [[ $arg == --* ]] || fail "K3s extra argument '$arg' must start with -- (k3s.extraArgs)"
    key=${arg#--}
    if [[ $key == *=* ]]; then value=$(yaml_string "${key#*=}") key=${key%%=*}; else value=true; fi
    [[ $key =~ ^[a-z0-9][a-z0-9-]*$ ]] || fail "K3s extra argument '$arg' is not a K3s flag (k3s.extraArgs)"
    if [ -z "${seen[$key]:-}" ]; then keys+=("$key"); seen[$key]=1; values[$key]=$value; else values[$key]+=$'\n'$value; fi
  done
  for key in "${keys[@]}"; do
    if [[ ${values[$key]} == *$'\n'* ]]; then
      echo "$key:"
      while IFS= read -r value; do echo "  - $value"; done <<<"${values[$key]}"
    else
      echo "$key: ${values[$key]}"
    fi
  done
}

installed_version_matches() {
  local reported
  [ -x "$binary" ] && reported=$("$binary" --version 2>/dev/null) || return 1
  # Not a pipeline into head or grep -q: with pipefail, a reader that stops early fails it at random.
  [[ ${reported%%$'\n'*} == "k3s version $version "* ]]
}

write_config() {
  mkdir -p "$config_dir"
  local next
  next=$(umask 077 && mktemp "$config.edgecall.XXXXXX")
  printf '%s\n' "$1" >"$next"
  chmod 600 "$next"
  mv "$next" "$config"
}

# Puts the air-gap binary and images where K3s expects them and checks the binary's version.
place_airgap_files() {
  if [ -z "$airgap_dir" ] || [ ! -d "$airgap_dir" ]; then
    fail "air-gap directory '$airgap_dir' not found on this board; check k3s.airgap (the files are copied there first)"
  fi
  [ -f "$airgap_dir/k3s" ] || fail "$airgap_dir/k3s not found: put the K3s binary for arm64 in k3s.airgap"
  [ -f "$airgap_dir/install.sh" ] || fail "$airgap_dir/install.sh not found: put K3s's install.sh (https://get.k3s.io) in k3s.airgap"
  local images="" candidate
  for candidate in k3s-airgap-images.tar.zst k3s-airgap-images.tar.gz k3s-airgap-images.tar; do
    if [ -f "$airgap_dir/$candidate" ]; then images=$candidate && break; fi
  done
  [ -n "$images" ] || fail "no k3s-airgap-images.tar.zst (or .tar.gz, .tar) in $airgap_dir: add the image tarball to k3s.airgap"
  install -m 755 "$airgap_dir/k3s" "$binary"
  installed_version_matches ||
    fail "the air-gap binary $airgap_dir/k3s is '$("$binary" --version 2>/dev/null | sed -n 1p)', not $version: make k3s.version and the air-gap files agree"
  mkdir -p "$images_dir"
  cmp -s "$airgap_dir/$images" "$images_dir/$images" || install -m 644 "$airgap_dir/$images" "$images_dir/$images"
}

run_installer() {
  local exec_args=$role
  if [ "$source" = airgap ]; then
    place_airgap_files
    INSTALL_K3S_SKIP_DOWNLOAD=true INSTALL_K3S_VERSION=$version INSTALL_K3S_EXEC=$exec_args \
      sh "$airgap_dir/install.sh" </dev/null >&2 || fail "K3s's install.sh failed (see its output above)"
  else
    command -v curl >/dev/null || fail "curl not found: install curl or use k3s.source airgap"
    local installer
    installer=$(curl -sfL https://get.k3s.io) ||
      fail "cannot download https://get.k3s.io: check the board's internet access or use k3s.source airgap"
    INSTALL_K3S_VERSION=$version INSTALL_K3S_EXEC=$exec_args sh -c "$installer" k3s-install </dev/null >&2 ||
      fail "K3s's install.sh failed (see its output above)"
  fi
  installed_version_matches || fail "K3s $version was installed but '$binary --version' does not report it; check the install output"
}

apply() {
  case $runtime in docker | containerd) ;; *) fail "EDGECALL_K3S_RUNTIME '$runtime' must be docker or containerd (k3s.runtime)" ;; esac
  case $source in online | airgap) ;; *) fail "EDGECALL_K3S_SOURCE '$source' must be online or airgap (k3s.source)" ;; esac
  if [ "$role" = agent ] && [ -z "$server_url" ]; then fail "an agent needs EDGECALL_K3S_SERVER_URL (the server's https://HOST:6443)"; fi
  local token wanted
  token=$(secret K3S_TOKEN)
  [ -n "$token" ] || fail "the K3s join token (secret K3S_TOKEN) was not passed on stdin"
  wanted=$(render_config "$token")
  if installed_as "$wanted"; then
    if systemctl is-active --quiet "$service"; then
      unchanged
    else
      systemctl start "$service" >&2 || fail "'systemctl start $service' failed; see 'journalctl -u $service' on this board"
      changed
    fi
    return
  fi
  write_config "$wanted"
  run_installer
  changed
}

# installed_as CONFIG: K3s of the wanted version is installed with exactly this configuration.
installed_as() {
  [ -x "$uninstall" ] && installed_version_matches && [ -f "$config" ] && [ "$(cat "$config")" = "$1" ]
}

check() {
  local token
  token=$(secret K3S_TOKEN)
  [ -n "$token" ] || fail "the K3s join token (secret K3S_TOKEN) was not passed on stdin"
  fact k3s_version "$([ -x "$binary" ] && "$binary" --version 2>/dev/null | sed -n '1s/^k3s version \([^ ]*\).*/\1/p' || echo none)"
  if installed_as "$(render_config "$token")" && systemctl is-active --quiet "$service"; then in_sync; else drifted; fi
}

delete() {
  local result=unchanged
  if [ -x "$uninstall" ]; then
    "$uninstall" </dev/null >/dev/null 2>&1 || fail "$uninstall failed; run it by hand on this board to see why"
    result=changed
  fi
  # What the uninstall script leaves behind: the config and images edgecall placed, and their
  # parent directories once empty.
  local path
  for path in "$config" "$images_dir" "$binary"; do
    if [ -e "$path" ]; then
      rm -rf "$path"
      result=changed
    fi
  done
  for path in "$config_dir" /etc/rancher /var/lib/rancher/k3s/agent /var/lib/rancher/k3s /var/lib/rancher; do
    if [ -d "$path" ] && [ -z "$(ls -A "$path")" ]; then
      rmdir "$path"
      result=changed
    fi
  done
  $result
}

case $EDGECALL_ACTION in
  apply) apply ;;
  check) check ;;
  delete) delete ;;
esac
