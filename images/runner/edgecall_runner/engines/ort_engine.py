"""ONNX Runtime on the exported graph: the CPU here, the CUDA provider on a Jetson whose image has
the JetPack build of onnxruntime-gpu (the TensorRT provider is left to --engine tensorrt)."""
from ..errors import ModelUnavailable
from .export import INPUT


def import_onnxruntime():
    try:
        import onnxruntime
    except ImportError as error:
        raise ModelUnavailable("--engine onnxruntime needs the Python package onnxruntime ({}); the model images install it".format(error)) from None
    return onnxruntime


def session_forward(path, device):
    """The graph as a NumPy function windows -> probabilities, and the provider that runs it."""
    onnxruntime = import_onnxruntime()
    available = onnxruntime.get_available_providers()
    providers = ["CPUExecutionProvider"]
    if str(device).startswith("cuda") and "CUDAExecutionProvider" in available:
        providers = ["CUDAExecutionProvider", "CPUExecutionProvider"]
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # warnings about unused initializers are not the user's concern
    session = onnxruntime.InferenceSession(path, sess_options=options, providers=providers)

    def forward(windows):
        return session.run(None, {INPUT: windows.astype("float32", copy=False)})[0]

    return forward, session.get_providers()[0], onnxruntime.__version__
