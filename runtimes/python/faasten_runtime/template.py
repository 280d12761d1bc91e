"""A VM template: a parked runtime that forks pre-initialized VMs on the host's request.

    python3 -I -S -B main.py --template CONTROL_SOCKET WORKLOAD TMP_BYTES

The template holds the capabilities a child needs to isolate itself (CAP_SYS_ADMIN,
CAP_SETPCAP and CAP_NET_ADMIN, in the sandbox's user namespace only), so **no code of the
function ever runs in it**: it loads the runtime and pre-imports the modules the workload
imports *from the system* (read-only /usr: Debian's PIL, json, ...), never anything from /srv.
Module-level code of the function runs in each child, after the child has isolated itself and
dropped every capability. A template that ran the function's code would be an ancestor, with
capabilities, of every VM of that function at every label: code it left behind could bridge
siblings. It never receives an invocation either: its control channel carries fork requests
(a socket name) and nothing else.

A child (one per request) is cloned straight into new PID, mount, IPC, network and UTS
namespaces, as PID 1 of its own (later a minimal init, with the runtime as PID 2). Before anything of the function runs it mounts its own /proc,
a size-limited /tmp and a new devpts, brings its loopback up, connects its channel and console
to the host's per-child socket, waits until the host has moved it into the VM's memory and pids
cgroups, hides the template's socket directory, closes every other descriptor, drops every
capability (bounding set included), sets no_new_privs and reseeds `random`. Then it imports the
workload, says Hello and serves invocations exactly as a fresh VM does.
"""

import ast
import gc
import os
import random
import signal
import socket
import sys

from . import isolation

_NAMESPACES = (isolation.CLONE_NEWNS | isolation.CLONE_NEWPID | isolation.CLONE_NEWIPC
               | isolation.CLONE_NEWNET | isolation.CLONE_NEWUTS)
_SOCKET_DIRECTORY = "/run/faasten"
_MAX_REQUEST = 256


def serve_template(argv):
    control_path, workload_path, tmp_bytes = argv[0], argv[1], int(argv[2])
    _isolate_stdio()
    control = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    control.connect(control_path)
    last_cap = isolation.last_capability()

    # Everything a child runs before it imports the function is loaded here.
    from . import vm  # noqa: F401 -- the runtime itself: protobuf, json, the channel
    preimported = preimport_system_modules(workload_path)

    gc.freeze()  # children's collections never touch (and so copy) the template's objects
    signal.signal(signal.SIGCHLD, lambda _signal, _frame: _report_exits(control))
    control.sendall(f"ready {len(preimported)}\n".encode())
    requests = control.makefile("rb", buffering=0)
    while True:
        line = requests.readline(_MAX_REQUEST)
        if not line:
            return 0  # the host closed the template
        parts = line.decode("ascii", "replace").split()
        if len(parts) != 2 or parts[0] != "fork" or "/" in parts[1] or not parts[1].endswith(".sock"):
            sys.stderr.write(f"faasten template: bad request {line[:64]!r}\n")
            return 3
        if len(os.listdir("/proc/self/task")) != 1:
            sys.stderr.write("faasten template: more than one thread; cannot fork safely\n")
            return 3
        try:
            pid = isolation.fork_into_namespaces(_NAMESPACES)
        except OSError as e:
            sys.stderr.write(f"faasten template: {e}\n")
            continue  # the host's wait for this child times out
        if pid == 0:
            try:
                control.close()
                _child(f"{_SOCKET_DIRECTORY}/{parts[1]}", workload_path, tmp_bytes, last_cap)
            except BaseException as e:  # noqa: B036 -- a child must never return into the loop
                sys.stderr.write(f"faasten template: fork failed: {e!r}\n")
                sys.stderr.flush()
            os._exit(4)


def _isolate_stdio():
    os.closerange(3, 1 << 16)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)


