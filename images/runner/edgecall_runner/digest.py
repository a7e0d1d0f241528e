"""The one sha256 the runner and the image build compute over weights: of a file, its bytes; of a
directory (Chiron's checkpoint), its files' bytes in name order. Only the standard library, so the
image build can run it before anything else is installed (clone_weights.py)."""
import hashlib
import os


def sha256_of(path):
    paths = [path]
    if os.path.isdir(path):
        paths = [os.path.join(path, name) for name in sorted(os.listdir(path))]
        paths = [p for p in paths if os.path.isfile(p)]
    digest = hashlib.sha256()
    for name in paths:
        with open(name, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()
