"""SACall and CATCaller share their read preparation (the same `generate_dataset` scripts upstream):
trim the open-pore ends by MAD, drop outlier samples, normalise by median/MAD, cut 2048-sample windows
padded with SIG_PAD; the network gives per-window log-probabilities over blank, A, T, C, G, pad."""
import numpy

from .ctc import greedy_decode
from .windows import cut, decode_read, run_windows

WINDOW = 2048
SIG_PAD = -10.0
LABELS = "-ATCG "  # index 0 is the CTC blank, 5 the padding label


def prepare(signal, trim_and_segment_raw, box):
    """Upstream's trimming and outlier removal. Upstream drops a read it cannot trim; a benchmark must
    call every read, so such a read goes on untrimmed."""
    raw = numpy.asarray(signal, dtype="float32")
    trimmed = trim_and_segment_raw(raw, 200, 200, 200, 0.9)
    if len(trimmed) < 0.6 * len(raw):
        trimmed = raw
    kept = box(numpy.asarray(trimmed), 1000)
    if len(kept) == 0:
        kept = trimmed
    kept = numpy.asarray(kept, dtype="float32")
    median = numpy.median(kept)
    mad = 1.4826 * numpy.median(numpy.abs(kept - median))
    return (kept - median) / (mad if mad > 0 else 1.0)


def windows_of(signals):
    """The windows the network sees for these prepared reads: what an engine is calibrated and checked on."""
    return [cut(signal, WINDOW, SIG_PAD) for signal in signals]


def basecall_windows(forward, signals, max_rows):
    """Every read of the batch: its windows through `forward` (windows -> probabilities), their steps
    decoded as one."""
    per_read = run_windows(signals, WINDOW, SIG_PAD, forward, max_rows)
    return [decode_read(windows, lambda steps: greedy_decode(steps, LABELS), dropped=" ") for windows in per_read]
