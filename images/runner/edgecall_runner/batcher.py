"""Groups concurrent basecall requests into batches for the model."""
import queue
import threading
import time


class ModelTimeout(Exception):
    pass


class Pending(object):
    def __init__(self, signal):
        self.signal = signal
        self.enqueued = time.time()
        self.done = threading.Event()
        self.result = None
        self.error = None
        self.inference_s = 0.0
        self.queue_s = 0.0


class Batcher(object):
    """One worker thread takes up to `batch_size` requests (those waiting, and those that come within
    `max_wait_s` after the first) and basecalls them together."""

    def __init__(self, model, batch_size, max_wait_s=0.005, on_batch=None):
        self.model = model
        self.batch_size = batch_size
        self.max_wait_s = max_wait_s
        self.on_batch = on_batch
        self.waiting = queue.Queue()
        worker = threading.Thread(target=self._run, name="batcher")
        worker.daemon = True
        worker.start()

    def submit(self, signal, timeout=600.0):
        pending = Pending(signal)
        self.waiting.put(pending)
        if not pending.done.wait(timeout):
            raise ModelTimeout("the model did not answer within {:g} s (--model-timeout-s)".format(timeout))
        if pending.error is not None:
            raise pending.error
        return pending

    def _run(self):
        while True:
            batch = [self.waiting.get()]
            deadline = time.time() + self.max_wait_s
            while len(batch) < self.batch_size:
                # Requests already waiting join the batch however late the worker got here (a busy
                # board); the window only bounds the wait for requests still to come.
                try:
                    batch.append(self.waiting.get_nowait())
                    continue
                except queue.Empty:
                    pass
                remaining = deadline - time.time()
                if remaining <= 0:
                    break
                try:
                    batch.append(self.waiting.get(timeout=remaining))
                except queue.Empty:
                    break
            started = time.time()
            try:
                results = self.model.basecall([p.signal for p in batch])
                error = None
            except Exception as exc:  # the requests of a failed batch get the error, the server lives on
                results, error = [None] * len(batch), exc
            ended = time.time()
            if self.on_batch is not None:
                self.on_batch(len(batch))
            for pending, result in zip(batch, results):
                pending.queue_s = started - pending.enqueued
                pending.inference_s = ended - started
                pending.result = result
                pending.error = error
                pending.done.set()
