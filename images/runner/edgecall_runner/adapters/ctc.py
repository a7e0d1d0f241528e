"""Greedy CTC decoding with per-base qualities, shared by the adapters.

The upstream tools decode with beam search (ctcdecode or fast-ctc-decode) and write FASTA; greedy
decoding needs no compiled decoder on the board and gives each base the probability of the step that
emitted it, which is what the FASTQ quality reports."""
import numpy

MAX_PHRED = 50


def phred_char(probability):
    error = max(1e-5, 1.0 - float(probability))
    return chr(33 + min(MAX_PHRED, int(-10 * numpy.log10(error))))


def greedy_decode(probabilities, alphabet, blank=0):
    """`probabilities`: steps x classes (softmax output); `alphabet[i]` is the base of class i
    (the blank's entry is ignored). Returns (sequence, quality)."""
    best = numpy.asarray(probabilities).argmax(axis=1)
    sequence, quality, previous = [], [], blank
    for step, label in enumerate(best):
        if label != blank and label != previous:
            sequence.append(alphabet[label])
            quality.append(phred_char(probabilities[step, label]))
        previous = label
    return "".join(sequence), "".join(quality)


def softmax(logits, axis=-1):
    shifted = logits - logits.max(axis=axis, keepdims=True)
    exp = numpy.exp(shifted)
    return exp / exp.sum(axis=axis, keepdims=True)


def med_mad_normalise(signal):
    """(signal - median) / (1.4826 * MAD): how all four upstream models scale their input; it does
    not depend on whether the signal is raw ADC values or picoamperes."""
    signal = numpy.asarray(signal, dtype="float32")
    median = numpy.median(signal)
    mad = 1.4826 * numpy.median(numpy.abs(signal - median))
    return (signal - median) / (mad if mad > 0 else 1.0)
