"""Kernel calls a forked VM needs to isolate itself from its template and its siblings.

Only the template's trusted code runs these, between the fork and the import of the function
(see template.py): namespaces, mounts, the loopback interface, and dropping every capability.
Python 3.11 has no os.unshare, so everything goes through libc with ctypes.
"""

import ctypes
import fcntl
import os
import signal
import socket
import struct

_libc = ctypes.CDLL(None, use_errno=True)
_SYS_CLONE = 56  # x86_64

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWNET = 0x40000000
CLONE_NEWPID = 0x20000000

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REC = 16384
MS_PRIVATE = 1 << 18

_PR_SET_DUMPABLE = 4
_PR_CAPBSET_DROP = 24
_PR_SET_NO_NEW_PRIVS = 38
_PR_CAP_AMBIENT = 47
_PR_CAP_AMBIENT_CLEAR_ALL = 4
_LINUX_CAPABILITY_VERSION_3 = 0x20080522

_SIOCGIFFLAGS = 0x8913
_SIOCSIFFLAGS = 0x8914
_IFF_UP = 0x1


def _check(result, what):
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def fork_into_namespaces(flags):
    """fork(), but the child starts in new namespaces (`flags`): with CLONE_NEWPID it is PID 1
    of its own PID namespace, one fork instead of unshare-then-fork-again. Python's own fork
    hooks run around it as os.fork runs them. The caller must be single-threaded: the raw
    clone skips glibc's fork handlers, which only matter for locks other threads hold."""
    api = ctypes.pythonapi
    api.PyOS_BeforeFork()
    pid = _libc.syscall(ctypes.c_long(_SYS_CLONE), ctypes.c_ulong(signal.SIGCHLD | flags),
                        None, None, None, ctypes.c_ulong(0))
    if pid == 0:
        api.PyOS_AfterFork_Child()
        return 0
    errno = ctypes.get_errno()
    api.PyOS_AfterFork_Parent()
    if pid < 0:
        raise OSError(errno, f"clone: {os.strerror(errno)}")
    return pid


def unshare(flags):
    _check(_libc.unshare(ctypes.c_int(flags)), "unshare")


def mount(source, target, fstype, flags, data=None):
    _check(_libc.mount(source.encode(), target.encode(), fstype.encode(), ctypes.c_ulong(flags),
                       data.encode() if data is not None else None), f"mount {target}")


def loopback_up():
    """A new network namespace starts with lo down; bwrap brings it up for fresh VMs."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        request = struct.pack("16sh22x", b"lo", 0)
        flags = struct.unpack("16sh22x", fcntl.ioctl(s, _SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(s, _SIOCSIFFLAGS, struct.pack("16sh22x", b"lo", flags | _IFF_UP))


def last_capability():
    with open("/proc/sys/kernel/cap_last_cap") as f:
        return int(f.read())


def drop_all_capabilities(last_cap):
    """Empties the ambient, bounding, inheritable, permitted and effective sets and sets
    no_new_privs: nothing this process or its descendants exec can regain a capability."""
    _check(_libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "clear ambient capabilities")
    for cap in range(last_cap + 1):
        _check(_libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0), f"drop capability {cap} from the bounding set")
    header = struct.pack("Ii", _LINUX_CAPABILITY_VERSION_3, 0)
    data = bytes(24)  # two __user_cap_data_struct {effective, permitted, inheritable}, all empty
    _check(_libc.capset(header, data), "capset")
    _check(_libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")


def set_dumpable(value):
    _check(_libc.prctl(_PR_SET_DUMPABLE, 1 if value else 0, 0, 0, 0), "dumpable")
