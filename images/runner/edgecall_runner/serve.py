"""`edgecall-runner serve`: the HTTP interface of a model service (ARCHITECTURE section 5)."""
import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler

from .basecall_request import RequestError, parse_basecall
from .batcher import Batcher, ModelTimeout
from .budget import Budget
from .connections import BoundedThreadingServer
from .deadlines import Deadlines
from .limits import PARSE_COST, defaults
from .metrics import Metrics

# path -> the one method it answers; anything else on it is 405.
ROUTES = {"/healthz": "GET", "/readyz": "GET", "/v1/info": "GET", "/metrics": "GET", "/v1/basecall": "POST"}
READ_CHUNK = 1024 * 1024


class Service(object):
    """The model, its batcher and metrics; `ready` turns true once the model is loaded."""

    def __init__(self, load_model, batch_size, limits=None):
        self.model = None
        self.batcher = None
        self.metrics = None
        self.ready = threading.Event()
        self.load_error = None
        self._load_model = load_model
        self._batch_size = batch_size
        self.on_failure = None
        self.limits = limits or defaults()
        self.queue = Budget(self.limits.max_queue)
        self.body_memory = Budget(self.limits.max_body_memory_bytes)
        self.deadlines = Deadlines()

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


def _busy(reason):
    return RequestError(503, reason, {"Retry-After": "1"})


