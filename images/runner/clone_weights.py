"""Checks an upstream clone's weights against images/<model>/model.json at image build, before
the clone's .git is removed, and writes the sha256 the runner checks at load beside them.

    python3 clone_weights.py MODEL_JSON CLONE_DIR

Each pinned file's git blob id (`git hash-object`, which covers its size and bytes) must be the
pinned one, and its sha256 too where the pin has one. Then for every entry of "weights" (a file,
or a checkpoint directory whose files are all pinned) it writes `<entry>.sha256`, the digest the
runner computes (edgecall_runner.digest.sha256_of, which the image build copies beside this
script). Exits 1 with one line per problem.
"""
import json
import os
import subprocess
import sys

from edgecall_runner.digest import sha256_of


def entry_files(clone, entry):
    path = os.path.join(clone, entry)
    if os.path.isdir(path):
        return [os.path.join(path, name) for name in sorted(os.listdir(path)) if os.path.isfile(os.path.join(path, name))]
    return [path]


def check(pins_file, clone):
    with open(pins_file) as handle:
        pins = json.load(handle)
    files = pins["files"]
    problems = []
    for name in sorted(files):
        pin = files[name]
        path = os.path.join(clone, name)
        if not os.path.isfile(path):
            problems.append("{}: not in the clone ({} pins it at {})".format(name, pins_file, pins["commit"]))
            continue
        blob = subprocess.check_output(["git", "-C", clone, "hash-object", "--", name]).decode().strip()
        if blob != pin["git_blob"]:
            problems.append(
                "{}: git blob {} is not the pinned {} ({}, upstream commit {})".format(name, blob, pin["git_blob"], pins_file, pins["commit"])
            )
        elif pin.get("size") is not None and os.path.getsize(path) != pin["size"]:
            problems.append("{}: {} bytes, not the pinned {} ({})".format(name, os.path.getsize(path), pin["size"], pins_file))
        elif pin.get("sha256") and sha256_of(path) != pin["sha256"]:
            problems.append("{}: sha256 {} is not the pinned {} ({})".format(name, sha256_of(path), pin["sha256"], pins_file))
    for entry in pins["weights"]:
        unpinned = [p for p in entry_files(clone, entry) if os.path.relpath(p, clone) not in files]
        for path in unpinned:
            problems.append("{}: in the weights {} but not pinned in {}".format(os.path.relpath(path, clone), entry, pins_file))
    if problems:
        return problems
    for entry in pins["weights"]:
        digest = sha256_of(os.path.join(clone, entry))
        with open(os.path.join(clone, entry.rstrip("/")) + ".sha256", "w") as handle:
            handle.write("{}  {}\n".format(digest, entry))
        sys.stdout.write("{}: sha256 {}\n".format(entry, digest))
    return []


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: clone_weights.py MODEL_JSON CLONE_DIR\n")
        return 2
    problems = check(argv[0], argv[1])
    for problem in problems:
        sys.stderr.write("weights check: {}\n".format(problem))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
