"""The service's own limits, from `serve` options or their environment variables.

They exist so that what `edgecall loadgen` measures is the model, not the server: generous enough
that the benchmark's concurrency levels never meet them, and each one answered with its own status
and reason instead of a reset connection or an unbounded thread or buffer.
"""
import collections
import os

# Reading and parsing a body of N bytes peaks at about 6 N: the bytes, their decoded text and the
# list of Python floats json builds (measured with tracemalloc on a 4 million sample read).
PARSE_COST = 6

# name, option, environment variable, type, default, help
_LIMITS = (
    ("backlog", "--backlog", "EDGECALL_SERVE_BACKLOG", int, 1024,
     "pending connections the kernel queues before accept (capped by net.core.somaxconn)"),
    ("max_connections", "--max-connections", "EDGECALL_SERVE_MAX_CONNECTIONS", int, 512,
     "connections served at once, one thread each; beyond them a connection gets 503"),
    ("max_queue", "--max-queue", "EDGECALL_SERVE_MAX_QUEUE", int, 512,
     "basecall requests waiting for or in the model; beyond them a request gets 503"),
    ("max_body_bytes", "--max-body-bytes", "EDGECALL_SERVE_MAX_BODY_BYTES", int, 64 * 1024 * 1024,
     "largest request body (413 above it)"),
    ("max_body_memory_bytes", "--max-body-memory-bytes", "EDGECALL_SERVE_MAX_BODY_MEMORY_BYTES", int, 1024 * 1024 * 1024,
     "memory for request bodies being read and parsed at once, each counted at {} times its Content-Length; "
     "a body that does not fit gets 503".format(PARSE_COST)),
    ("max_signal", "--max-signal", "EDGECALL_SERVE_MAX_SIGNAL", int, 4 * 1000 * 1000,
     "most samples in one read's signal (413 above it)"),
    ("read_timeout_s", "--read-timeout-s", "EDGECALL_SERVE_READ_TIMEOUT_S", float, 30.0,
     "longest wait for the next bytes of a request (408) or the next request on an idle connection (closed)"),
    ("request_timeout_s", "--request-timeout-s", "EDGECALL_SERVE_REQUEST_TIMEOUT_S", float, 120.0,
     "longest time to receive one request's body (408)"),
    ("model_timeout_s", "--model-timeout-s", "EDGECALL_SERVE_MODEL_TIMEOUT_S", float, 600.0,
     "longest wait for the model's answer to one read, queue included (504)"),
)

Limits = collections.namedtuple("Limits", [limit[0] for limit in _LIMITS])


def defaults(**overrides):
    """The defaults, as `serve` without options or environment has them; for tests and embedding."""
    values = dict((name, default) for name, _o, _e, _t, default, _h in _LIMITS)
    values.update(overrides)
    return Limits(**values)


def add_options(parser, environ=None):
    environ = os.environ if environ is None else environ
    for name, option, variable, kind, default, text in _LIMITS:
        raw = environ.get(variable)
        if raw:
            try:
                default = kind(raw)
            except ValueError:
                # parser.error: one line and exit status 2, as for a bad option, not a traceback.
                parser.error("{}={!r} is not a{} {} (it sets {})".format(
                    variable, raw, "n" if kind is int else "", "integer" if kind is int else "number", option))
        parser.add_argument(option, dest=name, type=kind, default=default,
                            help="{} (default: ${} or {})".format(text, variable, default))


def from_args(args):
    """The Limits of parsed options, or a ValueError naming the first one out of range."""
    limits = Limits(**dict((name, getattr(args, name)) for name in Limits._fields))
    for name in ("backlog", "max_connections", "max_queue", "max_body_bytes", "max_signal"):
        if getattr(limits, name) < 1:
            raise ValueError("--{} must be at least 1".format(name.replace("_", "-")))
    if min(limits.read_timeout_s, limits.request_timeout_s, limits.model_timeout_s) <= 0:
        raise ValueError("--read-timeout-s, --request-timeout-s and --model-timeout-s must be positive")
    if limits.max_body_memory_bytes < PARSE_COST * limits.max_body_bytes:
        # Otherwise a body under --max-body-bytes could never be read and would get 503 forever.
        raise ValueError("--max-body-memory-bytes must be at least {} times --max-body-bytes".format(PARSE_COST))
    return limits
