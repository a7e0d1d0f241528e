"""A conversion is written to a staging directory beside the output and moved into place whole, so
the output directory only ever holds one complete conversion: never a half-written one, never the
files of an earlier conversion beside the new ones, and an earlier good one survives a failed run."""
import os
import shutil
import stat
import tempfile


def _beside(output, role):
    parent = os.path.dirname(output)
    os.makedirs(parent, exist_ok=True)
    return tempfile.mkdtemp(prefix=".{}.{}-".format(os.path.basename(output), role), dir=parent)


def start(output):
    """A new, empty staging directory on the output's file system (so the final move is a rename),
    with the mode the output has or would get: mkdtemp's 0700 would lock out the model container,
    which may run as another user."""
    output = os.path.realpath(output)
    staging = _beside(output, "staging")
    if os.path.isdir(output):
        mode = stat.S_IMODE(os.stat(output).st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o777 & ~umask
    os.chmod(staging, mode)
    return staging


def discard(staging):
    shutil.rmtree(staging, ignore_errors=True)


def publish(staging, output):
    """Replaces the output directory by the staging one. The previous output is first renamed aside
    (rename replaces the empty directory mkdtemp made), so if the second rename fails it is put back."""
    output = os.path.realpath(output)
    if not os.path.lexists(output):
        os.rename(staging, output)
        return
    if not os.path.isdir(output):
        raise OSError("{}: exists and is not a directory".format(output))
    previous = _beside(output, "previous")
    os.rename(output, previous)
    try:
        os.rename(staging, output)
    except OSError:
        os.rename(previous, output)
        raise
    shutil.rmtree(previous, ignore_errors=True)
