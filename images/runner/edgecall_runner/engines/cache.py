"""Where engines are kept and when one is made again: each artifact under a key of everything it was
made from, written whole (a temporary name, then a rename) with a `.json` record beside it."""
import hashlib
import json
import os
import tempfile

from ..digest import sha256_of


def cache_dir(weights_file):
    """EDGECALL_ENGINE_CACHE, else beside the weights (the board keeps them across runs), else the
    user's cache (the test network has no weights file)."""
    chosen = os.environ.get("EDGECALL_ENGINE_CACHE")
    if not chosen:
        if weights_file:
            chosen = os.path.join(os.path.dirname(os.path.abspath(weights_file)), "engines")
        else:
            chosen = os.path.join(os.path.expanduser("~"), ".cache", "edgecall-runner", "engines")
    if not os.path.isdir(chosen):
        os.makedirs(chosen)
    return chosen


def key_of(parts):
    """A short key over a dict of what an artifact depends on (sorted, so the order never matters)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def cached(directory, name, parts):
    """The artifact's path if one made from exactly `parts` is there and whole, else None."""
    path = os.path.join(directory, name)
    record = path + ".json"
    if not (os.path.isfile(path) and os.path.isfile(record)):
        return None
    with open(record) as handle:
        saved = json.load(handle)
    if saved.get("parts") != parts or saved.get("sha256") != sha256_of(path):
        return None
    return path


def store(directory, name, parts, make):
    """Makes the artifact with `make(temporary_path)` and puts it and its record in place."""
    path = os.path.join(directory, name)
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".{}.".format(name), suffix=".tmp")
    os.close(fd)
    try:
        make(temporary)
        os.rename(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    with open(path + ".json.tmp", "w") as handle:
        json.dump({"parts": parts, "sha256": sha256_of(path)}, handle, indent=2, sort_keys=True)
    os.rename(path + ".json.tmp", path + ".json")
    return path
