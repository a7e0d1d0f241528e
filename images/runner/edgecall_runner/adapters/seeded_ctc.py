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
        self.weights_file = None
        # What basecall runs on each read's rows; an engine (edgecall_runner.engines) replaces it.
        self.forward_windows = self.numpy_forward

    def info(self):
        return {"device": "cpu", "framework_versions": {"numpy": numpy.__version__}}

    @staticmethod
    def _rows(signal):
        """The network's input for a read: each step's KERNEL samples (the convolution's windows)."""
        x = med_mad_normalise(signal)
        steps = max(1, (len(x) - KERNEL) // STRIDE + 1)
        if len(x) < KERNEL:
            x = numpy.pad(x, (0, KERNEL - len(x)), mode="constant")
        index = numpy.arange(KERNEL)[None, :] + STRIDE * numpy.arange(steps)[:, None]
        return x[index]

    def numpy_forward(self, rows):
        """Steps x KERNEL -> steps x classes: the network itself, which an engine may replace."""
        hidden = numpy.tanh(rows.dot(self.conv.T) + self.conv_bias)
        return softmax(hidden.dot(self.dense) + self.dense_bias, axis=1)

    def windows_of(self, signals):
        """Each read's rows, as an engine's calibration and parity check take them."""
        return [self._rows(signal).astype("float32") for signal in signals]

    def basecall(self, signals):
        """One (sequence, quality) per signal, in order: greedy CTC over the network's output."""
        return [greedy_decode(self.forward_windows(self._rows(signal).astype("float32")), "-" + ALPHABET) for signal in signals]
