"""The network as an ONNX graph: the adapter's probabilities module (adapters/probabilities.py)
exported by torch.onnx with a dynamic number of windows, or, for the test network, its graph written
directly. Each is made once per (model, weights sha256, exporter) and kept (cache.py)."""
import copy
import warnings

from . import cache

# Bumped when the export itself changes, so boards make their graphs again.
EXPORT_VERSION = 1
OPSET = 13
IR_VERSION = 8
INPUT = "windows"
OUTPUT = "probabilities"


def export_torch(torch, module, width, path):
    """`module`: N x width float32 -> N x steps x classes, exported on the CPU in fp32."""
    # A copy: moving the model's own module to the CPU would move the network the reference runs on.
    module = copy.deepcopy(module).to("cpu").float().eval()
    example = torch.zeros(2, width, dtype=torch.float32)
    # The trace warns of each Python branch on a shape it fixes; the window width is fixed here, and the
    # parity check afterwards is what says whether the graph computes what the model does.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            module, (example,), path, input_names=[INPUT], output_names=[OUTPUT], opset_version=OPSET,
            dynamic_axes={INPUT: {0: "windows"}, OUTPUT: {0: "windows"}}, do_constant_folding=True,
        )


def export_seeded(model, path):
    """The test network (NumPy) as the ONNX graph it is: rows x KERNEL -> tanh(rows W1 + b1) W2 + b2,
    softmax over the classes."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    weights = [
        numpy_helper.from_array(model.conv.T.copy(), "conv"),
        numpy_helper.from_array(model.conv_bias, "conv_bias"),
        numpy_helper.from_array(model.dense, "dense"),
        numpy_helper.from_array(model.dense_bias, "dense_bias"),
    ]
    nodes = [
        helper.make_node("MatMul", [INPUT, "conv"], ["convolved"]),
        helper.make_node("Add", ["convolved", "conv_bias"], ["biased"]),
        helper.make_node("Tanh", ["biased"], ["hidden"]),
        helper.make_node("MatMul", ["hidden", "dense"], ["projected"]),
        helper.make_node("Add", ["projected", "dense_bias"], ["logits"]),
        helper.make_node("Softmax", ["logits"], [OUTPUT], axis=-1),
    ]
    graph = helper.make_graph(
        nodes, "ctc_test",
        [helper.make_tensor_value_info(INPUT, TensorProto.FLOAT, ["rows", model.conv.shape[1]])],
        [helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, ["rows", model.dense.shape[1]])],
        initializer=weights,
    )
    # IR version 8 (opset 13's): a newer onnx writes a newer IR by default, which older runtimes refuse.
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION), path)


def exported(model, directory):
    """The model's ONNX graph, made now or found in the cache; (path, made_now)."""
    if getattr(model, "module", None) is not None:
        torch = model.torch
        module = getattr(model, "export_module", None) or model.module
        parts = {"model": model.name, "weights_sha256": model.weights_sha256, "exporter": "torch.onnx", "torch": torch.__version__,
                 "export_version": EXPORT_VERSION, "opset": OPSET, "width": model.window}
        make = lambda path: export_torch(torch, module, model.window, path)  # noqa: E731
    else:
        import onnx

        parts = {"model": model.name, "weights_sha256": model.weights_sha256, "exporter": "onnx.helper", "onnx": onnx.__version__,
                 "export_version": EXPORT_VERSION, "opset": OPSET}
        make = lambda path: export_seeded(model, path)  # noqa: E731
    name = "{}-fp32-{}.onnx".format(model.name, cache.key_of(parts))
    found = cache.cached(directory, name, parts)
    if found is not None:
        return found, False
    return cache.store(directory, name, parts, make), True
