"""Whether a file in a run directory is whole: a sequencer writing to a temporary name and renaming
it is safe to read at once, but one writing in place is not until its file is closed. A POD5 file
is whole once it ends in the signature its footer closes with; an HDF5 (FAST5) file has no footer,
so it must carry the HDF5 signature and keep its size and time for a settle period."""
import os

POD5_SIGNATURE = b"\x8bPOD\r\n\x1a\n"
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
# MinKNOW and most writers use these for a file they are still writing.
TEMPORARY_SUFFIXES = (".tmp", ".temp", ".partial", ".part")


def is_run_file(name):
    """A FAST5 or POD5 file by its name, not hidden and not a temporary one."""
    base = os.path.basename(name)
    if base.startswith(".") or base.endswith(TEMPORARY_SUFFIXES):
        return False
    return base.endswith(".pod5") or base.endswith(".fast5")


def _ends(path, size):
    with open(path, "rb") as handle:
        head = handle.read(8)
        handle.seek(max(0, size - 8))
        return head, handle.read(8)


def whole(path, size, stable_for_s, settle_s, closed=False):
    """(True, "") when `path` can be read now; else (False, why not yet). `size` is the size seen,
    `stable_for_s` how long it has not changed, and `closed` whether inotify saw its writer close it
    (or rename it into place) since it last changed."""
    if path.endswith(".pod5"):
        if size < 2 * len(POD5_SIGNATURE):
            return False, "shorter than a POD5 signature and footer"
        head, tail = _ends(path, size)
        if head != POD5_SIGNATURE:
            return False, "does not start with the POD5 signature"
        if tail != POD5_SIGNATURE:
            return False, "no POD5 footer yet (the writer has not closed it)"
        return True, ""
    if size < len(HDF5_SIGNATURE):
        return False, "shorter than an HDF5 superblock"
    head, _ = _ends(path, size)
    if head != HDF5_SIGNATURE:
        return False, "does not start with the HDF5 signature"
    if not closed and stable_for_s < settle_s:
        return False, "its size changed {:.1f} s ago (waiting {:.1f} s for it to settle)".format(stable_for_s, settle_s)
    return True, ""
