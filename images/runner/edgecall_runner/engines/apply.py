"""Puts a loaded model on another engine: its graph exported (or found), quantized or built where the
precision asks, checked against the model's own fp32 output, and only then swapped in for the
model's `forward_windows`. What it did goes into run.json and /v1/info (`engine`)."""
import os
import time

import numpy

from ..digest import sha256_of
from ..errors import ModelUnavailable
from . import parity
from .cache import cache_dir
from .export import exported

# Windows for calibration and for the parity check: enough for stable activation ranges and a decoded
# identity over several hundred bases, few enough to take seconds. The test network's rows are 9
# samples each, so it takes many more.
CALIBRATION_WINDOWS = 64
PARITY_WINDOWS = 16
SEEDED_ROWS = 4096


def _windows(model, signals, count):
    """The first `count` windows of these reads, as the network sees them, stacked."""
    per_read = model.windows_of(signals)
    stacked = numpy.concatenate(per_read, axis=0) if per_read else numpy.zeros((0, 1), dtype="float32")
    return numpy.ascontiguousarray(stacked[:count], dtype="float32")


def synthetic_signals(reads=4, samples=20000):
    """Picoampere-like signal (a seeded random walk around 90 pA) for the parity check of a service
    started without reads; int8 calibration needs real reads instead."""
    rng = numpy.random.RandomState(20261207)
    return [(90 + numpy.cumsum(rng.normal(0, 2.0, size=samples)) % 60).astype("float32") for _ in range(reads)]


def parity_floor(precision):
    given = os.environ.get("EDGECALL_PARITY_FLOOR")
    if not given:
        return parity.FLOORS[precision]
    try:
        floor = float(given)
    except ValueError:
        raise ModelUnavailable("EDGECALL_PARITY_FLOOR={!r}: give a number between 0 and 1".format(given)) from None
    if not 0 <= floor <= 1:
        raise ModelUnavailable("EDGECALL_PARITY_FLOOR={!r}: give a number between 0 and 1".format(given))
    return floor


def apply_engine(model, engine, precision, calibration_signals=None):
    """Runs `model` (loaded in fp32) on `engine` at `precision` from now on; the engine's record. A
    failure of the engine's own tools (an export the exporter cannot do, a graph the runtime refuses)
    is one line naming the engine, the model and the first line of the tool's reason."""
    try:
        return _apply(model, engine, precision, calibration_signals)
    except ModelUnavailable:
        raise
    except Exception as error:  # noqa: BLE001  (any tool's failure, reported as one line)
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise ModelUnavailable("{} {} of {}: {}: {}".format(engine, precision, model.name, type(error).__name__, reason[:300])) from None


def _apply(model, engine, precision, calibration_signals):
    started = time.time()
    directory = cache_dir(getattr(model, "weights_file", None))
    count = SEEDED_ROWS if model.name == "ctc-test" else CALIBRATION_WINDOWS
    if precision == "int8" and not calibration_signals:
        raise ModelUnavailable("--precision int8 calibrates on reads: give them (batch's --input, serve's --calibration-input)")
    windows = _windows(model, calibration_signals or synthetic_signals(), count)
    parity_windows = windows[: SEEDED_ROWS if model.name == "ctc-test" else PARITY_WINDOWS]
    reference = model.forward_windows
    onnx_path, made = exported(model, directory)
    versions = {}
    if engine == "onnxruntime":
        from .ort_engine import session_forward

        path = onnx_path
        if precision == "int8":
            from .quantize import quantized

            path, made_int8 = quantized(onnx_path, windows, directory, model.name)
            made = made or made_int8
        forward, provider, versions["onnxruntime"] = session_forward(path, getattr(model, "device", "cpu"))
    else:
        forward, provider, path, made_engine = _tensorrt(model, onnx_path, precision, windows, directory)
        made = made or made_engine
        versions["tensorrt"] = provider.split(" ")[-1]
    figures = parity.measure(reference, forward, parity_windows)
    floor = parity_floor(precision)
    parity.check(figures, floor, engine, precision, model.name)
    model.forward_windows = forward
    figures["floor"] = floor
    return {
        "engine": engine,
        "precision": precision,
        "artifact": os.path.basename(path),
        "artifact_sha256": sha256_of(path),
        "made_now": made,
        "build_s": round(time.time() - started, 3),
        "provider": provider,
        "parity": figures,
        "versions": versions,
    }


def _tensorrt(model, onnx_path, precision, windows, directory):
    from . import tensorrt

    try:
        import tensorrt as trt_module
    except ImportError:
        trt_module = None
    torch = getattr(model, "torch", None)
    gpu = None
    fast_fp16 = fast_int8 = False
    if trt_module is not None and torch is not None and torch.cuda.is_available():
        gpu = torch.cuda.get_device_name(0)
        builder = trt_module.Builder(trt_module.Logger(trt_module.Logger.WARNING))
        fast_fp16, fast_int8 = builder.platform_has_fast_fp16, builder.platform_has_fast_int8
    if model.name == "ctc-test":
        raise ModelUnavailable("--engine tensorrt: the test network runs with --engine onnxruntime only")
    tensorrt.check_tensorrt(precision, trt_module, fast_fp16, fast_int8, gpu)
    calibration = None
    if precision == "int8":
        from .quantize import calibration_sha256

        calibration = calibration_sha256(windows)
    parts = tensorrt.engine_parts(sha256_of(onnx_path), trt_module.__version__, tensorrt.l4t_release(), gpu, precision, calibration)
    name = "{}-{}-{}.plan".format(model.name, precision, tensorrt.cache.key_of(parts))
    made = tensorrt.cache.cached(directory, name, parts) is None
    path = tensorrt.build(torch, onnx_path, model.window, model.max_windows, precision, windows, directory, name, parts)
    forward, version = tensorrt.engine_forward(torch, path)
    return forward, "TensorRT {}".format(version), path, made
