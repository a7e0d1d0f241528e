#!/usr/bin/env bash
# The K3s stand-in of simulated boards that run a real cluster (see k3s-airgap/k3s): `server`
# and `agent` run upstream Kubernetes (etcd, API server, controller manager, scheduler, kubelet,
# kube-proxy) with containerd, runc and the CNI plugins, configured from K3s's own files
# (/etc/rancher/k3s/config.yaml, registries.yaml) and writing K3s's (k3s.yaml, node-token);
# `killall` is the cleanup K3s's k3s-killall.sh does.
set -euo pipefail

LAUNCHER_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=/dev/null # lib.sh: checked on its own
. "$LAUNCHER_DIR/lib.sh"
# shellcheck source=/dev/null # pki.sh: checked on its own
. "$LAUNCHER_DIR/pki.sh"
# shellcheck source=/dev/null # node.sh: checked on its own
. "$LAUNCHER_DIR/node.sh"
# shellcheck source=/dev/null # server.sh: checked on its own
. "$LAUNCHER_DIR/server.sh"
# shellcheck source=/dev/null # killall.sh: checked on its own
. "$LAUNCHER_DIR/killall.sh"

run_agent() {
  load_cluster_env
  load_k3s_config
  [ -n "${SERVER:-}" ] || die "an agent needs the server's URL (server: in $K3S_CONFIG)"
  start_node "$SERVER"
  notify_ready
  supervise
}

case ${1:-} in
  server) run_server ;;
  agent) run_agent ;;
  killall) killall_board ;;
  *) die "usage: launcher.sh server|agent|killall" ;;
esac
