"""`edgecall-sequencer`: replays a dataset into a run directory at a flow cell's signal rate."""
import argparse
import os
import sys

from .flow_cell import MINION_R10, FlowCell, samples_per_second
from .replay import ReplayError, load_dataset, replay


def main(argv=None):
    parser = argparse.ArgumentParser(prog="edgecall-sequencer", description=__doc__)
    parser.add_argument("--dataset", required=True, help="directory of FAST5 or POD5 files to replay")
    parser.add_argument("--manifest", help="replay only the files and reads of a benchmark manifest (file<TAB>sha256[<TAB>read_id])")
    parser.add_argument("--run-dir", required=True, help="the directory a watcher follows")
    parser.add_argument("--channels", type=int, default=MINION_R10.channels)
    parser.add_argument("--sample-rate-hz", type=float, default=MINION_R10.sample_rate_hz)
    parser.add_argument("--occupancy", type=float, default=MINION_R10.occupancy, help="share of channels sequencing")
    parser.add_argument("--speed", type=float, default=1.0, help="multiple of the flow cell's rate (0.5, 1, 2, ...)")
    parser.add_argument("--reads-per-file", type=int, default=4000, help="MinKNOW's FAST5 default was 4000")
    parser.add_argument("--duration-s", type=float, help="seconds of sequencing to replay")
    parser.add_argument("--max-files", type=int, help="stop after this many files")
    parser.add_argument("--format", choices=("pod5", "fast5"), default="pod5")
    parser.add_argument("--in-place", action="store_true", help="write under the final name instead of renaming a temporary file")
    parser.add_argument("--log", help="JSON lines, one per file written (default: standard output)")
    args = parser.parse_args(argv)
    try:
        rate = samples_per_second(FlowCell(args.channels, args.sample_rate_hz, args.occupancy), args.speed)
        reads = load_dataset(args.dataset, args.manifest)
        if args.log and os.path.dirname(args.log):
            os.makedirs(os.path.dirname(args.log), exist_ok=True)
        log = open(args.log, "a") if args.log else sys.stdout
        try:
            written = replay(reads, args.run_dir, rate, args.reads_per_file, args.duration_s, args.max_files,
                             args.format, args.in_place, log)
        finally:
            if log is not sys.stdout:
                log.close()
    except (ReplayError, ValueError, OSError) as error:
        sys.stderr.write("edgecall-sequencer: {}\n".format(error))
        return 1
    except KeyboardInterrupt:
        return 130
    sys.stderr.write("edgecall-sequencer: {} files, {} reads at {:.0f} samples/s into {}\n".format(
        len(written), sum(entry["reads"] for entry in written), rate, args.run_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
