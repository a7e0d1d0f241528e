#!/usr/bin/env bash
# What the stand-in's `k3s server` runs before the node part: etcd, the API server, the controller
# manager and the scheduler of upstream Kubernetes, then what K3s would deploy on its own: the
# bootstrap token and RBAC through which nodes join, the cluster CA published for them, CoreDNS,
# Traefik's Middleware kind (no Traefik itself) and volumes for the local-path storage class. It
# writes K3s's kubeconfig and node token once the API server is ready. Sourced by launcher.sh.

start_control_plane() {
  local ip=$1
  mkdir -p "$SERVER_DIR/db/etcd" "$LOG_DIR"
  chmod 700 "$SERVER_DIR/db"
  start_daemon etcd etcd \
    --name "$NODE_NAME" \
    --data-dir "$SERVER_DIR/db/etcd" \
    --listen-client-urls http://127.0.0.1:2379 \
    --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 \
    --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster "$NODE_NAME=http://127.0.0.1:2380"
  wait_until 60 "etcd answering" curl -sf --max-time 2 http://127.0.0.1:2379/health

  start_daemon kube-apiserver "$KUBE_BIN" kube-apiserver \
    --etcd-servers=http://127.0.0.1:2379 \
    --bind-address=0.0.0.0 \
    --secure-port=6443 \
    --advertise-address="$ip" \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --service-node-port-range="${SERVICE_NODE_PORT_RANGE:-30000-32767}" \
    --tls-cert-file="$TLS_DIR/serving-kube-apiserver.crt" \
    --tls-private-key-file="$TLS_DIR/serving-kube-apiserver.key" \
    --client-ca-file="$TLS_DIR/ca.crt" \
    --service-account-key-file="$TLS_DIR/service.pub" \
    --service-account-signing-key-file="$TLS_DIR/service.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --authorization-mode=Node,RBAC \
    --enable-admission-plugins=NodeRestriction \
    --enable-bootstrap-token-auth=true \
    --kubelet-client-certificate="$TLS_DIR/client-kube-apiserver.crt" \
    --kubelet-client-key="$TLS_DIR/client-kube-apiserver.key" \
    --kubelet-preferred-address-types=InternalIP \
    --allow-privileged=true \
    --profiling=false
  wait_until 120 "the API server answering" kubectl_admin get --raw /readyz

  start_daemon kube-controller-manager "$KUBE_BIN" kube-controller-manager \
    --kubeconfig="$SERVER_DIR/cred/controller.kubeconfig" \
    --service-account-private-key-file="$TLS_DIR/service.key" \
    --root-ca-file="$TLS_DIR/ca.crt" \
    --cluster-signing-cert-file="$TLS_DIR/ca.crt" \
    --cluster-signing-key-file="$TLS_DIR/ca.key" \
    --controllers='*,bootstrapsigner,tokencleaner' \
    --use-service-account-credentials=true \
    --flex-volume-plugin-dir="$AGENT_DIR/kubelet-plugins/volume/exec" \
    --leader-elect=false \
    --bind-address=127.0.0.1 \
    --profiling=false \
    --node-monitor-period=2s \
    --node-monitor-grace-period=20s
  start_daemon kube-scheduler "$KUBE_BIN" kube-scheduler \
    --kubeconfig="$SERVER_DIR/cred/scheduler.kubeconfig" \
    --leader-elect=false \
    --bind-address=127.0.0.1 \
    --profiling=false
}

apply_bootstrap_objects() {
  local token id secret
  token=$(bootstrap_token)
  id=${token%%.*}
  secret=${token#*.}
  TOKEN_ID=$id TOKEN_SECRET=$secret CA_DATA=$(base64 -w0 "$TLS_DIR/ca.crt") SERVER_NODE=$NODE_NAME \
    python3 "$LAUNCHER_DIR/manifests.py" >"$SERVER_DIR/bootstrap.yaml"
  wait_until 60 "the bootstrap objects applied" kubectl_admin apply -f "$SERVER_DIR/bootstrap.yaml"
}

# K3s's kubeconfig, as K3s writes it: the admin's credentials, the server at 127.0.0.1.
write_kubeconfig() {
  mkdir -p "$(dirname "$KUBECONFIG_FILE")"
  (umask 077 && kubeconfig_for client-admin https://127.0.0.1:6443 >"$KUBECONFIG_FILE.tmp")
  chmod "${WRITE_KUBECONFIG_MODE:-600}" "$KUBECONFIG_FILE.tmp"
  mv "$KUBECONFIG_FILE.tmp" "$KUBECONFIG_FILE"
  (umask 077 && echo "K10$(sha256sum <"$TLS_DIR/ca.crt" | cut -c 1-64)::server:${TOKEN:?}" >"$SERVER_DIR/node-token")
  ln -sfn node-token "$SERVER_DIR/token"
}

run_server() {
  load_cluster_env
  load_k3s_config
  local ip
  ip=$(node_ip)
  make_pki "$ip" "${TLS_SAN:-}"
  start_control_plane "$ip"
  apply_bootstrap_objects
  write_kubeconfig
  start_node https://127.0.0.1:6443
  wait_until 120 "node $NODE_NAME registered" kubectl_admin get node "$NODE_NAME"
  notify_ready
  supervise
}
