#!/usr/bin/env bash
# Prints the K3s server's kubeconfig (base64, one line) as the fact kubeconfig_b64, waiting up to
# EDGECALL_KUBECONFIG_WAIT_S (120) seconds for K3s to write it after a fresh install. Read-only.

kubeconfig=/etc/rancher/k3s/k3s.yaml
wait_s=${EDGECALL_KUBECONFIG_WAIT_S:-120}

if [ "$EDGECALL_ACTION" = delete ]; then
  unchanged
  exit 0
fi

deadline=$((SECONDS + wait_s))
until [ -s "$kubeconfig" ]; do
  [ "$SECONDS" -lt "$deadline" ] ||
    fail "$kubeconfig did not appear within ${wait_s}s: check 'systemctl status k3s' and 'journalctl -u k3s' on this board"
  sleep 2
done

fact kubeconfig_b64 "$(base64 -w0 "$kubeconfig")"
unchanged
