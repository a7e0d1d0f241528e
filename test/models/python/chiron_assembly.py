"""Chiron without TensorFlow: the adapter's segment cut and upstream's assembler (chiron/utils/
easy_assembler.py, which needs only NumPy, six and biopython) on a constructed read. Each segment's
"call" is exactly the bases whose samples it covers, as a perfect network would give; the assembled
read must be the constructed one, no base doubled or lost where segments overlap.
Usage: chiron_assembly.py UPSTREAM_DIR; prints JSON."""
import json
import sys

import numpy

from edgecall_runner.adapters.chiron import JUMP, SEGMENT, segments

SAMPLES_PER_BASE = 10  # about what R9.4 gives at 4 kHz (450 bases/s)


def main():
    sys.path.insert(0, sys.argv[1])
    from chiron.utils.easy_assembler import simple_assembly_qs

    bases = "".join(numpy.random.RandomState(11).choice(list("ACGT"), size=200))
    # The base each sample belongs to, written into the signal so the cut can be checked against it.
    signal = numpy.repeat(numpy.arange(len(bases), dtype="float32"), SAMPLES_PER_BASE)
    cut, lengths = segments(signal)
    calls, qualities = [], []
    for row, length in zip(cut, lengths):
        covered = sorted(set(int(v) for v in row[:length]))
        # A base is called by a segment that holds all of its samples, as a network would need.
        whole = [i for i in covered if (row[:length] == i).sum() == SAMPLES_PER_BASE]
        calls.append("".join(bases[i] for i in whole))
        qualities.append(numpy.ones(1))
    # chiron_eval.get_assembler_kernal(30, 400) picks the 'simple' kernel (the adapter asks it).
    kernel = "simple" if JUMP <= 0.9 * SEGMENT else "glue"
    consensus, _qs = simple_assembly_qs(calls, qualities, JUMP / float(SEGMENT), kernal=kernel)
    assembled = "".join("ACGT"[i] for i in numpy.argmax(consensus, axis=0))
    print(json.dumps({"expected": bases, "assembled": assembled, "segments": len(calls), "kernel": kernel,
                      "concatenated": len("".join(calls))}))


if __name__ == "__main__":
    main()
