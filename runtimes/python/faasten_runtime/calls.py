"""Request/response plumbing under the CloudCall API: ids, one call at a time, typed errors."""

import _thread  # threading's Lock without importing threading: cold start

from . import errors
from .proto import pb


class Calls:
    def __init__(self, channel):
        self._channel = channel
        self._lock = _thread.allocate_lock()
        self._next_id = 1
        self._active = False
        self._pending_closes = []

    def begin(self):
        with self._lock:
            self._active = True

    def end(self):
        with self._lock:
            self._active = False
            # The kernel drops an invocation's blob handles when it ends.
            self._pending_closes.clear()

    def call(self, field, request, expect):
        """Sends `request` as CloudCallRequest.<field>; returns CloudCallResponse.<expect>."""
        with self._lock:
            if not self._active:
                raise errors.BadRequest("CloudCalls are only possible while handle() runs")
            while self._pending_closes:
                try:
                    self._exchange("blob_close", pb.BlobClose(handle=self._pending_closes.pop()), "done")
                except errors.CloudCallError:
                    pass  # a close the function never sees; the handle is gone either way
            return self._exchange(field, request, expect)

    def _exchange(self, field, request, expect):
        request_id = self._next_id
        self._next_id += 1
        message = pb.GuestMessage()
        message.call.id = request_id
        getattr(message.call, field).CopyFrom(request)
        self._channel.send(message)

        reply = self._channel.receive_or_exit()
        if reply.WhichOneof("kind") != "reply" or reply.reply.id != request_id:
            from .channel import _die
            _die(f"expected the reply to CloudCall {request_id} ({field}), got {reply}")
        response = reply.reply
        kind = response.WhichOneof("result")
        if kind == expect:
            return getattr(response, expect)
        if kind == "error":
            raise errors.from_wire(response.error.code, response.error.message)
        raise errors.KernelError(f"the kernel answered {field} with {kind or 'nothing'}")

    # Blob plumbing used by blobs.py.

    def blob_read(self, handle, offset, length):
        return self.call("blob_read", pb.BlobRead(handle=handle, offset=offset, length=length), "blob_read").data

    def blob_write(self, handle, data):
        self.call("blob_write", pb.BlobWrite(handle=handle, data=data), "done")

    def blob_finalize(self, handle, data):
        return self.call("blob_finalize", pb.BlobFinalize(handle=handle, data=data), "blob_finalize").hash

    def blob_close(self, handle):
        self.call("blob_close", pb.BlobClose(handle=handle), "done")

    def close_later(self, handle):
        # list.append is atomic under the GIL and takes no lock: safe from a finalizer.
        self._pending_closes.append(handle)
