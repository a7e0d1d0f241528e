"""The runner's table of models and what loading one by name does, without any framework."""
import pytest

from edgecall_runner.adapters.registry import ADAPTERS, UPSTREAM_MODELS
from edgecall_runner.errors import ModelUnavailable
from edgecall_runner.models import load_model


def test_the_four_published_basecallers_and_the_test_network_each_have_one_adapter():
    assert UPSTREAM_MODELS == ("catcaller", "chiron", "rodan", "sacall")
    assert sorted(ADAPTERS) == ["catcaller", "chiron", "ctc-test", "rodan", "sacall"]


def test_the_test_network_loads_without_weights_or_a_framework_and_is_deterministic(monkeypatch):
    monkeypatch.delenv("EDGECALL_STAND_IN_MODEL", raising=False)
    monkeypatch.delenv("EDGECALL_WEIGHTS_SHA256", raising=False)
    first, second = load_model("ctc-test"), load_model("ctc-test")
    assert first.name == "ctc-test" and first.weights_verified is False
    assert first.weights_sha256 == second.weights_sha256
    signal = [90.0 + (i % 7) for i in range(3000)]
    assert first.basecall([signal]) == second.basecall([signal])


def test_a_model_stood_in_for_answers_under_its_own_name_and_says_so(monkeypatch):
    monkeypatch.setenv("EDGECALL_STAND_IN_MODEL", "ctc-test")
    monkeypatch.delenv("EDGECALL_WEIGHTS_SHA256", raising=False)
    monkeypatch.delenv("EDGECALL_UPSTREAM_DIR", raising=False)
    model = load_model("rodan")
    assert model.name == "rodan" and model.info()["stand_in"] == "ctc-test"


def test_an_unknown_model_is_refused_naming_the_known_ones():
    with pytest.raises(ModelUnavailable, match=r"unknown model 'guppy': one of ctc-test, catcaller, chiron, rodan, sacall"):
        load_model("guppy")
