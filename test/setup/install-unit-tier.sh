#!/usr/bin/env bash
# What the unit tier's manifest checks need: kubeconform, built from the Go module proxy, and strict
# JSON schemas of every Kubernetes v1.30 kind, generated from the OpenAPI spec in the
# k8s.io/kubernetes module. Both go to a cache that later runs reuse.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=/dev/null # checked on its own
. test/setup/lib/note.sh

KUBECONFORM_VERSION=v0.7.0
KUBERNETES_VERSION=v1.30.6
cache=${EDGECALL_TOOLCHAIN_DIR:-$HOME/.cache/edgecall/toolchain}
schemas="$cache/k8s-schemas/$KUBERNETES_VERSION"
mkdir -p "$cache/bin"
# The e2e tier's setup runs this one too, beside the unit tier's own run of it.
exec {lock_fd}>"$cache/unit-tier.lock"
flock "$lock_fd"

command -v go >/dev/null || { echo "install-unit-tier: Go is needed to build kubeconform (Debian: apt-get install golang)" >&2; exit 1; }

# `go install` builds report their version as "development", so the built version is kept beside.
if [ ! -x "$cache/bin/kubeconform" ] || [ "$(cat "$cache/bin/kubeconform.version" 2>/dev/null)" != "$KUBECONFORM_VERSION" ]; then
  echo "building kubeconform $KUBECONFORM_VERSION"
  setup_note "kubeconform"
  GOBIN="$cache/bin" go install "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION"
  echo "$KUBECONFORM_VERSION" >"$cache/bin/kubeconform.version"
fi

if [ ! -f "$schemas/deployment_apps_v1.json" ]; then
  echo "generating Kubernetes $KUBERNETES_VERSION schemas"
  setup_note "the Kubernetes schemas"
  module_dir=$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [ -f "$module_dir/api/openapi-spec/swagger.json" ] || { echo "install-unit-tier: no OpenAPI spec in k8s.io/kubernetes@$KUBERNETES_VERSION" >&2; exit 1; }
  tmp="$schemas.tmp"
  rm -rf "$tmp"
  npx tsx test/manifests/generate-schemas.ts "$module_dir/api/openapi-spec/swagger.json" "$tmp"
  rm -rf "$schemas"
  mv "$tmp" "$schemas"
fi
