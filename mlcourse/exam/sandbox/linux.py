"""Linux primitives the sandbox is built from (ctypes: ``os.unshare`` and ``os.mount`` are not in 3.11)."""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import signal
import socket
import struct
import sys

from mlcourse.exam.sandbox.limits import Limits

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS = 1, 38

_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def _check(result: int, what: str) -> None:
    """Raise OSError with errno when a libc call failed."""
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def unshare(flags: int) -> None:
    """Move the calling process into new namespaces (``unshare(2)``)."""
    if _libc is None:
        raise OSError(errno.ENOSYS, "namespaces need Linux")
    _check(_libc.unshare(ctypes.c_int(flags)), "unshare")


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    """``mount(2)``; raises OSError on failure."""
    enc = (lambda s: s.encode() if s is not None else None)
    _check(_libc.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)),
           f"mount {target}")


def prctl(option: int, arg: int) -> None:
    """``prctl(2)`` with one argument."""
    _check(_libc.prctl(option, ctypes.c_ulong(arg), 0, 0, 0), "prctl")


def die_with_parent() -> None:
    """Ask for SIGKILL when the parent process dies (``prctl(PR_SET_PDEATHSIG)``); no-op off Linux."""
    if _libc is None:
        return
    try:
        prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL))
    except OSError:
        pass


def libc_available() -> bool:
    """True on Linux, where the libc calls above exist."""
    return _libc is not None


def isolation_possible() -> bool:
    """True when this process can build namespaces and switch uid (root on Linux)."""
    return _libc is not None and os.geteuid() == 0


def private_uid(limits: Limits, pid: int | None = None) -> int:
    """The uid a submission runs under: unique per live supervising process, never a real user."""
    return limits.uid_base + (os.getpid() if pid is None else pid)


def loopback_up() -> None:
    """Bring ``lo`` up in a fresh network namespace (it starts down)."""
    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        req = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(s, siocgifflags, req))[1]
        fcntl.ioctl(s, siocsifflags, struct.pack("16sH14x", b"lo", flags | iff_up))
