"""serve's limits: each from its own environment variable, an option over it, a bad value in one line."""
import argparse

import pytest

from edgecall_runner.limits import add_options, defaults, from_args

# Spelled out rather than read from limits.py, so a renamed variable or a mixed-up pair fails here.
EACH_LIMIT = [
    ("EDGECALL_SERVE_BACKLOG", "backlog", "77", 77),
    ("EDGECALL_SERVE_MAX_CONNECTIONS", "max_connections", "78", 78),
    ("EDGECALL_SERVE_MAX_QUEUE", "max_queue", "79", 79),
    ("EDGECALL_SERVE_MAX_BODY_BYTES", "max_body_bytes", "1000", 1000),
    ("EDGECALL_SERVE_MAX_BODY_MEMORY_BYTES", "max_body_memory_bytes", "2147483648", 2147483648),
    ("EDGECALL_SERVE_MAX_SIGNAL", "max_signal", "81", 81),
    ("EDGECALL_SERVE_READ_TIMEOUT_S", "read_timeout_s", "1.5", 1.5),
    ("EDGECALL_SERVE_REQUEST_TIMEOUT_S", "request_timeout_s", "2.5", 2.5),
    ("EDGECALL_SERVE_MODEL_TIMEOUT_S", "model_timeout_s", "3.5", 3.5),
]


def parse(argv):
    parser = argparse.ArgumentParser(prog="edgecall-runner serve")
    add_options(parser)
    return from_args(parser.parse_args(argv))


@pytest.mark.parametrize("variable,field,raw,value", EACH_LIMIT)
def test_each_limit_is_taken_from_its_own_environment_variable_and_no_other(monkeypatch, variable, field, raw, value):
    for name, *_rest in EACH_LIMIT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, raw)
    limits = parse([])
    assert getattr(limits, field) == value
    assert limits._replace(**{field: getattr(defaults(), field)}) == defaults()


def test_an_option_wins_over_its_environment_variable(monkeypatch):
    monkeypatch.setenv("EDGECALL_SERVE_MAX_QUEUE", "79")
    assert parse(["--max-queue", "5"]).max_queue == 5


def test_a_variable_that_is_not_a_number_is_one_line_naming_it(monkeypatch, capsys):
    monkeypatch.setenv("EDGECALL_SERVE_READ_TIMEOUT_S", "soon")
    with pytest.raises(SystemExit) as exited:
        parse([])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.endswith("error: EDGECALL_SERVE_READ_TIMEOUT_S='soon' is not a number (it sets --read-timeout-s)\n")
    assert "Traceback" not in err
