"""Test doubles for the runtime's plumbing."""

import hashlib


class FakeCalls:
    """Stands in for faasten_runtime.calls.Calls: serves blob calls from memory, records them."""

    def __init__(self, blob=b""):
        self.blob = blob
        self.log = []
        self.closed_later = []
        self.written = bytearray()

    def blob_read(self, handle, offset, length):
        self.log.append(("read", handle, offset, length))
        return self.blob[offset:offset + length]

    def blob_write(self, handle, data):
        self.log.append(("write", handle, len(data)))
        self.written += data

    def blob_finalize(self, handle, data):
        self.log.append(("finalize", handle, len(data)))
        self.written += data
        return hashlib.sha256(bytes(self.written)).hexdigest()

    def blob_close(self, handle):
        self.log.append(("close", handle))

    def close_later(self, handle):
        self.closed_later.append(handle)


class FakeChannel:
    """Stands in for faasten_runtime.channel.Channel: records sends, replays scripted replies."""

    def __init__(self, replies):
        self.sent = []
        self._replies = list(replies)

    def send(self, message):
        self.sent.append(message)

    def receive_or_exit(self):
        reply = self._replies.pop(0)
        return reply(self.sent[-1]) if callable(reply) else reply
