"""The VM side of the channel: length-prefixed protobuf frames over one stream socket.

The host owns the protocol; if it (or anything else on the socket) breaks it, this process
cannot resynchronize, so it exits instead of raising into the function.
"""

import os
import socket
import struct
import sys

from .limits import HEADER_SIZE, MAX_FRAME_SIZE
from .proto import pb

_HEADER = struct.Struct("<I")
# Below this a frame is copied once into a single send; above it, header and body go separately.
_SMALL_FRAME = 64 * 1024


def _die(message, status=3):
    sys.stderr.write(f"faasten runtime: {message}\n")
    sys.stderr.flush()
    os._exit(status)


class Channel:
    def __init__(self, sock):
        self._sock = sock
        self._rfile = sock.makefile("rb", buffering=256 * 1024)

    @classmethod
    def connect(cls, path):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(path)
        return cls(sock)

    def send(self, message):
        """Sends a GuestMessage."""
        body = message.SerializeToString()
        if len(body) > MAX_FRAME_SIZE:
            raise ValueError(f"frame of {len(body)} bytes exceeds the {MAX_FRAME_SIZE}-byte limit")
        header = _HEADER.pack(len(body))
        try:
            if len(body) <= _SMALL_FRAME:
                self._sock.sendall(header + body)
            else:
                self._sock.sendall(header)
                self._sock.sendall(body)
        except OSError as e:
            _die(f"channel closed while sending: {e}", 0)

    def receive(self):
        """The next HostMessage, or None when the host closed the channel between frames."""
        try:
            header = self._rfile.read(HEADER_SIZE)
            if not header:
                return None
            if len(header) < HEADER_SIZE:
                _die("channel ended inside a frame header")
            (length,) = _HEADER.unpack(header)
            if length > MAX_FRAME_SIZE:
                _die(f"frame length {length} exceeds the {MAX_FRAME_SIZE}-byte limit")
            body = self._rfile.read(length)
        except OSError as e:
            _die(f"channel failed while receiving: {e}", 0)
        if len(body) < length:
            _die(f"channel ended inside a frame ({len(body)} of {length} bytes)")
        try:
            return pb.HostMessage.FromString(body)
        except Exception as e:  # the protobuf DecodeError type differs between backends
            _die(f"malformed frame from the host: {e}")

    def receive_or_exit(self):
        """The next HostMessage; the host closing the channel ends this process quietly."""
        message = self.receive()
        if message is None:
            os._exit(0)
        return message
