"""Wall-clock times as ISO 8601 UTC strings (Python 3.6 has no datetime.fromisoformat)."""
import datetime


def now_iso():
    return datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%S.%fZ")
