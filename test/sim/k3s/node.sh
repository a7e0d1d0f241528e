#!/usr/bin/env bash
# What every node of the stand-in runs, server and agents alike, as K3s's agent does: containerd
# (its config written from K3s's registries.yaml, with an `nvidia` runtime that is runc here) on
# the store the board holds the simulated cluster's images in (sim-board.sh copies it there), the
# bridge CNI network of the board, a kubelet that joins with a bootstrap token derived from K3s's
# join token, and kube-proxy.
# Sourced by launcher.sh after lib.sh.

# The bootstrap token (id.secret, as Kubernetes wants it) that K3s's token stands for here: the
# server creates it, and every node derives the same one from the token in its config.yaml.
bootstrap_token() {
  local hex
  hex=$(printf '%s' "${TOKEN:?}" | sha256sum | cut -c 1-22)
  echo "${hex:0:6}.${hex:6:16}"
}

# registries.yaml's mirrors as containerd's (the format the registry-mirror step writes).
registry_mirrors() {
  [ -f "$REGISTRIES_FILE" ] || return 0
  python3 - "$REGISTRIES_FILE" <<'PY'
import re, sys
host = None
for line in open(sys.argv[1], encoding="utf-8"):
    match = re.match(r'^  "?([^":]+:?[0-9]*)"?:\s*$', line)
    if match:
        host = match.group(1)
        continue
    match = re.match(r'^\s+- "?([^"]+)"?\s*$', line)
    if match and host:
        print('    [plugins."io.containerd.grpc.v1.cri".registry.mirrors."{}"]'.format(host))
        print('      endpoint = ["{}"]'.format(match.group(1)))
PY
}

write_containerd_config() {
  mkdir -p "$(dirname "$CONTAINERD_CONFIG")"
  cat >"$CONTAINERD_CONFIG" <<EOF
# Written by the K3s stand-in of simulated boards at each start.
version = 2
root = "$CONTAINERD_ROOT"
state = "$CONTAINERD_STATE"
[grpc]
  address = "$CONTAINERD_SOCK"
# Under K3s's directory rather than /opt/containerd, so that K3s's uninstall removes it.
[plugins."io.containerd.internal.v1.opt"]
  path = "$AGENT_DIR/containerd-opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.k8s.io/pause:3.9"
  # Processes here lack CAP_SYS_RESOURCE, even as root: runc could not raise oom_score_adj.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$LAUNCHER_DIR/runc-sim"
    # The runtime edgecall's RuntimeClass names: on a Jetson the NVIDIA runtime, here runc.
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.nvidia]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.nvidia.options]
        BinaryName = "$LAUNCHER_DIR/runc-sim"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$CNI_CONF_DIR"
  [plugins."io.containerd.grpc.v1.cri".registry]
$(registry_mirrors)
EOF
}

# The board's pod network: a bridge with the board's own /24 of the cluster CIDR. The machine
# running the boards routes each /24 to its board (sim-board.sh), so pods reach each other.
write_cni_config() {
  mkdir -p "$CNI_CONF_DIR" "$CNI_IPAM_DIR"
  cat >"$CNI_CONF_DIR/10-edgecall-sim.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "edgecall-sim",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni0",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$(pod_subnet)" }]],
        "routes": [{ "dst": "0.0.0.0/0" }],
        "dataDir": "$CNI_IPAM_DIR"
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF
}

pod_subnet() { echo "10.42.$BOARD_INDEX.0/24"; }

# containerd's snapshots cannot live on an overlay (the board's root is one): a plain directory
# of the machine running the boards, which holds the images already, is mounted there while K3s
# runs, and outlives an uninstall, as images on a board's disk would.
mount_containerd_root() {
  mkdir -p "$CONTAINERD_ROOT" "$PLAIN_DIR/containerd"
  mountpoint -q "$CONTAINERD_ROOT" || mount --bind "$PLAIN_DIR/containerd" "$CONTAINERD_ROOT"
}

# fetch_ca SERVER_URL: the cluster CA, from the cluster-info ConfigMap that anyone may read (as
# kubeadm's discovery does); K3s would also check it against the hash in its token.
fetch_ca() {
  local info
  info=$(curl -sfk --max-time 5 "$1/api/v1/namespaces/kube-public/configmaps/cluster-info") || return 1
  python3 -c '
import json, re, sys
kubeconfig = json.load(sys.stdin)["data"]["kubeconfig"]
print(re.search(r"certificate-authority-data: (\S+)", kubeconfig).group(1))' <<<"$info"
}

