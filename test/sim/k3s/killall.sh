#!/usr/bin/env bash
# What K3s's k3s-killall.sh does, for the stand-in: with the service stopped, every container of
# the board is killed (by its cgroups, since containers leave the board's mount namespace), then
# what they left is taken down: mounts under K3s's and the kubelet's directories, pod network
# namespaces, the bridge and its veths, the Kubernetes and CNI iptables chains, the kubepods
# cgroups. The board can then be uninstalled, or K3s started again. Sourced by launcher.sh.

# The board's cgroup in every v1 hierarchy (sim-board.sh made them).
board_cgroups() { for h in /sys/fs/cgroup/*/; do [ -d "$h/edgecall-sim/$BOARD_NAME" ] && echo "$h/edgecall-sim/$BOARD_NAME"; done; }

kill_containers() {
  local group pids round
  for round in 1 2 3; do
    pids=""
    for group in $(board_cgroups); do
      [ -d "$group/kubepods" ] || continue
      pids+=" $(find "$group/kubepods" -name cgroup.procs -exec cat {} + 2>/dev/null | tr '\n' ' ')"
    done
    # containerd's shims sit in the board's own cgroup; they go too.
    pids+=" $(pgrep -f containerd-shim-runc-v2 || true)"
    [ -n "${pids// /}" ] || return 0
    # shellcheck disable=SC2086 # a list of pids
    kill -KILL $pids 2>/dev/null || true
    sleep 0.3
    [ "$round" -lt 3 ] || log "containers still running after three rounds of SIGKILL: $pids"
  done
}

unmount_under() {
  local dir
  for dir in "$@"; do
    # Deepest first.
    awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r target; do
      umount -l "$target" 2>/dev/null || true
    done
  done
}

remove_pod_networks() {
  local ns link
  for ns in $(ip netns list 2>/dev/null | awk '/^cni-/ { print $1 }'); do ip netns delete "$ns" 2>/dev/null || true; done
  for link in $(ip -o link show 2>/dev/null | awk -F': ' '$2 ~ /^(veth|cni0)/ { sub(/@.*/, "", $2); print $2 }'); do
    ip link delete "$link" 2>/dev/null || true
  done
  iptables-save 2>/dev/null | grep -v -E 'KUBE-|CNI-' | iptables-restore 2>/dev/null || true
}

remove_kubepods_cgroups() {
  local group
  for group in $(board_cgroups); do
    [ -d "$group/kubepods" ] || continue
    find "$group/kubepods" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
}

killall_board() {
  load_cluster_env
  kill_containers
  unmount_under /run/k3s "$KUBELET_DIR" "$K3S_DATA" /run/netns
  remove_pod_networks
  remove_kubepods_cgroups
  # The CNI plugins' result cache, as K3s's own killall removes it.
  rm -rf /run/k3s /var/lib/cni
}
