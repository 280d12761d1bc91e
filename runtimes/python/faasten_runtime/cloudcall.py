"""The `cloudcall` object handed to handle(event, cloudcall): every CloudCall of the platform.

Paths use the Faasten-FS syntax ("home:<alice,alice>:photos"); labels, components and
privileges are strings in the label text syntax ("alice,alice"). `label=None` means the
caller's current label. Every denial raises a subclass of errors.CloudCallError.
"""

import collections
import json

from . import errors
from .blobs import BlobFile, NewBlob
from .limits import MAX_INLINE_BYTES
from .proto import pb

ServiceResponse = collections.namedtuple("ServiceResponse", ["status", "headers", "body"])

_KIND_NAMES = {
    pb.ENTRY_KIND_DIRECTORY: "directory",
    pb.ENTRY_KIND_FILE: "file",
    pb.ENTRY_KIND_BLOB: "blob",
    pb.ENTRY_KIND_FACETED_DIRECTORY: "faceted_directory",
    pb.ENTRY_KIND_GATE: "gate",
    pb.ENTRY_KIND_REDIRECT_GATE: "redirect_gate",
    pb.ENTRY_KIND_SERVICE: "service",
    pb.ENTRY_KIND_TRIGGER: "trigger",
    pb.ENTRY_KIND_SCHEDULE: "schedule",
}


def _as_bytes(data, what):
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"{what} must be bytes or str, not {type(data).__name__}")


def _entries(entries):
    return {e.name: _KIND_NAMES.get(e.kind, "unknown") for e in entries}


def _optional(**fields):
    return {name: value for name, value in fields.items() if value is not None}


