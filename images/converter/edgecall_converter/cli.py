"""`edgecall-convert`: FAST5 to a model's input layout, with a report of every file and read."""
import argparse
import sys

from .convert import convert
from .layouts import LAYOUTS
from .manifest import ManifestError


def main(argv=None):
    parser = argparse.ArgumentParser(prog="edgecall-convert", description=__doc__)
    parser.add_argument("--input", required=True, help="directory of FAST5 files")
    parser.add_argument("--output", required=True, help="directory for the converted reads")
    parser.add_argument("--model", required=True, choices=sorted(LAYOUTS))
    parser.add_argument("--manifest", help="TSV file<TAB>sha256[<TAB>read_id]; without it every .fast5 file")
    args = parser.parse_args(argv)
    try:
        report = convert(args.input, args.output, args.model, args.manifest)
    except (ManifestError, OSError, ValueError) as error:
        sys.stderr.write("edgecall-convert: {}\n".format(error))
        return 1
    sys.stderr.write(
        "edgecall-convert: {} reads converted from {} of {} files ({} reads found)\n".format(
            report["reads_converted"], report["files_converted"], report["files_seen"], report["reads_found"]
        )
    )
    for skipped in report["skipped"]:
        sys.stderr.write("edgecall-convert: skipped {}: {}\n".format(skipped["file"], skipped["reason"]))
    for duplicate in report["duplicate_reads"]:
        sys.stderr.write(
            "edgecall-convert: read {} in {} is already in {}; converted once\n".format(
                duplicate["read_id"], duplicate["file"], duplicate["first_file"]
            )
        )
    for read_id in report["missing_reads"]:
        sys.stderr.write("edgecall-convert: read {} is not in its file\n".format(read_id))
    if report["reads_converted"] == 0:
        sys.stderr.write("edgecall-convert: no reads converted; {} left as it was\n".format(args.output))
        return 1
    # A benchmark must measure exactly its read set: a skipped file, a missing or a duplicate read
    # fails the run.
    return 2 if report["skipped"] or report["missing_reads"] or report["duplicate_reads"] else 0


if __name__ == "__main__":
    sys.exit(main())
