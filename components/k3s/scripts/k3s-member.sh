#!/usr/bin/env bash
# Runs on the K3s server for one agent (EDGECALL_NODE_NAME, at EDGECALL_NODE_HOST). Apply and check
# have nothing to change; delete removes the node from the cluster, which also drops K3s's stored
# node password, so a board that later joins under the same name is accepted.

node=${EDGECALL_NODE_NAME:?EDGECALL_NODE_NAME is not set}
k3s=/usr/local/bin/k3s

case $EDGECALL_ACTION in
  apply) unchanged ;;
  check) in_sync ;;
  delete)
    if [ ! -x "$k3s" ]; then
      # The server itself is gone already: there is no cluster to leave.
      unchanged
      exit 0
    fi
    output=$("$k3s" kubectl delete node "$node" --ignore-not-found 2>&1) ||
      fail "'k3s kubectl delete node $node' failed ($output); remove the node by hand, then retry"
    if [ -n "$output" ]; then
      echo "$output" >&2
      changed
    else
      unchanged
    fi
    ;;
esac
