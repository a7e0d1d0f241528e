#!/bin/sh
# Stands in for the official K3s installer (https://get.k3s.io) on simulated boards. It honours
# what edgecall sets: INSTALL_K3S_SKIP_DOWNLOAD=true (the binary is already /usr/local/bin/k3s),
# INSTALL_K3S_EXEC (server|agent, then flags), INSTALL_K3S_VERSION. Like the real one it writes the
# systemd unit, the kubectl/crictl/ctr links, k3s-killall.sh and the uninstall script, enables and
# (re)starts the service, which (the emulated systemctl waiting for it, as for K3s's Type=notify
# unit) is ready when this returns; the server has then written its kubeconfig.
set -eu

fail() {
  echo "[ERROR]  $*" >&2
  exit 1
}

[ "$(id -u)" = 0 ] || fail "You need to be root to perform this install"
[ "${INSTALL_K3S_SKIP_DOWNLOAD:-}" = true ] || fail "Can not download k3s: this simulated board has no internet (set INSTALL_K3S_SKIP_DOWNLOAD=true)"
[ -x /usr/local/bin/k3s ] || fail "/usr/local/bin/k3s is missing; copy the air-gap binary there before installing"

exec_args=${INSTALL_K3S_EXEC:-}
command=${exec_args%% *}
case $command in
  server) service=k3s uninstall=k3s-uninstall.sh ;;
  agent) service=k3s-agent uninstall=k3s-agent-uninstall.sh ;;
  "")
    if [ -n "${K3S_URL:-}" ]; then command=agent service=k3s-agent uninstall=k3s-agent-uninstall.sh; else command=server service=k3s uninstall=k3s-uninstall.sh; fi
    ;;
  *) fail "Unknown command $command in INSTALL_K3S_EXEC" ;;
esac
echo "[INFO]  Skipping k3s download and verify"
echo "[INFO]  Installing k3s ${INSTALL_K3S_VERSION:-} as $command"

for link in kubectl crictl ctr; do
  [ -e "/usr/local/bin/$link" ] || ln -s k3s "/usr/local/bin/$link"
done

cat >/usr/local/bin/k3s-killall.sh <<'KILLALL'
#!/bin/sh
for service in k3s k3s-agent; do systemctl stop "$service" 2>/dev/null || true; done
/usr/local/bin/k3s sim-killall
KILLALL
chmod 755 /usr/local/bin/k3s-killall.sh

cat >"/usr/local/bin/$uninstall" <<UNINSTALL
#!/bin/sh
set -x
[ "\$(id -u)" = 0 ] || exec sudo \$0 \$@
/usr/local/bin/k3s-killall.sh
systemctl disable $service
rm -f /etc/systemd/system/$service.service /etc/systemd/system/$service.service.env
for link in kubectl crictl ctr; do
  [ "\$(readlink /usr/local/bin/\$link)" = k3s ] && rm -f /usr/local/bin/\$link
done
rm -rf /etc/rancher/k3s /etc/rancher/node /run/k3s /var/lib/rancher/k3s /var/lib/kubelet
rm -f /usr/local/bin/k3s /usr/local/bin/k3s-killall.sh
rm -f /usr/local/bin/$uninstall
UNINSTALL
chmod 755 "/usr/local/bin/$uninstall"

mkdir -p /etc/systemd/system
cat >"/etc/systemd/system/$service.service" <<UNIT
[Unit]
Description=Lightweight Kubernetes (simulated)
[Service]
ExecStart=/usr/local/bin/k3s $exec_args
UNIT
: >"/etc/systemd/system/$service.service.env"
chmod 600 "/etc/systemd/system/$service.service.env"

systemctl daemon-reload
systemctl enable "$service" >/dev/null
systemctl restart "$service"
