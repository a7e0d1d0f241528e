#!/usr/bin/env bash
# Builds main.go (upstream Kubernetes as one multi-call binary) from the Go
# module proxy, since no registry serves K3s or Kubernetes release binaries.
#
# Usage: build.sh [CACHE_DIR]
#   CACHE_DIR defaults to ${EDGECALL_KUBE_CACHE:-$HOME/.cache/edgecall/kube}.
# The binary lands in CACHE_DIR/<version>-<hash of main.go and build.sh>/kube,
# so an edit to either file builds afresh and an unchanged pair builds once.
# The last line of stdout is the binary's absolute path; progress goes to stderr.
set -euo pipefail

KUBE_VERSION=v1.30.14
# Staging modules (k8s.io/api, client-go, ...) are tagged v0.X.Y for Kubernetes v1.X.Y.
STAGING_VERSION="v0.${KUBE_VERSION#v1.}"

# shellcheck source=/dev/null # checked on its own
. "$(dirname "${BASH_SOURCE[0]}")/../../setup/lib/note.sh"

log() { printf 'build.sh: %s\n' "$*" >&2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${1:-${EDGECALL_KUBE_CACHE:-$HOME/.cache/edgecall/kube}}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)

key=$(cat "$here/main.go" "$here/build.sh" | sha256sum | cut -c1-12)
outdir="$cache/$KUBE_VERSION-$key"
out="$outdir/kube"

if [[ -x $out ]]; then
  log "cached: $out"
  printf '%s\n' "$out"
  exit 0
fi

# The caller's Go settings must not leak in: a go.work above the temp dir, a
# vendor mode, or a toolchain download would each change or break the build.
export GOTOOLCHAIN=local GOWORK=off GOFLAGS=-mod=mod CGO_ENABLED=0

work=$(mktemp -d "${TMPDIR:-/tmp}/edgecall-kube.XXXXXX")
tmp="$outdir/.kube.$$.tmp"
cleanup() { rm -rf "$work"; rm -f "$tmp"; }
trap cleanup EXIT

log "downloading k8s.io/kubernetes@$KUBE_VERSION"
upstream_gomod=$(cd "$work" && go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" |
  sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')
[[ -f $upstream_gomod ]] || { log "no go.mod for k8s.io/kubernetes@$KUBE_VERSION"; exit 1; }

# Upstream's go.mod points every staging module at ./staging/..., which is not
# in the module zip; the wrapper points each at its published version instead.
# Its go line is kept so the binary gets upstream's GODEBUG defaults.
go_line=$(grep -m1 '^go ' "$upstream_gomod")
replaces=$(awk -v v="$STAGING_VERSION" \
  '$2 == "=>" && $3 ~ /^\.\/staging\// { printf "\t%s => %s %s\n", $1, $1, v }' "$upstream_gomod")
[[ -n $replaces ]] || { log "no ./staging replaces found in $upstream_gomod"; exit 1; }
log "replacing $(wc -l <<<"$replaces") staging modules with $STAGING_VERSION"

cat >"$work/go.mod" <<EOF
module edgecall.local/kube

$go_line

require k8s.io/kubernetes $KUBE_VERSION

replace (
$replaces
)
EOF
cp "$here/main.go" "$work/main.go"

# kubectl reports client-go's version and the server components report
# component-base's; upstream stamps both (hack/lib/version.sh).
minor=${KUBE_VERSION#v1.}
minor=${minor%%.*}
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean"
done

mkdir -p "$outdir"
log "building $out (several minutes)"
setup_note "the Kubernetes binary"
start=$SECONDS
(cd "$work" && go build -trimpath -ldflags "$ldflags" -o "$tmp" .) >&2
mv -f "$tmp" "$out"
log "built in $((SECONDS - start))s, $(du -h "$out" | cut -f1)"
printf '%s\n' "$out"