def _report_exits(control):
    """Reaps exited children and tells the host how each ended ("exit PID STATUS", PID as this
    namespace sees it): the host cannot wait for processes it did not start."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        try:
            control.sendall(f"exit {pid} {os.waitstatus_to_exitcode(status)}\n".encode())
        except OSError:
            os._exit(0)  # the host is gone


def _child(socket_path, workload_path, tmp_bytes, last_cap):
    # PID 1 of new PID, mount, IPC, network and UTS namespaces, still with the template's
    # capabilities and nothing of the function loaded.
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the function waits for its own children
    isolation.mount("none", "/", "", isolation.MS_REC | isolation.MS_PRIVATE)
    isolation.mount("proc", "/proc", "proc", isolation.MS_NOSUID | isolation.MS_NODEV | isolation.MS_NOEXEC)
    isolation.mount("tmpfs", "/tmp", "tmpfs", isolation.MS_NOSUID | isolation.MS_NODEV,
                    f"size={tmp_bytes},mode=0755")
    isolation.mount("devpts", "/dev/pts", "devpts", isolation.MS_NOSUID | isolation.MS_NOEXEC,
                    "newinstance,ptmxmode=0666,mode=0620")
    isolation.loopback_up()
    os.chdir("/tmp")

    channel = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    channel.connect(socket_path)
    console = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    console.connect(socket_path)
    # The host answers one byte once this process is in the VM's cgroups: nothing of the
    # function may run (or allocate) before its limits apply.
    channel.settimeout(60)
    if channel.recv(1) != b"\x01":
        os._exit(5)
    channel.settimeout(None)
    console.shutdown(socket.SHUT_RD)
    # Other children's sockets appear in this directory; this VM never sees them.
    isolation.mount("tmpfs", _SOCKET_DIRECTORY, "tmpfs",
                    isolation.MS_RDONLY | isolation.MS_NOSUID | isolation.MS_NODEV | isolation.MS_NOEXEC,
                    "size=4096,mode=0555")
    os.dup2(console.fileno(), 1)
    os.dup2(console.fileno(), 2)
    console.close()
    keep = channel.fileno()
    os.closerange(3, keep)
    os.closerange(keep + 1, 1 << 16)

    # PID 1 ignores signals it has no handler for, even SIGKILL from inside its namespace: the
    # runtime runs as PID 2 under a minimal init, as in a fresh VM (where bwrap is the init).
    runtime = os.fork()
    if runtime != 0:
        channel.close()
        isolation.drop_all_capabilities(last_cap)
        isolation.set_dumpable(False)
        _init(runtime)

    isolation.drop_all_capabilities(last_cap)
    random.seed()  # os.fork reseeds `random` too; this makes it explicit
    from .channel import Channel
    from .vm import run

    os._exit(run(Channel(channel), workload_path))


def _init(runtime):
    """PID 1 of a forked VM: reaps orphans; ends the VM (and so its namespace) with the
    runtime's exit status."""
    while True:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            os._exit(0)
        except InterruptedError:
            continue
        if pid == runtime:
            os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def preimport_system_modules(workload_path):
    """Imports the modules workload.py imports at module level that the system provides (never
    one the image ships or could shadow). Returns their names."""
    try:
        with open(workload_path, "rb") as f:
            tree = ast.parse(f.read(), workload_path)
    except (OSError, SyntaxError, ValueError):
        return []  # the child reports the error when it imports the workload
    image_directory = os.path.dirname(workload_path)
    try:
        shipped = {_module_name(entry) for entry in os.listdir(image_directory)}
    except OSError:
        return []

    wanted = []
    for node in tree.body:
        for name in _imported(node):
            if name not in wanted:
                wanted.append(name)

    guard = _ShadowGuard(shipped)
    sys.meta_path.insert(0, guard)
    done = []
    try:
        for name in wanted:
            if name.split(".")[0] in shipped or name in sys.modules:
                continue
            parent = name.rpartition(".")[0]
            if parent and parent not in sys.modules:
                continue  # its package was not imported (or was rolled back)
            if parent and not hasattr(sys.modules[parent], "__path__"):
                continue  # `from module import attribute`
            before = set(sys.modules)
            guard.hit = False
            imported = False
            try:
                __import__(name)
                imported = True
            except ModuleNotFoundError as e:
                # Not there (or `from package import attribute`, not a submodule): the child
                # imports it as a fresh VM would. Missing anything else, it loaded too much.
                guard.hit = guard.hit or e.name != name
            except BaseException:  # noqa: B036 -- the child imports it again and sees the error
                guard.hit = True
            if guard.hit:
                # It touched a name the image ships (a fresh VM would import the image's copy),
                # or failed: forget everything it loaded, the child imports it as a fresh VM would.
                for added in set(sys.modules) - before:
                    del sys.modules[added]
            elif imported:
                done.append(name)
        for module, function in _SYSTEM_WARMUPS:
            if module in done:
                before = set(sys.modules)
                guard.hit = False
                try:
                    getattr(sys.modules[module], function)()
                except Exception:  # noqa: BLE001 -- a warm-up only saves time; the child does it again
                    guard.hit = True
                if guard.hit:
                    for added in set(sys.modules) - before:
                        del sys.modules[added]
    finally:
        sys.meta_path.remove(guard)
    return done


# Lazy initializations of system packages that the first call would otherwise pay in every
# child, run here instead (system code, not the function's). PIL loads its format plugins on
# the first open or save.
_SYSTEM_WARMUPS = (("PIL.Image", "init"),)


def _imported(node):
    """Modules a module-level statement imports (including those in module-level try/if
    blocks), packages before their submodules."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
    elif isinstance(node, ast.ImportFrom):
        if node.level == 0 and node.module:
            yield node.module
            for alias in node.names:
                if alias.name != "*":
                    yield f"{node.module}.{alias.name}"  # a submodule, or an attribute (then skipped)
    elif isinstance(node, (ast.Try, ast.If)):
        for child in node.body + node.orelse + getattr(node, "finalbody", []) + [
                s for h in getattr(node, "handlers", []) for s in h.body]:
            yield from _imported(child)


def _module_name(entry):
    return entry.split(".")[0]


class _ShadowGuard:
    """Refuses, and records, any import of a name the image ships while the template imports."""

    def __init__(self, shipped):
        self._shipped = shipped
        self.hit = False

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in self._shipped:
            self.hit = True
            raise ImportError(f"{name} is shipped by the image")
        return None
