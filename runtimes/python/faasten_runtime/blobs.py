"""File objects for blobs: lazy chunked reads over the channel, and chunked creation."""

import io

from .limits import MAX_CHUNK_SIZE

# PIL and friends issue many small reads and seeks; buffer them into few CloudCalls.
_READ_BUFFER = 256 * 1024


class _RawBlob(io.RawIOBase):
    """Random access to an open blob; every readinto is at most one blob_read CloudCall."""

    def __init__(self, calls, handle, size):
        super().__init__()
        self._calls = calls
        self._handle = handle
        self._size = size
        self._pos = 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def readinto(self, buffer):
        self._checkClosed()
        remaining = self._size - self._pos
        if remaining <= 0 or len(buffer) == 0:
            return 0
        data = self._calls.blob_read(self._handle, self._pos, min(len(buffer), remaining, MAX_CHUNK_SIZE))
        n = len(data)
        buffer[:n] = data
        self._pos += n
        return n

    def readall(self):
        # The default reads 8 KiB per call; fetch whole chunks instead.
        parts = []
        while True:
            data = self.read(MAX_CHUNK_SIZE)
            if not data:
                return b"".join(parts)
            parts.append(data)

    def seek(self, offset, whence=io.SEEK_SET):
        self._checkClosed()
        if whence == io.SEEK_SET:
            position = offset
        elif whence == io.SEEK_CUR:
            position = self._pos + offset
        elif whence == io.SEEK_END:
            position = self._size + offset
        else:
            raise ValueError(f"invalid whence ({whence})")
        if position < 0:
            raise ValueError(f"negative seek position {position}")
        self._pos = position
        return position

    def tell(self):
        self._checkClosed()
        return self._pos

    def close(self):
        if not self.closed:
            # May run from a finalizer in the middle of another CloudCall: never talk here.
            self._calls.close_later(self._handle)
        super().close()


class BlobFile(io.BufferedReader):
    """A read-only, seekable binary file over a blob (what fs_openblob returns).

    `size` is the blob's length and `hash` its SHA-256. Works as a context manager and with
    anything that takes a file object, e.g. PIL.Image.open.
    """

    def __init__(self, calls, handle, size, blob_hash):
        super().__init__(_RawBlob(calls, handle, size), buffer_size=_READ_BUFFER)
        self.size = size
        self.hash = blob_hash

    def __repr__(self):
        return f"<BlobFile {self.hash} size={self.size}>"


class NewBlob:
    """A blob being written (what create_blob returns). Nothing is visible until finalize().

    Leaving the `with` block without finalize() abandons the blob.
    """

    def __init__(self, calls, handle):
        self._calls = calls
        self._handle = handle
        self._open = True
        self.hash = None

    def write(self, data):
        """Appends bytes; returns how many."""
        self._check_open()
        view = memoryview(data).cast("B")
        for start in range(0, len(view), MAX_CHUNK_SIZE):
            self._calls.blob_write(self._handle, bytes(view[start:start + MAX_CHUNK_SIZE]))
        return len(view)

    def finalize(self, data=b""):
        """Appends `data`, seals the blob, links it where create_blob asked; returns its hash."""
        self._check_open()
        view = memoryview(data).cast("B")
        last = max(0, len(view) - MAX_CHUNK_SIZE)
        try:
            if last:
                self.write(view[:last])
            self.hash = self._calls.blob_finalize(self._handle, bytes(view[last:]))
        except BaseException:
            # The kernel answered (or the call broke): either way the handle is spent, so
            # __exit__ must not close it again and raise a second error hiding this one.
            self._open = False
            raise
        self._open = False
        return self.hash

    def close(self):
        """Abandons the blob unless it was finalized."""
        if self._open:
            self._open = False
            self._calls.blob_close(self._handle)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close()
        return False

    def _check_open(self):
        if not self._open:
            raise ValueError("blob already finalized or closed")
