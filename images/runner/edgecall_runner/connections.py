"""Accepting connections with bounded threads, and closing them without a reset.

The standard library's ThreadingMixIn starts a thread per connection without limit and HTTPServer
queues 5 pending connections; under 200 simultaneous clients the kernel reset the rest. Here the
listen backlog is configurable, at most `max_connections` connection threads run, and a connection
beyond them is answered 503 by the accept thread itself.

A socket closed while the client's bytes are still unread makes the kernel send a reset, and the
client may lose the answer written just before it. So a connection we stop reading early (a refused
body, a 503 before the request is read) is shut down for writing and handed to one drainer thread
that discards what the client still sends until it closes, or for a bounded time.
"""
import selectors
import socket
import sys
import threading
import time
from http.server import HTTPServer

DRAIN_S = 2.0
DRAIN_MAX_SOCKETS = 1024


class Drainer(object):
    """One thread that reads and discards from half-closed sockets, then closes them.

    Only that thread touches its selector (epoll where there is one: select() fails on descriptors
    past 1024, which a server with hundreds of connections reaches); `add` hands sockets over.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._arriving = []
        self._deadlines = {}  # socket -> when it is closed even if the client has not finished
        self._selector = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._selector.register(self._wake_r, selectors.EVENT_READ)
        thread = threading.Thread(target=self._run, name="drainer")
        thread.daemon = True
        thread.start()

    def add(self, sock):
        """Takes ownership of `sock`, a connection whose answer is written."""
        try:
            sock.shutdown(socket.SHUT_WR)
            sock.setblocking(False)
        except OSError:
            sock.close()
            return
        with self._lock:
            self._arriving.append(sock)
        try:
            self._wake_w.send(b"x")
        except BlockingIOError:
            pass  # the drainer has wake-ups pending already

    def _close(self, sock):
        del self._deadlines[sock]
        self._selector.unregister(sock)
        sock.close()

    def _run(self):
        while True:
            with self._lock:
                arriving, self._arriving = self._arriving, []
            for sock in arriving:
                if len(self._deadlines) >= DRAIN_MAX_SOCKETS:
                    # Bounded: past this many the oldest is closed as it is; its client may see a reset.
                    self._close(min(self._deadlines, key=self._deadlines.get))
                self._deadlines[sock] = time.time() + DRAIN_S
                self._selector.register(sock, selectors.EVENT_READ)
            for key, _events in self._selector.select(0.5):
                sock = key.fileobj
                if sock is self._wake_r:
                    try:
                        sock.recv(4096)
                    except BlockingIOError:
                        pass
                    continue
                try:
                    if not sock.recv(65536):
                        self._close(sock)
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    self._close(sock)
            now = time.time()
            for sock in [s for s, deadline in self._deadlines.items() if deadline < now]:
                self._close(sock)


BUSY_ANSWER = (
    b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
    b"Connection: close\r\nContent-Length: %d\r\n\r\n%s"
)
BUSY_BODY = b'{"error": "the server has as many connections as it serves at once (--max-connections); retry"}'


class BoundedThreadingServer(HTTPServer):
    """HTTPServer with one thread per connection, at most `max_connections` of them."""

    daemon_threads = True

    def __init__(self, address, handler, backlog, max_connections):
        # request_queue_size is what server_activate passes to listen().
        self.request_queue_size = backlog
        self.max_connections = max_connections
        self.drainer = Drainer()
        self.open_connections = 0
        self._count_lock = threading.Lock()
        HTTPServer.__init__(self, address, handler)

    def process_request(self, request, client_address):
        with self._count_lock:
            admitted = self.open_connections < self.max_connections
            if admitted:
                self.open_connections += 1
        if not admitted:
            self._refuse(request)
            return
        thread = threading.Thread(target=self._serve_connection, args=(request, client_address))
        thread.daemon = True
        try:
            thread.start()
        except RuntimeError:  # the system would not start another thread: answer as if full
            with self._count_lock:
                self.open_connections -= 1
            self._refuse(request)

    def _serve_connection(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            with self._count_lock:
                self.open_connections -= 1
            self.shutdown_request(request)

    def _refuse(self, request):
        try:
            # A few hundred bytes into an empty send buffer: this does not block the accept loop.
            request.setblocking(False)
            request.send(BUSY_ANSWER % (len(BUSY_BODY), BUSY_BODY))
        except OSError:
            request.close()
            return
        self.drainer.add(request)

    def handle_error(self, request, client_address):
        # A client that went away mid-answer is its own doing, not the server's error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            HTTPServer.handle_error(self, request, client_address)

    def hand_to_drainer(self, request):
        """Lets the drainer close a connection the handler stopped reading early."""
        self.drainer.add(request.dup())
