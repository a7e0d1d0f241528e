"""What `edgecall-runner batch` says of a converted read set it cannot read."""
import numpy

from edgecall_runner.cli import main


def test_a_reads_npz_cut_off_halfway_is_one_line_naming_it_and_what_to_do(tmp_path, capsys):
    converted = tmp_path / "converted"
    converted.mkdir()
    npz = converted / "reads.npz"
    numpy.savez(str(npz), **{"read-{}".format(i): numpy.arange(2000, dtype="float32") for i in range(4)})
    data = npz.read_bytes()
    npz.write_bytes(data[: len(data) // 2])
    status = main(["batch", "--model", "ctc-test", "--input", str(converted), "--output", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith("edgecall-runner: {}: corrupt or cut off (".format(npz))
    assert err.endswith("); run edgecall-convert again\n")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_run_info_that_is_not_a_json_object_names_the_option_before_any_model_loads(tmp_path, capsys):
    for given, expected in [
        ("{run_id: r1}", "edgecall-runner: --run-info is not JSON ("),
        ('["r1"]', "edgecall-runner: --run-info must be a JSON object, got list\n"),
    ]:
        # A model name that does not exist: reaching the model would fail with another message.
        status = main(["batch", "--model", "no-such-model", "--input", str(tmp_path), "--output", str(tmp_path / "out"), "--run-info", given])
        err = capsys.readouterr().err
        assert status == 1
        assert err.startswith(expected)
        assert err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "out").exists()
