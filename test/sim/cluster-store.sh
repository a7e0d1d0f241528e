#!/usr/bin/env bash
# The images of the simulated cluster, loaded once into a containerd store that every cluster board
# then gets as a copy of hard links (sim-board.sh), instead of each board unpacking every archive
# into a store of its own at each run.
#
#   cluster-store.sh ARCHIVE...   prints the store's directory (its containerd root is DIR/root,
#                                 each image's digest in DIR/digests.tsv)
#
# The store lives under ${EDGECALL_CACHE_DIR:-$HOME/.cache/edgecall}/containerd-store/<key>, where
# <key> is over the archives' names (each name carries its image's content key, see
# build-images.sh) and this script. A store is made afresh (about a minute) by a containerd of its
# own, started here with a private socket and state and no CRI plugin: `ctr images import` loads
# every archive, and a listing of the store must name every image of every archive before it is
# published (renamed into place). Earlier stores are removed. (Starting from a copy of the earlier
# store and importing only the changed archives was tried: containerd's garbage collection of the
# replaced images removed snapshots the next import still counted on.)
#
# Each board gets a copy of hard links (lib/store-copy.sh explains why that is safe).
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
mkdir -p "$partial/root"

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
  log "importing $(basename "$archive")"
  ctr_ images import "$archive" >>"$work/import.log" 2>&1 || { tail -n 20 "$work/import.log" >&2; die "could not import $archive"; }
done
listed=$(ctr_ images ls -q)
for ref in "${wanted[@]}"; do
  grep -qxF "$ref" <<<"$listed" || die "the store does not list $ref after the import"
done
# Each image also under its digest (repository@sha256:...), as a registry pull leaves it, so that the
# sim stack can pin every image by digest (the pod spec's tag@digest resolves to that name) and the
# summaries record the digest. digests.tsv: reference, digest.
: >"$partial/digests.tsv"
for ref in "${wanted[@]}"; do
  digest=$(ctr_ images ls | awk -v ref="$ref" '$1 == ref { print $3 }')
  [[ $digest == sha256:* ]] || die "no digest for $ref in the store's listing"
  ctr_ images tag --force "$ref" "${ref%:*}@$digest" >/dev/null || die "could not name $ref by its digest"
  printf '%s\t%s\n' "$ref" "$digest" >>"$partial/digests.tsv"
done
listed=$(ctr_ images ls -q)
while IFS=$'\t' read -r ref digest; do
  grep -qxF "${ref%:*}@$digest" <<<"$listed" || die "the store does not list ${ref%:*}@$digest after naming it"
done <"$partial/digests.tsv"
kill "$containerd_pid"
wait "$containerd_pid" 2>/dev/null || true
containerd_pid=""

printf '%s\n' "${archives[@]}" >"$partial/complete"
rm -rf "$store"
mv "$partial" "$store"
find "$cache" -mindepth 1 -maxdepth 1 -type d ! -name "$key" ! -name '.partial-*' -exec rm -rf {} +
log "ready: $store"
echo "$store"
