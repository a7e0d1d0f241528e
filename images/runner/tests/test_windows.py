"""The adapters' windowing and the join of a read's windows, on constructed signals (no framework)."""
import numpy

from edgecall_runner.adapters.ctc import greedy_decode
from edgecall_runner.adapters.windows import decode_read, run_windows


def test_every_read_of_a_batch_gets_its_own_windows_back_whatever_the_lengths_and_rows_per_pass():
    signals = [numpy.full(n, float(i + 1)) for i, n in enumerate([5000, 10, 2048, 4097, 1])]
    passes = []

    def forward(windows):
        passes.append(len(windows))
        return windows[:, :1]

    out = run_windows(signals, 2048, -10.0, forward, 3)
    assert [len(o) for o in out] == [3, 1, 1, 3, 1]
    assert [sorted(set(o[:, 0].tolist())) for o in out] == [[1], [2], [3], [4], [5]]
    assert max(passes) == 3


def test_a_read_s_windows_join_without_a_base_lost_or_doubled():
    # A read whose per-step labels are written into the signal: each base held for 4 steps, then 3
    # blank steps. Windows of 25 steps cut through bases, as real joins do.
    alphabet, stride, window = "NACGT", 4, 100
    bases = numpy.random.RandomState(7).randint(1, 5, size=60)
    labels = numpy.concatenate([[b] * 4 + [0] * 3 for b in bases])
    signal = numpy.repeat(labels.astype("float32"), stride)

    def forward(windows):
        steps = windows[:, ::stride].astype(int).clip(min=0)
        return numpy.eye(5)[steps] * 0.9 + 0.02

    windows = run_windows([signal], window, -1.0, forward, 8)[0]

    def decode(steps):
        return greedy_decode(steps, alphabet)

    expected = "".join(alphabet[b] for b in bases)
    sequence, quality = decode_read(windows, decode)
    straddling = sum(1 for k in range(1, len(windows)) if windows[k - 1][-1].argmax() != 0 and windows[k][0].argmax() != 0)
    assert len(windows) > 10 and straddling > 0
    assert sequence == expected
    assert len(quality) == len(expected)
    # Decoding each window alone, as upstream does, doubles every base that straddles a join.
    assert len("".join(decode(w)[0] for w in windows)) == len(expected) + straddling


def test_the_padding_label_is_dropped_from_a_joined_call():
    labels = "-ATCG "

    def steps(values):
        return numpy.eye(6)[values] * 0.9 + 0.01

    windows = [steps([1, 1, 5, 0, 2]), steps([2, 0, 5, 3, 0]), steps([4, 0, 0, 0, 0])]
    sequence, quality = decode_read(windows, lambda s: greedy_decode(s, labels), dropped=" ")
    assert sequence == "ATCG"
    assert len(quality) == 4
