"""The read of a `POST /v1/basecall` body, or the status and reason it is refused with."""
import json

import numpy


class RequestError(Exception):
    def __init__(self, status, reason, headers=None):
        Exception.__init__(self, reason)
        self.status = status
        self.reason = reason
        self.headers = headers or {}


class _NotFinite(ValueError):
    pass


def _refuse_constant(name):
    # Python's json accepts NaN and Infinity, which are not JSON; a model fed them answers an empty read.
    raise _NotFinite(name)


def parse_basecall(content_type, body, max_signal):
    """(read_id, signal as float32) of a request body; RequestError otherwise."""
    if (content_type or "").split(";")[0].strip() != "application/json":
        raise RequestError(415, "Content-Type must be application/json")
    try:
        payload = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
    except _NotFinite:
        raise RequestError(422, "signal must contain only finite numbers (no NaN or Infinity)") from None
    except RecursionError:
        raise RequestError(400, "the body is nested too deeply") from None
    except (UnicodeDecodeError, ValueError):
        raise RequestError(400, "the body is not JSON") from None
    if not isinstance(payload, dict):
        raise RequestError(400, "the body must be a JSON object")
    read_id = payload.get("read_id")
    signal = payload.get("signal")
    if not isinstance(read_id, str) or not read_id:
        raise RequestError(422, "read_id must be a non-empty string")
    if not isinstance(signal, list) or not signal:
        raise RequestError(422, "signal must be a non-empty array of numbers")
    if len(signal) > max_signal:
        raise RequestError(413, "signal has {} samples, at most {} are accepted".format(len(signal), max_signal))
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in signal):
        raise RequestError(422, "signal must contain only numbers")
    # float32 as the converter's reads.npz holds it: a quarter of what Python's list of floats takes
    # while the read waits for its batch. 1e999 parses as infinity and a value past float32's range
    # becomes one here, so finiteness is checked on the result.
    with numpy.errstate(over="ignore"):
        samples = numpy.asarray(signal, dtype="float32")
    if not numpy.isfinite(samples).all():
        raise RequestError(422, "signal must contain only finite numbers (no NaN or Infinity)")
    return read_id, samples