def make_handler(service):
    limits = service.limits

    class Handler(BaseHTTPRequestHandler):
        server_version = "edgecall-runner"

        def log_message(self, format, *args):  # noqa: A002 - stdlib signature
            pass

        def _send(self, status, payload, content_type="application/json", headers=None):
            body = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
            if service.metrics is not None:
                route = self.path.split("?", 1)[0] if self.path else ""
                service.metrics.request(route if route in ROUTES else "other", status)

        def send_error(self, code, message=None, explain=None):
            # The standard library answers a malformed request line or header with an HTML page.
            self.close_connection = True
            self.path = getattr(self, "path", "")
            self._send(code, {"error": message or explain or "bad request"})

        def handle_one_request(self):
            """One request: the standard library's steps, with JSON errors, 405 and read timeouts."""
            self._body_pending = False
            self._watch = None
            self.path = ""
            try:
                self.connection.settimeout(limits.read_timeout_s)
                # The whole request, from its first byte to its body's last, must arrive within the
                # request timeout (the watch stops once it has: waiting for the model is not the client's doing).
                self._watch = service.deadlines.start(self.connection, limits.request_timeout_s)
                try:
                    self.raw_requestline = self.rfile.readline(65537)
                except socket.timeout:
                    self.close_connection = True  # an idle keep-alive connection: its normal end
                    return
                if self._watch.expired and self.raw_requestline and not self.raw_requestline.endswith(b"\n"):
                    raise socket.timeout("request timeout")
                if not self.raw_requestline:
                    self.close_connection = True
                    return
                if len(self.raw_requestline) > 65536:
                    self.requestline, self.request_version, self.command = "", "HTTP/1.0", ""
                    self.send_error(414, "the request line is longer than 65536 bytes")
                    self._body_pending = True
                    return
                parsed = self.parse_request()
                if self._watch.expired:
                    raise socket.timeout("request timeout")  # the headers were cut short by the deadline
                if not parsed:
                    self._body_pending = True
                    return
                self._body_pending = self.headers.get("Content-Length", "0").strip() not in ("", "0") or \
                    "Transfer-Encoding" in self.headers
                if not self._body_pending:
                    service.deadlines.stop(self._watch)
                self._route()
                self.wfile.flush()
            except socket.timeout:
                self._answer_408()
            except ConnectionError:
                self.close_connection = True
                if self._watch is not None and self._watch.expired:
                    self._answer_408()  # the deadline ended the body's read, not the client
            finally:
                if self._watch is not None:
                    service.deadlines.stop(self._watch)
                if self._body_pending:
                    # Bytes of this request are still unread: close, without a reset, and free the thread.
                    self.close_connection = True
                    self.server.hand_to_drainer(self.connection)

        def _answer_408(self):
            self._body_pending = True
            try:
                self.send_error(408, "the client sent nothing for {:g} s mid-request, or took longer than {:g} s over the request"
                                .format(limits.read_timeout_s, limits.request_timeout_s))
            except (socket.timeout, ConnectionError):
                pass  # a client that reads nothing either gets its connection closed, not a traceback

        def _route(self):
            path = self.path.split("?", 1)[0]  # probes and clients may add a query string; it means nothing here
            method = ROUTES.get(path)
            if method is None:
                self._send(404, {"error": "no such path: {}".format(path)})
            elif self.command != method:
                self._send(405, {"error": "{} takes {}, not {}".format(path, method, self.command)}, headers={"Allow": method})
            elif path == "/v1/basecall":
                self._basecall()
            else:
                self._get(path)

        def _get(self, path):
            if path == "/healthz":
                self._send(200, {"status": "alive"})
            elif path == "/readyz":
                if service.ready.is_set():
                    self._send(200, {"status": "ready"})
                else:
                    self._send(503, {"status": "loading" if service.load_error is None else "failed", "error": service.load_error})
            elif path == "/v1/info":
                if not service.ready.is_set():
                    self._send(503, {"error": "the model is not loaded"})
                    return
                model = service.model
                info = model.info()
                answer = {"model": model.name, "upstream_commit": model.upstream_commit, "weights_sha256": model.weights_sha256,
                          "weights_verified": bool(getattr(model, "weights_verified", False)),
                          "device": info.get("device"), "precision": info.get("precision", "fp32"),
                          "framework_versions": info.get("framework_versions", {})}
                if info.get("stand_in"):
                    answer["stand_in"] = info["stand_in"]
                if info.get("engine"):
                    answer["engine"] = info["engine"]
                self._send(200, answer)
            else:
                text = service.metrics.render() if service.metrics is not None else ""
                text += self._server_gauges()
                self._send(200, text.encode("utf-8"), "text/plain; version=0.0.4")

        def _server_gauges(self):
            lines = []
            for name, text, value in (
                ("edgecall_open_connections", "Connections being served.", self.server.open_connections),
                ("edgecall_queued_basecalls", "Basecall requests waiting for or in the model.", service.queue.used),
                ("edgecall_body_memory_bytes", "Memory reserved for request bodies being read and parsed.", service.body_memory.used),
            ):
                lines += ["# HELP {} {}".format(name, text), "# TYPE {} gauge".format(name), "{} {}".format(name, value)]
            return "\n".join(lines) + "\n"

        def _refuse(self, error):
            self._send(error.status, {"error": error.reason}, headers=error.headers)

        def _basecall(self):
            if not service.ready.is_set():
                self._send(503, {"error": "the model is not loaded"}, headers={"Retry-After": "5"})
                return
            started = time.time()
            try:
                length = self._content_length()
                if not service.queue.try_take():
                    raise _busy("{} basecall requests are already queued (--max-queue); retry".format(limits.max_queue))
            except RequestError as error:
                self._refuse(error)
                return
            try:
                self._queued_basecall(length, started)
            finally:
                service.queue.give()

        def _content_length(self):
            try:
                length = int(self.headers.get("Content-Length") or "-1")
            except ValueError:
                length = -1
            if length < 0 or "Transfer-Encoding" in self.headers:
                raise RequestError(411, "Content-Length is required")
            if length > limits.max_body_bytes:
                raise RequestError(413, "the body is larger than {} bytes (--max-body-bytes)".format(limits.max_body_bytes))
            return length

        def _queued_basecall(self, length, started):
            try:
                read_id, signal = self._read_basecall(length)
                pending = service.batcher.submit(signal, limits.model_timeout_s)
            except RequestError as error:
                self._refuse(error)
                return
            except ModelTimeout as error:
                self._send(504, {"error": str(error)})
                return
            except (socket.timeout, ConnectionError):
                raise
            except Exception as error:  # the model failed on this read; the server keeps serving
                self._send(500, {"error": "basecalling failed: {}".format(error)})
                return
            sequence, quality = pending.result
            total = time.time() - started
            service.metrics.request("/v1/basecall#ok", 200, seconds=total, bases=len(sequence))
            self._send(200, {"read_id": read_id, "sequence": sequence, "quality": quality,
                             "timings": {"queue_s": pending.queue_s, "inference_s": pending.inference_s, "total_s": total}})

        def _read_basecall(self, length):
            """The body, read and parsed within the memory budget for bodies."""
            cost = PARSE_COST * length
            if not service.body_memory.try_take(cost):
                raise _busy("request bodies being parsed would take more than {} bytes (--max-body-memory-bytes); retry"
                            .format(limits.max_body_memory_bytes))
            try:
                body = self._read_body(length)
                service.deadlines.stop(self._watch)
                self._body_pending = False
                return parse_basecall(self.headers.get("Content-Type"), body, limits.max_signal)
            finally:
                service.body_memory.give(cost)

        def _read_body(self, length):
            body = bytearray(length)
            view = memoryview(body)
            done = 0
            while done < length:
                got = self.rfile.readinto1(view[done:min(length, done + READ_CHUNK)])
                if not got:
                    raise ConnectionResetError("the client closed mid-body")
                done += got
            return body

    return Handler


def serve(load_model, host, port, batch_size, limits=None):
    """Serves until stopped; returns 1 when the model fails to load (the message is on stderr)."""
    service = Service(load_model, batch_size, limits)
    server = BoundedThreadingServer((host, port), make_handler(service), service.limits.backlog, service.limits.max_connections)
    service.on_failure = server.shutdown
    loader = threading.Thread(target=service.load, name="model-loader")
    loader.daemon = True
    loader.start()
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 1 if service.load_error is not None else 0
