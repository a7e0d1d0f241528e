"""`edgecall-runner live-bench`: the live benchmark of one model. For each speed (a multiple of the
flow cell's signal rate) the sequencer stand-in replays the benchmark's reads into a fresh run
directory for a fixed time while a watcher, with the model loaded once, calls them; the figures of
every speed go to one JSON file. The verdict is the reader's (domain/live.ts): this records what was
measured."""
import json
import os
import subprocess
import sys
import time

from .backlog import BacklogWatch
from .live_metrics import LiveMetrics
from .watcher import Watcher, WatchSettings


def add_options(parser):
    parser.add_argument("--dataset", required=True, help="directory of the FAST5/POD5 reads to replay")
    parser.add_argument("--manifest", help="the benchmark manifest: replay only its files and reads")
    parser.add_argument("--work", required=True, help="scratch directory for each speed's run directory and calls")
    parser.add_argument("--out", required=True, help="the JSON file of every speed's figures")
    parser.add_argument("--speeds", required=True, help="comma-separated multiples of the flow cell's rate, e.g. 0.5,1,2")
    parser.add_argument("--duration-s", type=float, required=True, help="seconds of sequencing per speed")
    parser.add_argument("--channels", type=int, default=512)
    parser.add_argument("--sample-rate-hz", type=float, default=4000)
    parser.add_argument("--occupancy", type=float, default=0.8)
    parser.add_argument("--reads-per-file", type=int, default=20)
    parser.add_argument("--format", choices=("pod5", "fast5"), default="fast5",
                        help="fast5 by default: the JetPack 4 images have no pod5 package")
    parser.add_argument("--backlog-window-s", type=float, default=10.0)


def _speeds(text):
    try:
        speeds = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise ValueError("--speeds {!r}: give numbers separated by commas, e.g. 0.5,1,2".format(text)) from None
    if not speeds or any(speed <= 0 for speed in speeds):
        raise ValueError("--speeds {!r}: every speed must be a positive multiple of the flow cell's rate".format(text))
    return speeds


def _sequencer(args, run_dir, speed, log):
    command = [sys.executable, "-m", "edgecall_converter.sequencer.cli", "--dataset", args.dataset, "--run-dir", run_dir,
               "--channels", str(args.channels), "--sample-rate-hz", str(args.sample_rate_hz), "--occupancy", str(args.occupancy),
               "--speed", str(speed), "--reads-per-file", str(args.reads_per_file), "--duration-s", str(args.duration_s),
               "--format", args.format, "--log", log]
    if args.manifest:
        command += ["--manifest", args.manifest]
    return subprocess.Popen(command, stderr=subprocess.PIPE, universal_newlines=True)


def _one_speed(model, args, index, speed):
    base = os.path.join(args.work, "speed-{}".format(index))
    run_dir, out_dir, log = os.path.join(base, "run"), os.path.join(base, "calls"), os.path.join(base, "sequencer.jsonl")
    os.makedirs(run_dir)
    metrics = LiveMetrics(model.name, BacklogWatch(args.backlog_window_s))
    settings = WatchSettings(args.batch_size, settle_s=1.0, poll_s=0.5, rescan_s=10.0, set_aside_after_s=60.0, exit_when_idle_s=1.0)
    watcher = Watcher(model, run_dir, out_dir, settings, metrics)
    sequencer = _sequencer(args, run_dir, speed, log)
    started = time.time()
    watcher.producer_done = lambda: sequencer.poll() is not None
    try:
        watcher.run()
    finally:
        watcher.close()
        if sequencer.poll() is None:
            sequencer.kill()
    errors = sequencer.stderr.read()
    if sequencer.wait() != 0:
        raise ValueError("edgecall-sequencer at {}x failed: {}".format(speed, errors.strip().splitlines()[-1] if errors.strip() else "no message"))
    files = [json.loads(line) for line in open(log) if line.strip()]
    if not files:
        raise ValueError("edgecall-sequencer at {}x wrote no file in {} s: raise --duration-s or lower --reads-per-file".format(
            speed, args.duration_s))
    ended = files[-1]["completed_at"]
    done = [entry for entry in watcher.journal.entries.values() if entry.get("state") == "done"]
    summary = metrics.summary()
    summary.update({
        "speed": speed,
        "requested_samples_per_s": args.channels * args.sample_rate_hz * args.occupancy * speed,
        "sequencing_s": round(ended - started, 3),
        "files_written": len(files),
        "samples_written": sum(entry["samples"] for entry in files),
        "sequencer_lag_s": max(entry["lag_s"] for entry in files),
        # The backlog the moment the sequencer finished: what a watcher that keeps up has all but done.
        "samples_called_by_end": sum(entry["samples"] for entry in done if entry["done_at"] <= ended),
        "calling_ended_s": round(max(entry["done_at"] for entry in done) - started, 3) if done else None,
    })
    return summary


def run_live_bench(args, load):
    speeds = _speeds(args.speeds)
    if args.duration_s <= 0:
        raise ValueError("--duration-s must be positive, got {}".format(args.duration_s))
    if os.path.exists(args.work) and os.listdir(args.work):
        raise ValueError("--work {}: not empty; give a new directory".format(args.work))
    model = load()
    results = [_one_speed(model, args, index, speed) for index, speed in enumerate(speeds)]
    info = model.info()
    report = {
        "model": model.name,
        "engine": (info.get("engine") or {}).get("engine", "torch"),
        "precision": info.get("precision", "fp32"),
        "flow_cell": {"channels": args.channels, "sample_rate_hz": args.sample_rate_hz, "occupancy": args.occupancy},
        "reads_per_file": args.reads_per_file,
        "duration_s": args.duration_s,
        "backlog_window_s": args.backlog_window_s,
        "speeds": results,
    }
    with open(args.out + ".partial", "w") as handle:
        json.dump(report, handle, indent=2)
    os.rename(args.out + ".partial", args.out)
    return report