# write_node_kubeconfigs SERVER_URL CA_B64: the kubelet's bootstrap kubeconfig and kube-proxy's.
write_node_kubeconfigs() {
  local server=$1 ca=$2 token name
  token=$(bootstrap_token)
  for name in kubelet-bootstrap kube-proxy; do
    render_kubeconfig "$server" "$ca" "token: $token" >"$AGENT_DIR/$name.kubeconfig"
    chmod 600 "$AGENT_DIR/$name.kubeconfig"
  done
  echo "$ca" | base64 -d >"$AGENT_DIR/client-ca.crt"
}

write_kubelet_config() {
  cat >"$AGENT_DIR/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: cgroupfs
# Each board's kubelet under its own cgroup (sim-board.sh makes it in every hierarchy), or two
# kubelets on one machine would fight over /kubepods.
cgroupRoot: /edgecall-sim/$BOARD_NAME
failSwapOn: false
# A silent node is noticed in about 20 s rather than Kubernetes' 40 (the controller manager's
# --node-monitor-grace-period, server.sh): what the tests check is edgecall's answer to a board
# that stops reporting, not the wait. Status and lease renewals come often enough for that.
nodeStatusUpdateFrequency: 4s
nodeLeaseDurationSeconds: 16
clusterDNS: [$CLUSTER_DNS]
clusterDomain: cluster.local
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: true }
  x509: { clientCAFile: $AGENT_DIR/client-ca.crt }
authorization: { mode: Webhook }
rotateCertificates: true
serializeImagePulls: false
# The machine's disks are shared by every board: eviction would only see their total.
evictionHard: { memory.available: 50Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1% }
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
# Under K3s's directory, which its uninstall removes, rather than /usr/libexec/kubernetes.
volumePluginDir: $AGENT_DIR/kubelet-plugins/volume/exec
EOF
}

# start_node SERVER_URL: containerd, images, kubelet and kube-proxy, under this process.
start_node() {
  local server=$1 ca="" ip
  ip=$(node_ip)
  sysctl -qw net.ipv4.ip_forward=1
  sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || log "net.bridge.bridge-nf-call-iptables is not settable here"
  mkdir -p "$AGENT_DIR" "$LOG_DIR" "$CONTAINERD_STATE"
  mount_containerd_root
  write_containerd_config
  write_cni_config
  start_daemon containerd containerd --config "$CONTAINERD_CONFIG"
  wait_until 60 "containerd answering" /usr/bin/ctr --address "$CONTAINERD_SOCK" version

  wait_until 180 "the K3s server at $server sharing its CA" fetch_ca "$server"
  ca=$(fetch_ca "$server")
  write_node_kubeconfigs "$server" "$ca"
  write_kubelet_config
  local labels=()
  if [ -n "${NODE_LABEL:-}" ]; then labels=(--node-labels="$NODE_LABEL"); fi
  start_daemon kubelet "$KUBE_BIN" kubelet \
    --config="$AGENT_DIR/kubelet.yaml" \
    --bootstrap-kubeconfig="$AGENT_DIR/kubelet-bootstrap.kubeconfig" \
    --kubeconfig="$AGENT_DIR/kubelet.kubeconfig" \
    --cert-dir="$KUBELET_DIR/pki" \
    --root-dir="$KUBELET_DIR" \
    --container-runtime-endpoint="unix://$CONTAINERD_SOCK" \
    --hostname-override="$NODE_NAME" \
    --node-ip="$ip" \
    "${labels[@]}"
  start_daemon kube-proxy "$KUBE_BIN" kube-proxy \
    --kubeconfig="$AGENT_DIR/kube-proxy.kubeconfig" \
    --hostname-override="$NODE_NAME" \
    --cluster-cidr="$CLUSTER_CIDR" \
    --proxy-mode=iptables \
    --conntrack-max-per-core=0 \
    --conntrack-tcp-timeout-established=0 \
    --conntrack-tcp-timeout-close-wait=0 \
    --metrics-bind-address=127.0.0.1:10249 \
    --healthz-bind-address=127.0.0.1:10256
  wait_until 120 "the kubelet joining the cluster" test -s "$KUBELET_DIR/pki/kubelet-client-current.pem"
  wait_until 60 "the kubelet answering" curl -sf --max-time 2 http://127.0.0.1:10248/healthz
}
