#!/usr/bin/env bash
# Builds the container images a real Kubernetes cluster needs on these
# machines, where no image registry is reachable:
#   - registry.k8s.io/pause:3.9 (the name containerd and the kubelet use by
#     default): build/pause/linux/pause.c from the k8s.io/kubernetes module,
#     compiled with gcc -Os -static, in a scratch image (as upstream's
#     build/pause/Dockerfile: USER 65535:65535, ENTRYPOINT ["/pause"]);
#   - registry.sim:5000/edgecall/coredns:sim: coredns built from the Go module
#     proxy with `go install`, in a scratch image (as upstream's Dockerfile:
#     cap_net_bind_service file capability, USER 65532:65532 (distroless
#     nonroot), ENTRYPOINT ["/coredns"], ports 53/tcp and 53/udp).
#
# Usage: build.sh [CACHE_DIR]
#   CACHE_DIR defaults to ${EDGECALL_IMAGE_CACHE:-$HOME/.cache/edgecall/images}.
# Each image is a docker-archive CACHE_DIR/<name>-<key>.tar, where key is the
# first 12 hex digits of a sha256 over this script, the version and the
# source file (pause) or binary (coredns); an archive already there is reused.
# The coredns binary is cached in
# ${EDGECALL_KUBE_CACHE:-$HOME/.cache/edgecall/kube}/coredns-<version>/coredns.
# stdout: one line per image, "<reference> <absolute archive path>", ready for
# `ctr -n k8s.io images import`; progress goes to stderr.
set -euo pipefail

KUBE_VERSION=v1.30.14
PAUSE_VERSION=3.9
PAUSE_REF=registry.k8s.io/pause:$PAUSE_VERSION
# Kubernetes 1.30's kubeadm deploys CoreDNS v1.11.1; v1.11.3 is the last
# v1.11 patch release, and builds unchanged with Go 1.26.
COREDNS_VERSION=v1.11.3
COREDNS_REF=registry.sim:5000/edgecall/coredns:sim

# shellcheck source=/dev/null # checked on its own
. "$(dirname "${BASH_SOURCE[0]}")/../../setup/lib/note.sh"

