"""Ends requests that take too long to arrive, however slowly their bytes trickle in.

A socket timeout bounds each wait for bytes, not the whole request: a client sending one header
byte just inside it would hold its thread for hours. One watchdog thread shuts the reading side
of an overdue connection, which makes the blocked read return end-of-file at once; the handler
sees `expired` and answers 408 on the side still open for writing.
"""
import socket
import threading
import time

CHECK_EVERY_S = 0.25


class Watch(object):
    def __init__(self, connection, deadline):
        self.connection = connection
        self.deadline = deadline
        self.expired = False


class Deadlines(object):
    def __init__(self):
        self._lock = threading.Lock()
        self._watches = set()
        thread = threading.Thread(target=self._run, name="request-deadlines")
        thread.daemon = True
        thread.start()

    def start(self, connection, seconds):
        watch = Watch(connection, time.time() + seconds)
        with self._lock:
            self._watches.add(watch)
        return watch

    def stop(self, watch):
        with self._lock:
            self._watches.discard(watch)

    def _run(self):
        while True:
            time.sleep(CHECK_EVERY_S)
            now = time.time()
            with self._lock:
                overdue = [w for w in self._watches if w.deadline < now]
                for watch in overdue:
                    self._watches.discard(watch)
                    watch.expired = True
                    try:
                        watch.connection.shutdown(socket.SHUT_RD)
                    except OSError:
                        pass  # already closed by its client
