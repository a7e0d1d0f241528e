#!/usr/bin/env bash
# copy_store FROM TO: a containerd root at TO that shares FROM's files as hard links, but for its
# metadata databases (*.db), which containerd writes in place and so gets as copies of their own.
# Content blobs and committed snapshots' layers are never written once made, so sharing them is
# safe. Where FROM and TO are on different file systems, a plain copy. Used by cluster-store.sh and
# sim-board.sh.
copy_store() {
  local from=$1 to=$2 db
  mkdir -p "$to"
  if [ "$(stat -c %d "$from")" = "$(stat -c %d "$to")" ]; then
    cp -al "$from/." "$to/"
    find "$to" -name '*.db' -type f | while read -r db; do
      cp --remove-destination "$from/${db#"$to"/}" "$db"
    done
  else
    cp -a "$from/." "$to/"
  fi
}
