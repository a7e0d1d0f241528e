"""Whether the watcher keeps up: a watcher that keeps up drains its backlog to the file it is
calling every time a file is done; one that falls behind never does. So it is falling behind once
the backlog has stayed above one file for longer than a window."""


class BacklogWatch(object):
    def __init__(self, window_s, tolerance_files=1):
        self.window_s = window_s
        self.tolerance_files = tolerance_files
        self.drained_at = None
        self.warned_at = None
        self.largest_files = 0
        self.largest_reads = 0
        self.fell_behind = False

    def update(self, now, files_waiting, reads_waiting):
        """Records the backlog at `now`; returns a warning to log, or None."""
        self.largest_files = max(self.largest_files, files_waiting)
        self.largest_reads = max(self.largest_reads, reads_waiting)
        if self.drained_at is None or files_waiting <= self.tolerance_files:
            self.drained_at = now
            self.warned_at = None
            return None
        behind_for = now - self.drained_at
        if behind_for <= self.window_s:
            return None
        # Once per window, not on every loop.
        if self.warned_at is not None and now - self.warned_at < self.window_s:
            return None
        self.warned_at = now
        self.fell_behind = True
        return "backlog above {} file(s) for {:.0f} s ({} files, {} reads waiting): not keeping up".format(
            self.tolerance_files, behind_for, files_waiting, reads_waiting)

    def keeping_up(self, now):
        return self.drained_at is None or now - self.drained_at <= self.window_s
