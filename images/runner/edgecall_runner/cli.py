"""`edgecall-runner batch|serve`: the same interface for every model."""
import argparse
import json
import os
import sys

from .batch import BatchError, first_signals, run_batch
from .errors import ModelUnavailable
from .limits import add_options, from_args
from .live import bench as live_bench
from .live import command as live
from .models import load_model
from .serve import serve

# Reads an engine is calibrated and checked on: the first of the set, in its stable order.
CALIBRATION_READS = 8


def _model_options(parser):
    default = os.environ.get("EDGECALL_MODEL")
    parser.add_argument("--model", default=default, required=default is None,
                        help="ctc-test, catcaller, chiron, rodan or sacall (default: $EDGECALL_MODEL, which each image sets)")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    parser.add_argument("--precision", choices=("fp32", "fp16", "int8"), default=os.environ.get("EDGECALL_PRECISION", "fp32"),
                        help="fp16: the PyTorch models in half precision, on CUDA only (torch, tensorrt); int8: onnxruntime's static "
                             "quantization or tensorrt, calibrated on reads (default: $EDGECALL_PRECISION or fp32)")
    parser.add_argument("--engine", choices=("torch", "onnxruntime", "tensorrt"), default=os.environ.get("EDGECALL_ENGINE", "torch"),
                        help="torch: the model's own framework; onnxruntime or tensorrt: its graph exported, checked against it "
                             "(default: $EDGECALL_ENGINE or torch)")
    parser.add_argument("--molecule", choices=("dna", "rna"), default="dna", help="what the reads are")
    parser.add_argument("--allow-rna-weights-on-dna", action="store_true",
                        help="let RODAN's RNA-only weights basecall DNA reads (their calls are not meaningful)")


def _run_info(text):
    """--run-info's JSON object, or a ValueError naming the option and what is wrong with it."""
    if not text:
        return {}
    try:
        info = json.loads(text)
    except ValueError as error:
        raise ValueError("--run-info is not JSON ({}); give a JSON object, e.g. '{{\"run_id\": \"r1\"}}'".format(error)) from None
    if not isinstance(info, dict):
        raise ValueError("--run-info must be a JSON object, got {}".format(type(info).__name__))
    return info


def main(argv=None):
    parser = argparse.ArgumentParser(prog="edgecall-runner")
    sub = parser.add_subparsers(dest="command")
    batch = sub.add_parser("batch", help="basecall a converted read set")
    batch.add_argument("--input", required=True, help="the converter's output directory")
    batch.add_argument("--output", required=True)
    _model_options(batch)
    batch.add_argument("--warmup", type=int, default=0, help="reads basecalled before the timed window")
    batch.add_argument("--idle-baseline-s", type=float, default=0.0)
    batch.add_argument("--run-info", help="JSON merged into run.json (run id, repeat, board, ...)")
    server = sub.add_parser("serve", help="answer basecall requests over HTTP")
    server.add_argument("--host", default="0.0.0.0")
    server.add_argument("--port", type=int, default=8080)
    _model_options(server)
    server.add_argument("--calibration-input", help="a converted read set (edgecall-convert's output) to calibrate int8 on")
    add_options(server)
    watch = sub.add_parser("watch", help="basecall a run directory's POD5/FAST5 files as the sequencer writes them")
    live.add_options(watch)
    _model_options(watch)
    bench = sub.add_parser("live-bench", help="the live benchmark: a sequencer stand-in at each speed, a watcher calling its files")
    live_bench.add_options(bench)
    _model_options(bench)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_usage(sys.stderr)
        return 2
    if args.batch_size < 1:
        sys.stderr.write("edgecall-runner: --batch-size must be at least 1\n")
        return 2

    def load():
        # int8 calibrates on the run's own reads (batch) or the ones given (serve); the other engines
        # check their parity on them too.
        calibration_dir = args.input if args.command == "batch" else getattr(args, "calibration_input", None)
        calibration = first_signals(calibration_dir, CALIBRATION_READS) if calibration_dir and args.engine != "torch" else None
        return load_model(args.model, args.device, args.molecule, args.allow_rna_weights_on_dna, args.precision, args.engine, calibration)

    try:
        if args.command == "batch":
            run_info = _run_info(args.run_info)
            run = run_batch(load(), args.input, args.output, args.batch_size, args.warmup, args.idle_baseline_s, run_info)
            sys.stderr.write("edgecall-runner: {} reads basecalled by {}\n".format(run["reads"], run["model"]))
            return 0
        if args.command == "live-bench":
            report = live_bench.run_live_bench(args, load)
            for speed in report["speeds"]:
                sys.stderr.write("edgecall-runner: {}x: {} of {} files called, latency p95 {} s, {}\n".format(
                    speed["speed"], speed["files"], speed["files_written"], speed["latency_s"]["p95"],
                    "fell behind" if speed["fell_behind"] else "kept up"))
            return 0
        if args.command == "watch":
            summary = live.run_watch(args, load)
            sys.stderr.write("edgecall-runner: {} files ({} reads) basecalled by {}, {} set aside\n".format(
                summary["files"], summary["reads"], summary["model"], summary["files_set_aside"]))
            return 0
        return serve(load, args.host, args.port, args.batch_size, from_args(args))
    except (BatchError, ModelUnavailable, ValueError, OSError) as error:
        sys.stderr.write("edgecall-runner: {}\n".format(error))
        return 1


if __name__ == "__main__":
    sys.exit(main())
