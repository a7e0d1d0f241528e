#!/usr/bin/env bash
# What the e2e tier needs: the scripts tier's tools (simulated boards over SSH), the unit tier's
# kubeconform (rendered manifests are schema-checked), the benchmarks tier's minimap2 (the
# real-cluster rehearsal evaluates a Job's calls again), the real Pulumi toolchain
# (install-pulumi-toolchain.sh), and for the real cluster on the simulated boards: upstream
# Kubernetes' components and containerd, runc, etcd and the CNI plugins from Debian, the multi-call
# Kubernetes binary (test/sim/kube/build.sh) and the cluster's images (test/sim/cluster-images and
# test/sim/images), each built from the registries and cached by content. Idempotent; a warm run
# builds nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=/dev/null # checked on its own
. test/setup/lib/apt.sh

bash test/setup/install-scripts-tier.sh
bash test/setup/install-unit-tier.sh
bash test/setup/install-benchmarks-tier.sh
bash test/setup/install-pulumi-toolchain.sh

# No daemon of these packages may start here: the simulated boards run their own (apt.sh's
# policy-rc.d sees to it).
apt_install containerd runc etcd-server containernetworking-plugins iptables conntrack socat buildah skopeo debootstrap curl openssl \
  xz-utils libcap2-bin

echo "install-e2e-tier: the multi-call Kubernetes binary (a cold build takes several minutes)"
bash test/sim/kube/build.sh >/dev/null
echo "install-e2e-tier: the cluster's images"
# The tools image holds the compiled CLI (test/helpers/build.ts takes the same lock).
flock dist.lock npm run -s build
bash test/sim/cluster-images/build.sh >/dev/null
bash test/sim/images/build-images.sh >/dev/null
echo "install-e2e-tier: ready"
