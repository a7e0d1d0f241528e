"""The engines on what this machine runs: ONNX Runtime on the CPU with the test network, the cache,
the parity check and its floor, and TensorRT's keys and refusals (a TensorRT build needs a GPU)."""
import json

import numpy
import pytest

from edgecall_runner.cli import main
from edgecall_runner.engines import cache, parity, tensorrt
from edgecall_runner.engines.choice import check_engine
from edgecall_runner.errors import ModelUnavailable


@pytest.fixture
def reads(tmp_path):
    converted = tmp_path / "converted"
    converted.mkdir()
    rng = numpy.random.RandomState(3)
    signals = {"r{}".format(i): (90 + numpy.cumsum(rng.normal(0, 2, size=6000)) % 60).astype("float32") for i in range(10)}
    numpy.savez(str(converted / "reads.npz"), **signals)
    return converted


def run(tmp_path, reads, name, *options):
    out = tmp_path / name
    status = main(["batch", "--model", "ctc-test", "--input", str(reads), "--output", str(out)] + list(options))
    return status, out


@pytest.mark.parametrize("model,engine,precision,message", [
    ("rodan", "torch", "int8", "--precision int8: use --engine onnxruntime (static quantization) or --engine tensorrt"),
    ("chiron", "onnxruntime", "fp32", "--engine onnxruntime: Chiron is TensorFlow, which edgecall does not export; use --engine torch for chiron"),
    ("catcaller", "tensorrt", "fp16", "--engine tensorrt: CATCaller's convolutions write into a strided view"),
    ("rodan", "onnxruntime", "fp16", "--precision fp16 with --engine onnxruntime: it takes fp32, int8"),
    ("rodan", "openvino", "fp32", "--engine 'openvino': one of torch, onnxruntime, tensorrt"),
])
def test_a_combination_no_machine_could_run_is_refused_naming_what_to_use(model, engine, precision, message):
    with pytest.raises(ModelUnavailable) as refused:
        check_engine(model, engine, precision)
    assert str(refused.value).startswith(message)


def test_onnxruntime_fp32_calls_exactly_what_the_network_calls_and_run_json_says_how_the_engine_was_made(tmp_path, reads, monkeypatch):
    monkeypatch.setenv("EDGECALL_ENGINE_CACHE", str(tmp_path / "engines"))
    assert run(tmp_path, reads, "numpy")[0] == 0
    status, out = run(tmp_path, reads, "onnx", "--engine", "onnxruntime")
    assert status == 0
    assert (out / "calls.fastq").read_text() == (tmp_path / "numpy" / "calls.fastq").read_text()
    info = json.loads((out / "run.json").read_text())
    assert info["engine"] == "onnxruntime" and info["precision"] == "fp32"
    assert info["engine_parity"]["identity"] == 1.0 and info["engine_parity"]["floor"] == 0.99
    assert info["engine_parity"]["max_probability_diff"] < 1e-5
    assert len(info["engine_artifact_sha256"]) == 64 and info["engine_build_s"] > 0
    assert "onnxruntime" in info["framework_versions"]
    assert json.loads((tmp_path / "numpy" / "run.json").read_text())["engine"] == "torch"


def test_the_graph_is_made_once_and_made_again_when_what_it_came_from_changes(tmp_path):
    directory = str(tmp_path)
    parts = {"model": "rodan", "weights_sha256": "a" * 64}
    made = []
    path = cache.store(directory, "g.onnx", parts, lambda p: (made.append(p), open(p, "w").write("graph")))
    assert cache.cached(directory, "g.onnx", parts) == path and len(made) == 1
    assert cache.cached(directory, "g.onnx", dict(parts, weights_sha256="b" * 64)) is None
    with open(path, "w") as handle:
        handle.write("a graph cut off")
    assert cache.cached(directory, "g.onnx", parts) is None


