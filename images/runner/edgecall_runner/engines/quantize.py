"""int8 without TensorRT: ONNX Runtime's static quantization of the exported graph (QDQ format,
weights per channel, activations calibrated on the benchmark's own reads), kept per calibration set.

Dynamic quantization was tried and left: it quantizes only the matrix multiplies and adds
conversions around them, and ran RODAN at half PyTorch's speed on the CPU."""
import hashlib
import logging

import numpy

from ..errors import ModelUnavailable
from . import cache
from .export import INPUT


class _Windows(object):
    """The calibration reader ONNX Runtime asks for: the windows, a few at a time."""

    def __init__(self, windows, rows=8):
        self._batches = [windows[start:start + rows] for start in range(0, len(windows), rows)]

    def get_next(self):
        return {INPUT: self._batches.pop(0)} if self._batches else None


def calibration_sha256(windows):
    return hashlib.sha256(numpy.ascontiguousarray(windows, dtype="float32").tobytes()).hexdigest()


def quantized(fp32_path, windows, directory, model_name):
    """The int8 graph of `fp32_path`, calibrated on `windows`; (path, made_now)."""
    try:
        from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static
    except ImportError as error:
        raise ModelUnavailable(
            "--precision int8 with onnxruntime needs onnxruntime's quantization tools and the onnx package ({})".format(error)
        ) from None
    if len(windows) == 0:
        raise ModelUnavailable("--precision int8: no reads to calibrate on")
    parts = {"fp32_sha256": cache.sha256_of(fp32_path), "calibration_sha256": calibration_sha256(windows), "format": "QDQ",
             "weights": "per-channel int8", "activations": "int8, min-max"}
    name = "{}-int8-{}.onnx".format(model_name, cache.key_of(parts))
    found = cache.cached(directory, name, parts)
    if found is not None:
        return found, False

    def make(path):
        # The tools log a suggestion (shape pre-processing) to the root logger on every run: not the user's concern.
        root = logging.getLogger()
        level = root.level
        root.setLevel(logging.ERROR)
        try:
            quantize_static(fp32_path, path, _Windows(windows), quant_format=QuantFormat.QDQ, per_channel=True,
                            weight_type=QuantType.QInt8, activation_type=QuantType.QInt8, calibrate_method=CalibrationMethod.MinMax)
        finally:
            root.setLevel(level)

    return cache.store(directory, name, parts, make), True
