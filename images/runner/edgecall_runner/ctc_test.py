"""A small CTC network in numpy that stands in for a real basecaller in tests.

Its weights come from a fixed seed, so it is deterministic; it is not trained and its sequences are
not accurate. It exercises what a real adapter does: normalise picoampere signal, run a network over
it in batches, and decode the per-step class probabilities with greedy CTC.
"""
import hashlib

import numpy

ALPHABET = "ACGT"
KERNEL = 9
STRIDE = 5
CHANNELS = 16
SEED = 20261124


class CtcTestModel(object):
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

    @staticmethod
    def normalise(signal):
        signal = numpy.asarray(signal, dtype="float32")
        median = numpy.median(signal)
        mad = numpy.median(numpy.abs(signal - median)) or 1.0
        return (signal - median) / (1.4826 * mad)

    def _probabilities(self, signal):
        x = self.normalise(signal)
        steps = max(1, (len(x) - KERNEL) // STRIDE + 1)
        if len(x) < KERNEL:
            x = numpy.pad(x, (0, KERNEL - len(x)), mode="constant")
        index = numpy.arange(KERNEL)[None, :] + STRIDE * numpy.arange(steps)[:, None]
        windows = x[index]
        hidden = numpy.tanh(windows.dot(self.conv.T) + self.conv_bias)
        logits = hidden.dot(self.dense) + self.dense_bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = numpy.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def basecall(self, signals):
        """One (sequence, quality) per signal, in order: greedy CTC over the network's output."""
        results = []
        for signal in signals:
            probs = self._probabilities(signal)
            best = probs.argmax(axis=1)
            sequence, quality, previous = [], [], 0
            for step, label in enumerate(best):
                if label != 0 and label != previous:
                    sequence.append(ALPHABET[label - 1])
                    error = max(1e-4, 1.0 - float(probs[step, label]))
                    quality.append(chr(33 + min(50, int(-10 * numpy.log10(error)))))
                previous = label
            results.append(("".join(sequence), "".join(quality)))
        return results
