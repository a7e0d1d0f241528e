#!/usr/bin/env bash
# Builds the container images a simulated cluster (linux/amd64, no GPU, no image registry) needs to
# run edgecall's workloads for real, from nothing but the package registries and this repository:
#
#   localhost/edgecall-sim/bookworm:base       debootstrap --variant=minbase bookworm
#   localhost/edgecall-sim/python:3.11         Debian's Python 3.11 (stands in for python:3.11-slim-bookworm)
#   localhost/edgecall-sim/node:22             this machine's Node.js 22 (stands in for node:22-bookworm-slim)
#   registry.sim:5000/edgecall/converter:sim   images/converter/Dockerfile on the Python stand-in
#   registry.sim:5000/edgecall/tools:sim       images/tools/Dockerfile on the Node stand-in
#   registry.sim:5000/edgecall/runner:sim      runner.Containerfile; the same archive also carries the
#                                              tags sacall:sim, catcaller:sim, chiron:sim and rodan:sim
#   registry.sim:5000/edgecall/postgres:sim    postgres/Containerfile (Debian's PostgreSQL 15)
#
# Usage: build-images.sh [CACHE_DIR]   (default ${EDGECALL_IMAGE_CACHE:-$HOME/.cache/edgecall/images})
#
# Each image is CACHE_DIR/<name>-<key>.tar, a docker-archive (`ctr -n k8s.io images import` loads
# it), where <key> is the first 12 hex digits of a sha256 over every input of the image: its
# Containerfile, build arguments, the files it copies, and the key of the image it builds on. An
# archive that exists is not rebuilt. Stdout gets one line per image reference, "<reference>
# <archive>"; progress goes to stderr. Needs root, buildah, skopeo and debootstrap (Debian packages).
#
# buildah works in a storage of its own, in a temporary directory removed at exit (the machine's
# /var/lib/containers is left alone); the image an image builds on is loaded there from its archive.
# RUN steps use chroot isolation and the host's network, so no bridge or firewall rule is made. Where
# the machine reaches the registries through a TLS-intercepting proxy, its CA bundle
# (EDGECALL_BUILD_CA_BUNDLE, default /etc/ssl/certs/ca-certificates.crt) is mounted into the pip and
# npm steps only, and never ends up in an image.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
cache=${1:-${EDGECALL_IMAGE_CACHE:-$HOME/.cache/edgecall/images}}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
ca_bundle=${EDGECALL_BUILD_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
mirror=${EDGECALL_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${EDGECALL_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

SIM=localhost/edgecall-sim
REG=registry.sim:5000/edgecall
BASE_REF=$SIM/bookworm:base
PYTHON_REF=$SIM/python:3.11
NODE_REF=$SIM/node:22
CONVERTER_REF=$REG/converter:sim
TOOLS_REF=$REG/tools:sim
RUNNER_REF=$REG/runner:sim
POSTGRES_REF=$REG/postgres:sim
RUNNER_ALIASES=("$REG/sacall:sim" "$REG/catcaller:sim" "$REG/chiron:sim" "$REG/rodan:sim")

# shellcheck source=/dev/null # checked on its own
. "$(dirname "${BASH_SOURCE[0]}")/../../setup/lib/note.sh"

log() { printf 'build-images: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

for tool in buildah skopeo debootstrap sha256sum tar; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install buildah skopeo debootstrap)"
done
[ "$(id -u)" = 0 ] || die "run as root (debootstrap and buildah's storage need it)"

# --- keys ---------------------------------------------------------------------------------------

sha() { sha256sum | cut -c1-64; }
file_sha() { sha256sum "$1" | cut -c1-64; }
# Mode, path and content of every file under the given paths (relative to DIR), leaving out what the
# project's .dockerignore files leave out of a build context (__pycache__, *.egg-info, *.pyc).
tree_digest() {
  local dir=$1
  shift
  (
    cd "$dir"
    files() {
      find "$@" \( -name __pycache__ -o -name '*.egg-info' \) -prune -o \( -type f -o -type l \) ! -name '*.pyc' -print0 |
        LC_ALL=C sort -z
    }
    files "$@" | xargs -0r stat -c '%a %n'
    files "$@" | xargs -0r sha256sum
  ) | sha
}
key_of() { printf '%s\n' "$@" | sha | cut -c1-12; }

# How the base image is made: everything that goes into it, for its key.
base_recipe="debootstrap --variant=minbase --arch=amd64 bookworm $mirror; security $security_mirror;
sources: bookworm bookworm-updates main, bookworm-security main; slim dpkg excludes; apt docker-clean;
removed: apt lists and caches, logs, resolv.conf, hostname; cmd bash; recipe v1"

node_bin=$(readlink -f "$(command -v node)")
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
[ -f "$npm_dir/package.json" ] || die "npm's installation not found (looked in $npm_dir)"
node_version=$("$node_bin" --version)
case $node_version in v22.*) ;; *) die "this machine's node is $node_version; the tools image needs Node.js 22 (bash test/setup/install.sh brings it)" ;; esac
[ -f "$repo/dist/benchmarks/cli.js" ] || die "$repo/dist/benchmarks/cli.js is missing: run npm run build first"

# What every `buildah bud` here is given (part of each built image's key). Docker format keeps SHELL
# and HEALTHCHECK, which the OCI format drops.
bud_options=(--format docker --isolation chroot --network host --platform linux/amd64 --pull=never --layers=false)

k_base=$(key_of "$base_recipe")
k_python=$(key_of "base $k_base" "bud ${bud_options[*]}" "arg BASE=$BASE_REF" "containerfile $(file_sha "$here/python.Containerfile")")
k_node=$(key_of "base $k_base" "bud ${bud_options[*]}" "arg BASE=$BASE_REF" "containerfile $(file_sha "$here/node.Containerfile")" \
  "node $node_version $(file_sha "$node_bin")" "npm $(tree_digest "$npm_dir" .)")
k_converter=$(key_of "base $k_python" "bud ${bud_options[*]}" "arg BASE=$PYTHON_REF" \
  "dockerfile $(file_sha "$repo/images/converter/Dockerfile")" "dockerignore $(file_sha "$repo/images/.dockerignore")" \
  "copy converter $(tree_digest "$repo/images" converter)")
k_tools=$(key_of "base $k_node" "bud ${bud_options[*]}" "arg BASE=$NODE_REF" \
  "dockerfile $(file_sha "$repo/images/tools/Dockerfile")" "dockerignore $(file_sha "$repo/.dockerignore")" \
  "copy $(tree_digest "$repo" package.json package-lock.json images/tools/runtime-package.js dist/domain dist/benchmarks benchmarks/db/migrations)")
k_runner=$(key_of "base $k_python" "bud ${bud_options[*]}" "arg BASE=$PYTHON_REF" \
  "containerfile $(file_sha "$here/runner.Containerfile")" "dockerignore $(file_sha "$repo/images/.dockerignore")" \
  "copy runner $(tree_digest "$repo/images" runner)" "copy converter $(tree_digest "$repo/images" converter)" \
  "tags $RUNNER_REF ${RUNNER_ALIASES[*]}")
k_postgres=$(key_of "base $k_base" "bud ${bud_options[*]}" "arg BASE=$BASE_REF" "copy $(tree_digest "$here/postgres" .)")

# --- buildah in a storage of its own --------------------------------------------------------------

work=""
cleanup() {
  [ -n "$work" ] || return 0
  bah rm --all >/dev/null 2>&1 || true
  bah rmi --all --force >/dev/null 2>&1 || true
  # Whatever is still mounted under the work directory (nothing, normally), before removing it.
  { grep -F " $work/" /proc/self/mountinfo || true; } | awk '{print $5}' | sort -r | while read -r m; do umount -l "$m" || true; done
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT
bah() { buildah --root "$work/root" --runroot "$work/run" --storage-driver overlay "$@"; }
ensure_work() {
  [ -z "$work" ] || return 0
  work=$(mktemp -d "${TMPDIR:-/tmp}/edgecall-images.XXXXXX")
  mkdir -p "$work/root" "$work/run"
}
# Loads REF into the build storage from ARCHIVE unless it is there.
ensure_image() {
  local ref=$1 archive=$2
  bah inspect --type image "$ref" >/dev/null 2>&1 && return 0
  log "loading $ref from $archive"
  bah pull --quiet "docker-archive:$archive" >/dev/null
  bah inspect --type image "$ref" >/dev/null 2>&1 || die "$archive did not load as $ref"
}
# Writes image REF (and any further tags) from the build storage to ARCHIVE, atomically.
save_image() {
  local ref=$1 archive=$2 tmp extra=()
  shift 2
  for t in "$@"; do extra+=(--additional-tag "$t"); done
  tmp="$archive.partial"
  rm -f "$tmp"
  skopeo copy --quiet "${extra[@]}" "containers-storage:[overlay@$work/root+$work/run]$ref" "docker-archive:$tmp:$ref" >&2
  mv "$tmp" "$archive"
}
# bud with what every build here shares. Arguments: Containerfile, context, REF, then more bud options.
bud() {
  local file=$1 context=$2 ref=$3
  shift 3
  bah bud --quiet "${bud_options[@]}" -f "$file" -t "$ref" "$@" "$context" >&2
}
# Bud options that mount the machine's CA bundle over the image's, for the steps that use TLS.
ca_mounts=()
if [ -s "$ca_bundle" ]; then ca_mounts=(-v "$ca_bundle:/etc/ssl/certs/ca-certificates.crt:ro"); fi

# --- the images ---------------------------------------------------------------------------------

archive_of() { printf '%s/%s-%s.tar' "$cache" "$1" "$2"; }
emit() { printf '%s %s\n' "$1" "$2"; }

# Builds one image with the function BUILDER unless its archive exists; prints its line(s).
# Arguments: name, key, reference, builder, [further tags...]
image() {
  local name=$1 key=$2 ref=$3 builder=$4 archive start
  shift 4
  archive=$(archive_of "$name" "$key")
  if [ -s "$archive" ]; then
    log "$ref: cached ($archive)"
  else
    ensure_work
    start=$SECONDS
    log "$ref: building (key $key)"
    setup_note "image $ref"
    "$builder" "$ref"
    save_image "$ref" "$archive" "$@"
    log "$ref: built in $((SECONDS - start)) s, $(du -m "$archive" | cut -f1) MB"
    # Older archives of this image are stale now.
    find "$cache" -maxdepth 1 -name "$name-*.tar" ! -name "$(basename "$archive")" -delete
  fi
  emit "$ref" "$archive"
  for t in "$@"; do emit "$t" "$archive"; done
}

build_base() {
  local ref=$1 rootfs=$work/rootfs ctr
  log "debootstrap --variant=minbase bookworm (about a minute)"
  nice -n 10 debootstrap --variant=minbase --arch=amd64 bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
  rm -f "$rootfs/etc/apt/sources.list"
  cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security_mirror
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # As the official slim images: no documentation, man pages or translations; apt keeps no caches.
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
  cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/log/apt/* \
    "$rootfs"/var/log/dpkg.log "$rootfs"/var/log/alternatives.log "$rootfs"/var/log/bootstrap.log \
    "$rootfs"/usr/share/doc/*/changelog* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
  mkdir -p "$rootfs/var/lib/apt/lists/partial" "$rootfs/var/cache/apt/archives/partial"
  : >"$rootfs/etc/resolv.conf"
  echo localhost >"$rootfs/etc/hostname"
  tar -C "$rootfs" --numeric-owner --xattrs -cf "$work/rootfs.tar" .
  rm -rf --one-file-system "$rootfs"
  ctr=$(bah from --quiet scratch)
  bah add --quiet "$ctr" "$work/rootfs.tar" / >/dev/null
  bah config --arch amd64 --os linux --cmd /bin/bash \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
  bah commit --quiet --rm "$ctr" "$ref" >/dev/null
  rm -f "$work/rootfs.tar"
}
build_python() {
  ensure_image "$BASE_REF" "$(archive_of bookworm "$k_base")"
  bud "$here/python.Containerfile" "$here" "$1" --build-arg "BASE=$BASE_REF"
}
build_node() {
  local ctx=$work/node-context
  ensure_image "$BASE_REF" "$(archive_of bookworm "$k_base")"
  mkdir -p "$ctx"
  cp "$node_bin" "$ctx/node"
  cp -a "$npm_dir" "$ctx/npm"
  bud "$here/node.Containerfile" "$ctx" "$1" --build-arg "BASE=$BASE_REF"
  rm -rf "$ctx"
}
build_converter() {
  ensure_image "$PYTHON_REF" "$(archive_of python "$k_python")"
  bud "$repo/images/converter/Dockerfile" "$repo/images" "$1" --build-arg "BASE=$PYTHON_REF" "${ca_mounts[@]}"
}
build_tools() {
  local mounts=("${ca_mounts[@]}")
  ensure_image "$NODE_REF" "$(archive_of node "$k_node")"
  # npm does not read the system CA bundle; a global npmrc, mounted for the build only, names it.
  if [ "${#ca_mounts[@]}" -gt 0 ]; then
    printf 'cafile=/etc/ssl/certs/ca-certificates.crt\n' >"$work/npmrc"
    mounts+=(-v "$work/npmrc:/usr/local/etc/npmrc:ro")
  fi
  bud "$repo/images/tools/Dockerfile" "$repo" "$1" --build-arg "BASE=$NODE_REF" "${mounts[@]}"
}
build_runner() {
  ensure_image "$PYTHON_REF" "$(archive_of python "$k_python")"
  bud "$here/runner.Containerfile" "$repo/images" "$1" --build-arg "BASE=$PYTHON_REF" "${ca_mounts[@]}"
}
build_postgres() {
  ensure_image "$BASE_REF" "$(archive_of bookworm "$k_base")"
  bud "$here/postgres/Containerfile" "$here/postgres" "$1" --build-arg "BASE=$BASE_REF"
}

image bookworm "$k_base" "$BASE_REF" build_base
image python "$k_python" "$PYTHON_REF" build_python
image node "$k_node" "$NODE_REF" build_node
image converter "$k_converter" "$CONVERTER_REF" build_converter
image tools "$k_tools" "$TOOLS_REF" build_tools
image runner "$k_runner" "$RUNNER_REF" build_runner "${RUNNER_ALIASES[@]}"
image postgres "$k_postgres" "$POSTGRES_REF" build_postgres
