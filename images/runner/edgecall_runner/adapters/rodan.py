"""RODAN (github.com/biodlab/RODAN, MIT): a fully convolutional network with CTC, PyTorch.

Calls, in process: `model.network` built from the checkpoint's own config and architecture (as
upstream's `basecall.py` does) and `ont.med_mad` to normalise; reads are cut into the config's
`seqlen` (4096) windows. The only weights upstream ships, `rna.torch`, are trained on direct RNA
(R9.4 RNA002): they are refused on DNA unless the caller allows it, or DNA weights are given in
EDGECALL_WEIGHTS. RNA calls are reversed (the strand moves 3' to 5'), as upstream does."""
import ast
import os

from ..digest import sha256_of
from ..errors import ModelUnavailable
from ..weights import weights_path
from .ctc import greedy_decode
from .precision import apply_precision
from .probabilities import rodan_probabilities, torch_forward
from .upstream import add_to_path, commit_of, import_framework, require_file, torch_device, upstream_dir
from .windows import cut, decode_read, run_windows

ALPHABET = "NACGT"  # index 0 is the CTC blank
SHIPPED_RNA_WEIGHTS = "rna.torch"
MAX_WINDOWS = 200  # upstream basecall.py's default batch size


def check_molecule(weights, molecule, allow_rna_weights_on_dna):
    """The refusal comes before torch is imported, so it reads the same on every machine."""
    rna_weights = os.path.basename(weights) == SHIPPED_RNA_WEIGHTS
    if rna_weights and molecule == "dna" and not allow_rna_weights_on_dna:
        raise ModelUnavailable(
            "RODAN's shipped weights ({}) are trained on RNA only and the reads are DNA: give DNA weights "
            "in EDGECALL_WEIGHTS, or pass --allow-rna-weights-on-dna to basecall anyway".format(weights)
        )
    return rna_weights


class RodanModel(object):
    name = "rodan"

    def __init__(self, device="auto", molecule="dna", allow_rna_weights_on_dna=False, precision="fp32"):
        root = upstream_dir(self.name)
        weights = require_file(weights_path(self.name), "RODAN weights")
        check_molecule(weights, molecule, allow_rna_weights_on_dna)
        self.reverse = molecule == "rna"
        torch = import_framework("torch", self.name)
        add_to_path(root)
        import model as network_module
        from ont import med_mad

        self.torch = torch
        self.med_mad = med_mad
        self.device = torch_device(torch, device)
        saved = torch.load(weights, map_location="cpu")
        config = network_module.objectview(saved["config"])
        arch = ast.literal_eval(config.arch)  # the checkpoint stores its layer table as a Python literal
        self.window = int(config.seqlen)
        self.network = network_module.network(config=config, arch=arch, seqlen=self.window)
        state = saved["state_dict"]
        if "state_dict" in state:
            state = dict((key[len("module."):], value) for key, value in state["state_dict"].items())
        self.network.load_state_dict(state)
        self.network, self.dtype = apply_precision(torch, self.network.to(self.device).eval(), self.device, precision, self.name)
        self.precision = precision
        self.module = rodan_probabilities(torch, self.network, self.dtype)
        # What run_windows calls; an engine (edgecall_runner.engines) replaces it.
        self.forward_windows = torch_forward(torch, self.module, self.device)
        self.upstream_commit = commit_of(root)
        self.weights_sha256 = sha256_of(weights)
        self.weights_file = weights
        self.max_windows = MAX_WINDOWS

    def info(self):
        return {"device": str(self.device), "precision": self.precision, "framework_versions": {"torch": self.torch.__version__}}

    def _normalise(self, signal):
        median, mad = self.med_mad(signal)
        return (signal - median) / (mad if mad > 0 else 1.0)

    def windows_of(self, signals):
        """The windows the network sees for these reads: what an engine is calibrated and checked on."""
        return [cut(self._normalise(signal), self.window, 0.0) for signal in signals]

    def basecall(self, signals):
        normalised = [self._normalise(signal) for signal in signals]
        results = []
        for windows in run_windows(normalised, self.window, 0.0, self.forward_windows, MAX_WINDOWS):
            sequence, quality = decode_read(windows, lambda steps: greedy_decode(steps, ALPHABET))
            results.append((sequence[::-1], quality[::-1]) if self.reverse else (sequence, quality))
        return results
