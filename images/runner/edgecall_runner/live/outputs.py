"""Writing one run file's calls: the FASTQ and a JSON line per read (its latency and size), under
temporary names renamed FASTQ last, so that a file's outputs are all there or not at all."""
import json
import os

from .journal import PARTIAL, output_paths


def _synced(path, text):
    with open(path, "w") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def write_outputs(output_dir, relative, records, completed_at, clock):
    """`records`: (read_id, sequence, quality, samples) in order; `completed_at`: when the run file
    was complete (its last write). Returns each read's record, with the moment its FASTQ record
    became readable and the latency from the file's completion to then."""
    fastq, reads = output_paths(output_dir, relative)
    os.makedirs(os.path.dirname(fastq), exist_ok=True)
    _synced(fastq + PARTIAL, "".join("@{}\n{}\n+\n{}\n".format(read_id, sequence, quality)
                                     for read_id, sequence, quality, _samples in records))
    written_at = clock()
    # The FASTQ is renamed into place after the records, a few milliseconds later than stamped.
    lines = [{"read_id": read_id, "samples": samples, "bases": len(sequence), "completed_at": completed_at,
              "written_at": written_at, "latency_s": round(written_at - completed_at, 4)}
             for read_id, sequence, _quality, samples in records]
    _synced(reads + PARTIAL, "".join(json.dumps(line) + "\n" for line in lines))
    os.rename(reads + PARTIAL, reads)
    os.rename(fastq + PARTIAL, fastq)
    return lines
