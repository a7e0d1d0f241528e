"""Chiron (github.com/haotianteng/Chiron, MPL-2.0): CNN + bidirectional LSTM with CTC, TensorFlow 1.x
(it uses tf.contrib, so TensorFlow 1.15 at most).

Calls, in process: `chiron.chiron_model.read_config` and `chiron.chiron_model.inference` to build the
graph, restored from `chiron/model/DNA_default` (R9.4 DNA weights; `RNA_default` is also shipped);
`tf.nn.ctc_greedy_decoder` on each segment, then `chiron.utils.easy_assembler.simple_assembly_qs`
and `chiron.chiron_eval.qs` to join the overlapping segments into one sequence with qualities, as
`chiron_eval.py` does with its defaults (400-sample segments every 30 samples)."""
import os

import numpy

from ..digest import sha256_of
from ..weights import weights_path
from .ctc import med_mad_normalise
from .upstream import add_to_path, commit_of, import_framework, require_file, upstream_dir

SEGMENT = 400
JUMP = 30
SEGMENTS_PER_RUN = 400  # chiron_eval's default batch size


def segments(signal):
    """chiron_eval's cut: a SEGMENT-sample segment starting every JUMP samples, zero-padded, with
    each segment's true length. Upstream's assembler joins the segments' calls by their overlap."""
    starts = range(0, max(1, len(signal)), JUMP)
    out = numpy.zeros((len(starts), SEGMENT), dtype="float32")
    lengths = numpy.zeros(len(starts), dtype="int32")
    for row, start in enumerate(starts):
        piece = signal[start:start + SEGMENT]
        out[row, :len(piece)] = piece
        lengths[row] = len(piece)
    return out, lengths


class ChironModel(object):
    name = "chiron"

    def __init__(self, device="auto", molecule="dna"):
        root = upstream_dir(self.name)
        model_dir = weights_path(self.name, molecule)
        tf = import_framework("tensorflow", self.name)
        add_to_path(root)
        from chiron import chiron_model
        from chiron.chiron_eval import get_assembler_kernal, index2base, path_prob, qs
        from chiron.utils.easy_assembler import simple_assembly_qs

        checkpoint = tf.train.latest_checkpoint(model_dir)
        if checkpoint is None:
            require_file(os.path.join(model_dir, "checkpoint"), "Chiron checkpoint")
        self.tf = tf
        self._assemble = simple_assembly_qs
        self._qs = qs
        self._index2base = index2base
        self._kernel = get_assembler_kernal(JUMP, SEGMENT)
        configure = chiron_model.read_config(os.path.join(model_dir, "model.json"))
        graph = tf.Graph()
        with graph.as_default():
            self.x = tf.placeholder(tf.float32, shape=[None, SEGMENT])
            self.lengths = tf.placeholder(tf.int32, shape=[None])
            self.training = tf.placeholder(tf.bool)
            logits, _ratio = chiron_model.inference(self.x, self.lengths, training=self.training,
                                                    full_sequence_len=SEGMENT, configure=configure)
            time_major = tf.transpose(logits, perm=[1, 0, 2])
            steps = tf.fill([tf.shape(logits)[0]], tf.shape(logits)[1])
            decoded, _log_prob = tf.nn.ctc_greedy_decoder(time_major, steps, merge_repeated=True)
            self.decoded = decoded[0]
            self.segment_qs = path_prob(logits)
            saver = tf.train.Saver(var_list=tf.trainable_variables() + tf.moving_average_variables())
            config = tf.ConfigProto(allow_soft_placement=True, device_count={"GPU": 0} if device == "cpu" else None)
            config.gpu_options.allow_growth = True
            self.session = tf.Session(graph=graph, config=config)
            saver.restore(self.session, checkpoint)
            self.device = "cuda" if device != "cpu" and tf.test.is_gpu_available() else "cpu"
        self.weights_sha256 = sha256_of(model_dir)
        self.upstream_commit = commit_of(root)

    def info(self):
        return {"device": self.device, "framework_versions": {"tensorflow": self.tf.__version__}}

    def _call_segments(self, cut, lengths):
        """Base strings and per-segment quality terms, in order."""
        reads, segment_qs = [], []
        for start in range(0, len(cut), SEGMENTS_PER_RUN):
            feed = {self.x: cut[start:start + SEGMENTS_PER_RUN], self.lengths: lengths[start:start + SEGMENTS_PER_RUN], self.training: False}
            decoded, quality = self.session.run([self.decoded, self.segment_qs], feed_dict=feed)
            rows = [[] for _ in range(len(feed[self.x]))]
            for (row, _step), value in zip(decoded.indices, decoded.values):
                rows[row].append(value)
            reads.extend(self._index2base(r) for r in rows)
            segment_qs.append(quality)
        return reads, numpy.concatenate(segment_qs, axis=0)

    def basecall(self, signals):
        """Every read of the batch; each read's overlapping segments are assembled by upstream's
        assembler, so segments of different reads never mix."""
        results = []
        for signal in signals:
            cut, lengths = segments(med_mad_normalise(signal))
            bases, segment_qs = self._call_segments(cut, lengths)
            consensus, consensus_qs = self._assemble(bases, segment_qs, JUMP / float(SEGMENT), kernal=self._kernel)
            sequence = self._index2base(numpy.argmax(consensus, axis=0))
            results.append((sequence, self._qs(consensus, consensus_qs)))
        return results
