#!/usr/bin/env bash
# The server's certificates, made once with openssl as K3s makes its own at first start: one CA
# for the cluster (it also signs the kubelets' certificates through CSRs), the API server's
# serving certificate for every name it is reached by, client certificates for the admin, the
# controller manager, the scheduler and the API server's calls to kubelets, and the service
# account signing key. Sourced by server.sh after lib.sh.

# EC keys: as safe as RSA here and much quicker to make on a two-core machine.
new_key() { openssl ecparam -name prime256v1 -genkey -noout -out "$1" 2>/dev/null && chmod 600 "$1"; }

# sign NAME SUBJECT EXTENSIONS: NAME.key and NAME.crt, signed by the cluster CA.
sign() {
  local name=$1 subject=$2 extensions=$3
  new_key "$TLS_DIR/$name.key"
  openssl req -new -key "$TLS_DIR/$name.key" -subj "$subject" -out "$TLS_DIR/$name.csr" 2>/dev/null
  openssl x509 -req -in "$TLS_DIR/$name.csr" -CA "$TLS_DIR/ca.crt" -CAkey "$TLS_DIR/ca.key" -CAcreateserial \
    -days 3650 -sha256 -extfile <(printf '%s\n' "$extensions") -out "$TLS_DIR/$name.crt" 2>/dev/null
  rm -f "$TLS_DIR/$name.csr"
}

client_cert() {
  sign "$1" "$2" $'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth'
}

# kubeconfig_for NAME SERVER: a kubeconfig with NAME's client certificate, trusting the CA.
kubeconfig_for() {
  local name=$1 server=$2
  render_kubeconfig "$server" "$(base64 -w0 "$TLS_DIR/ca.crt")" \
    "client-certificate-data: $(base64 -w0 "$TLS_DIR/$name.crt")" "client-key-data: $(base64 -w0 "$TLS_DIR/$name.key")"
}

# make_pki NODE_IP TLS_SANS (comma-separated): once; a restart keeps the certificates.
make_pki() {
  local ip=$1 sans=$2 alt san
  [ -f "$TLS_DIR/ca.crt" ] && return 0
  mkdir -p "$TLS_DIR" "$SERVER_DIR/cred"
  chmod 700 "$TLS_DIR"
  new_key "$TLS_DIR/ca.key"
  openssl req -x509 -new -key "$TLS_DIR/ca.key" -subj "/CN=k3s-server-ca@edgecall-sim" -days 3650 -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
    -out "$TLS_DIR/ca.crt" 2>/dev/null

  alt="DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost"
  alt+=",IP:127.0.0.1,IP:$API_SERVICE_IP,IP:$ip"
  for san in ${sans//,/ }; do
    if [[ $san =~ ^[0-9.]+$ || $san == *:* ]]; then alt+=",IP:$san"; else alt+=",DNS:$san"; fi
  done
  sign serving-kube-apiserver "/CN=kube-apiserver" \
    $'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName='"$alt"
  client_cert client-admin "/O=system:masters/CN=system:admin"
  client_cert client-controller "/CN=system:kube-controller-manager"
  client_cert client-scheduler "/CN=system:kube-scheduler"
  client_cert client-kube-apiserver "/O=system:masters/CN=system:kube-apiserver"
  new_key "$TLS_DIR/service.key"
  openssl ec -in "$TLS_DIR/service.key" -pubout -out "$TLS_DIR/service.pub" 2>/dev/null

  local local_url=https://127.0.0.1:6443
  kubeconfig_for client-admin "$local_url" >"$SERVER_DIR/cred/admin.kubeconfig"
  kubeconfig_for client-controller "$local_url" >"$SERVER_DIR/cred/controller.kubeconfig"
  kubeconfig_for client-scheduler "$local_url" >"$SERVER_DIR/cred/scheduler.kubeconfig"
  chmod 600 "$SERVER_DIR"/cred/*.kubeconfig
}
