"""Per-invocation capture of what the function writes to stdout and stderr.

Once the VM is ready, descriptors 1 and 2 point at one memory file (memfd) instead of the VM's
console: print(), sys.stderr, C extensions and child processes all land there. After each
invocation the runtime reads at most the host's limit from it and empties it, so the next
invocation (a reused VM) starts with a fresh log. The file is memory of the VM, counted against
its limit like any other.
"""

import os
import sys


class LogCapture:
    def __init__(self):
        self._fd = None
        try:
            fd = os.memfd_create("faasten-logs", os.MFD_CLOEXEC)
        except (AttributeError, OSError):
            return  # no memfd here: output keeps going to the console, and logs stay empty
        _flush()
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        self._fd = fd

    def collect(self, limit):
        """(bytes, truncated): the invocation's output, at most `limit` bytes; empties the log."""
        if self._fd is None:
            return b"", False
        _flush()
        size = os.fstat(self._fd).st_size
        if size == 0:
            return b"", False
        data = os.pread(self._fd, min(size, limit), 0) if limit > 0 else b""
        os.ftruncate(self._fd, 0)
        os.lseek(self._fd, 0, os.SEEK_SET)
        return data, size > limit


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 -- a function may have replaced or closed them
            pass
