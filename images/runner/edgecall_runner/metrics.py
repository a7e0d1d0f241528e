"""Prometheus text exposition of the server's counters and histograms."""
import threading

LATENCY_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64)


class Histogram(object):
    def __init__(self, buckets):
        self.buckets = buckets
        self.counts = [0] * len(buckets)
        self.total = 0
        self.sum = 0.0

    def observe(self, value):
        for i, bound in enumerate(self.buckets):
            if value <= bound:
                self.counts[i] += 1
        self.total += 1
        self.sum += value

    def lines(self, name, labels=""):
        out = []
        for bound, count in zip(self.buckets, self.counts):
            out.append('{}_bucket{{{}le="{}"}} {}'.format(name, labels, bound, count))
        out.append('{}_bucket{{{}le="+Inf"}} {}'.format(name, labels, self.total))
        out.append("{}_sum {}".format(name, self.sum))
        out.append("{}_count {}".format(name, self.total))
        return out


class Metrics(object):
    def __init__(self, model):
        self.model = model
        self.lock = threading.Lock()
        self.requests = {}
        self.bases = 0
        self.latency = Histogram(LATENCY_BUCKETS)
        self.batch_size = Histogram(BATCH_BUCKETS)

    def request(self, path, status, seconds=None, bases=0):
        with self.lock:
            key = (path, status)
            self.requests[key] = self.requests.get(key, 0) + 1
            self.bases += bases
            if seconds is not None:
                self.latency.observe(seconds)

    def batch(self, size):
        with self.lock:
            self.batch_size.observe(size)

    def render(self):
        with self.lock:
            lines = [
                "# HELP edgecall_requests_total Requests by path and HTTP status.",
                "# TYPE edgecall_requests_total counter",
            ]
            for (path, status), count in sorted(self.requests.items()):
                lines.append('edgecall_requests_total{{model="{}",path="{}",status="{}"}} {}'.format(self.model, path, status, count))
            lines += ["# HELP edgecall_bases_total Bases called.", "# TYPE edgecall_bases_total counter",
                      'edgecall_bases_total{{model="{}"}} {}'.format(self.model, self.bases)]
            lines += ["# HELP edgecall_basecall_seconds Basecall request latency.", "# TYPE edgecall_basecall_seconds histogram"]
            lines += self.latency.lines("edgecall_basecall_seconds")
            lines += ["# HELP edgecall_batch_size Reads per model batch.", "# TYPE edgecall_batch_size histogram"]
            lines += self.batch_size.lines("edgecall_batch_size")
            return "\n".join(lines) + "\n"
