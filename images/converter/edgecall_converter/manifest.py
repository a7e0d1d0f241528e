"""The dataset manifest: which files (and optionally which reads) a benchmark uses, with sha256."""
import hashlib
import os


class ManifestError(Exception):
    """A manifest that cannot be used; the message names the file and line."""


def read_manifest(path):
    """Rows of a TSV `file<TAB>sha256[<TAB>read_id]`; a header line starting with `file` is skipped.
    Returns a list of (file, sha256, read_id or None)."""
    rows = []
    with open(path) as handle:
        for number, line in enumerate(handle, 1):
            line = line.rstrip("\r\n")
            if not line.strip() or (number == 1 and line.split("\t")[0] == "file"):
                continue
            cells = line.split("\t")
            if len(cells) < 2 or len(cells[1]) != 64:
                raise ManifestError("{}:{}: expected file<TAB>sha256[<TAB>read_id]".format(path, number))
            rows.append((cells[0], cells[1].lower(), cells[2] if len(cells) > 2 and cells[2] else None))
    if not rows:
        raise ManifestError("{}: no files listed".format(path))
    return rows


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fast5_files(directory):
    """Every .fast5 and .pod5 file under a directory, relative to it, in a stable order."""
    found = []
    for root, _dirs, files in os.walk(directory):
        for name in files:
            if name.endswith(".fast5") or name.endswith(".pod5"):
                found.append(os.path.relpath(os.path.join(root, name), directory))
    return sorted(found)
