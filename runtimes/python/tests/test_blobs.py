import io
import unittest

from faasten_runtime.blobs import BlobFile, NewBlob
from faasten_runtime.limits import MAX_CHUNK_SIZE

from faasten_runtime import errors
from fakes import FakeCalls

DATA = bytes(range(256)) * 40  # 10,240 bytes


class BlobFileTests(unittest.TestCase):
    def open(self, data=DATA):
        calls = FakeCalls(data)
        return calls, BlobFile(calls, 7, len(data), "h")

    def test_read_seek_tell_behave_like_a_file(self):
        calls, f = self.open()
        self.assertEqual(f.read(3), DATA[:3])
        self.assertEqual(f.tell(), 3)
        self.assertEqual(f.seek(-4, io.SEEK_END), len(DATA) - 4)
        self.assertEqual(f.read(), DATA[-4:])
        self.assertEqual(f.read(), b"")
        self.assertEqual(f.seek(100), 100)
        self.assertEqual(f.seek(5, io.SEEK_CUR), 105)
        self.assertEqual(f.read(2), DATA[105:107])
        self.assertTrue(f.readable() and f.seekable())
        self.assertFalse(f.writable())

    def test_small_reads_are_buffered_into_few_calls(self):
        calls, f = self.open()
        for _ in range(100):
            f.read(10)
        self.assertEqual(len([c for c in calls.log if c[0] == "read"]), 1)

    def test_readinto_fills_the_buffer(self):
        calls, f = self.open()
        buffer = bytearray(16)
        self.assertEqual(f.readinto(buffer), 16)
        self.assertEqual(bytes(buffer), DATA[:16])

    def test_read_all_of_a_large_blob_uses_chunk_sized_calls(self):
        data = b"x" * (3 * MAX_CHUNK_SIZE + 10)
        calls, f = self.open(data)
        self.assertEqual(f.read(), data)
        reads = [c for c in calls.log if c[0] == "read"]
        self.assertTrue(all(c[3] <= MAX_CHUNK_SIZE for c in reads))
        self.assertLessEqual(len(reads), 5)

    def test_negative_seek_is_refused(self):
        _, f = self.open()
        with self.assertRaises(ValueError):
            f.seek(-1)

    def test_close_defers_the_close_call_and_happens_once(self):
        calls, f = self.open()
        with f:
            pass
        f.close()
        self.assertEqual(calls.closed_later, [7])
        with self.assertRaises(ValueError):
            f.read(1)

    def test_size_and_hash_are_exposed(self):
        _, f = self.open()
        self.assertEqual((f.size, f.hash), (len(DATA), "h"))


class NewBlobTests(unittest.TestCase):
    def test_finalize_sends_large_data_in_chunks_and_returns_the_hash(self):
        calls = FakeCalls()
        data = b"y" * (2 * MAX_CHUNK_SIZE + 3)
        with NewBlob(calls, 3) as blob:
            digest = blob.finalize(data)
        self.assertEqual(bytes(calls.written), data)
        self.assertTrue(all(c[2] <= MAX_CHUNK_SIZE for c in calls.log if c[0] in ("write", "finalize")))
        self.assertEqual(digest, blob.hash)
        self.assertNotIn("close", [c[0] for c in calls.log])

    def test_write_accepts_bytes_like_and_returns_the_count(self):
        calls = FakeCalls()
        blob = NewBlob(calls, 3)
        self.assertEqual(blob.write(bytearray(b"ab")), 2)
        self.assertEqual(blob.write(memoryview(b"cd")), 2)
        blob.finalize()
        self.assertEqual(bytes(calls.written), b"abcd")

    def test_leaving_without_finalize_abandons_the_blob(self):
        calls = FakeCalls()
        with NewBlob(calls, 3) as blob:
            blob.write(b"partial")
        self.assertEqual(calls.log[-1], ("close", 3))

    def test_failing_finalize_raises_its_own_error_and_spends_the_handle(self):
        calls = FailingFinalize(errors.LabelError("cannot link there"))
        with self.assertRaises(errors.LabelError) as raised:
            with NewBlob(calls, 3) as blob:
                blob.finalize(b"x")
        self.assertEqual(str(raised.exception), "cannot link there")
        self.assertNotIn(("close", 3), calls.log)  # the kernel already dropped the handle
        with self.assertRaises(ValueError):
            blob.write(b"y")

    def test_failing_write_inside_finalize_spends_the_handle(self):
        calls = FailingWrite(errors.TooLarge("blob too large"))
        with self.assertRaises(errors.TooLarge):
            with NewBlob(calls, 3) as blob:
                blob.finalize(b"z" * (MAX_CHUNK_SIZE + 1))
        self.assertNotIn(("close", 3), calls.log)

    def test_finalized_blob_refuses_more_writes(self):
        blob = NewBlob(FakeCalls(), 3)
        blob.finalize(b"x")
        with self.assertRaises(ValueError):
            blob.write(b"y")
        with self.assertRaises(ValueError):
            blob.finalize()


class FailingFinalize(FakeCalls):
    def __init__(self, error):
        super().__init__()
        self.error = error

    def blob_finalize(self, handle, data):
        self.log.append(("finalize", handle, len(data)))
        raise self.error


class FailingWrite(FakeCalls):
    def __init__(self, error):
        super().__init__()
        self.error = error

    def blob_write(self, handle, data):
        self.log.append(("write", handle, len(data)))
        raise self.error


if __name__ == "__main__":
    unittest.main()
