#!/usr/bin/env bash
# The real Pulumi toolchain of the e2e tier and `npm run sim:up`: the CLI, the Node.js language host
# and the random and kubernetes plugins (and command, unused since edgecall has its own provider),
# prebuilt in ../shared/toolchain (EDGECALL_TOOLCHAIN_SRC points elsewhere) and installed into
# EDGECALL_TOOLCHAIN_DIR (default ~/.cache/edgecall/toolchain):
#
#   bin/          the binaries, checked against their sha256 by the toolchain's own install.sh
#   cli/          pulumi and pulumi-language-nodejs only: the PATH of the tier, so that the engine
#                 takes the plugins from its plugin cache, at the versions the SDKs ask for, and not
#                 from PATH (which it warns about)
#   pulumi-home/  the PULUMI_HOME of the tier: plugins/resource-<name>-v<version>/
#
# Without the toolchain it says so, naming the path, and exits 0 outside CI (the e2e tier is then
# skipped with the same message); with CI=true it fails. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."

source_dir=${EDGECALL_TOOLCHAIN_SRC:-../shared/toolchain}
cache=${EDGECALL_TOOLCHAIN_DIR:-$HOME/.cache/edgecall/toolchain}

if [ ! -f "$source_dir/install.sh" ] || [ ! -f "$source_dir/VERSIONS" ]; then
  message="install-pulumi-toolchain: no Pulumi toolchain at $source_dir (install.sh and VERSIONS); set EDGECALL_TOOLCHAIN_SRC to its folder"
  if [ "${CI:-}" = true ]; then
    echo "$message" >&2
    exit 1
  fi
  echo "$message; the e2e tier will be skipped and sim:up needs a pulumi CLI of your own"
  exit 0
fi

# shellcheck source=/dev/null # checked on its own
. test/setup/lib/note.sh
[ -x "$cache/bin/pulumi" ] || setup_note "the Pulumi toolchain"
bash "$source_dir/install.sh" "$cache"

version_of() {
  awk -v n="$1" '$1 == n { print $2 }' "$source_dir/VERSIONS"
}

mkdir -p "$cache/cli"
for tool in pulumi pulumi-language-nodejs; do
  ln -sfn "../bin/$tool" "$cache/cli/$tool"
done

plugins="$cache/pulumi-home/plugins"
mkdir -p "$plugins"
for name in random kubernetes; do
  version=$(version_of "pulumi-resource-$name")
  [ -n "$version" ] || { echo "install-pulumi-toolchain: $source_dir/VERSIONS names no version of pulumi-resource-$name" >&2; exit 1; }
  dir="$plugins/resource-$name-v${version#v}"
  mkdir -p "$dir"
  # A hard link: the plugin cache holds the very binary install.sh checked, without a second copy.
  ln -f "$cache/bin/pulumi-resource-$name" "$dir/pulumi-resource-$name"
  touch "$plugins/resource-$name-v${version#v}.lock"
  rm -f "$dir.partial"
done
echo "install-pulumi-toolchain: ready (CLI $(version_of pulumi), plugins in $plugins)"
