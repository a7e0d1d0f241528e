"""The serve command's batching, driven by events rather than by the clock: a model that holds its
first batch until the test has queued the requests it wants batched behind it."""
import threading
import time

import pytest

from edgecall_runner.batcher import Batcher


class GatedModel(object):
    """Records each batch's size; the first batch waits for `release`, a batch holding `fail_on`
    raises."""

    def __init__(self, fail_on=None):
        self.sizes = []
        self.first_started = threading.Event()
        self.release = threading.Event()
        self.fail_on = fail_on

    def basecall(self, signals):
        self.sizes.append(len(signals))
        if len(self.sizes) == 1:
            self.first_started.set()
            assert self.release.wait(30), "the test never released the first batch"
        if self.fail_on is not None and self.fail_on in signals:
            raise RuntimeError("the model failed on this batch")
        return ["calls of {}".format(signal) for signal in signals]


def submit_all(batcher, signals):
    """Submits each signal from its own thread; returns the threads and their outcomes by signal."""
    outcomes = {}

    def one(signal):
        try:
            outcomes[signal] = batcher.submit(signal, timeout=30).result
        except Exception as error:  # the outcome is what the test looks at
            outcomes[signal] = error

    threads = [threading.Thread(target=one, args=(signal,)) for signal in signals]
    for thread in threads:
        thread.start()
    return threads, outcomes


def wait_until_queued(batcher, count):
    deadline = time.time() + 30
    while batcher.waiting.qsize() < count:
        assert time.time() < deadline, "only {} of {} requests queued".format(batcher.waiting.qsize(), count)
        time.sleep(0.01)


def run_behind_first(model, batch_size, queued):
    """One request takes the model; `queued` more wait behind it; then the model goes on."""
    batcher = Batcher(model, batch_size=batch_size, max_wait_s=0)
    first, outcomes = submit_all(batcher, ["first"])
    assert model.first_started.wait(30)
    rest, more = submit_all(batcher, queued)
    wait_until_queued(batcher, len(queued))
    model.release.set()
    for thread in first + rest:
        thread.join(30)
    outcomes.update(more)
    return outcomes


def test_requests_that_wait_while_the_model_runs_go_in_as_one_batch():
    model = GatedModel()
    outcomes = run_behind_first(model, batch_size=8, queued=["r{}".format(i) for i in range(7)])
    assert model.sizes == [1, 7]
    assert outcomes == dict([("first", "calls of first")] + [("r{}".format(i), "calls of r{}".format(i)) for i in range(7)])


def test_a_batch_never_holds_more_than_the_batch_size():
    model = GatedModel()
    run_behind_first(model, batch_size=4, queued=["r{}".format(i) for i in range(10)])
    assert model.sizes == [1, 4, 4, 2]


def test_a_failed_batch_gives_each_of_its_requests_the_error_and_the_next_batch_runs():
    model = GatedModel(fail_on="bad")
    outcomes = run_behind_first(model, batch_size=2, queued=["bad", "r1", "r2"])
    assert model.sizes == [1, 2, 1]
    assert isinstance(outcomes["bad"], RuntimeError) and isinstance(outcomes["r1"], RuntimeError)
    assert outcomes["r2"] == "calls of r2"


def test_a_model_that_does_not_answer_in_time_times_the_request_out():
    model = GatedModel()
    batcher = Batcher(model, batch_size=1, max_wait_s=0)
    from edgecall_runner.batcher import ModelTimeout
    with pytest.raises(ModelTimeout, match="did not answer within 0.2 s"):
        batcher.submit("slow", timeout=0.2)
    model.release.set()
