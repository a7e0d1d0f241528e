"""The weights as a verified input: before a model is loaded, the file it will load is hashed and
compared with the pinned sha256, and a mismatch refuses the model (ModelUnavailable).

The pin is EDGECALL_WEIGHTS_SHA256 (the pods get it from `images.models.<model>.weights`, together
with EDGECALL_WEIGHTS), or else `<weights>.sha256` beside the upstream clone's default weights,
which the image writes at build once the clone's git blob id is checked (images/<model>/model.json).
Without either there is nothing to check against, and run.json says `weights_verified: false`.
"""
import os
import re

from .digest import sha256_of
from .errors import ModelUnavailable

SHA256 = re.compile(r"^[0-9a-f]{64}$")

# The weights each adapter loads from the upstream clone when EDGECALL_WEIGHTS is not set; the
# adapters find their file through weights_path, so this table is the only place that names them.
DEFAULT_WEIGHTS = {
    "catcaller": {"dna": "model/model.2048.chkpt"},
    "chiron": {"dna": "chiron/model/DNA_default", "rna": "chiron/model/RNA_default"},
    "rodan": {"dna": "rna.torch"},
    "sacall": {"dna": "model.chkpt"},
}


def weights_path(model, molecule="dna"):
    """The file (Chiron: the checkpoint directory) the model will load, or None where none is known."""
    configured = os.environ.get("EDGECALL_WEIGHTS")
    if configured:
        return configured
    upstream = os.environ.get("EDGECALL_UPSTREAM_DIR")
    choices = DEFAULT_WEIGHTS.get(model)
    if not upstream or choices is None:
        return None
    return os.path.join(upstream, choices.get(molecule, choices["dna"]))


def _pinned(path):
    """(expected digest, where it comes from), or (None, None) when nothing pins the weights."""
    expected = os.environ.get("EDGECALL_WEIGHTS_SHA256")
    if expected:
        return expected.strip(), "EDGECALL_WEIGHTS_SHA256"
    if path is not None:
        recorded = path.rstrip("/") + ".sha256"
        if os.path.isfile(recorded):
            with open(recorded) as handle:
                words = handle.read().split()
            return (words[0] if words else ""), recorded
    return None, None


def verify_weights(model, molecule="dna"):
    """Checks the weights `model` will load against their pin; returns True when checked and equal,
    False when nothing pins them. Raises ModelUnavailable, naming the model, the file and both
    digests, when they differ."""
    path = weights_path(model, molecule)
    expected, source = _pinned(path)
    if expected is None:
        return False
    if not SHA256.match(expected):
        raise ModelUnavailable("{}: {} is {!r}, not a sha256 (64 lowercase hex characters)".format(model, source, expected))
    if path is None:
        raise ModelUnavailable("{}: EDGECALL_WEIGHTS_SHA256 is set but EDGECALL_WEIGHTS is not: which file should have that digest?".format(model))
    if not os.path.exists(path):
        raise ModelUnavailable("{}: weights {} not found (pinned by {})".format(model, path, source))
    actual = sha256_of(path)
    if actual != expected:
        raise ModelUnavailable(
            "{}: refusing weights {}: sha256 {} is not the pinned {} ({})".format(model, path, actual, expected, source)
        )
    return True
