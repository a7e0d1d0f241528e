"""`--precision fp32|fp16`: half precision for the PyTorch models, on CUDA only.

fp16 halves the weights and activations the GPU moves, which is where a Jetson's time goes; on a CPU
PyTorch's half-precision kernels are missing or slower than fp32, so fp16 there would measure nothing
a board would see, and it is refused before the weights load."""
from ..errors import ModelUnavailable

PRECISIONS = ("fp32", "fp16")
TORCH_MODELS = ("catcaller", "rodan", "sacall")


def check_precision(model, precision):
    """Refuses what cannot be honoured whatever the machine: an unknown precision, or fp16 for a model
    that is not PyTorch (Chiron is TensorFlow; the test network is NumPy)."""
    if precision not in PRECISIONS:
        raise ModelUnavailable("--precision {!r}: one of {}".format(precision, ", ".join(PRECISIONS)))
    if precision == "fp16" and model not in TORCH_MODELS:
        raise ModelUnavailable(
            "--precision fp16: {} is not a PyTorch model; fp16 is for {}; use --precision fp32".format(model, ", ".join(TORCH_MODELS))
        )


def apply_precision(torch, network, device, precision, model):
    """The network in the requested precision and the tensor type its input must have."""
    if precision == "fp32":
        return network, torch.float32
    if device.type != "cuda":
        raise ModelUnavailable(
            "{}: --precision fp16 runs on CUDA only, and this runs on {} (torch {} sees no GPU, or --device cpu was given); "
            "use --precision fp32".format(model, device.type, torch.__version__)
        )
    return network.half(), torch.float16
