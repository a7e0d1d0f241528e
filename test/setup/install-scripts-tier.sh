#!/usr/bin/env bash
# Installs what the scripts test tier needs (simulated Jetson boards reached over real SSH):
# OpenSSH server and client, sudo, iproute2 (ip netns), util-linux (unshare, nsenter, mkswap),
# the ShellCheck linter, python3 (the docker-runtime step edits JSON with it), zstd and procps.
# Idempotent: installs only what is missing. Runs as root (as .ci/run does) or through sudo.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=/dev/null # checked on its own
. test/setup/lib/apt.sh

apt_install openssh-server openssh-client sudo iproute2 util-linux shellcheck python3 zstd procps passwd

# The boards run the host's own tools (their root is an overlay of the host's /).
for tool in ssh sshd ssh-keygen ip nsenter unshare shellcheck sudo python3 mkswap; do
  PATH=$PATH:/usr/sbin:/sbin command -v "$tool" >/dev/null || {
    echo "install-scripts-tier: $tool is still missing after installing its package" >&2
    exit 1
  }
done
echo "install-scripts-tier: ready"