class CloudCall:
    # Exception classes, reachable without an import: `except cloudcall.LabelError`.
    CloudCallError = errors.CloudCallError
    NotFound = errors.NotFound
    NotADirectory = errors.NotADirectory
    WrongKind = errors.WrongKind
    LabelError = errors.LabelError
    PrivilegeError = errors.PrivilegeError
    Exists = errors.Exists
    BadPath = errors.BadPath
    BadLabel = errors.BadLabel
    BadRequest = errors.BadRequest
    TooLarge = errors.TooLarge
    InvocationFailed = errors.InvocationFailed
    CloudCallTimeout = errors.CloudCallTimeout
    ServiceError = errors.ServiceError
    Unsupported = errors.Unsupported
    KernelError = errors.KernelError

    def __init__(self, calls):
        self._calls = calls

    # -- blobs ---------------------------------------------------------------------------

    def fs_openblob(self, path):
        """Opens the blob at `path`: a read-only binary file (read, readinto, seek, tell)
        that fetches its bytes lazily. Use it as a context manager."""
        opened = self._calls.call("blob_open", pb.BlobOpen(path=path), "blob_open")
        return BlobFile(self._calls, opened.handle, opened.size, opened.hash)

    def create_blob(self, path=None, label=None):
        """Starts a new blob: a context manager with write(data) and finalize(data=b"").
        finalize() links the blob at `path` (if given) with `label` and returns its hash."""
        created = self._calls.call("blob_create", pb.BlobCreate(**_optional(path=path, label=label)), "blob_create")
        return NewBlob(self._calls, created.handle)

    def fs_linkblob(self, path, blob, label=None):
        """Links existing blob content at `path`. `blob` is the path of a blob entry (read, so
        it taints the caller with that entry's label) or the hash of a blob this invocation
        created itself: a hash learned any other way is not a capability."""
        self._calls.call("fs_link_blob", pb.FsLinkBlob(path=path, blob=blob, **_optional(label=label)), "done")

    # -- files and directories -----------------------------------------------------------

    def fs_read(self, path):
        """The contents of the file at `path`, as bytes."""
        return self._calls.call("fs_read", pb.FsRead(path=path), "fs_read").data

    def fs_write(self, path, data):
        """Replaces the contents of the file at `path` (bytes, or str as UTF-8)."""
        data = _as_bytes(data, "data")
        if len(data) > MAX_INLINE_BYTES:
            raise errors.TooLarge(f"a file write carries at most {MAX_INLINE_BYTES} bytes; use a blob")
        self._calls.call("fs_write", pb.FsWrite(path=path, data=data), "done")

    def fs_list(self, path):
        """The directory at `path` as {name: kind}; kind is "directory", "file", "blob",
        "faceted_directory", "gate", "redirect_gate", "service", "trigger" or "schedule". The kernel answers a page
        of at most 1,000 entries at a time; this follows the pages and returns them all (use
        fs_list_pages to stop early in a large directory)."""
        entries = {}
        for page in self.fs_list_pages(path):
            entries.update(page)
        return entries

    def fs_list_pages(self, path, limit=None):
        """The directory at `path` one page at a time: an iterator of {name: kind} dicts of at
        most `limit` entries (default and maximum 1,000), in name order."""
        cursor = None
        while True:
            request = pb.FsList(path=path, limit=limit or 0, **_optional(cursor=cursor))
            result = self._calls.call("fs_list", request, "fs_list")
            yield _entries(result.entries)
            if not result.HasField("next"):
                return
            cursor = result.next

    def fs_faceted_list(self, path, clearance=None):
        """The facets of the faceted directory at `path` that flow to `clearance` (default:
        the current label), as {facet label: {name: kind}}. Taints the caller with `clearance`.
        Follows every page of facets, and lists each facet with fs_list."""
        return {facet: self.fs_list(f"{path}:<{facet}>") for facet in self.fs_facets(path, clearance)}

    def fs_facets(self, path, clearance=None, limit=None):
        """The labels of the facets of the faceted directory at `path` that flow to `clearance`
        (default: the current label), in order, fetched a page (at most `limit`, default and
        maximum 1,000) at a time. Taints the caller with `clearance`."""
        cursor = None
        while True:
            request = pb.FsFacetedList(path=path, limit=limit or 0, **_optional(clearance=clearance, cursor=cursor))
            result = self._calls.call("fs_faceted_list", request, "fs_faceted_list")
            for listing in result.facets:
                yield listing.facet
            if not result.HasField("next"):
                return
            cursor = result.next

    def fs_createdir(self, path, label=None):
        self._calls.call("fs_create_dir", pb.FsCreateDir(path=path, **_optional(label=label)), "done")

    def fs_createfile(self, path, label=None):
        self._calls.call("fs_create_file", pb.FsCreateFile(path=path, **_optional(label=label)), "done")

    def fs_createfaceted(self, path):
        self._calls.call("fs_create_faceted", pb.FsCreateFaceted(path=path), "done")

    def fs_hardlink(self, src, dest):
        """Links the object at `src` also at `dest`."""
        self._calls.call("fs_hard_link", pb.FsHardLink(source=src, destination=dest), "done")

    def fs_delete(self, path):
        """Unlinks the entry at `path`."""
        self._calls.call("fs_delete", pb.FsDelete(path=path), "done")

    # -- gates and services --------------------------------------------------------------

    def fs_creategate(self, path, image_blob, privilege, clearance, memory=128, runtime="python3", label=None,
                      *, declassify=None, timeout=None):
        """Creates a gate running the image `image_blob` (the path of a blob entry, or the hash
        of a blob this invocation created) with `privilege`, invocable by privileges that imply
        `clearance`. `declassify` defaults to `privilege`; `timeout` is in milliseconds, as
        in the HTTP API's gates (default: the platform's, 30000)."""
        request = pb.FsCreateGate(
            path=path, image_blob=image_blob, privilege=privilege, clearance=clearance,
            memory_mb=int(memory), runtime=runtime,
            **_optional(label=label, declassify=declassify,
                        timeout_ms=None if timeout is None else int(timeout)))
        self._calls.call("fs_create_gate", request, "done")

    def fs_createredirectgate(self, path, target, privilege, clearance, label=None):
        """Creates a gate that redirects to the gate at `target`."""
        request = pb.FsCreateRedirectGate(
            path=path, target=target, privilege=privilege, clearance=clearance, **_optional(label=label))
        self._calls.call("fs_create_redirect_gate", request, "done")

    def fs_createservice(self, path, url, taint, privilege, clearance, verb="GET", headers=None, label=None):
        """Creates a service: an HTTP endpoint (`url` may hold {name} placeholders) whose
        traffic is labeled `taint`, usable by privileges that imply `clearance`."""
        request = pb.FsCreateService(
            path=path, url=url, verb=verb, taint=taint, privilege=privilege, clearance=clearance,
            **_optional(label=label))
        request.headers.update(headers or {})
        self._calls.call("fs_create_service", request, "done")

    def invoke(self, path, payload, sync=True):
        """Invokes the gate at `path` with the JSON-serializable `payload`. Sync: returns the
        callee's result (and taints the caller with its label); async: returns an id."""
        request = pb.Invoke(path=path, payload=json.dumps(payload).encode("utf-8"), sync=sync)
        result = self._calls.call("invoke", request, "invoke")
        if result.WhichOneof("outcome") == "invocation_id":
            return result.invocation_id
        return json.loads(result.value) if result.value else None

    def invoke_service(self, path, body=b"", params=None):
        """Calls the service at `path`; returns ServiceResponse(status, headers, body)."""
        request = pb.InvokeService(path=path, body=_as_bytes(body, "body"))
        request.params.update({str(k): str(v) for k, v in (params or {}).items()})
        result = self._calls.call("invoke_service", request, "invoke_service")
        return ServiceResponse(result.status, dict(result.headers), result.body)

    # -- labels --------------------------------------------------------------------------

    def get_current_label(self):
        return self._calls.call("get_current_label", pb.GetCurrentLabel(), "label").label

    def get_privilege(self):
        return self._calls.call("get_privilege", pb.GetPrivilege(), "privilege").privilege

    def taint_with_label(self, l):  # noqa: E741 -- the documented parameter name
        """Raises the current label to include `l`; returns the new current label."""
        return self._calls.call("taint_with_label", pb.TaintWithLabel(label=l), "label").label

    def declassify(self, secrecy):
        """Lowers the current secrecy to `secrecy` using the privilege; returns the new label."""
        return self._calls.call("declassify", pb.Declassify(secrecy=secrecy), "label").label

    def endorse(self):
        """Adds the privilege to the current integrity; returns the new label."""
        return self._calls.call("endorse", pb.Endorse(), "label").label

    def sub_privilege(self, suffix):
        """The privilege extended by `suffix` (alice -> alice/pma): narrower authority to
        delegate, e.g. to a gate. `suffix` is "pma" or "pma/thumb" or a list of tokens."""
        if not isinstance(suffix, str):
            suffix = "/".join(suffix)
        return self._calls.call("sub_privilege", pb.SubPrivilege(suffix=suffix), "privilege").privilege
