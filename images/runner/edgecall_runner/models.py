"""The models the runner knows, each loaded lazily by its adapter (edgecall_runner.adapters)."""
import os

from .adapters.precision import check_precision
from .adapters.registry import ADAPTERS, UPSTREAM_MODELS
from .engines.choice import check_engine
from .errors import ModelUnavailable
from .weights import verify_weights


class StandIn(object):
    """A model answering under another model's name: the simulated cluster's images run the test
    network for every model (EDGECALL_STAND_IN_MODEL=ctc-test), and say so in run.json and /v1/info."""

    upstream_commit = None

    def __init__(self, name, model):
        self.name = name
        self._model = model
        self.weights_sha256 = model.weights_sha256

    def info(self):
        info = dict(self._model.info())
        info["stand_in"] = self._model.name
        return info

    def __getattr__(self, attribute):
        return getattr(self._model, attribute)


class OnEngine(object):
    """A model whose windows run on another engine (engines/apply.py): /v1/info and run.json say which,
    with the engine's parity figures and how long it took to make."""

    def __init__(self, model, record):
        self._model = model
        self.engine = record

    def info(self):
        info = dict(self._model.info())
        info["engine"] = self.engine
        info["precision"] = self.engine["precision"]
        info["framework_versions"] = dict(info.get("framework_versions", {}), **self.engine["versions"])
        return info

    def __getattr__(self, attribute):
        return getattr(self._model, attribute)


def load_model(name, device="auto", molecule="dna", allow_rna_weights_on_dna=False, precision="fp32", engine="torch", calibration_signals=None):
    """`device`: auto (GPU when the framework sees one), cpu or cuda; `molecule`: dna or rna, what the
    reads are (RODAN's shipped weights are RNA-only, Chiron ships both). With EDGECALL_STAND_IN_MODEL
    set (only `ctc-test` is allowed), an upstream model's name loads that model instead. `precision`:
    fp32, or fp16 for the PyTorch models on CUDA (adapters/precision.py); refused before loading.
    `engine`: torch (the model's own framework), onnxruntime or tensorrt (engines/), made from the
    model loaded in fp32 and checked against it; `calibration_signals` are reads for int8.

    The weights are checked against their pinned sha256 first (edgecall_runner.weights), so a
    mismatch refuses the model before it is built; `weights_verified` on the model says whether
    there was a pin to check against."""
    verified = verify_weights(name, molecule)
    model = _load(name, device, molecule, allow_rna_weights_on_dna, precision, engine, calibration_signals)
    model.weights_verified = verified
    return model


def _load(name, device, molecule, allow_rna_weights_on_dna, precision, engine, calibration_signals):
    stand_in = os.environ.get("EDGECALL_STAND_IN_MODEL")
    if stand_in and name in UPSTREAM_MODELS:
        if stand_in != "ctc-test":
            raise ModelUnavailable("EDGECALL_STAND_IN_MODEL={!r}: only ctc-test may stand in for a model".format(stand_in))
        # The stand-in is what runs, so its precision and engine are what count.
        return StandIn(name, _load(stand_in, device, molecule, allow_rna_weights_on_dna, precision, engine, calibration_signals))
    if name not in ADAPTERS:
        raise ModelUnavailable("unknown model {!r}: one of ctc-test, {}".format(name, ", ".join(UPSTREAM_MODELS)))
    check_engine(name, engine, precision)
    if engine != "torch":
        from .engines.apply import apply_engine

        model = _build(name, device, molecule, allow_rna_weights_on_dna, "fp32")
        return OnEngine(model, apply_engine(model, engine, precision, calibration_signals))
    return _build(name, device, molecule, allow_rna_weights_on_dna, precision)


def _build(name, device, molecule, allow_rna_weights_on_dna, precision):
    check_precision(name, precision)
    loader = ADAPTERS.get(name)
    if loader is None:
        raise ModelUnavailable("unknown model {!r}: one of ctc-test, {}".format(name, ", ".join(UPSTREAM_MODELS)))
    return loader(device=device, molecule=molecule, allow_rna_weights_on_dna=allow_rna_weights_on_dna, precision=precision)
