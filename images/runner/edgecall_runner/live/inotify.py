"""Linux inotify through libc, so that the watcher needs no package beyond the runner's. Where it is
missing (another OS, a network file system that never reports, a watch limit reached) the watcher
polls instead."""
import ctypes
import ctypes.util
import errno
import os
import select
import struct

IN_CLOSE_WRITE = 0x00000008
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_MODIFY = 0x00000002
IN_ISDIR = 0x40000000
IN_NONBLOCK = 0o4000
IN_CLOEXEC = 0o2000000
_EVENT = struct.Struct("iIII")
WATCHED = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY


class InotifyUnavailable(Exception):
    """inotify cannot be used here; the message says why."""


class Inotify(object):
    def __init__(self):
        name = ctypes.util.find_library("c")
        if name is None:
            raise InotifyUnavailable("no C library to call inotify through")
        self._libc = ctypes.CDLL(name, use_errno=True)
        if not hasattr(self._libc, "inotify_init1"):
            raise InotifyUnavailable("this C library has no inotify")
        self._fd = self._libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if self._fd < 0:
            raise InotifyUnavailable("inotify_init1: {}".format(os.strerror(ctypes.get_errno())))
        self._directories = {}

    def watch(self, directory):
        watch = self._libc.inotify_add_watch(self._fd, os.fsencode(directory), WATCHED)
        if watch < 0:
            code = ctypes.get_errno()
            hint = " (raise fs.inotify.max_user_watches)" if code == errno.ENOSPC else ""
            raise InotifyUnavailable("inotify_add_watch {}: {}{}".format(directory, os.strerror(code), hint))
        self._directories[watch] = directory

    def events(self, timeout_s):
        """(path, mask) of what happened within `timeout_s`; an empty list when nothing did."""
        ready, _, _ = select.select([self._fd], [], [], max(0.0, timeout_s))
        if not ready:
            return []
        try:
            data = os.read(self._fd, 1 << 16)
        except BlockingIOError:
            return []
        found, offset = [], 0
        while offset < len(data):
            watch, mask, _cookie, length = _EVENT.unpack_from(data, offset)
            name = data[offset + _EVENT.size:offset + _EVENT.size + length].rstrip(b"\0")
            offset += _EVENT.size + length
            directory = self._directories.get(watch)
            if directory is not None and name:
                found.append((os.path.join(directory, os.fsdecode(name)), mask))
        return found

    def close(self):
        os.close(self._fd)
