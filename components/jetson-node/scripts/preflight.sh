#!/usr/bin/env bash
# Read-only checks before edgecall changes a board: it is a Jetson of the configured kind, on a
# supported L4T release, with enough free disk and the GPU driver's device nodes. Prints what it
# found as facts. Where edgecall installs K3s, it also refuses a board that holds a cluster's state
# edgecall did not put there: K3s's uninstall, on `pulumi destroy`, would delete it. Env:
# EDGECALL_BOARD (nano|xavier|orin), EDGECALL_L4T_ALLOWED (release prefixes, e.g. "R32.6 R32.7"),
# EDGECALL_MIN_FREE_MB, EDGECALL_INSTALLS_K3S (true|false).

board=${EDGECALL_BOARD:?EDGECALL_BOARD is not set}
allowed=${EDGECALL_L4T_ALLOWED:?EDGECALL_L4T_ALLOWED is not set}
min_free_mb=${EDGECALL_MIN_FREE_MB:?EDGECALL_MIN_FREE_MB is not set}
installs_k3s=${EDGECALL_INSTALLS_K3S:-true}

if [ "$EDGECALL_ACTION" = delete ]; then
  unchanged
  exit 0
fi

release_file=/etc/nv_tegra_release
[ -f "$release_file" ] ||
  fail "$release_file not found: this host is not an NVIDIA Jetson running L4T; check nodes[].host"

# "# R32 (release), REVISION: 7.1, GCID: ..." -> R32.7.1
first_line=$(head -n 1 "$release_file")
if [[ $first_line =~ ^#\ R([0-9]+)\ \(release\),\ REVISION:\ ([0-9]+(\.[0-9]+)*) ]]; then
  l4t="R${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
else
  fail "cannot read the L4T release from the first line of $release_file ('$first_line'); reflash JetPack or check the file"
fi

jetpack_for() {
  case $1 in
    R32*) echo "JetPack 4.6.x" ;;
    R35*) echo "JetPack 5.1.x" ;;
    R36*) echo "JetPack 6.x" ;;
    *) echo "a JetPack with L4T $1" ;;
  esac
}

# A prefix matches whole release components: R32.7 matches R32.7.1, R3 matches nothing.
release_ok=false
hint="" seen="|"
for prefix in $allowed; do
  if [ "$l4t" = "$prefix" ] || [[ $l4t == "$prefix".* ]]; then release_ok=true; fi
  jetpack=$(jetpack_for "$prefix")
  case $seen in *"|$jetpack|"*) ;; *) seen="$seen$jetpack|" hint="${hint:+$hint or }$jetpack" ;; esac
done
$release_ok ||
  fail "L4T $l4t found in $release_file but a $board board needs ${allowed// / or }: reflash $hint or fix nodes[].board"

model_file=/proc/device-tree/model
[ -f "$model_file" ] || model_file=/sys/firmware/devicetree/base/model
[ -f "$model_file" ] || fail "no board model in /proc/device-tree/model or /sys/firmware/devicetree/base/model; check the L4T install"
model=$(tr -d '\0' <"$model_file")
case $board in
  nano) expected="Jetson Nano" ;;
  xavier) expected="Xavier" ;;
  orin) expected="Orin" ;;
  *) fail "EDGECALL_BOARD '$board' must be nano, xavier or orin" ;;
esac
[[ $model == *"$expected"* ]] ||
  fail "board model '$model' (from $model_file) is not a $board board (expected '$expected' in it): fix nodes[].board"

# Free space on / in MB, from the file system's own counts (works without /etc/mtab).
read -r free_blocks block_size < <(stat -f -c '%a %S' /)
free_mb=$((free_blocks * block_size / 1048576))
[ "$free_mb" -ge "$min_free_mb" ] ||
  fail "only ${free_mb} MB free on / but at least ${min_free_mb} MB are needed: free disk space or lower the minimum"

gpu_nodes="/dev/nvhost-gpu /dev/nvhost-ctrl-gpu /dev/nvgpu/igpu0/ctrl"
gpu_found=false
for node in $gpu_nodes; do
  [ -e "$node" ] && gpu_found=true
done
$gpu_found || fail "no GPU device node found (looked for ${gpu_nodes// /, }): check the L4T install / nvgpu driver"

command -v nvpmodel >/dev/null || fail "nvpmodel not found: check the L4T install (package nvidia-l4t-tools)"
# `nvpmodel -q` prints "NV Power Mode: NAME" then the mode id (JetPack 5/6 may print a fan line first).
query=$(nvpmodel -q </dev/null 2>/dev/null) || fail "'nvpmodel -q' failed: check the L4T install"
power_mode_name=$(sed -n '/^NV Power Mode: */{s///p;q;}' <<<"$query")
power_mode_id=$(grep -m 1 -E '^[0-9]+$' <<<"$query" || true)
if [ -z "$power_mode_name" ] || [ -z "$power_mode_id" ]; then
  fail "cannot read the power mode from 'nvpmodel -q' (got '${query//$'\n'/ | }'); check the L4T install"
fi

# What K3s's uninstall scripts remove, and the scripts themselves. A config.yaml that edgecall's
# k3s-install step wrote (its first line says so) means the state is edgecall's own, from an
# earlier up.
k3s_config_head=$(head -n 1 /etc/rancher/k3s/config.yaml 2>/dev/null || true)
if [ "$installs_k3s" = true ] && [[ $k3s_config_head != "# Written by edgecall"* ]]; then
  found=""
  for path in /etc/rancher/k3s /var/lib/rancher/k3s /var/lib/kubelet /usr/local/bin/k3s-uninstall.sh /usr/local/bin/k3s-agent-uninstall.sh; do
    [ -e "$path" ] && found="${found:+$found, }$path"
  done
  [ -z "$found" ] ||
    fail "this board already has a cluster that edgecall did not install ($found), which K3s's uninstall would delete on 'pulumi destroy': use that cluster with k3s.existing.kubeconfig, or remove it (or move those paths away) first"
fi

fact l4t "$l4t"
fact model "$model"
fact free_mb "$free_mb"
fact power_mode_id "$power_mode_id"
fact power_mode_name "$power_mode_name"
unchanged
