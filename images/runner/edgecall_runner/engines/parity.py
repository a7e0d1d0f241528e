"""Whether an engine computes what the model it came from computes: on a fixed set of windows, the
largest difference in any class probability, and the identity of the decoded label sequences (greedy
CTC) to the reference's. An engine below the floor is refused before any read is called with it."""
import numpy

from ..errors import ModelUnavailable

# Decoded identity an engine must reach against PyTorch fp32, by precision (EDGECALL_PARITY_FLOOR
# overrides): fp32 engines differ only by float rounding; fp16 and int8 trade a little for speed.
FLOORS = {"fp32": 0.99, "fp16": 0.99, "int8": 0.97}


def _labels(probabilities, blank=0):
    best = numpy.asarray(probabilities).argmax(axis=-1)
    out, previous = [], blank
    for label in best:
        if label != blank and label != previous:
            out.append(int(label))
        previous = label
    return out


def _distance(a, b):
    """Levenshtein distance between two label lists (two rows of the table at a time)."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def identity(reference, candidate):
    longest = max(len(reference), len(candidate))
    return 1.0 if longest == 0 else 1.0 - _distance(reference, candidate) / float(longest)


def measure(reference_forward, engine_forward, windows):
    """{max_probability_diff, identity (labels of all windows together), windows} of the engine."""
    expected = reference_forward(windows)
    got = engine_forward(windows)
    # Windows x steps x classes: each window decoded alone; steps x classes (the test network's rows
    # of one read): one sequence.
    sequences = (lambda p: [p]) if numpy.ndim(expected) == 2 else (lambda p: list(p))  # noqa: E731
    reference_labels = [label for steps in sequences(expected) for label in _labels(steps)]
    engine_labels = [label for steps in sequences(got) for label in _labels(steps)]
    return {
        "max_probability_diff": float(numpy.max(numpy.abs(expected.astype("float64") - got.astype("float64")))),
        "identity": identity(reference_labels, engine_labels),
        "windows": int(len(windows)),
    }


def check(figures, floor, engine, precision, model):
    if figures["identity"] < floor:
        raise ModelUnavailable(
            "{} {} of {}: decoded identity to the model's own fp32 calls {:.4f} is below the floor {:.4f} (largest probability difference {:.4g}, "
            "{} windows); refused before any read is called with it: use another precision or engine, or lower EDGECALL_PARITY_FLOOR".format(
                engine, precision, model, figures["identity"], floor, figures["max_probability_diff"], figures["windows"])
        )
