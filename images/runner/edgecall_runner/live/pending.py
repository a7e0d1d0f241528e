"""What the watcher knows of one run file it has not finished: when it last changed, whether its
writer closed it, and why an attempt to read it failed."""
import os


class PendingFile(object):
    def __init__(self, path, relative, now):
        self.path = path
        self.relative = relative
        self.size = -1
        self.mtime = 0.0
        self.changed_at = now
        self.closed = False
        self.reads = None
        self.failure = None
        self.retry_at = 0.0
        self.attempts = 0

    def observe(self, now, closed=False):
        """Stats the file; returns False when it is gone (renamed or deleted by its writer)."""
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            return False
        if (status.st_size, status.st_mtime) != (self.size, self.mtime):
            first_look = self.size < 0
            self.size, self.mtime = status.st_size, status.st_mtime
            # A file found already written has been stable since its last write, not since now.
            self.changed_at = min(now, status.st_mtime) if first_look else now
            self.reads = None
            # A change after a failed read is a reason to try again at once.
            self.retry_at = 0.0
            self.closed = closed
        elif closed:
            self.closed = True
        return True

    def stable_for(self, now):
        return now - self.changed_at

    def failed(self, now, reason):
        self.failure = reason
        self.attempts += 1
        self.retry_at = now + min(30.0, 0.5 * 2 ** min(self.attempts, 6))
