"""SACall (github.com/huangnengCSU/SACall-basecaller): a self-attention encoder with CTC, PyTorch.

Calls, in process: `generate_dataset/trim_raw.trim_and_segment_raw` and
`generate_dataset/inference_data.box` to prepare each read, and `ctc/ctc_encoder.Encoder` with a
linear projection (the network of upstream's `call.py`, whose module also imports ctcdecode) loaded
from `model.chkpt`. Weights: R9.4 DNA, trained on Klebsiella pneumoniae. No license file upstream."""
import os

from ..digest import sha256_of
from ..weights import weights_path
from . import transformer_common
from .precision import apply_precision
from .probabilities import torch_forward, transformer_probabilities
from .traceable_encoder import traceable_encode
from .upstream import add_to_path, commit_of, import_framework, require_file, torch_device, upstream_dir

MAX_WINDOWS = 10  # upstream call.py's rows per forward pass


class SacallModel(object):
    name = "sacall"

    def __init__(self, device="auto", precision="fp32"):
        root = upstream_dir(self.name)
        weights = require_file(weights_path(self.name), "SACall weights")
        torch = import_framework("torch", self.name)
        import_framework("statsmodels", self.name)
        add_to_path(root, os.path.join(root, "generate_dataset"))
        from ctc.ctc_encoder import Encoder
        from inference_data import box
        from trim_raw import trim_and_segment_raw

        self.torch = torch
        self.device = torch_device(torch, device)
        checkpoint = torch.load(weights, map_location="cpu")
        settings = checkpoint["settings"]

        class Network(torch.nn.Module):
            def __init__(self):
                super(Network, self).__init__()
                self.encoder = Encoder(d_model=settings.d_model, d_ff=settings.d_ff, n_head=settings.n_head,
                                       num_encoder_layers=settings.n_layers, dropout=settings.dropout)
                self.final_proj = torch.nn.Linear(settings.d_model, settings.label_vocab_size)

            def forward(self, signal, lengths):
                encoded, encoded_lengths = self.encoder(signal, lengths)
                return self.final_proj(encoded), encoded_lengths

        self.network = Network()
        self.network.load_state_dict(checkpoint["model"])
        self.network, self.dtype = apply_precision(torch, self.network.to(self.device).eval(), self.device, precision, self.name)
        self.precision = precision
        self.module = transformer_probabilities(torch, self.network, self.dtype, transformer_common.SIG_PAD, len(transformer_common.LABELS))
        # What an engine exports: the same function, its padding mask made traceable.
        self.export_module = transformer_probabilities(
            torch, self.network, torch.float32, transformer_common.SIG_PAD, len(transformer_common.LABELS),
            encode=lambda network, signal, lengths: traceable_encode(torch, network.encoder, signal, lengths, network.final_proj),
        )
        # What run_windows calls; an engine (edgecall_runner.engines) replaces it.
        self.forward_windows = torch_forward(torch, self.module, self.device)
        self.window = transformer_common.WINDOW
        self._prepare = lambda signal: transformer_common.prepare(signal, trim_and_segment_raw, box)
        self.upstream_commit = commit_of(root)
        self.weights_sha256 = sha256_of(weights)
        self.weights_file = weights
        self.max_windows = MAX_WINDOWS

    def info(self):
        return {"device": str(self.device), "precision": self.precision, "framework_versions": {"torch": self.torch.__version__}}

    def windows_of(self, signals):
        """The windows the network sees for these reads: what an engine is calibrated and checked on."""
        return transformer_common.windows_of([self._prepare(signal) for signal in signals])

    def basecall(self, signals):
        prepared = [self._prepare(signal) for signal in signals]
        return transformer_common.basecall_windows(self.forward_windows, prepared, MAX_WINDOWS)
