"""The watcher's backlog verdict and its Prometheus metrics."""
from edgecall_runner.live.backlog import BacklogWatch
from edgecall_runner.live.live_metrics import LiveMetrics, percentile


def test_the_backlog_warns_once_per_window_after_staying_above_one_file_and_clears_when_drained():
    watch = BacklogWatch(window_s=10)
    assert watch.update(0, 0, 0) is None
    assert watch.update(5, 3, 12) is None
    assert watch.keeping_up(5)
    warning = watch.update(11, 4, 16)
    assert warning == "backlog above 1 file(s) for 11 s (4 files, 16 reads waiting): not keeping up"
    assert not watch.keeping_up(11)
    assert watch.update(15, 5, 20) is None
    assert watch.update(22, 6, 24) is not None
    # Drained to the file being called: keeping up again, and the next warning needs a new window.
    assert watch.update(23, 1, 4) is None
    assert watch.keeping_up(23)
    assert watch.update(30, 3, 12) is None
    assert (watch.largest_files, watch.largest_reads) == (6, 24)


def test_the_metrics_expose_backlog_latency_rate_and_keeping_up():
    metrics = LiveMetrics("ctc-test", BacklogWatch(window_s=10))
    metrics.waiting(100.0, 2, 8)
    metrics.file_done(104.0, [1.5, 1.5, 3.0], 30000, 0.2)
    text = metrics.render()
    assert 'edgecall_live_files_waiting{model="ctc-test"} 2' in text
    assert 'edgecall_live_reads_waiting{model="ctc-test"} 8' in text
    assert 'edgecall_live_keeping_up{model="ctc-test"} 1' in text
    assert 'edgecall_live_samples_per_second{model="ctc-test"} 7500.0' in text
    assert 'edgecall_live_read_latency_seconds_bucket{model="ctc-test",le="2.0"} 2' in text
    assert 'edgecall_live_read_latency_seconds_bucket{model="ctc-test",le="+Inf"} 3' in text
    metrics.waiting(120.0, 3, 12)
    assert 'edgecall_live_keeping_up{model="ctc-test"} 0' in metrics.render()
    summary = metrics.summary()
    assert summary["latency_s"] == {"p50": 1.5, "p95": 3.0, "max": 3.0}
    assert summary["largest_backlog"] == {"files": 3, "reads": 12}
    assert summary["keeping_up"] is False


def test_percentiles_are_measured_values():
    assert percentile([], 0.5) is None
    assert percentile([3, 1, 2], 0.5) == 2
    assert percentile(list(range(1, 101)), 0.95) == 95
