"""The weights' one digest and the pin check that runs before a model is loaded."""
import hashlib

import pytest

from edgecall_runner.digest import sha256_of
from edgecall_runner.errors import ModelUnavailable
from edgecall_runner.weights import verify_weights


def test_a_file_s_digest_is_the_sha256_of_its_bytes(tmp_path):
    weights = tmp_path / "model.chkpt"
    weights.write_bytes(b"weights" * 1000)
    assert sha256_of(str(weights)) == hashlib.sha256(b"weights" * 1000).hexdigest()


def test_a_checkpoint_directory_s_digest_covers_its_files_in_name_order_and_nothing_else(tmp_path):
    (tmp_path / "b.index").write_bytes(b"second")
    (tmp_path / "a.data").write_bytes(b"first")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "ignored").write_bytes(b"not a file of the checkpoint")
    assert sha256_of(str(tmp_path)) == hashlib.sha256(b"firstsecond").hexdigest()


@pytest.fixture
def pinned(tmp_path, monkeypatch):
    weights = tmp_path / "w.bin"
    weights.write_bytes(b"the weights")
    monkeypatch.setenv("EDGECALL_WEIGHTS", str(weights))
    monkeypatch.delenv("EDGECALL_UPSTREAM_DIR", raising=False)
    return weights


def test_weights_with_their_pin_pass_and_say_they_were_checked(pinned, monkeypatch):
    monkeypatch.setenv("EDGECALL_WEIGHTS_SHA256", hashlib.sha256(b"the weights").hexdigest())
    assert verify_weights("rodan") is True


def test_weights_without_a_pin_pass_unchecked(pinned, monkeypatch):
    monkeypatch.delenv("EDGECALL_WEIGHTS_SHA256", raising=False)
    assert verify_weights("rodan") is False


def test_weights_that_differ_from_their_pin_are_refused_naming_the_model_the_file_and_both_digests(pinned, monkeypatch):
    wrong = "0" * 64
    monkeypatch.setenv("EDGECALL_WEIGHTS_SHA256", wrong)
    with pytest.raises(ModelUnavailable) as refused:
        verify_weights("sacall")
    message = str(refused.value)
    assert message.startswith("sacall: refusing weights {}: sha256 ".format(pinned))
    assert hashlib.sha256(b"the weights").hexdigest() in message and wrong in message


def test_a_pin_that_is_not_a_sha256_is_refused_as_such(pinned, monkeypatch):
    monkeypatch.setenv("EDGECALL_WEIGHTS_SHA256", "abc")
    with pytest.raises(ModelUnavailable, match="not a sha256"):
        verify_weights("sacall")


def test_a_pin_beside_the_upstream_weights_is_read_from_their_sha256_file(tmp_path, monkeypatch):
    monkeypatch.delenv("EDGECALL_WEIGHTS", raising=False)
    monkeypatch.delenv("EDGECALL_WEIGHTS_SHA256", raising=False)
    monkeypatch.setenv("EDGECALL_UPSTREAM_DIR", str(tmp_path))
    (tmp_path / "model.chkpt").write_bytes(b"sacall weights")
    (tmp_path / "model.chkpt.sha256").write_text("{}  model.chkpt\n".format("1" * 64))
    with pytest.raises(ModelUnavailable, match=r"\(.*model\.chkpt\.sha256\)$"):
        verify_weights("sacall")
