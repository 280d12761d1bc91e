import unittest

from faasten_runtime import errors
from faasten_runtime.calls import Calls
from faasten_runtime.proto import pb

from fakes import FakeChannel


def reply(**result):
    def answer(sent):
        return pb.HostMessage(reply=pb.CloudCallResponse(id=sent.call.id, **result))
    return answer


class CallsTests(unittest.TestCase):
    def test_requests_get_increasing_ids_and_typed_results(self):
        channel = FakeChannel([reply(label=pb.LabelResult(label="a,b")), reply(done=pb.Done())])
        calls = Calls(channel)
        calls.begin()
        self.assertEqual(calls.call("get_current_label", pb.GetCurrentLabel(), "label").label, "a,b")
        calls.call("fs_delete", pb.FsDelete(path="p"), "done")
        self.assertEqual([m.call.id for m in channel.sent], [1, 2])
        self.assertEqual(channel.sent[1].call.fs_delete.path, "p")

    def test_error_reply_raises_the_matching_exception(self):
        channel = FakeChannel([reply(error=pb.CloudCallError(code=pb.CLOUD_CALL_ERROR_CODE_EXISTS, message="taken"))])
        calls = Calls(channel)
        calls.begin()
        with self.assertRaises(errors.Exists) as raised:
            calls.call("fs_create_dir", pb.FsCreateDir(path="p"), "done")
        self.assertEqual((str(raised.exception), raised.exception.code), ("taken", "EXISTS"))

    def test_reply_of_the_wrong_kind_is_a_kernel_error(self):
        calls = Calls(FakeChannel([reply(done=pb.Done())]))
        calls.begin()
        with self.assertRaises(errors.KernelError):
            calls.call("fs_read", pb.FsRead(path="p"), "fs_read")

    def test_calls_outside_an_invocation_are_refused(self):
        calls = Calls(FakeChannel([]))
        with self.assertRaises(errors.BadRequest):
            calls.call("get_privilege", pb.GetPrivilege(), "privilege")

    def test_deferred_closes_go_first_and_their_errors_are_swallowed(self):
        denied = reply(error=pb.CloudCallError(code=pb.CLOUD_CALL_ERROR_CODE_NOT_FOUND))
        channel = FakeChannel([denied, reply(privilege=pb.PrivilegeResult(privilege="alice"))])
        calls = Calls(channel)
        calls.begin()
        calls.close_later(9)
        self.assertEqual(calls.call("get_privilege", pb.GetPrivilege(), "privilege").privilege, "alice")
        self.assertEqual(channel.sent[0].call.blob_close.handle, 9)

    def test_end_drops_pending_closes(self):
        channel = FakeChannel([reply(done=pb.Done())])
        calls = Calls(channel)
        calls.begin()
        calls.close_later(9)
        calls.end()
        calls.begin()
        calls.call("endorse", pb.Endorse(), "done")
        self.assertEqual(len(channel.sent), 1)


class ErrorsTests(unittest.TestCase):
    def test_every_wire_code_has_its_own_exception_class(self):
        seen = set()
        for name, number in pb.CloudCallErrorCode.items():
            if number == 0:
                continue
            exc = errors.from_wire(number, "m")
            self.assertIsInstance(exc, errors.CloudCallError)
            self.assertEqual(exc.code, name[len("CLOUD_CALL_ERROR_CODE_"):])
            seen.add(type(exc))
        self.assertEqual(len(seen), len(pb.CloudCallErrorCode.items()) - 1)

    def test_unknown_codes_become_kernel_errors(self):
        self.assertIsInstance(errors.from_wire(999, "m"), errors.KernelError)
        self.assertIsInstance(errors.from_wire(0, "m"), errors.KernelError)


if __name__ == "__main__":
    unittest.main()
