import socket
import struct
import threading
import unittest

from faasten_runtime.channel import Channel
from faasten_runtime.proto import pb


class ChannelTests(unittest.TestCase):
    def setUp(self):
        self.guest, self.host = socket.socketpair()
        self.channel = Channel(self.guest)

    def tearDown(self):
        self.guest.close()
        self.host.close()

    def read_frame(self):
        (length,) = struct.unpack("<I", self.host.recv(4, socket.MSG_WAITALL))
        return self.host.recv(length, socket.MSG_WAITALL)

    def test_send_writes_a_little_endian_length_and_the_message(self):
        message = pb.GuestMessage(hello=pb.Hello(protocol_version=1, runtime="t"))
        self.channel.send(message)
        self.assertEqual(pb.GuestMessage.FromString(self.read_frame()), message)

    def test_large_frames_arrive_whole(self):
        data = bytes(range(256)) * 4096
        frames = []
        reader = threading.Thread(target=lambda: frames.append(self.read_frame()))
        reader.start()  # a 1 MiB frame does not fit the socket buffer
        self.channel.send(pb.GuestMessage(call=pb.CloudCallRequest(id=1, blob_write=pb.BlobWrite(handle=1, data=data))))
        reader.join()
        self.assertEqual(pb.GuestMessage.FromString(frames[0]).call.blob_write.data, data)

    def test_receive_parses_frames_and_returns_none_at_the_end(self):
        body = pb.HostMessage(start=pb.StartInvocation(invocation_id=3, payload=b"{}")).SerializeToString()
        self.host.sendall(struct.pack("<I", len(body)) + body + struct.pack("<I", 0))
        self.host.shutdown(socket.SHUT_WR)
        self.assertEqual(self.channel.receive().start.invocation_id, 3)
        self.assertEqual(self.channel.receive().WhichOneof("kind"), None)
        self.assertIsNone(self.channel.receive())


if __name__ == "__main__":
    unittest.main()
