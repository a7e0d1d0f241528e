"""A small CTC network in numpy that stands in for a real basecaller in tests.

Its weights come from a fixed seed, so it is deterministic; it is not trained and its sequences are
not accurate. It exercises what a real adapter does: normalise picoampere signal, run a network over
it in batches, and decode the per-step class probabilities with greedy CTC.
"""
import hashlib

import numpy

from .ctc import greedy_decode, med_mad_normalise, softmax

ALPHABET = "ACGT"
KERNEL = 9
STRIDE = 5
CHANNELS = 16
SEED = 20261124


class SeededCtcModel(object):
    name = "ctc-test"
    upstream_commit = None

    def __init__(self):
        rng = numpy.random.RandomState(SEED)
        self.conv = rng.normal(0, 0.6, size=(CHANNELS, KERNEL)).astype("float32")
        self.conv_bias = rng.normal(0, 0.1, size=(CHANNELS,)).astype("float32")
        self.dense = rng.normal(0, 0.8, size=(CHANNELS, len(ALPHABET) + 1)).astype("float32")
        self.dense_bias = numpy.zeros(len(ALPHABET) + 1, dtype="float32")
        digest = hashlib.sha256()
        for array in (self.conv, self.conv_bias, self.dense, self.dense_bias):
            digest.update(array.tobytes())
        self.weights_sha256 = digest.hexdigest()

    def info(self):
        return {"device": "cpu", "framework_versions": {"numpy": numpy.__version__}}

    def _probabilities(self, signal):
        x = med_mad_normalise(signal)
        steps = max(1, (len(x) - KERNEL) // STRIDE + 1)
        if len(x) < KERNEL:
            x = numpy.pad(x, (0, KERNEL - len(x)), mode="constant")
        index = numpy.arange(KERNEL)[None, :] + STRIDE * numpy.arange(steps)[:, None]
        windows = x[index]
        hidden = numpy.tanh(windows.dot(self.conv.T) + self.conv_bias)
        return softmax(hidden.dot(self.dense) + self.dense_bias, axis=1)

    def basecall(self, signals):
        """One (sequence, quality) per signal, in order: greedy CTC over the network's output."""
        return [greedy_decode(self._probabilities(signal), "-" + ALPHABET) for signal in signals]
