"""Converts the selected reads and accounts for every file and read."""
import json
import os

from . import staging
from .fast5 import Fast5Error, iter_reads
from .layouts import LAYOUTS, Writer
from .manifest import fast5_files, read_manifest, sha256_of
from .pod5_reads import iter_pod5_reads


class InputError(ValueError):
    """An --input that is not a directory: named before anything is written."""


def _check_input(input_dir):
    if not os.path.exists(input_dir):
        raise InputError("--input {}: no such directory".format(input_dir))
    if not os.path.isdir(input_dir):
        raise InputError("--input {}: not a directory".format(input_dir))


def _within(path, directory):
    path, directory = os.path.realpath(path), os.path.realpath(directory)
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def _check_output(output_dir, input_dir, manifest):
    """The output directory is replaced whole, so it must not hold an input: that would delete the
    dataset or the manifest. Nor may it lie inside --input, where its files would be read as input
    by the next run."""
    if os.path.exists(output_dir) and not os.path.isdir(output_dir):
        raise InputError("--output {}: not a directory".format(output_dir))
    if _within(input_dir, output_dir) or _within(output_dir, input_dir):
        raise InputError("--output {}: overlaps --input {}; choose a directory outside it".format(output_dir, input_dir))
    if manifest is not None and _within(manifest, output_dir):
        raise InputError("--output {}: holds --manifest {}; choose a directory outside it".format(output_dir, manifest))


def convert(input_dir, output_dir, model, manifest=None):
    """Converts and returns the report written to `output_dir/conversion.json`. Files that are
    corrupt, truncated, unreadable or do not match their sha256 are skipped with their reason;
    `files_seen == files_converted + len(skipped)` and
    `reads_found == reads_converted + len(duplicate_reads) + reads left out by the manifest` hold; a
    read id seen before (the same read in two files) is converted once and reported.

    The output directory is replaced whole, and only by a conversion that converted reads: an error
    or a run without a single read leaves it as it was (or absent)."""
    if model not in LAYOUTS:
        raise ValueError("unknown model {!r}: one of {}".format(model, ", ".join(sorted(LAYOUTS))))
    _check_input(input_dir)
    _check_output(output_dir, input_dir, manifest)
    if manifest is not None:
        rows = read_manifest(manifest)
    else:
        rows = [(name, None, None) for name in fast5_files(input_dir)]
    wanted = {}
    for name, digest, read_id in rows:
        entry = wanted.setdefault(name, {"sha256": digest, "reads": set()})
        if read_id is not None:
            entry["reads"].add(read_id)

    staged = staging.start(output_dir)
    try:
        report = _convert_into(staged, input_dir, model, wanted)
        if report["reads_converted"] > 0:
            staging.publish(staged, output_dir)
    finally:
        # Gone once published; otherwise (no reads, an error, an interrupt) nothing of it may stay.
        staging.discard(staged)
    return report


def _convert_into(output_dir, input_dir, model, wanted):
    writer = Writer(LAYOUTS[model], output_dir)
    report = {
        "model": model,
        "layout": LAYOUTS[model],
        "files_seen": 0,
        "files_converted": 0,
        "reads_found": 0,
        "reads_converted": 0,
        "skipped": [],
        "missing_reads": [],
        "duplicate_reads": [],
    }
    first_file = {}
    for name in sorted(wanted):
        entry = wanted[name]
        path = os.path.join(input_dir, name)
        report["files_seen"] += 1
        if not os.path.isfile(path):
            report["skipped"].append({"file": name, "reason": "not found"})
            continue
        if entry["sha256"] is not None and sha256_of(path) != entry["sha256"]:
            report["skipped"].append({"file": name, "reason": "sha256 differs from the manifest"})
            continue
        try:
            reads = list(iter_pod5_reads(path) if name.endswith(".pod5") else iter_reads(path))
        except Fast5Error as error:
            report["skipped"].append({"file": name, "reason": str(error)})
            continue
        report["files_converted"] += 1
        report["reads_found"] += len(reads)
        selected = [r for r in reads if not entry["reads"] or r.read_id in entry["reads"]]
        found_ids = set(r.read_id for r in reads)
        report["missing_reads"].extend(sorted(entry["reads"] - found_ids))
        for read in selected:
            if read.read_id in first_file:
                report["duplicate_reads"].append({"read_id": read.read_id, "file": name, "first_file": first_file[read.read_id]})
                continue
            first_file[read.read_id] = name
            writer.add(read)
            report["reads_converted"] += 1
    writer.close()
    with open(os.path.join(output_dir, "conversion.json"), "w") as handle:
        json.dump(report, handle, indent=2)
    return report