log() { printf 'build.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

self=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
cache=${1:-${EDGECALL_IMAGE_CACHE:-$HOME/.cache/edgecall/images}}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
# docker-archive:PATH:REF splits at the first colon.
[[ $cache != *:* ]] || die "CACHE_DIR must not contain ':': $cache"
kube_cache=${EDGECALL_KUBE_CACHE:-$HOME/.cache/edgecall/kube}
mkdir -p "$kube_cache"
kube_cache=$(cd "$kube_cache" && pwd)

# The caller's Go settings must not leak in (a go.work, a vendor mode, a
# toolchain download).
export GOTOOLCHAIN=local GOWORK=off GOFLAGS=

script_sha=$(sha256sum "$self" | cut -d' ' -f1)
sha_of() { sha256sum "$1" | cut -d' ' -f1; }
key_of() { printf '%s\n' "$script_sha" "$@" | sha256sum | cut -c1-12; }

work=$(mktemp -d "${TMPDIR:-/tmp}/edgecall-cluster-images.XXXXXX")
tmps=()
cleanup() {
  rm -rf "$work"
  if ((${#tmps[@]})); then rm -f "${tmps[@]}"; fi
}
trap cleanup EXIT

# buildah with a private, throw-away store (vfs: nothing mounted), so the
# host's containers-storage is neither read nor changed.
bah() {
  buildah --root "$work/storage" --runroot "$work/run" --storage-driver vfs "$@"
}

# image REF OUT FILE DEST USER [buildah config args...]: a scratch image
# holding FILE at DEST, written as a docker-archive to OUT.
image() {
  local ref=$1 out=$2 file=$3 dest=$4 user=$5 ctr tmp
  shift 5
  command -v buildah >/dev/null || die "buildah not found (apt-get install buildah)"
  tmp="$out.$$.tmp"
  tmps+=("$tmp")
  rm -f "$tmp"
  ctr=$(bah from --quiet scratch)
  bah copy --quiet "$ctr" "$file" "$dest" >/dev/null
  bah config --os linux --arch amd64 --user "$user" \
    --entrypoint "[\"$dest\"]" --created-by "edgecall test/sim/cluster-images/build.sh" \
    "$@" "$ctr"
  # A fixed timestamp keeps the image ID a function of the content.
  bah commit --quiet --rm --timestamp 0 "$ctr" "docker-archive:$tmp:$ref" >/dev/null
  mv -f "$tmp" "$out"
  log "wrote $out ($(du -h "$out" | cut -f1))"
}

# --- pause -------------------------------------------------------------------

build_pause() {
  local kdir src key out bin pid
  log "locating k8s.io/kubernetes@$KUBE_VERSION"
  kdir=$(cd "$work" && go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  src="$kdir/build/pause/linux/pause.c"
  [[ -f $src ]] || die "no pause.c in k8s.io/kubernetes@$KUBE_VERSION ($src)"
  key=$(key_of "pause $PAUSE_VERSION k8s.io/kubernetes@$KUBE_VERSION" "$(sha_of "$src")")
  out="$cache/pause-$key.tar"
  if [[ -f $out ]]; then
    log "cached: $out"
  else
    command -v gcc >/dev/null || die "gcc not found (apt-get install gcc libc6-dev)"
    bin="$work/pause"
    log "compiling $src"
    setup_note "the pause image"
    # The flags of upstream's build/pause/Makefile.
    gcc -Os -Wall -Werror -static "-DVERSION=v$PAUSE_VERSION-$KUBE_VERSION" -o "$bin" "$src" >&2
    strip "$bin"
    # Smoke test: it reports its version, then runs until signalled.
    "$bin" -v >&2
    "$bin" 2>/dev/null &
    pid=$!
    sleep 0.5
    kill -0 "$pid" 2>/dev/null || die "pause exited on its own"
    kill -TERM "$pid"
    wait "$pid" || true
    image "$PAUSE_REF" "$out" "$bin" /pause 65535:65535
  fi
  printf '%s %s\n' "$PAUSE_REF" "$out"
}

# --- coredns -----------------------------------------------------------------

build_coredns() {
  local bindir bin key out tmp start img_bin version plugins
  bindir="$kube_cache/coredns-$COREDNS_VERSION"
  bin="$bindir/coredns"
  if [[ -x $bin ]]; then
    log "cached: $bin"
  else
    # coredns's go.mod has no replace directives, so `go install module@version`
    # builds it as released (its own go.sum, its go line's GODEBUG defaults).
    log "building coredns $COREDNS_VERSION (several minutes when cold)"
    setup_note "CoreDNS"
    start=$SECONDS
    (cd "$work" && GOBIN="$work/gobin" CGO_ENABLED=0 go install -trimpath \
      -ldflags "-s -w -X github.com/coredns/coredns/coremain.GitCommit=$COREDNS_VERSION" \
      "github.com/coredns/coredns@$COREDNS_VERSION") >&2
    version=$("$work/gobin/coredns" -version)
    grep -qx "CoreDNS-${COREDNS_VERSION#v}" <<<"$version" ||
      die "coredns -version does not report ${COREDNS_VERSION#v}: $version"
    mkdir -p "$bindir"
    tmp="$bindir/.coredns.$$.tmp"
    tmps+=("$tmp")
    cp "$work/gobin/coredns" "$tmp"
    mv -f "$tmp" "$bin"
    log "built $bin in $((SECONDS - start))s ($(du -h "$bin" | cut -f1))"
  fi
  key=$(key_of "coredns $COREDNS_VERSION" "$(sha_of "$bin")")
  out="$cache/coredns-$key.tar"
  if [[ -f $out ]]; then
    log "cached: $out"
  else
    plugins=$("$bin" -plugins)
    grep -qx '  dns.kubernetes' <<<"$plugins" || die "coredns lacks the kubernetes plugin"
    grep -qx '  dns.forward' <<<"$plugins" || die "coredns lacks the forward plugin"
    # As upstream's image: the non-root user may bind port 53.
    img_bin="$work/coredns"
    cp "$bin" "$img_bin"
    command -v setcap >/dev/null || die "setcap not found (apt-get install libcap2-bin)"
    setcap cap_net_bind_service=+ep "$img_bin"
    image "$COREDNS_REF" "$out" "$img_bin" /coredns 65532:65532 --port 53/tcp --port 53/udp
  fi
  printf '%s %s\n' "$COREDNS_REF" "$out"
}

build_pause
build_coredns
