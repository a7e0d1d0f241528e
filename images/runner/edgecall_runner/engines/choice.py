"""`--engine torch|onnxruntime|tensorrt` and the precisions each takes, refused before anything loads."""
from ..errors import ModelUnavailable

ENGINES = ("torch", "onnxruntime", "tensorrt")
PRECISIONS = ("fp32", "fp16", "int8")

# What each engine can honour: fp16 with ONNX Runtime would need a half model and the CUDA provider,
# which TensorRT does better on a Jetson; int8 in PyTorch has no CUDA kernels.
ENGINE_PRECISIONS = {
    "torch": ("fp32", "fp16"),
    "onnxruntime": ("fp32", "int8"),
    "tensorrt": ("fp32", "fp16", "int8"),
}

# The models an engine can be made from: RODAN and SACall, and the test network, whose graph is
# written directly. Chiron is TensorFlow 1 (a tf.Session graph with its own RNN cells): exporting it
# would need tf2onnx and a TensorFlow the images do not carry. CATCaller's dynamic and lightweight
# convolutions write their band matrices into a strided view (`as_strided(...).copy_`), which
# torch.onnx records without the write: its exported graph decoded 0.50 identity to PyTorch's.
EXPORTABLE = ("ctc-test", "rodan", "sacall")
WHY_NOT = {
    "chiron": "Chiron is TensorFlow, which edgecall does not export",
    "catcaller": "CATCaller's convolutions write into a strided view, which torch.onnx does not export faithfully",
}


def check_engine(model, engine, precision):
    """Refuses a combination no machine could run, naming the option and what to use instead."""
    if engine not in ENGINES:
        raise ModelUnavailable("--engine {!r}: one of {}".format(engine, ", ".join(ENGINES)))
    if precision not in PRECISIONS:
        raise ModelUnavailable("--precision {!r}: one of {}".format(precision, ", ".join(PRECISIONS)))
    if engine == "torch":
        if precision == "int8":
            raise ModelUnavailable(
                "--precision int8: use --engine onnxruntime (static quantization) or --engine tensorrt; PyTorch has no int8 kernels on CUDA"
            )
        return
    if model not in EXPORTABLE:
        raise ModelUnavailable(
            "--engine {}: {}; use --engine torch for {} (engines run {})".format(
                engine, WHY_NOT.get(model, model + " has no exporter"), model, ", ".join(m for m in EXPORTABLE if m != "ctc-test"))
        )
    if precision not in ENGINE_PRECISIONS[engine]:
        raise ModelUnavailable(
            "--precision {} with --engine {}: it takes {}".format(precision, engine, ", ".join(ENGINE_PRECISIONS[engine]))
        )
