"""The input layout each basecaller reads (see the README's model table)."""
import json
import os

import h5py
import numpy

from .fast5 import to_picoamps

# What each upstream tool reads by itself: CATCaller and SACall single-read FAST5 only; Chiron one
# raw-signal text file per read; RODAN and the test network need nothing more than the npz. Every layout
# also gets `reads.npz` (read id -> picoamperes), which is what `edgecall-runner batch` reads for every
# model; the native files let the upstream tool be run on the same reads to cross-check the adapter.
# `load.jsonl` holds the same picoamperes one read a line ({"read_id", "signal", "sampling_rate"}): the
# load manifest `edgecall loadgen` sends to a model service, so the service gets what batch mode reads.
LAYOUTS = {
    "catcaller": "single-fast5",
    "sacall": "single-fast5",
    "chiron": "signal-text",
    "rodan": "npz",
    "ctc-test": "npz",
}


def _safe(read_id):
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in read_id)


class Writer(object):
    """Writes converted reads into one output directory in one layout."""

    def __init__(self, layout, output):
        self.layout = layout
        self.output = output
        self.arrays = {}
        os.makedirs(output, exist_ok=True)
        self.load = open(os.path.join(output, "load.jsonl"), "w")

    def add(self, read):
        name = _safe(read.read_id)
        if self.layout == "single-fast5":
            with h5py.File(os.path.join(self.output, name + ".fast5"), "w") as out:
                group = out.create_group("Raw/Reads/Read_0")
                # Fixed-length bytes: upstream reads it with `.attrs['read_id'].decode('UTF-8')`.
                group.attrs["read_id"] = numpy.bytes_(read.read_id.encode("ascii", "replace"))
                group.create_dataset("Signal", data=read.signal.astype("int16"))
                channel = out.create_group("UniqueGlobalKey/channel_id")
                channel.attrs["offset"] = read.offset
                channel.attrs["range"] = read.range
                channel.attrs["digitisation"] = read.digitisation
                channel.attrs["sampling_rate"] = read.sampling_rate
        elif self.layout == "signal-text":
            with open(os.path.join(self.output, name + ".signal"), "w") as out:
                out.write(" ".join(str(int(v)) for v in read.signal))
                out.write("\n")
        picoamps = to_picoamps(read)
        self.arrays[read.read_id] = picoamps
        # Two decimals of a picoampere: finer than the ADC step, and a third the size of full floats.
        signal = [round(float(v), 2) for v in picoamps]
        self.load.write(json.dumps({"read_id": read.read_id, "signal": signal, "sampling_rate": float(read.sampling_rate)}) + "\n")

    def close(self):
        numpy.savez(os.path.join(self.output, "reads.npz"), **self.arrays)
        self.load.close()
