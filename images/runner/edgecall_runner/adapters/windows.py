"""Cutting every read of a batch into fixed-length windows and giving each read its own rows back.

The seed's SACall and CATCaller images took `signal[0]` of each loader batch, so only the first read
of a batch was basecalled. Here the windows of all reads go through the network together and are
split back by each read's row count, so every read gets a call."""
import numpy


def cut(signal, length, pad_value):
    """Non-overlapping windows of `length` samples; the last one is padded with `pad_value`."""
    rows = max(1, -(-len(signal) // length))
    out = numpy.full((rows, length), pad_value, dtype="float32")
    for row in range(rows):
        piece = signal[row * length:(row + 1) * length]
        out[row, :len(piece)] = piece
    return out


def run_windows(signals, length, pad_value, forward, max_rows):
    """`forward(windows) -> per-window outputs` (first axis = window). Returns one array per read:
    its windows' outputs in order. At most `max_rows` windows go through `forward` at once."""
    per_read = [cut(signal, length, pad_value) for signal in signals]
    stacked = numpy.concatenate(per_read, axis=0)
    outputs = [forward(stacked[start:start + max_rows]) for start in range(0, len(stacked), max_rows)]
    merged = numpy.concatenate(outputs, axis=0)
    results, start = [], 0
    for windows in per_read:
        results.append(merged[start:start + len(windows)])
        start += len(windows)
    return results


def decode_read(window_outputs, decode, dropped=""):
    """One read's call from its windows' per-step probabilities (windows x steps x classes), decoded as
    one sequence of steps. Upstream RODAN, SACall and CATCaller cut reads into windows that do not
    overlap and decode each window alone, so a base whose steps straddle a join comes out twice (or,
    for a pad-aware decoder, its halves are merged wrongly); decoding the joined steps gives CTC's
    collapse across the join. `decode(steps x classes) -> (sequence, quality)`; bases in `dropped`
    (the padding label) are left out."""
    steps = numpy.concatenate(list(window_outputs), axis=0)
    sequence, quality = decode(steps)
    if not dropped:
        return sequence, quality
    kept = [(base, score) for base, score in zip(sequence, quality) if base not in dropped]
    return "".join(b for b, _s in kept), "".join(s for _b, s in kept)
