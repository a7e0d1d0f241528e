"""What the real adapters share: where the upstream clone is, its commit, and a clear error when a
framework or the clone is missing."""
import os
import subprocess
import sys

from ..errors import ModelUnavailable


def upstream_dir(model):
    path = os.environ.get("EDGECALL_UPSTREAM_DIR")
    if not path:
        raise ModelUnavailable(
            "EDGECALL_UPSTREAM_DIR is not set: point it at the {} clone (the image sets it)".format(model)
        )
    if not os.path.isdir(path):
        raise ModelUnavailable("EDGECALL_UPSTREAM_DIR={}: no such directory (the {} clone)".format(path, model))
    return path


def require_file(path, what):
    if not os.path.isfile(path):
        raise ModelUnavailable("{}: not found ({})".format(path, what))
    return path


def add_to_path(*directories):
    """The upstream scripts import their siblings as top-level modules (`import constants`)."""
    for directory in reversed(directories):
        if directory not in sys.path:
            sys.path.insert(0, directory)


def import_framework(module, model):
    try:
        return __import__(module)
    except ImportError as error:
        raise ModelUnavailable("{} needs the Python package {} ({}); run it in the {} image".format(model, module, error, model)) from None


def commit_of(directory):
    """The pinned commit: the image records it in EDGECALL_UPSTREAM_COMMIT; otherwise ask git."""
    recorded = os.environ.get("EDGECALL_UPSTREAM_COMMIT")
    if recorded:
        return recorded
    try:
        out = subprocess.check_output(["git", "-C", directory, "rev-parse", "HEAD"], stderr=subprocess.DEVNULL)
        return out.decode().strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def torch_device(torch, requested):
    if requested == "cpu" or not torch.cuda.is_available():
        return torch.device("cpu")
    return torch.device("cuda")
