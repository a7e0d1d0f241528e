"""Run files for the live tests, written by the sequencer stand-in's own writer from synthetic
signal (the test network calls any signal)."""
import uuid

import numpy

from edgecall_converter.fast5 import RawRead
from edgecall_converter.sequencer.run_files import write_run_file


def reads(count, seed=0, samples=4000):
    generator = numpy.random.default_rng(seed)
    return [
        RawRead(str(uuid.UUID(int=seed * 100000 + i)), generator.integers(300, 700, samples).astype("int16"), 10.0, 1400.0, 2048.0, 4000.0)
        for i in range(count)
    ]


def write(path, count, seed=0, file_format="pod5", in_place=True, samples=4000):
    batch = reads(count, seed, samples)
    write_run_file(str(path), batch, file_format, in_place)
    return [read.read_id for read in batch]
