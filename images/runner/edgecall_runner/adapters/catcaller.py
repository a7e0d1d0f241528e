"""CATCaller (github.com/biomed-AI/CATCaller): a convolution-augmented (lite) transformer with CTC,
PyTorch, with fairseq's dynamic and lightweight convolution CUDA kernels built in the image.

Calls, in process: `generate_dataset/trim_raw.trim_and_segment_raw` and
`generate_dataset/inference_data.box` to prepare each read, and `train/litetr_encoder.
LiteTransformerEncoder` loaded from `model/model.2048.chkpt` (keys saved under DataParallel's
`module.` prefix). Upstream's `test/caller.py` is not imported: its `Call` passes `map_loacation` to
torch.load, which fails. Weights: R9.4 DNA, Klebsiella pneumoniae. No license file upstream."""
import collections
import os

from ..digest import sha256_of
from ..weights import weights_path
from . import transformer_common
from .precision import apply_precision
from .upstream import add_to_path, commit_of, import_framework, require_file, torch_device, upstream_dir

MAX_WINDOWS = 32  # upstream caller.py's rows per forward pass


class CatcallerModel(object):
    name = "catcaller"

    def __init__(self, device="auto", precision="fp32"):
        root = upstream_dir(self.name)
        weights = require_file(weights_path(self.name), "CATCaller weights")
        torch = import_framework("torch", self.name)
        import_framework("statsmodels", self.name)
        # train/ first: its utils.py is the one litetr_encoder means; the root holds the kernel packages.
        add_to_path(os.path.join(root, "train"), os.path.join(root, "generate_dataset"), root)
        from inference_data import box
        from litetr_encoder import LiteTransformerEncoder
        from trim_raw import trim_and_segment_raw

        self.torch = torch
        self.device = torch_device(torch, device)
        checkpoint = torch.load(weights, map_location="cpu")
        settings = checkpoint["settings"]
        self.network = LiteTransformerEncoder(d_model=settings.d_model, d_ff=settings.d_ff, n_head=settings.n_head,
                                              num_encoder_layers=settings.n_layers,
                                              label_vocab_size=settings.label_vocab_size, dropout=settings.dropout)
        state = collections.OrderedDict(
            (key[len("module."):] if key.startswith("module.") else key, value) for key, value in checkpoint["model"].items()
        )
        self.network.load_state_dict(state)
        self.network, self.dtype = apply_precision(torch, self.network.to(self.device).eval(), self.device, precision, self.name)
        self.precision = precision
        self._prepare = lambda signal: transformer_common.prepare(signal, trim_and_segment_raw, box)
        self.upstream_commit = commit_of(root)
        self.weights_sha256 = sha256_of(weights)

    def info(self):
        return {"device": str(self.device), "precision": self.precision, "framework_versions": {"torch": self.torch.__version__}}

    def basecall(self, signals):
        prepared = [self._prepare(signal) for signal in signals]
        return transformer_common.basecall_windows(self.torch, self.network, self.device, prepared, MAX_WINDOWS, self.dtype)
