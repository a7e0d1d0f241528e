"""`edgecall-runner watch`'s options, its metrics endpoint, its stop on a signal and its summary."""
import http.server
import json
import os
import signal
import threading

from .backlog import BacklogWatch
from .live_metrics import LiveMetrics
from .watcher import Watcher, WatchSettings

SUMMARY = "live-summary.json"


def add_options(watch):
    watch.add_argument("--input", required=True, help="the run directory the sequencer writes POD5 or FAST5 files into")
    watch.add_argument("--output", required=True, help="FASTQ per run file, the journal and the summary (outside --input)")
    watch.add_argument("--settle-s", type=float, default=2.0, help="a FAST5 file found by polling is read once its size held this long")
    watch.add_argument("--poll-s", type=float, default=1.0, help="how often to look again at files not yet whole, or at all without inotify")
    watch.add_argument("--poll", action="store_true", help="poll instead of inotify (network file systems report no events)")
    watch.add_argument("--set-aside-after-s", type=float, default=60.0,
                       help="an unreadable file unchanged this long is moved to .edgecall-set-aside/ in the run directory")
    watch.add_argument("--backlog-window-s", type=float, default=60.0, help="warn once the backlog stays above one file this long")
    watch.add_argument("--metrics-port", type=int, default=0, help="serve Prometheus metrics on /metrics (0: none)")
    watch.add_argument("--exit-when-idle-s", type=float, help="stop once no file has come or waited this long (benchmarks)")
    watch.add_argument("--once", action="store_true", help="call what is whole now, then stop")


def _check(args):
    for name in ("settle_s", "poll_s", "set_aside_after_s", "backlog_window_s"):
        if getattr(args, name) <= 0:
            raise ValueError("--{} must be positive, got {}".format(name.replace("_", "-"), getattr(args, name)))
    if args.set_aside_after_s <= args.settle_s:
        raise ValueError("--set-aside-after-s ({}) must be longer than --settle-s ({}): a file still settling is not unreadable".format(
            args.set_aside_after_s, args.settle_s))
    if not os.path.isdir(args.input):
        raise ValueError("--input {}: no such directory (the run directory the sequencer writes)".format(args.input))
    inside = os.path.realpath(args.output) + os.sep
    if os.path.realpath(args.input) + os.sep == inside:
        raise ValueError("--output {} is --input; choose a directory outside the run directory".format(args.output))


def _serve_metrics(metrics, port):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            if self.path != "/metrics":
                self.send_error(404)
                return
            body = metrics.render().encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args):
            pass

    # One scrape at a time is plenty, and ThreadingHTTPServer is not in the boards' Python 3.6.
    server = http.server.HTTPServer(("0.0.0.0", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _write_summary(output_dir, summary):
    path = os.path.join(output_dir, SUMMARY)
    with open(path + ".partial", "w") as handle:
        json.dump(summary, handle, indent=2)
    os.rename(path + ".partial", path)


def run_watch(args, load):
    _check(args)
    model = load()
    metrics = LiveMetrics(model.name, BacklogWatch(args.backlog_window_s))
    settings = WatchSettings(args.batch_size, args.settle_s, args.poll_s, max(args.poll_s, 10.0), args.set_aside_after_s,
                             not args.poll, args.exit_when_idle_s, args.once)
    watcher = Watcher(model, args.input, args.output, settings, metrics)
    server = _serve_metrics(metrics, args.metrics_port) if args.metrics_port else None

    def stop(_signum, _frame):
        # Between two batches: a file cut short writes nothing and is called whole by the next start.
        watcher.stopping = True

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        watcher.run()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        watcher.close()
        if server is not None:
            server.shutdown()
        summary = metrics.summary()
        _write_summary(args.output, summary)
    return summary
