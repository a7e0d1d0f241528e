"""A TensorRT engine built on the board itself from the exported graph: engines are tied to the GPU
and the TensorRT version, so one is kept per (graph, TensorRT, L4T release, GPU, precision,
calibration) and built again when any of them changes. int8 is calibrated on the benchmark's reads
and its calibration cache kept beside the engine.

Measured only on a Jetson or another NVIDIA GPU: this machine's tests cover the keys, the rebuild
rules and the refusals, not a build."""
import os

from ..errors import ModelUnavailable
from . import cache
from .export import INPUT, OUTPUT


def l4t_release():
    """The board's L4T release from /etc/nv_tegra_release (`R35 (release), REVISION: 4.1` -> R35.4.1), or None."""
    try:
        with open("/etc/nv_tegra_release") as handle:
            line = handle.readline()
    except OSError:
        return None
    major = line.split("(")[0].replace("#", "").strip()
    revision = line.split("REVISION:")[1].split(",")[0].strip() if "REVISION:" in line else ""
    return "{}.{}".format(major, revision) if major and revision else None


def engine_parts(onnx_sha256, tensorrt_version, release, gpu, precision, calibration_sha256=None):
    """Everything a built engine depends on; a change in any makes the cache miss and the engine be built again."""
    parts = {"onnx_sha256": onnx_sha256, "tensorrt": tensorrt_version, "l4t_release": release, "gpu": gpu, "precision": precision}
    if precision == "int8":
        parts["calibration_sha256"] = calibration_sha256
    return parts


def check_tensorrt(precision, tensorrt_module, fast_fp16, fast_int8, gpu):
    """Refuses, naming why, a board that cannot build the engine asked for."""
    if tensorrt_module is None:
        raise ModelUnavailable(
            "--engine tensorrt: this image has no TensorRT Python package (import tensorrt failed); JetPack's python3-libnvinfer "
            "provides it on a Jetson; use --engine onnxruntime or torch elsewhere"
        )
    if gpu is None:
        raise ModelUnavailable("--engine tensorrt: no CUDA GPU is visible here; TensorRT engines are built and run on the board's GPU")
    if precision == "int8" and not fast_int8:
        raise ModelUnavailable(
            "--engine tensorrt --precision int8: {} has no fast int8 (Maxwell and Pascal Jetsons: Nano, TX2); use --precision fp16".format(gpu)
        )
    if precision == "fp16" and not fast_fp16:
        raise ModelUnavailable("--engine tensorrt --precision fp16: {} has no fast fp16; use --precision fp32".format(gpu))


def _calibrator(trt, torch, windows, cache_file, rows=8):
    """TensorRT's entropy calibrator over the benchmark's windows (batches in a CUDA tensor), its cache in `cache_file`."""

    class Calibrator(trt.IInt8EntropyCalibrator2):
        def __init__(self):
            trt.IInt8EntropyCalibrator2.__init__(self)
            self.batches = [windows[i:i + rows] for i in range(0, len(windows) - rows + 1, rows)]
            self.current = None

        def get_batch_size(self):
            return rows

        def get_batch(self, names):
            if not self.batches:
                return None
            self.current = torch.from_numpy(self.batches.pop(0)).cuda()
            return [int(self.current.data_ptr())]

        def read_calibration_cache(self):
            return open(cache_file, "rb").read() if os.path.isfile(cache_file) else None

        def write_calibration_cache(self, data):
            with open(cache_file, "wb") as handle:
                handle.write(data)

    return Calibrator()


def build(torch, onnx_path, width, max_rows, precision, windows, directory, name, parts):
    """Builds (or finds) the serialized engine; its path. Runs only where TensorRT and a GPU are."""
    found = cache.cached(directory, name, parts)
    if found is not None:
        return found
    import tensorrt as trt

    def make(path):
        logger = trt.Logger(trt.Logger.WARNING)
        builder = trt.Builder(logger)
        network = builder.create_network(1 << int(trt.NetworkDefinitionCreationFlag.EXPLICIT_BATCH))
        parser = trt.OnnxParser(network, logger)
        with open(onnx_path, "rb") as handle:
            if not parser.parse(handle.read()):
                raise ModelUnavailable("TensorRT cannot parse {}: {}".format(onnx_path, parser.get_error(0)))
        config = builder.create_builder_config()
        profile = builder.create_optimization_profile()
        profile.set_shape(INPUT, (1, width), (min(8, max_rows), width), (max_rows, width))
        config.add_optimization_profile(profile)
        if precision == "fp16":
            config.set_flag(trt.BuilderFlag.FP16)
        if precision == "int8":
            config.set_flag(trt.BuilderFlag.INT8)
            config.set_calibration_profile(profile)
            # The calibration cache is kept beside the engine, named by the same key.
            config.int8_calibrator = _calibrator(trt, torch, windows, os.path.join(directory, name + ".calibration"))
        serialized = builder.build_serialized_network(network, config)
        if serialized is None:
            raise ModelUnavailable("TensorRT could not build an engine from {} ({})".format(onnx_path, precision))
        with open(path, "wb") as handle:
            handle.write(serialized)

    return cache.store(directory, name, parts, make)


def engine_forward(torch, engine_path):
    """The engine as a NumPy function windows -> probabilities, its buffers CUDA tensors. TensorRT 8.5
    and later name tensors (set_input_shape); JetPack 4's 8.2 numbers bindings."""
    import tensorrt as trt

    runtime = trt.Runtime(trt.Logger(trt.Logger.WARNING))
    with open(engine_path, "rb") as handle:
        engine = runtime.deserialize_cuda_engine(handle.read())
    context = engine.create_execution_context()

    def forward(windows):
        given = torch.from_numpy(windows.astype("float32", copy=False)).cuda()
        if hasattr(context, "set_input_shape"):
            context.set_input_shape(INPUT, tuple(given.shape))
            shape = tuple(context.get_tensor_shape(OUTPUT))
        else:
            context.set_binding_shape(0, tuple(given.shape))
            shape = tuple(context.get_binding_shape(1))
        out = torch.empty(shape, dtype=torch.float32, device="cuda")
        if not context.execute_v2([int(given.data_ptr()), int(out.data_ptr())]):
            raise RuntimeError("TensorRT failed to run {}".format(engine_path))
        return out.cpu().numpy()

    return forward, trt.__version__
