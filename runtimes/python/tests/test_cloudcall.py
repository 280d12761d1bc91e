import unittest

from faasten_runtime import errors
from faasten_runtime.cloudcall import CloudCall, _entries
from faasten_runtime.proto import pb


class CloudCallSurfaceTests(unittest.TestCase):
    def test_every_error_class_is_reachable_from_the_cloudcall_object(self):
        classes = {name for name, value in vars(errors).items()
                   if isinstance(value, type) and issubclass(value, errors.CloudCallError)}
        self.assertEqual(len(classes), 16)  # CloudCallError and the 15 the README lists
        for name in classes:
            self.assertIs(getattr(CloudCall, name), getattr(errors, name), name)

    def test_kind_names_are_the_http_apis(self):
        names = _entries([pb.DirEntry(name=str(kind), kind=kind) for kind in pb.EntryKind.values()
                          if kind != pb.ENTRY_KIND_UNSPECIFIED])
        self.assertEqual(
            sorted(names.values()),
            sorted(["directory", "file", "blob", "faceted_directory", "gate", "redirect_gate", "service", "trigger", "schedule"]))

    def test_creategate_timeout_is_in_milliseconds_like_http(self):
        sent = []

        class Calls:
            def call(self, kind, request, answer):
                sent.append(request)

        CloudCall(Calls()).fs_creategate("~:g", "~:img", "alice", "T", timeout=1500)
        self.assertEqual(sent[0].timeout_ms, 1500)


if __name__ == "__main__":
    unittest.main()
