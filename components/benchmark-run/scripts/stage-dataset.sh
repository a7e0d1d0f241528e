#!/usr/bin/env bash
# Stages a benchmark dataset at $EDGECALL_DATA_ROOT/<dataset id>/ (default /var/lib/edgecall-data),
# where the benchmark pods mount it read-only. The id is the sha256 of the dataset's manifest (TSV:
# file, sha256), which edgecall's provider copies to $EDGECALL_STAGING_DIR/manifest.tsv as the SSH
# user before the step runs. The files come from $EDGECALL_STAGING_DIR/data/<file> (copied there
# the same way from a local directory) or, when
# EDGECALL_DATASET_URL is set, are downloaded from <url>/<file>. Root copies them into a directory
# only root can write, checks every file with sha256sum, and only then renames it into place, so a
# file changed in the user-writable staging directory cannot slip through. It also makes the
# directory where Jobs keep their runs with benchmark.keepRuns ($EDGECALL_DATA_ROOT/runs, writable by
# the Jobs' unprivileged users, sticky). Delete removes the dataset and the kept runs. Check verifies
# the staged files against the manifest again.

data_root=${EDGECALL_DATA_ROOT:-/var/lib/edgecall-data}
dataset_id=${EDGECALL_DATASET_ID:-}
staging=${EDGECALL_STAGING_DIR:-}
url=${EDGECALL_DATASET_URL:-}
manifest_name=.edgecall-manifest.tsv

[[ $dataset_id =~ ^[0-9a-f]{64}$ ]] || fail "EDGECALL_DATASET_ID '$dataset_id' must be the manifest's sha256 (64 hex digits)"
# The staging directory is removed with rm -rf, so it must be the one Pulumi names.
[[ $staging == "${EDGECALL_STAGING_ROOT:-/var/tmp}"/edgecall-staging-* ]] ||
  fail "EDGECALL_STAGING_DIR '$staging' is not an edgecall staging directory"
target=$data_root/$dataset_id
runs=$data_root/runs

# ensure_runs_dir: prints "changed" when it had to make the kept runs' directory.
ensure_runs_dir() {
  if [ ! -d "$runs" ] || [ "$(stat -c %a "$runs")" != 1777 ]; then
    mkdir -p "$runs"
    chmod 1777 "$runs"
    echo changed
  fi
}

# The manifest as `sha256  file` lines for sha256sum -c (its first line may be a header).
checklist() {
  awk -F'\t' '{ sub(/\r$/, "") } NR == 1 && $1 == "file" && $2 == "sha256" { next } NF == 2 { print tolower($2) "  " $1 }' "$1"
}

manifest_files() {
  checklist "$1" | cut -c 67-
}

# verify DIR: succeeds when every manifest file in DIR has its sha256; else prints the first bad file.
verify() {
  local report
  if report=$(cd "$1" && checklist "$manifest_name" | sha256sum -c --quiet --strict - 2>/dev/null); then
    return 0
  fi
  printf '%s\n' "$report" | sed -n 's/: FAILED.*$//p' | head -n 1
  return 1
}

remove_staging() {
  if [ -e "$staging" ]; then rm -rf -- "$staging"; fi
}

if [ "$EDGECALL_ACTION" = delete ]; then
  result=unchanged
  if [ -e "$target" ]; then
    rm -rf -- "$target"
    result=changed
  fi
  if [ -e "$runs" ]; then
    rm -rf -- "$runs"
    result=changed
  fi
  if [ -e "$staging" ]; then
    remove_staging
    result=changed
  fi
  if [ -d "$data_root" ] && [ -z "$(ls -A "$data_root")" ]; then rmdir "$data_root"; fi
  $result
  exit 0
fi

if [ "$EDGECALL_ACTION" = check ]; then
  if [ -f "$target/$manifest_name" ] && verify "$target" >/dev/null && [ "$(stat -c %a "$runs" 2>/dev/null)" = 1777 ]; then
    in_sync
  else
    drifted
  fi
  exit 0
fi

if [ -f "$target/$manifest_name" ] && verify "$target" >/dev/null; then
  remove_staging
  if [ -n "$(ensure_runs_dir)" ]; then changed; else unchanged; fi
  exit 0
fi

[ -f "$staging/manifest.tsv" ] ||
  fail "the dataset manifest is not at $staging/manifest.tsv; it is copied there just before this step runs, so run 'pulumi up' again"

mkdir -p "$data_root"
chmod 755 "$data_root"
incoming=$(mktemp -d "$data_root/.incoming.XXXXXX")
trap 'rm -rf -- "$incoming"' EXIT
install -m 644 "$staging/manifest.tsv" "$incoming/$manifest_name"
manifest_sha=$(sha256sum <"$incoming/$manifest_name" | cut -d ' ' -f 1)
[ "$manifest_sha" = "$dataset_id" ] ||
  fail "the manifest at $staging/manifest.tsv has sha256 $manifest_sha, expected $dataset_id; run 'pulumi up' again"

source_dir=$staging/data

while IFS= read -r file; do
  mkdir -p "$(dirname "$incoming/$file")"
  if [ -n "$url" ]; then
    if command -v curl >/dev/null 2>&1; then
      curl -fsSL --retry 3 -o "$incoming/$file" "${url%/}/$file" || fail "cannot download ${url%/}/$file (benchmark.dataset.url)"
    else
      wget -q -O "$incoming/$file" "${url%/}/$file" || fail "cannot download ${url%/}/$file (benchmark.dataset.url)"
    fi
  else
    [ -f "$source_dir/$file" ] || fail "dataset file $file is listed in the manifest but missing from benchmark.dataset.path"
    cp -- "$source_dir/$file" "$incoming/$file"
  fi
done < <(manifest_files "$incoming/$manifest_name")

if ! bad=$(verify "$incoming"); then
  fail "dataset file ${bad:-?} does not match its sha256 in the manifest; fix the file or benchmark.dataset.manifest"
fi
chmod -R u=rwX,go=rX "$incoming"
if [ -e "$target" ]; then rm -rf -- "$target"; fi
mv "$incoming" "$target"
trap - EXIT
remove_staging
ensure_runs_dir >/dev/null
changed
