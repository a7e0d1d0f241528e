"""Replays a dataset's reads into a run directory at a signal rate: each file appears once the
sequencer would have finished sequencing its reads, so the directory grows as a real run's does."""
import json
import os
import time

from ..fast5 import Fast5Error, iter_reads
from ..manifest import ManifestError, fast5_files, read_manifest
from ..pod5_reads import iter_pod5_reads
from .run_files import renamed, write_run_file


class ReplayError(Exception):
    """A dataset or run directory that cannot be replayed; the message names it."""


def load_dataset(dataset_dir, manifest=None):
    """Every read of every FAST5 and POD5 file under `dataset_dir` (or of the files and reads a
    benchmark manifest lists), in a stable order."""
    if not os.path.isdir(dataset_dir):
        raise ReplayError("--dataset {}: no such directory".format(dataset_dir))
    if manifest is None:
        wanted = {name: None for name in fast5_files(dataset_dir)}
    else:
        try:
            rows = read_manifest(manifest)
        except (ManifestError, OSError) as error:
            raise ReplayError("--manifest: {}".format(error)) from None
        wanted = {}
        for name, _digest, read_id in rows:
            ids = wanted.setdefault(name, set())
            if read_id is None:
                wanted[name] = None
            elif ids is not None:
                ids.add(read_id)
    reads = []
    for name in sorted(wanted):
        path = os.path.join(dataset_dir, name)
        try:
            found = list(iter_pod5_reads(path) if name.endswith(".pod5") else iter_reads(path))
        except Fast5Error as error:
            raise ReplayError("--dataset: {}".format(error)) from None
        ids = wanted[name]
        reads.extend(read for read in found if ids is None or read.read_id in ids)
    if not reads:
        raise ReplayError("--dataset {}: no FAST5 or POD5 reads in it{}".format(dataset_dir, " that --manifest lists" if manifest else ""))
    return reads


def _files_of_reads(reads, reads_per_file):
    """Endless files of `reads_per_file` reads: the dataset again and again, new read ids each pass."""
    pass_number, position, batch = 0, 0, []
    while True:
        batch.append(renamed(reads[position], pass_number))
        position += 1
        if position == len(reads):
            pass_number, position = pass_number + 1, 0
        if len(batch) == reads_per_file:
            yield batch
            batch = []


def replay(reads, run_dir, samples_per_s, reads_per_file, duration_s=None, max_files=None,
           file_format="pod5", in_place=False, log=None, clock=time.monotonic, sleep=time.sleep):
    """Writes files into `run_dir` until `duration_s` of sequencing or `max_files`; returns the list
    of what it wrote, one dict per file (also written to `log` as JSON lines as it goes)."""
    if reads_per_file < 1:
        raise ReplayError("--reads-per-file must be at least 1, got {}".format(reads_per_file))
    if duration_s is None and max_files is None:
        raise ReplayError("give --duration-s or --max-files: a replay has no natural end")
    os.makedirs(run_dir, exist_ok=True)
    written = []
    started = clock()
    sequenced = 0
    for number, batch in enumerate(_files_of_reads(reads, reads_per_file)):
        if max_files is not None and number >= max_files:
            break
        sequenced += sum(len(read.signal) for read in batch)
        due = sequenced / samples_per_s
        if duration_s is not None and due > duration_s:
            break
        wait = started + due - clock()
        if wait > 0:
            sleep(wait)
        name = "edgecall_sim_{}.{}".format(str(number).rjust(6, "0"), file_format)
        path = os.path.join(run_dir, name)
        write_run_file(path, batch, file_format, in_place)
        entry = {
            "file": name, "reads": len(batch), "samples": sum(len(read.signal) for read in batch),
            "read_ids": [read.read_id for read in batch], "completed_at": time.time(),
            "lag_s": round(max(0.0, clock() - started - due), 3),
        }
        written.append(entry)
        if log is not None:
            log.write(json.dumps(entry) + "\n")
            log.flush()
    return written
