"""A capacity shared by request threads: taken without waiting, or refused."""
import threading


class Budget(object):
    """Refusing at once, rather than waiting for room, keeps a full server answering 503 quickly
    instead of holding more threads and connections."""

    def __init__(self, capacity):
        self.capacity = capacity
        self.used = 0
        self._lock = threading.Lock()

    def try_take(self, amount=1):
        with self._lock:
            if self.used + amount > self.capacity:
                return False
            self.used += amount
            return True

    def give(self, amount=1):
        with self._lock:
            self.used -= amount
