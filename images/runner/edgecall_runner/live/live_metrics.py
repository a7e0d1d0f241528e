"""The watcher's Prometheus metrics, and the summary it writes when it stops."""
import threading

from ..metrics import Histogram

MAX_SERIES = 600
LATENCY_BUCKETS = (0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0)


def percentile(values, share):
    """The nearest-rank percentile: a value that was measured, never an interpolation."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-int(round(share * 1000)) * len(ordered) // 1000))
    return ordered[min(rank, len(ordered)) - 1]


class LiveMetrics(object):
    def __init__(self, model, backlog):
        self.model = model
        self.backlog = backlog
        self.lock = threading.Lock()
        self.latency = Histogram(LATENCY_BUCKETS)
        self.latencies = []
        self.pickups = []
        self.files_done = 0
        self.files_set_aside = 0
        self.reads_done = 0
        self.samples_done = 0
        self.duplicates_skipped = 0
        self.files_waiting = 0
        self.reads_waiting = 0
        self.first_seen = None
        self.last_done = None
        self.now = None
        # (seconds since the first look, files waiting, reads waiting), at most one a second.
        self.series = []
        self.started = None

    def waiting(self, now, files, reads):
        with self.lock:
            self.now = now
            self.files_waiting, self.reads_waiting = files, reads
            if self.started is None:
                self.started = now
            if not self.series or now - self.started - self.series[-1][0] >= 1.0 or files != self.series[-1][1]:
                self.series.append((round(now - self.started, 2), files, reads))
                if len(self.series) > MAX_SERIES:
                    # Every other point: a long run's curve keeps its shape in a bounded size.
                    self.series = self.series[::2]
            if files and self.first_seen is None:
                self.first_seen = now
            return self.backlog.update(now, files, reads)

    def file_done(self, now, read_latencies, samples, pickup_s):
        with self.lock:
            self.files_done += 1
            self.reads_done += len(read_latencies)
            self.samples_done += samples
            self.last_done = now
            self.pickups.append(pickup_s)
            for seconds in read_latencies:
                self.latency.observe(seconds)
                self.latencies.append(seconds)

    def sustained_samples_per_s(self):
        if self.first_seen is None or self.last_done is None or self.last_done <= self.first_seen:
            return None
        return self.samples_done / (self.last_done - self.first_seen)

    def render(self):
        with self.lock:
            label = 'model="{}"'.format(self.model)
            rate = self.sustained_samples_per_s()
            gauges = [
                ("edgecall_live_files_waiting", "Complete run files not yet basecalled (backlog).", self.files_waiting),
                ("edgecall_live_reads_waiting", "Reads in those files.", self.reads_waiting),
                ("edgecall_live_samples_per_second", "Samples basecalled per second since the first file.", rate or 0),
                ("edgecall_live_keeping_up", "1 while the backlog drains to one file within the window.",
                 1 if self.backlog.keeping_up(self.now or 0) else 0),
            ]
            counters = [
                ("edgecall_live_files_total", "Run files basecalled.", self.files_done),
                ("edgecall_live_files_set_aside_total", "Run files set aside as unreadable.", self.files_set_aside),
                ("edgecall_live_reads_total", "Reads written to FASTQ.", self.reads_done),
                ("edgecall_live_samples_total", "Samples basecalled.", self.samples_done),
            ]
            lines = []
            for name, text, value in gauges:
                lines += ["# HELP {} {}".format(name, text), "# TYPE {} gauge".format(name), "{}{{{}}} {}".format(name, label, value)]
            for name, text, value in counters:
                lines += ["# HELP {} {}".format(name, text), "# TYPE {} counter".format(name), "{}{{{}}} {}".format(name, label, value)]
            lines += ["# HELP edgecall_live_read_latency_seconds From a run file's completion to its reads' FASTQ records.",
                      "# TYPE edgecall_live_read_latency_seconds histogram"]
            lines += self.latency.lines("edgecall_live_read_latency_seconds", label + ",")
            return "\n".join(lines) + "\n"

    def summary(self):
        with self.lock:
            return {
                "model": self.model,
                "files": self.files_done,
                "files_set_aside": self.files_set_aside,
                "reads": self.reads_done,
                "samples": self.samples_done,
                "duplicate_reads_skipped": self.duplicates_skipped,
                "sustained_samples_per_s": self.sustained_samples_per_s(),
                "latency_s": {"p50": percentile(self.latencies, 0.5), "p95": percentile(self.latencies, 0.95),
                              "max": max(self.latencies) if self.latencies else None},
                "pickup_s": {"p50": percentile(self.pickups, 0.5), "max": max(self.pickups) if self.pickups else None},
                "largest_backlog": {"files": self.backlog.largest_files, "reads": self.backlog.largest_reads},
                "keeping_up": self.backlog.keeping_up(self.now or 0),
                "fell_behind": self.backlog.fell_behind,
                "backlog_series": [list(point) for point in self.series],
            }
