"""The VM's main loop: load the workload, announce readiness, run invocations one by one."""

import json
import os
import sys

from . import PROTOCOL_VERSION
from .calls import Calls
from .channel import Channel
from .cloudcall import CloudCall
from .limits import MAX_INLINE_BYTES
from .logs import LogCapture
from .proto import pb

DEFAULT_SOCKET = "/run/faasten/channel.sock"
DEFAULT_WORKLOAD = "/srv/workload.py"


def _isolate_stdio():
    """The function's prints go to stderr (drained by the host, never parsed); nothing is read
    from stdin; no descriptor other than the channel survives into the function."""
    os.closerange(3, 1 << 16)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)


def _load(workload_path):
    """Imports the workload as module `workload` with its directory importable. Returns
    (handle, None) or (None, FunctionError)."""
    sys.path.insert(0, os.path.dirname(workload_path))
    try:
        # What importlib.util would do, without importing it (and contextlib) on every cold start.
        with open(workload_path, "rb") as source:
            code = compile(source.read(), workload_path, "exec")
        module = type(sys)("workload")
        module.__file__ = workload_path
        sys.modules["workload"] = module
        exec(code, module.__dict__)
        handle = getattr(module, "handle", None)
        if not callable(handle):
            raise AttributeError(f"{workload_path} defines no handle(event, cloudcall)")
        return handle, None
    except BaseException as e:  # noqa: B036 -- a broken workload must not kill the VM silently
        return None, _function_error(e)


def _function_error(e, skip_frames=1):
    import traceback  # only failures pay for it (and linecache, tokenize, re)

    tb = e.__traceback__
    for _ in range(skip_frames):
        if tb is not None:
            tb = tb.tb_next
    return pb.FunctionError(
        type=type(e).__name__,
        message=str(e),
        traceback="".join(traceback.format_exception(type(e), e, tb)),
        out_of_memory=isinstance(e, MemoryError),
    )


def _run(handle, calls, cloudcall, start):
    """Runs one invocation; returns the InvocationResult."""
    result = pb.InvocationResult(invocation_id=start.invocation_id)
    try:
        event = json.loads(start.payload) if start.payload else None
    except ValueError as e:
        result.error.CopyFrom(pb.FunctionError(type="BadPayload", message=f"payload is not JSON: {e}"))
        return result

    # The gate's environment: the same for every invocation a VM serves (VMs are never shared
    # between gates, and an updated gate gets new VMs), so setting it again changes nothing.
    os.environ.update(start.env)
    calls.begin()
    try:
        value = handle(event, cloudcall)
        body = json.dumps(value, separators=(",", ":")).encode("utf-8")
    except BaseException as e:  # noqa: B036 -- sys.exit() in a function is still its error
        result.error.CopyFrom(_function_error(e))
        return result
    finally:
        calls.end()

    if len(body) > MAX_INLINE_BYTES:
        result.error.CopyFrom(pb.FunctionError(
            type="ResultTooLarge",
            message=f"the result is {len(body)} bytes; at most {MAX_INLINE_BYTES} are allowed"))
    else:
        result.value = body
    return result


def serve(argv):
    socket_path = argv[0] if len(argv) > 0 else DEFAULT_SOCKET
    workload_path = argv[1] if len(argv) > 1 else DEFAULT_WORKLOAD

    _isolate_stdio()
    return run(Channel.connect(socket_path), workload_path)


def run(channel, workload_path):
    """Imports the workload, says Hello on `channel` and serves invocations until the host
    closes it. A fresh VM and a VM forked from a template both end up here."""
    handle, load_error = _load(workload_path)
    channel.send(pb.GuestMessage(hello=pb.Hello(
        protocol_version=PROTOCOL_VERSION, runtime=f"python3 {sys.version.split()[0]}")))

    calls = Calls(channel)
    cloudcall = CloudCall(calls)
    # From here on the function's output is its invocations' logs, not the VM's console.
    capture = LogCapture()
    while True:
        message = channel.receive()
        if message is None:
            return 0
        if message.WhichOneof("kind") != "start":
            sys.stderr.write(f"faasten runtime: expected an invocation, got {message.WhichOneof('kind')}\n")
            return 3
        start = message.start
        if load_error is not None:
            result = pb.InvocationResult(invocation_id=start.invocation_id, error=load_error)
        else:
            result = _run(handle, calls, cloudcall, start)
        result.logs, result.logs_truncated = capture.collect(start.log_limit)
        channel.send(pb.GuestMessage(result=result))
