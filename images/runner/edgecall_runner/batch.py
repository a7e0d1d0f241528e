"""`edgecall-runner batch`: basecalls a converted read set and writes calls.fastq, reads.jsonl and
run.json (ARCHITECTURE section 5)."""
import json
import os
import time
import zipfile

import numpy

from .timing import now_iso


class BatchError(Exception):
    """Bad input for a batch run; the message names the file."""


def load_reads(input_dir):
    """The converter's picoampere arrays (`reads.npz`), in a stable order."""
    path = os.path.join(input_dir, "reads.npz")
    if not os.path.isfile(path):
        raise BatchError("{}: not found (convert the reads with edgecall-convert first)".format(path))
    try:
        with numpy.load(path) as arrays:
            reads = [(read_id, arrays[read_id]) for read_id in sorted(arrays.files)]
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise BatchError("{}: corrupt or cut off ({}); run edgecall-convert again".format(path, error)) from None
    if not reads:
        raise BatchError("{}: no reads".format(path))
    return reads


def first_signals(input_dir, count):
    """The signals of the first `count` reads of a converted set, without loading the rest."""
    path = os.path.join(input_dir, "reads.npz")
    if not os.path.isfile(path):
        raise BatchError("{}: not found (convert the reads with edgecall-convert first)".format(path))
    try:
        with numpy.load(path) as arrays:
            return [arrays[read_id] for read_id in sorted(arrays.files)[:count]]
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise BatchError("{}: corrupt or cut off ({}); run edgecall-convert again".format(path, error)) from None


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def run_batch(model, input_dir, output_dir, batch_size, warmup=0, idle_baseline_s=0.0, run_info=None):
    """Basecalls every read once: the first `warmup` reads before the timed window, then the rest in
    batches. Every read gets one FASTQ record and one reads.jsonl line."""
    reads = load_reads(input_dir)
    warmup = min(warmup, len(reads))
    if not os.path.isdir(output_dir):
        os.makedirs(output_dir)
    baseline = None
    if idle_baseline_s > 0:
        start = now_iso()
        time.sleep(idle_baseline_s)
        baseline = {"start": start, "end": now_iso()}

    fastq = open(os.path.join(output_dir, "calls.fastq"), "w")
    timings = open(os.path.join(output_dir, "reads.jsonl"), "w")
    window = {}
    try:
        for phase, subset in (("warmup", reads[:warmup]), ("timed", reads[warmup:])):
            if phase == "timed":
                window["start"] = now_iso()
            for batch in _chunks(subset, batch_size):
                started = now_iso()
                calls = model.basecall([signal for _read_id, signal in batch])
                ended = now_iso()
                if len(calls) != len(batch):
                    raise BatchError("the model returned {} calls for a batch of {} reads".format(len(calls), len(batch)))
                for (read_id, signal), (sequence, quality) in zip(batch, calls):
                    fastq.write("@{}\n{}\n+\n{}\n".format(read_id, sequence, quality))
                    record = {"read_id": read_id, "samples": int(len(signal)), "bases": len(sequence), "start": started, "end": ended}
                    if phase == "warmup":
                        record["warmup"] = True
                    timings.write(json.dumps(record) + "\n")
            if phase == "timed":
                window["end"] = now_iso()
    finally:
        fastq.close()
        timings.close()

    info = model.info()
    run = dict(run_info or {})
    run.update({
        "model": model.name,
        "upstream_commit": model.upstream_commit,
        "weights_sha256": model.weights_sha256,
        "weights_verified": bool(getattr(model, "weights_verified", False)),
        "device": info.get("device"),
        "precision": info.get("precision", "fp32"),
        "framework_versions": info.get("framework_versions", {}),
        "start": window["start"],
        "end": window["end"],
        "baseline": baseline,
        "batch_size": batch_size,
        "warmup_reads": warmup,
        "reads": len(reads),
    })
    if info.get("stand_in"):
        run["stand_in"] = info["stand_in"]
    engine = info.get("engine")
    run["engine"] = engine["engine"] if engine else "torch"
    if engine:
        # Made before the timed window: its time is recorded, never counted in the throughput.
        run["engine_artifact_sha256"] = engine["artifact_sha256"]
        run["engine_build_s"] = engine["build_s"]
        run["engine_parity"] = engine["parity"]
    with open(os.path.join(output_dir, "run.json"), "w") as handle:
        json.dump(run, handle, indent=2)
    return run