def test_int8_below_its_floor_is_refused_with_both_figures_and_taken_above_a_lower_one(tmp_path, reads, monkeypatch, capsys):
    monkeypatch.setenv("EDGECALL_ENGINE_CACHE", str(tmp_path / "engines"))
    status, out = run(tmp_path, reads, "int8", "--engine", "onnxruntime", "--precision", "int8")
    err = capsys.readouterr().err
    # The untrained test network's outputs are near ties, so int8 flips many of them: 0.90 here.
    assert status == 1
    assert "onnxruntime int8 of ctc-test: decoded identity to the model's own fp32 calls 0.8" in err
    assert "is below the floor 0.9700 (largest probability difference" in err and "Traceback" not in err
    assert not (out / "calls.fastq").exists()
    monkeypatch.setenv("EDGECALL_PARITY_FLOOR", "0.5")
    status, out = run(tmp_path, reads, "int8-low-floor", "--engine", "onnxruntime", "--precision", "int8")
    assert status == 0
    info = json.loads((out / "run.json").read_text())
    assert info["precision"] == "int8" and 0.5 <= info["engine_parity"]["identity"] < 0.97 and info["engine_parity"]["floor"] == 0.5


def test_parity_identity_is_one_minus_the_edit_distance_over_the_longer():
    assert parity.identity([1, 2, 3, 4], [1, 2, 3, 4]) == 1.0
    assert parity.identity([1, 2, 3, 4], [1, 3, 4]) == 0.75
    assert parity.identity([], []) == 1.0


def test_a_tensorrt_engine_is_built_again_when_the_graph_tensorrt_jetpack_gpu_precision_or_calibration_change():
    base = dict(onnx_sha256="o", tensorrt_version="8.5.2", release="R35.4.1", gpu="Orin", precision="int8", calibration_sha256="c")
    key = cache.key_of(tensorrt.engine_parts(**base))
    changes = (("onnx_sha256", "o2"), ("tensorrt_version", "8.6.1"), ("release", "R36.3.0"), ("gpu", "Xavier"), ("calibration_sha256", "c2"))
    for field, other in changes:
        assert cache.key_of(tensorrt.engine_parts(**dict(base, **{field: other}))) != key, field
    assert "calibration_sha256" not in tensorrt.engine_parts(**dict(base, precision="fp16"))


@pytest.mark.parametrize("precision,module,fp16,int8,gpu,message", [
    ("fp16", None, True, True, "Orin", "--engine tensorrt: this image has no TensorRT Python package"),
    ("fp16", object(), True, True, None, "--engine tensorrt: no CUDA GPU is visible here"),
    ("int8", object(), True, False, "NVIDIA Tegra X1", "--engine tensorrt --precision int8: NVIDIA Tegra X1 has no fast int8 (Maxwell and Pascal"),
])
def test_tensorrt_is_refused_where_the_board_cannot_build_what_is_asked(precision, module, fp16, int8, gpu, message):
    with pytest.raises(ModelUnavailable) as refused:
        tensorrt.check_tensorrt(precision, module, fp16, int8, gpu)
    assert str(refused.value).startswith(message)
    tensorrt.check_tensorrt("fp16", object(), True, False, "NVIDIA Tegra X1")


def test_the_l4t_release_is_read_as_the_summaries_write_it(tmp_path, monkeypatch):
    release = tmp_path / "nv_tegra_release"
    release.write_text("# R35 (release), REVISION: 4.1, GCID: 33958178, BOARD: t186ref, EABI: aarch64\n")
    real_open = open
    monkeypatch.setattr("builtins.open", lambda path, *a, **k: real_open(str(release) if path == "/etc/nv_tegra_release" else path, *a, **k))
    assert tensorrt.l4t_release() == "R35.4.1"


def test_a_service_on_an_engine_says_which_in_its_info(monkeypatch, tmp_path):
    from edgecall_runner.models import load_model

    monkeypatch.setenv("EDGECALL_ENGINE_CACHE", str(tmp_path))
    model = load_model("ctc-test", engine="onnxruntime")
    info = model.info()
    assert info["engine"]["engine"] == "onnxruntime" and info["engine"]["parity"]["identity"] == 1.0
    assert info["precision"] == "fp32" and "onnxruntime" in info["framework_versions"]
