"""The watch loop: find run files (inotify, or polling), wait until each is whole, basecall it once,
commit its outputs and journal it; set aside what stays unreadable; report the backlog."""
import os
import shutil
import sys
import time

from .completeness import is_run_file, whole
from .inotify import IN_CLOSE_WRITE, IN_ISDIR, IN_MOVED_TO, Inotify, InotifyUnavailable
from .journal import Journal
from .outputs import write_outputs
from .pending import PendingFile
from .run_reads import UnreadableFile, count_reads, read_file

SET_ASIDE_DIR = ".edgecall-set-aside"


class WatchSettings(object):
    def __init__(self, batch_size=8, settle_s=2.0, poll_s=1.0, rescan_s=10.0, set_aside_after_s=60.0,
                 inotify=True, exit_when_idle_s=None, once=False):
        self.batch_size = batch_size
        self.settle_s = settle_s
        self.poll_s = poll_s
        self.rescan_s = rescan_s
        self.set_aside_after_s = set_aside_after_s
        self.inotify = inotify
        self.exit_when_idle_s = exit_when_idle_s
        self.once = once


def _log(message):
    sys.stderr.write("edgecall-runner watch: {}\n".format(message))
    sys.stderr.flush()


class Watcher(object):
    def __init__(self, model, run_dir, output_dir, settings, metrics, clock=time.time):
        self.model = model
        self.run_dir = os.path.abspath(run_dir)
        self.output_dir = os.path.abspath(output_dir)
        self.settings = settings
        self.metrics = metrics
        self.clock = clock
        self.pending = {}
        self.watched = set()
        self.stopping = False
        self.last_activity = clock()
        self.last_poll = 0.0
        # A benchmark's sequencer: idleness means nothing while it may still write.
        self.producer_done = lambda: True
        os.makedirs(self.output_dir, exist_ok=True)
        self.journal = Journal(self.output_dir)
        for relative in self.journal.recover():
            _log("{}: its FASTQ was written before a stop; journaled now".format(relative))
        self.seen_ids = self.journal.finished_read_ids()
        self.inotify = None
        if settings.inotify:
            try:
                self.inotify = Inotify()
            except InotifyUnavailable as error:
                _log("polling every {} s: {}".format(settings.poll_s, error))

    # --- finding files -------------------------------------------------------------------------

    def _skipped_dir(self, path):
        return os.path.basename(path).startswith(".") or os.path.abspath(path) == self.output_dir

    def _watch_dir(self, directory):
        """Returns True when it began watching `directory` just now."""
        if self.inotify is None or directory in self.watched:
            return False
        try:
            self.inotify.watch(directory)
            self.watched.add(directory)
            return True
        except InotifyUnavailable as error:
            _log("polling every {} s from now: {}".format(self.settings.poll_s, error))
            self.inotify.close()
            self.inotify = None
            return False

    def scan(self):
        """Walks the run directory: every run file not journaled is pending."""
        now = self.clock()
        self.last_poll = now
        for root, dirs, files in os.walk(self.run_dir):
            dirs[:] = sorted(d for d in dirs if not self._skipped_dir(os.path.join(root, d)))
            if self._watch_dir(root):
                # A file that arrived between os.walk's listing and the watch has sent no event.
                files = os.listdir(root)
            for name in files:
                self._seen(os.path.join(root, name), now)

    def _seen(self, path, now, closed=False):
        if not is_run_file(path):
            return
        relative = os.path.relpath(path, self.run_dir)
        if self.journal.has(relative):
            return
        entry = self.pending.get(relative)
        if entry is None:
            entry = self.pending[relative] = PendingFile(path, relative, now)
            self.last_activity = now
        if not entry.observe(now, closed):
            del self.pending[relative]

    def _take_in_changes(self):
        if self.inotify is not None:
            self._wait_for_changes(0)
        elif self.clock() - self.last_poll >= self.settings.poll_s:
            self.scan()

    def _wait_for_changes(self, timeout_s):
        if self.inotify is None:
            time.sleep(timeout_s)
            self.scan()
            return
        now = self.clock()
        for path, mask in self.inotify.events(timeout_s):
            if mask & IN_ISDIR:
                if not self._skipped_dir(path):
                    self.scan()
            else:
                self._seen(path, now, closed=bool(mask & (IN_CLOSE_WRITE | IN_MOVED_TO)))
        for entry in list(self.pending.values()):
            if not entry.observe(now):
                del self.pending[entry.relative]

    # --- deciding what is ready ----------------------------------------------------------------

    def _ready(self, now):
        """Pending files that are whole and due, oldest first; sets aside the ones that stopped."""
        ready = []
        for entry in sorted(self.pending.values(), key=lambda e: (e.mtime, e.relative)):
            if now < entry.retry_at:
                continue
            # A file found whole stays whole until it changes, and a change forgets its read count:
            # a backlog's files are opened once, not on every pass.
            if entry.reads is None:
                is_whole, why = whole(entry.path, entry.size, entry.stable_for(now), self.settings.settle_s, entry.closed)
                if not is_whole:
                    if entry.stable_for(now) >= max(self.settings.set_aside_after_s, self.settings.settle_s):
                        self._set_aside(entry, "{}; unchanged for {:.0f} s".format(why, entry.stable_for(now)))
                    continue
                entry.reads = count_reads(entry.path)
            ready.append(entry)
        return ready

    def _backlog(self, now, ready):
        warning = self.metrics.waiting(now, len(ready), sum(entry.reads or 0 for entry in ready))
        if warning:
            _log(warning)

    # --- calling one file ----------------------------------------------------------------------

    def _set_aside(self, entry, reason):
        target = os.path.join(self.run_dir, SET_ASIDE_DIR, entry.relative)
        moved = None
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.move(entry.path, target)
            moved = os.path.relpath(target, self.run_dir)
        except OSError as error:
            reason = "{} (left in place: {})".format(reason, error)
        self.journal.record({"file": entry.relative, "state": "set_aside", "reason": reason, "moved_to": moved, "at": self.clock()})
        self.metrics.files_set_aside += 1
        del self.pending[entry.relative]
        _log("set aside {}: {}".format(entry.relative, reason))

    def _call(self, entry):
        started = self.clock()
        try:
            reads = read_file(entry.path)
        except UnreadableFile as error:
            now = self.clock()
            entry.observe(now)
            if entry.stable_for(now) >= self.settings.set_aside_after_s:
                self._set_aside(entry, "{}; unchanged for {:.0f} s".format(error, entry.stable_for(now)))
            else:
                entry.failed(now, str(error))
            return
        fresh = [(read_id, signal) for read_id, signal in reads if read_id not in self.seen_ids]
        duplicates = len(reads) - len(fresh)
        if duplicates:
            self.metrics.duplicates_skipped += duplicates
            _log("{}: {} read(s) already written from another file; written once".format(entry.relative, duplicates))
        records = []
        for start in range(0, len(fresh), self.settings.batch_size):
            if self.stopping:
                return
            batch = fresh[start:start + self.settings.batch_size]
            calls = self.model.basecall([signal for _read_id, signal in batch])
            for (read_id, signal), (sequence, quality) in zip(batch, calls):
                records.append((read_id, sequence, quality, int(len(signal))))
        lines = write_outputs(self.output_dir, entry.relative, records, entry.mtime, self.clock)
        done_at = self.clock()
        samples = sum(record[3] for record in records)
        self.journal.record({
            "file": entry.relative, "state": "done", "reads": len(records), "samples": samples,
            "duplicates": duplicates, "size": entry.size, "completed_at": entry.mtime,
            "started_at": started, "done_at": done_at,
        })
        self.seen_ids.update(record[0] for record in records)
        self.metrics.file_done(done_at, [line["latency_s"] for line in lines], samples, started - entry.mtime)
        del self.pending[entry.relative]
        self.last_activity = done_at

    # --- the loop ------------------------------------------------------------------------------

    def _idle_long_enough(self, now):
        limit = self.settings.exit_when_idle_s
        return limit is not None and self.producer_done() and not self.pending and now - self.last_activity >= limit

    def run(self):
        self.scan()
        last_scan = self.clock()
        while not self.stopping:
            now = self.clock()
            ready = self._ready(now)
            self._backlog(now, ready)
            if ready:
                self._call(ready[0])
                # What arrived while it called: without it a backlog would look drained when it is not.
                self._take_in_changes()
                continue
            if self.settings.once:
                return
            if self._idle_long_enough(now):
                self.scan()
                if not self.pending:
                    return
            # Files still being written are looked at again soon; otherwise the next event will do.
            timeout = self.settings.poll_s if self.pending or self.inotify is None else min(self.settings.rescan_s, 1.0)
            self._wait_for_changes(timeout)
            if self.clock() - last_scan >= self.settings.rescan_s:
                # inotify drops events when its queue overflows; a periodic walk finds what it missed.
                self.scan()
                last_scan = self.clock()

    def close(self):
        self.journal.close()
        if self.inotify is not None:
            self.inotify.close()
