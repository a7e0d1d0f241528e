#!/usr/bin/env bash
# Shared by the K3s stand-in's commands (launcher.sh): where K3s keeps things on a board, the
# board's cluster settings, logging, waiting, and running daemons under supervision.
# shellcheck disable=SC2034 # the paths are used by the files that source this one

# K3s's own layout, so that its uninstall script removes what the stand-in wrote.
K3S_DATA=/var/lib/rancher/k3s
SERVER_DIR=$K3S_DATA/server
TLS_DIR=$SERVER_DIR/tls
AGENT_DIR=$K3S_DATA/agent
CONTAINERD_ROOT=$AGENT_DIR/containerd
CONTAINERD_CONFIG=$AGENT_DIR/etc/containerd/config.toml
CNI_CONF_DIR=$AGENT_DIR/etc/cni/net.d
CNI_IPAM_DIR=$AGENT_DIR/cni-ipam
CONTAINERD_STATE=/run/k3s/containerd
CONTAINERD_SOCK=$CONTAINERD_STATE/containerd.sock
KUBELET_DIR=/var/lib/kubelet
K3S_CONFIG=/etc/rancher/k3s/config.yaml
KUBECONFIG_FILE=/etc/rancher/k3s/k3s.yaml
REGISTRIES_FILE=/etc/rancher/k3s/registries.yaml
LOG_DIR=/var/log/edgecall-sim/k3s
# kubectl's discovery cache, kept where K3s's uninstall removes it (not in ~/.kube).
KUBECTL_CACHE=$K3S_DATA/kubectl-cache

# The same networks as K3s's defaults: pods in 10.42.0.0/16 (a /24 per board, by its index),
# services in 10.43.0.0/16, cluster DNS at 10.43.0.10.
CLUSTER_CIDR=10.42.0.0/16
SERVICE_CIDR=10.43.0.0/16
CLUSTER_DNS=10.43.0.10
API_SERVICE_IP=10.43.0.1

# Written by sim-board.sh on boards that run a real cluster: KUBE_BIN (the multi-call upstream
# Kubernetes binary), BOARD_INDEX, BOARD_NAME, PLAIN_DIR (a directory on a file system that is not
# an overlay, holding containerd's store with the cluster's images), LAUNCHER_DIR (the stand-in).
CLUSTER_ENV=/etc/edgecall-sim/cluster

die() {
  echo "k3s (stand-in): $*" >&2
  exit 1
}

log() { echo "$(date '+%H:%M:%S.%3N') $*" >&2; }

load_cluster_env() {
  [ -f "$CLUSTER_ENV" ] || die "this simulated board runs no cluster ($CLUSTER_ENV missing)"
  # shellcheck disable=SC1090 # written by sim-board.sh
  . "$CLUSTER_ENV"
  : "${KUBE_BIN:?}" "${BOARD_INDEX:?}" "${BOARD_NAME:?}" "${PLAIN_DIR:?}"
  [ -x "$KUBE_BIN" ] || die "the Kubernetes binary $KUBE_BIN is missing; build it with test/sim/kube/build.sh"
}

# K3s's config.yaml as shell variables: TOKEN, SERVER, NODE_NAME, NODE_LABEL, TLS_SAN, DOCKER,
# SERVICE_NODE_PORT_RANGE (see config.py).
load_k3s_config() {
  [ -f "$K3S_CONFIG" ] || die "$K3S_CONFIG not found: K3s is configured by edgecall's install step"
  eval "$(python3 "$LAUNCHER_DIR/config.py" "$K3S_CONFIG")"
  : "${TOKEN:?the K3s token is missing from $K3S_CONFIG}"
  NODE_NAME=${NODE_NAME:-$(hostname)}
  if [ "${DOCKER:-}" = true ]; then
    die "K3s's Docker mode (docker: true) has no upstream stand-in here (cri-dockerd is not served by the registries); use k3s.runtime: containerd"
  fi
}

# The board's address: the one on its way out, as the kubelet would pick it.
node_ip() { ip -4 -o route get 1.1.1.1 | sed -n 's/.* src \([0-9.]*\).*/\1/p'; }

# wait_until SECONDS WHAT COMMAND...: polls every 0.2 s.
wait_until() {
  local seconds=$1 what=$2 deadline
  shift 2
  deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || die "$what did not happen within ${seconds}s (logs in $LOG_DIR)"
    sleep 0.2
  done
}

kube() { "$KUBE_BIN" "$@"; }
kubectl_admin() { "$KUBE_BIN" kubectl --kubeconfig "$SERVER_DIR/cred/admin.kubeconfig" --cache-dir "$KUBECTL_CACHE" "$@"; }

# Daemons started by this process, stopped in reverse order when it is told to stop.
DAEMONS=()
DAEMON_NAMES=()

start_daemon() {
  local name=$1
  shift
  # A start that fails half-way leaves no daemon behind.
  [ ${#DAEMONS[@]} -gt 0 ] || trap stop_daemons EXIT
  mkdir -p "$LOG_DIR"
  "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
  DAEMONS+=("$!")
  DAEMON_NAMES+=("$name")
  log "started $name (pid $!)"
}

stop_daemons() {
  local i
  for ((i = ${#DAEMONS[@]} - 1; i >= 0; i--)); do
    kill -TERM "${DAEMONS[i]}" 2>/dev/null || true
    wait "${DAEMONS[i]}" 2>/dev/null || true
  done
}

# Tells the emulated systemctl the service is up (as sd_notify READY=1 does for K3s's unit).
notify_ready() {
  if [ -n "${EDGECALL_SIM_NOTIFY:-}" ]; then touch "$EDGECALL_SIM_NOTIFY"; fi
  log "ready"
}

# Runs until told to stop, or until a daemon ends, which ends the service (as K3s does).
supervise() {
  trap 'log "stopping"; stop_daemons; exit 0' TERM INT
  local status=0
  wait -n "${DAEMONS[@]}" || status=$?
  log "a daemon ended (status $status); stopping the others"
  stop_daemons
  exit 1
}

# render_kubeconfig SERVER CA_B64 CREDENTIAL...: a kubeconfig whose one cluster, context and user are
# all named default; each CREDENTIAL (`token: T`, `client-key-data: D`) is a line of the user's.
render_kubeconfig() {
  local server=$1 ca=$2 credential
  shift 2
  cat <<EOF
apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: $ca
    server: $server
  name: default
contexts:
- context:
    cluster: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
EOF
  for credential in "$@"; do printf '    %s\n' "$credential"; done
}
