#!/usr/bin/env bash
# The images of the simulated cluster, loaded once into a containerd store that every cluster board
# then gets as a copy of hard links (sim-board.sh), instead of each board unpacking every archive
# into a store of its own at each run.
#
#   cluster-store.sh ARCHIVE...   prints the store's directory (its containerd root is DIR/root)
#
# The store lives under ${EDGECALL_CACHE_DIR:-$HOME/.cache/edgecall}/containerd-store/<key>, where
# <key> is over the archives' names (each name carries its image's content key, see
# build-images.sh) and this script. A store is made by a containerd of its own, started here with a
# private socket and state and no CRI plugin, from a hard-linked copy of the newest earlier store
# (so an unchanged image's layers are not unpacked again); `ctr images import` then loads what is
# missing, the images of no archive given are removed, and a listing of the store must name every
# image of every archive before it is published (renamed into place). Earlier stores are removed.
#
# What is shared, and why it is safe: content blobs and the unpacked layers of committed snapshots
# are never written after they are made (a container's changes go to a new snapshot, an overlay's
# upper directory), so boards may share their inodes. The metadata databases are written in place,
# so each copy gets its own (copy_store).
set -euo pipefail

die() {
  echo "cluster-store: $*" >&2
  exit 1
}
log() { echo "cluster-store: $*" >&2; }

[ $# -gt 0 ] || die "usage: cluster-store.sh ARCHIVE..."
[ "$(id -u)" = 0 ] || die "needs root (containerd, overlay snapshots)"
if ! command -v containerd >/dev/null || ! command -v ctr >/dev/null; then die "containerd and ctr are missing (apt-get install containerd)"; fi

self=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
cache="${EDGECALL_CACHE_DIR:-$HOME/.cache/edgecall}/containerd-store"
mkdir -p "$cache"

archives=()
for archive in "$@"; do
  [ -f "$archive" ] || die "image archive $archive is missing; build the simulated cluster's images first"
  archives+=("$(readlink -f "$archive")")
done
mapfile -t archives < <(printf '%s\n' "${archives[@]}" | sort -u)
key=$({
  sha256sum "$self" | cut -d' ' -f1
  for archive in "${archives[@]}"; do basename "$archive"; done
} | sha256sum | cut -c1-12)
store="$cache/$key"

# shellcheck source=/dev/null # checked on its own
. "$(dirname "${BASH_SOURCE[0]}")/lib/store-copy.sh"

exec {lock_fd}>"$cache/.lock"
flock "$lock_fd"
if [ -f "$store/complete" ] && [ -d "$store/root" ]; then
  echo "$store"
  exit 0
fi

# shellcheck source=/dev/null # checked on its own
. "$(dirname "${BASH_SOURCE[0]}")/../setup/lib/note.sh"
setup_note "the cluster boards' containerd store"
work=$(mktemp -d "${TMPDIR:-/tmp}/edgecall-store.XXXXXX")
partial="$cache/.partial-$key"
containerd_pid=""
cleanup() {
  if [ -n "$containerd_pid" ]; then
    kill "$containerd_pid" 2>/dev/null || true
    wait "$containerd_pid" 2>/dev/null || true
  fi
  # Whatever containerd left mounted under the partial store, then the store itself.
  { grep -F " $partial/" /proc/self/mountinfo || true; } | awk '{print $5}' | sort -r | while read -r m; do umount -l "$m" || true; done
  rm -rf "$work" "$partial"
}
trap cleanup EXIT

rm -rf "$partial"
earlier=$(find "$cache" -mindepth 2 -maxdepth 2 -name complete -printf '%T@ %h\n' | sort -rn | head -n 1 | cut -d' ' -f2-)
if [ -n "$earlier" ]; then
  log "starting from $earlier"
  copy_store "$earlier/root" "$partial/root"
else
  mkdir -p "$partial/root"
fi

cat >"$work/config.toml" <<EOF
version = 2
root = "$partial/root"
state = "$work/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$work/containerd.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$work/opt"
EOF
containerd --config "$work/config.toml" >"$work/containerd.log" 2>&1 &
containerd_pid=$!
ctr_() { ctr --address "$work/containerd.sock" -n k8s.io "$@"; }
for _ in $(seq 1 300); do
  ctr_ version >/dev/null 2>&1 && break
  kill -0 "$containerd_pid" 2>/dev/null || { tail -n 20 "$work/containerd.log" >&2; die "containerd ended before it answered"; }
  sleep 0.1
done
ctr_ version >/dev/null || die "containerd did not answer within 30 s"

# The references each archive holds (docker-archive manifest.json: RepoTags).
refs_of() {
  tar -xOf "$1" manifest.json | python3 -c 'import json, sys; print("\n".join(t for m in json.load(sys.stdin) for t in (m.get("RepoTags") or [])))'
}
wanted=()
for archive in "${archives[@]}"; do
  mapfile -t refs < <(refs_of "$archive")
  [ ${#refs[@]} -gt 0 ] || die "$archive names no image (manifest.json has no RepoTags)"
  wanted+=("${refs[@]}")
  # An archive's name changes with its image's content, so one the earlier store imported holds
  # the same image; a new one (a changed image under the same tag) is imported over it.
  if [ -n "$earlier" ] && grep -qxF "$archive" "$earlier/complete"; then continue; fi
  log "importing $(basename "$archive")"
  ctr_ images import "$archive" >>"$work/import.log" 2>&1 || { tail -n 20 "$work/import.log" >&2; die "could not import $archive"; }
done
for ref in $(ctr_ images ls -q); do
  printf '%s\n' "${wanted[@]}" | grep -qxF "$ref" || ctr_ images rm --sync "$ref" >/dev/null
done
listed=$(ctr_ images ls -q)
for ref in "${wanted[@]}"; do
  grep -qxF "$ref" <<<"$listed" || die "the store does not list $ref after the import"
done
kill "$containerd_pid"
wait "$containerd_pid" 2>/dev/null || true
containerd_pid=""

printf '%s\n' "${archives[@]}" >"$partial/complete"
rm -rf "$store"
mv "$partial" "$store"
find "$cache" -mindepth 1 -maxdepth 1 -type d ! -name "$key" ! -name '.partial-*' -exec rm -rf {} +
log "ready: $store"
echo "$store"
