"""`edgecall-runner serve`: the HTTP interface of a model service (ARCHITECTURE section 5)."""
import json
import sys
import threading
import time

from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import ThreadingMixIn

from .batcher import Batcher
from .metrics import Metrics

MAX_BODY_BYTES = 64 * 1024 * 1024
MAX_SIGNAL = 4 * 1000 * 1000


class ThreadingServer(ThreadingMixIn, HTTPServer):
    """ThreadingHTTPServer arrived in Python 3.7; JetPack 4 images run 3.6."""

    daemon_threads = True


class RequestError(Exception):
    def __init__(self, status, reason):
        Exception.__init__(self, reason)
        self.status = status
        self.reason = reason


def parse_basecall(headers, body):
    """The read of a `POST /v1/basecall`, or a RequestError with the status and reason to answer."""
    content_type = (headers.get("Content-Type") or "").split(";")[0].strip()
    if content_type != "application/json":
        raise RequestError(415, "Content-Type must be application/json")
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise RequestError(400, "the body is not JSON")
    if not isinstance(payload, dict):
        raise RequestError(400, "the body must be a JSON object")
    read_id = payload.get("read_id")
    signal = payload.get("signal")
    if not isinstance(read_id, str) or not read_id:
        raise RequestError(422, "read_id must be a non-empty string")
    if not isinstance(signal, list) or not signal:
        raise RequestError(422, "signal must be a non-empty array of numbers")
    if len(signal) > MAX_SIGNAL:
        raise RequestError(413, "signal has {} samples, at most {} are accepted".format(len(signal), MAX_SIGNAL))
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in signal):
        raise RequestError(422, "signal must contain only numbers")
    return read_id, signal


class Service(object):
    """The model, its batcher and metrics; `ready` turns true once the model is loaded."""

    def __init__(self, load_model, batch_size):
        self.model = None
        self.batcher = None
        self.metrics = None
        self.ready = threading.Event()
        self.load_error = None
        self._load_model = load_model
        self._batch_size = batch_size
        self.on_failure = None

    def load(self):
        try:
            self.model = self._load_model()
            self.metrics = Metrics(self.model.name)
            self.batcher = Batcher(self.model, self._batch_size, on_batch=self.metrics.batch)
            self.ready.set()
        except Exception as error:  # a model that cannot load ends the server: its logs say why
            self.load_error = str(error)
            sys.stderr.write("edgecall-runner: {}\n".format(error))
            if self.on_failure is not None:
                self.on_failure()


def make_handler(service):
    class Handler(BaseHTTPRequestHandler):
        server_version = "edgecall-runner"

        def log_message(self, format, *args):  # noqa: A002 - stdlib signature
            pass

        def _send(self, status, payload, content_type="application/json"):
            body = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            if service.metrics is not None:
                service.metrics.request(self.path, status)

        def do_GET(self):  # noqa: N802 - stdlib name
            if self.path == "/healthz":
                self._send(200, {"status": "alive"})
            elif self.path == "/readyz":
                if service.ready.is_set():
                    self._send(200, {"status": "ready"})
                else:
                    self._send(503, {"status": "loading" if service.load_error is None else "failed", "error": service.load_error})
            elif self.path == "/v1/info":
                if not service.ready.is_set():
                    self._send(503, {"error": "the model is not loaded"})
                    return
                model = service.model
                info = model.info()
                answer = {"model": model.name, "upstream_commit": model.upstream_commit, "weights_sha256": model.weights_sha256,
                          "device": info.get("device"), "framework_versions": info.get("framework_versions", {})}
                if info.get("stand_in"):
                    answer["stand_in"] = info["stand_in"]
                self._send(200, answer)
            elif self.path == "/metrics":
                text = service.metrics.render() if service.metrics is not None else ""
                self._send(200, text.encode("utf-8"), "text/plain; version=0.0.4")
            else:
                self._send(404, {"error": "no such path: {}".format(self.path)})

        def do_POST(self):  # noqa: N802 - stdlib name
            if self.path != "/v1/basecall":
                self._send(404, {"error": "no such path: {}".format(self.path)})
                return
            if not service.ready.is_set():
                self._send(503, {"error": "the model is not loaded"})
                return
            started = time.time()
            try:
                length = int(self.headers.get("Content-Length") or "-1")
            except ValueError:
                length = -1
            if length < 0:
                self._send(411, {"error": "Content-Length is required"})
                return
            if length > MAX_BODY_BYTES:
                self._send(413, {"error": "the body is larger than {} bytes".format(MAX_BODY_BYTES)})
                return
            body = self.rfile.read(length)
            try:
                read_id, signal = parse_basecall(self.headers, body)
                pending = service.batcher.submit(signal)
            except RequestError as error:
                self._send(error.status, {"error": error.reason})
                return
            except Exception as error:  # the model failed on this read; the server keeps serving
                self._send(500, {"error": "basecalling failed: {}".format(error)})
                return
            sequence, quality = pending.result
            total = time.time() - started
            service.metrics.request("/v1/basecall#ok", 200, seconds=total, bases=len(sequence))
            self._send(200, {"read_id": read_id, "sequence": sequence, "quality": quality,
                             "timings": {"queue_s": pending.queue_s, "inference_s": pending.inference_s, "total_s": total}})

    return Handler


def serve(load_model, host, port, batch_size):
    """Serves until stopped; returns 1 when the model fails to load (the message is on stderr)."""
    service = Service(load_model, batch_size)
    server = ThreadingServer((host, port), make_handler(service))
    service.on_failure = server.shutdown
    loader = threading.Thread(target=service.load, name="model-loader")
    loader.daemon = True
    loader.start()
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 1 if service.load_error is not None else 0
