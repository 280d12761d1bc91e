"""Exceptions raised by CloudCalls. A denied call always raises; it never returns False."""

from .proto import ERROR_PREFIX, pb


class CloudCallError(Exception):
    """A CloudCall the kernel refused or could not complete. `code` is the wire error code name."""

    code = "UNSPECIFIED"

    def __init__(self, message="", code=None):
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self):
        return self.args[0] if self.args else ""


class NotFound(CloudCallError):
    code = "NOT_FOUND"


class NotADirectory(CloudCallError):
    code = "NOT_A_DIRECTORY"


class WrongKind(CloudCallError):
    """The object exists but is not what the call works on (e.g. fs_read on a directory)."""

    code = "WRONG_KIND"


class LabelError(CloudCallError):
    """The information flow is not allowed by the labels."""

    code = "LABEL_DENIED"


class PrivilegeError(CloudCallError):
    """The function's privilege does not carry the authority the call needs."""

    code = "PRIVILEGE_DENIED"


class Exists(CloudCallError):
    code = "EXISTS"


class BadPath(CloudCallError):
    code = "BAD_PATH"


class BadLabel(CloudCallError):
    code = "BAD_LABEL"


class BadRequest(CloudCallError):
    code = "BAD_REQUEST"


class TooLarge(CloudCallError):
    code = "TOO_LARGE"


class InvocationFailed(CloudCallError):
    """A synchronous invoke() whose callee failed."""

    code = "INVOCATION_FAILED"


class CloudCallTimeout(CloudCallError):
    code = "TIMEOUT"


class ServiceError(CloudCallError):
    """invoke_service() could not reach the service."""

    code = "SERVICE_FAILED"


class Unsupported(CloudCallError):
    """The kernel serving this VM does not implement the call."""

    code = "UNSUPPORTED"


class KernelError(CloudCallError):
    """The kernel failed internally (or answered something this runtime does not understand)."""

    code = "INTERNAL"


_CLASSES = {
    cls.code: cls
    for cls in (
        NotFound, NotADirectory, WrongKind, LabelError, PrivilegeError, Exists, BadPath,
        BadLabel, BadRequest, TooLarge, InvocationFailed, CloudCallTimeout, ServiceError,
        Unsupported, KernelError,
    )
}


def from_wire(code, message):
    """The exception for a CloudCallError with numeric `code` and text `message`."""
    try:
        name = pb.CloudCallErrorCode.Name(code)[len(ERROR_PREFIX):]
    except ValueError:
        return KernelError(f"unknown error code {code}: {message}")
    return _CLASSES.get(name, KernelError)(message, code=name)
