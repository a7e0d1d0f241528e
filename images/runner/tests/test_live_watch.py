"""`edgecall-runner watch` as a process on a directory that grows: inotify and polling, a file
written in place not read before its footer, a corrupt file set aside, and SIGKILLs at random points
losing and repeating no read."""
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from live_files import write


def _watch(run_dir, out_dir, *extra):
    return subprocess.Popen(
        [sys.executable, "-m", "edgecall_runner.cli", "watch", "--model", "ctc-test", "--input", str(run_dir),
         "--output", str(out_dir), "--set-aside-after-s", "1.5", "--settle-s", "0.5", "--poll-s", "0.2", *extra],
        stderr=subprocess.PIPE, text=True,
    )


def _journal(out_dir):
    path = out_dir / "journal.jsonl"
    if not path.exists():
        return {}
    entries = {}
    for line in path.read_text().splitlines():
        if line.strip():
            entry = json.loads(line)
            entries[entry["file"]] = entry
    return entries


def _fastq_ids(out_dir):
    ids = []
    for root, _dirs, files in os.walk(out_dir / "calls"):
        for name in files:
            if name.endswith(".fastq"):
                lines = open(os.path.join(root, name)).read().splitlines()
                ids += [line[1:] for line in lines[0::4]]
    return ids


def _wait_for(condition, timeout_s, what):
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("not within {} s: {}".format(timeout_s, what))


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _follows_a_growing_run(tmp_path, *mode):
    run_dir, out_dir = tmp_path / "run", tmp_path / "out"
    (run_dir / "pod5").mkdir(parents=True)
    port = _free_port()
    watcher = _watch(run_dir, out_dir, "--exit-when-idle-s", "4", "--metrics-port", str(port), *mode)
    try:
        expected = write(run_dir / "pod5" / "a.pod5", 4, seed=1, in_place=False)
        _wait_for(lambda: "pod5/a.pod5" in _journal(out_dir), 20, "a.pod5 called")
        # The journal line comes a moment before the metrics count the file.
        def scraped():
            return urllib.request.urlopen("http://127.0.0.1:{}/metrics".format(port), timeout=10).read().decode()

        _wait_for(lambda: 'edgecall_live_reads_total{model="ctc-test"} 4' in scraped(), 10, "the metrics count a.pod5")
        assert "edgecall_live_read_latency_seconds_count 4" in scraped()
        # A writer that writes in place: everything but the footer, for longer than a read takes.
        whole_file = tmp_path / "b.pod5"
        expected += write(whole_file, 4, seed=2)
        data = whole_file.read_bytes()
        (run_dir / "pod5" / "b.pod5").write_bytes(data[: len(data) // 2])
        time.sleep(1.0)
        assert "pod5/b.pod5" not in _journal(out_dir)
        (run_dir / "pod5" / "b.pod5").write_bytes(data)
        footer_at = time.time()
        # A new subdirectory, as MinKNOW makes for each run.
        (run_dir / "pod5_2").mkdir()
        expected += write(run_dir / "pod5_2" / "c.fast5", 3, seed=3, file_format="fast5", in_place=False)
        # A corrupt file: signatures at both ends, nothing readable between.
        (run_dir / "pod5" / "broken.pod5").write_bytes(b"\x8bPOD\r\n\x1a\n" + b"\0" * 512 + b"\x8bPOD\r\n\x1a\n")
        assert watcher.wait(timeout=60) == 0, watcher.stderr.read()
    finally:
        watcher.kill()
    journal = _journal(out_dir)
    assert journal["pod5/b.pod5"]["started_at"] >= footer_at - 0.05
    assert journal["pod5/broken.pod5"]["state"] == "set_aside"
    assert "not a readable POD5 file" in journal["pod5/broken.pod5"]["reason"]
    assert (run_dir / ".edgecall-set-aside" / "pod5" / "broken.pod5").exists()
    assert sorted(_fastq_ids(out_dir)) == sorted(expected)
    summary = json.loads((out_dir / "live-summary.json").read_text())
    assert (summary["files"], summary["reads"], summary["files_set_aside"]) == (3, 11, 1)
    return journal


def test_watch_with_inotify_calls_each_file_once_it_is_whole_and_sets_aside_a_corrupt_one(tmp_path):
    journal = _follows_a_growing_run(tmp_path)
    # Renamed into place: picked up without a polling delay.
    assert journal["pod5/a.pod5"]["started_at"] - journal["pod5/a.pod5"]["completed_at"] < 0.5


def test_watch_by_polling_does_the_same(tmp_path):
    _follows_a_growing_run(tmp_path, "--poll")


def test_sigkill_at_random_points_loses_and_repeats_no_read(tmp_path):
    run_dir, out_dir = tmp_path / "run", tmp_path / "out"
    run_dir.mkdir()
    expected = []
    for number in range(24):
        expected += write(run_dir / "f{:02d}.pod5".format(number), 6, seed=10 + number, samples=60000, in_place=False)
    chooser = random.Random(int(os.environ.get("EDGECALL_KILL_SEED", "7")))
    interrupted = 0
    for _ in range(6):
        before = len(_journal(out_dir))
        watcher = _watch(run_dir, out_dir, "--once")
        # Once it is calling files (the model has loaded): at a random point within the next files.
        def calling(watcher=watcher, before=before):
            return len(_journal(out_dir)) > before or watcher.poll() is not None

        _wait_for(calling, 30, "a file called")
        time.sleep(chooser.uniform(0.0, 0.4))
        watcher.send_signal(signal.SIGKILL)
        watcher.wait()
        interrupted += 0 < len(_journal(out_dir)) < 24
    # The kills must have landed while work was left, or this test shows nothing.
    assert interrupted >= 3, "only {} of 6 kills came while files were left".format(interrupted)
    finisher = _watch(run_dir, out_dir, "--once")
    assert finisher.wait(timeout=120) == 0, finisher.stderr.read()
    ids = _fastq_ids(out_dir)
    assert len(ids) == len(set(ids)), "a read written twice"
    assert sorted(ids) == sorted(expected)
    assert len(_journal(out_dir)) == 24
