"""Resource limits and isolation for running untrusted exam submissions (see docs/threat-model.md).

Every limit lives in :class:`Limits` (with its default) and nowhere else. :func:`load_limits`
reads overrides from the environment variable ``MLCOURSE_SANDBOX_LIMITS`` (a JSON object, e.g.
``{"memory_mb": 512, "cpu_seconds": 30}``) and from an explicit mapping; the grader
(:class:`mlcourse.exam.sandbox_execute.SandboxedExecute`, configured in ``exam/nbgrader_config.py``
with ``c.SandboxedExecute.limits = {...}``) passes its limits to every kernel through that variable.

Child side, in a freshly started process that is about to run student code:

* :func:`apply_limits` ``(limits, workdir, ...)``: new mount, network and IPC namespaces (root
  only), the course folders and the grader's home and ``/tmp`` hidden behind empty tmpfs mounts
  (with the Python installation re-exposed read-only), setrlimit, a scrubbed environment, the
  private working directory, and finally a switch to an unprivileged uid of its own.
* :func:`apply_in_child` ``()``: the same for a process whose current directory is the notebook's
  folder (the fork server of ``mlcourse grade`` calls it): copies that folder into a private
  tmpfs and applies the limits there.

Wall-clock time cannot be limited from inside; :mod:`mlcourse.exam.sandbox_kernel` (the grading
kernel's launcher) enforces it from the supervising parent and also puts the kernel in a new PID
namespace so nothing it starts outlives it.

Command line: ``python -m mlcourse.exam.sandbox install-kernel [--sys-prefix|--user|--prefix P]``
installs the ``mlcourse-sandbox`` kernelspec; ``python -m mlcourse.exam.sandbox show`` prints the
limits in force.
"""

from __future__ import annotations

import argparse
import ctypes
import dataclasses
import errno
import fcntl
import json
import os
import resource
import shutil
import socket
import struct
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

#: Name of the grading kernelspec.
KERNEL_NAME = "mlcourse-sandbox"
#: Environment variable holding limit overrides as a JSON object.
LIMITS_ENV = "MLCOURSE_SANDBOX_LIMITS"
#: Environment variable listing extra folders to hide (``os.pathsep``-separated).
PROTECT_ENV = "MLCOURSE_SANDBOX_PROTECT"
#: Marker file that identifies an nbgrader course directory (hidden as a whole).
COURSE_MARKER = "nbgrader_config.py"

MIB = 1024 * 1024


class SandboxError(RuntimeError):
    """Isolation was required but could not be set up (the kernel must not start)."""


@dataclass(frozen=True)
class Limits:
    """Every limit a grading kernel runs under; the defaults are the stated policy.

    Memory and CPU are per process (setrlimit); ``processes`` counts tasks (threads too) of the
    submission's private uid. ``total_memory_mb`` caps the memory of all of a kernel's processes
    together, through a memory cgroup where one can be made (:mod:`mlcourse.exam.cgroup`);
    elsewhere only ``processes * memory_mb`` bounds it.
    """

    memory_mb: int = 1024  # RLIMIT_AS (address space) per process; a kernel with numpy+sklearn+matplotlib peaks near 0.5 GiB
    total_memory_mb: int = 2048  # memory cgroup: resident memory (and swap) of all the kernel's processes together
    cpu_seconds: int = 120  # RLIMIT_CPU per process: SIGXCPU, then SIGKILL one second later
    processes: int = 32  # RLIMIT_NPROC for the private uid (threads count: a kernel with numpy uses 13)
    file_size_mb: int = 16  # RLIMIT_FSIZE: the largest file a submission may write
    open_files: int = 256  # RLIMIT_NOFILE
    wall_seconds: int = 600  # one submission (all its notebooks); the launcher kills a kernel at its share
    output_kb: int = 1024  # outputs the grader keeps per notebook; also the largest message accepted
    scratch_mb: int = 64  # size of the private tmpfs working directory and of the private /tmp
    network: bool = False  # False: a new network namespace with only a loopback of its own
    isolation: str = "auto"  # "auto": isolate when possible, warn otherwise; "require": refuse; "off"
    uid_base: int = 2_000_000  # private uid = uid_base + pid of the supervising process
    protect: tuple[str, ...] = ()  # extra folders to hide (the course folder is found automatically)

    def __post_init__(self) -> None:
        if self.isolation not in ("auto", "require", "off"):
            raise ValueError(f"isolation must be auto, require or off, not {self.isolation!r}")
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.type == "int" and (not isinstance(value, int) or isinstance(value, bool) or value <= 0):
                raise ValueError(f"{f.name} must be a positive integer, not {value!r}")

    def to_json(self) -> str:
        """Serialise for the kernel's environment (the inverse of :func:`load_limits`)."""
        return json.dumps(dataclasses.asdict(self), sort_keys=True)


def load_limits(overrides: Mapping[str, Any] | None = None,
                environ: Mapping[str, str] | None = None) -> Limits:
    """Return the defaults updated by ``$MLCOURSE_SANDBOX_LIMITS`` (JSON), then by ``overrides``.

    Unknown keys raise ``ValueError`` so a typo in a config file cannot silently keep a default.
    """
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    raw = environ.get(LIMITS_ENV, "").strip()
    if raw:
        try:
            from_env = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{LIMITS_ENV} is not valid JSON: {exc}") from None
        if not isinstance(from_env, dict):
            raise ValueError(f"{LIMITS_ENV} must hold a JSON object")
        values.update(from_env)
    values.update(overrides or {})
    known = {f.name for f in dataclasses.fields(Limits)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(f"unknown sandbox limit(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    if "protect" in values:
        values["protect"] = tuple(str(p) for p in values["protect"])
    return Limits(**values)


# --------------------------------------------------------------------------------------------
# Linux primitives (ctypes: os.unshare and os.mount are not in Python 3.11)
# --------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------
# what to hide and what the kernel still needs
# --------------------------------------------------------------------------------------------

def find_course_root(start: Path) -> Path | None:
    """Return the nearest folder at or above ``start`` holding ``nbgrader_config.py``."""
    for folder in [start, *start.parents]:
        if (folder / COURSE_MARKER).is_file():
            return folder
    return None


def protected_paths(limits: Limits, start: Path | None = None, environ: Mapping[str, str] | None = None
                    ) -> list[Path]:
    """Folders never visible to student code: the course (gradebook, source/, all students), extras."""
    environ = os.environ if environ is None else environ
    found: list[Path] = []
    if start is not None:
        root = find_course_root(start.resolve())
        if root is not None:
            found.append(root)
    found += [Path(p) for p in limits.protect]
    found += [Path(p) for p in environ.get(PROTECT_ENV, "").split(os.pathsep) if p]
    return _dedupe([p.resolve() for p in found if os.path.exists(p)])


def find_repository_root(start: Path) -> Path | None:
    """Return the git work tree holding ``start`` (its history holds the hidden tests too)."""
    for folder in [start, *start.parents]:
        if (folder / ".git").exists():
            return folder
    return None


def scratch_paths(environ: Mapping[str, str] | None = None) -> list[Path]:
    """Folders replaced by an empty tmpfs but from which the Python install is re-exposed."""
    environ = os.environ if environ is None else environ
    candidates = ["/root", environ.get("HOME", ""), "/home", "/tmp", "/var/tmp", "/dev/shm", "/run/user"]
    return _dedupe([Path(p).resolve() for p in candidates if p and p != "/" and os.path.isdir(p)])


def runtime_paths() -> list[Path]:
    """Read-only folders the kernel must still reach: the interpreter, stdlib, site-packages, mlcourse."""
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             str(Path(sys.executable).resolve().parent.parent)}
    roots.update(p for p in sys.path if p and os.path.isdir(p) and ("site-packages" in p or "python3" in p))
    roots.add(str(Path(__file__).resolve().parents[1]))  # the mlcourse package (editable installs)
    return _dedupe([Path(p).resolve() for p in roots if os.path.exists(p)])


def _dedupe(paths: Iterable[Path]) -> list[Path]:
    """Sorted unique paths with any path inside another one dropped."""
    out: list[Path] = []
    for p in sorted(set(paths), key=lambda q: (len(q.parts), str(q))):
        if not any(p == o or p.is_relative_to(o) for o in out):
            out.append(p)
    return out


def _hide(hidden: Iterable[Path], keep: Mapping[Path, bool], size_mb: int) -> None:
    """Cover each hidden folder with an empty tmpfs, then bind back the ``keep`` paths inside it.

    ``keep`` maps a path to True when it must stay writable. Paths are opened (O_PATH) before
    anything is covered, so they can be bound from ``/proc/self/fd`` once their parent is hidden.
    """
    hidden = _dedupe(hidden)
    keep = {p: w for p, w in keep.items()
            if not any(p != q and p.is_relative_to(q) and keep[q] == w for q in keep)}
    fds = {path: os.open(path, os.O_PATH) for path in keep if any(path.is_relative_to(h) for h in hidden)}
    is_dir = {path: path.is_dir() for path in fds}  # decided before the paths disappear
    try:
        for h in hidden:
            mount("tmpfs", str(h), "tmpfs", MS_NOSUID | MS_NODEV, f"size={size_mb}m,mode=1777"
                  if str(h) in ("/tmp", "/var/tmp", "/dev/shm") else f"size=1m,mode=0755")
        for path, fd in sorted(fds.items(), key=lambda kv: len(kv[0].parts)):
            if is_dir[path]:
                os.makedirs(path, mode=0o755, exist_ok=True)
            else:
                os.makedirs(path.parent, mode=0o755, exist_ok=True)
                path.touch(exist_ok=True)
            mount(f"/proc/self/fd/{fd}", str(path), None, MS_BIND | MS_REC)
            if not keep[path]:
                mount(None, str(path), None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    finally:
        for fd in fds.values():
            os.close(fd)


# --------------------------------------------------------------------------------------------
# the child side
# --------------------------------------------------------------------------------------------

#: Environment variables a kernel keeps; everything else (tokens, DB URLs, ...) is dropped.
ENV_KEEP = ("PATH", "LANG", "LANGUAGE", "TZ", "TERM", "VIRTUAL_ENV", "PYTHONPATH", "MPLBACKEND",
            "NBGRADER_EXECUTION", "JPY_PARENT_PID", "JPY_SESSION_NAME", "PYDEVD_DISABLE_FILE_VALIDATION",
            LIMITS_ENV)
#: Set in every kernel: fewer threads (each counts towards ``processes`` and reserves address space).
ENV_SET = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "NUMEXPR_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2", "PYTHONDONTWRITEBYTECODE": "1"}


@dataclass
class Applied:
    """What :func:`apply_limits` managed to set up (for logs and tests)."""

    workdir: Path
    uid: int | None = None
    namespaces: bool = False
    network_isolated: bool = False
    hidden: list[str] = field(default_factory=list)
    connection_file: str | None = None
    warnings: list[str] = field(default_factory=list)


def set_rlimits(limits: Limits) -> None:
    """Set soft = hard limits, so student code cannot raise them again."""
    pairs = {
        resource.RLIMIT_AS: limits.memory_mb * MIB,
        resource.RLIMIT_CPU: limits.cpu_seconds,
        resource.RLIMIT_FSIZE: limits.file_size_mb * MIB,
        resource.RLIMIT_NOFILE: limits.open_files,
        resource.RLIMIT_CORE: 0,
    }
    if os.geteuid() != 0:  # root ignores RLIMIT_NPROC; set it only where it will be enforced
        pairs[resource.RLIMIT_NPROC] = limits.processes
    for which, value in pairs.items():
        _soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY and os.geteuid() != 0:
            value = min(value, hard)
        resource.setrlimit(which, (value, value))


def _scrub_environment(workdir: Path) -> None:
    """Keep only harmless variables and point caches and homes at the private folder."""
    kept = {k: v for k, v in os.environ.items() if k in ENV_KEEP or k.startswith("LC_")}
    os.environ.clear()
    os.environ.update(kept)
    os.environ.update(ENV_SET)
    os.environ.update({
        "HOME": str(workdir), "TMPDIR": "/tmp", "MPLCONFIGDIR": str(workdir / ".config" / "matplotlib"),
        "IPYTHONDIR": str(workdir / ".ipython"), "JUPYTER_RUNTIME_DIR": str(workdir / ".runtime"),
        "XDG_CACHE_HOME": str(workdir / ".cache"), "XDG_CONFIG_HOME": str(workdir / ".config"),
    })


def _copy_matplotlib_cache(workdir: Path) -> None:
    """Copy matplotlib's font list so each kernel does not rebuild it (seconds of CPU)."""
    # matplotlib's own rule (get_cachedir), without importing it: $MPLCONFIGDIR, else XDG cache
    if os.environ.get("MPLCONFIGDIR"):
        cache = Path(os.environ["MPLCONFIGDIR"])
    else:
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "matplotlib"
    if not os.path.isdir(cache):
        return
    dest = workdir / ".config" / "matplotlib"
    dest.mkdir(parents=True, exist_ok=True)
    for f in cache.glob("fontlist-*.json"):
        shutil.copy2(f, dest / f.name)


def _connection_info(path: str | None) -> dict[str, Any]:
    """Read a kernel connection file (empty dict when there is none)."""
    if not path:
        return {}
    with open(path) as fh:
        return json.load(fh)


def apply_limits(limits: Limits, workdir: Path, *, protect: Iterable[Path] = (),
                 hide: Iterable[Path] = (), connection_file: str | None = None,
                 new_proc: bool = False, uid: int | None = None) -> Applied:
    """Confine the calling process (a fresh child) before it runs untrusted code.

    As root on Linux: new mount/IPC namespaces (and a network namespace unless
    ``limits.network`` or the kernel talks TCP), ``protect`` (never re-exposed), ``hide`` and
    the scratch folders (home, /tmp) covered by empty tmpfs, the interpreter and the mlcourse
    package re-exposed read-only from inside ``hide`` and the scratch folders, ``workdir`` (and the connection file and its
    ipc sockets) writable; then rlimits, a scrubbed environment, ``chdir(workdir)`` and a switch
    to a private uid with no way back (no supplementary groups, ``no_new_privs``). Without root,
    only the rlimits, the environment and the working directory apply (a warning says so, or
    :class:`SandboxError` when ``limits.isolation == "require"``). ``uid`` defaults to
    :func:`private_uid` of the caller; ``new_proc`` mounts a fresh ``/proc`` (for a process that is
    PID 1 of a new PID namespace). Irreversible for the caller.
    """
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    applied = Applied(workdir=workdir)
    info = _connection_info(connection_file)
    isolate = limits.isolation != "off"
    if isolate and not isolation_possible():
        msg = "not root on Linux: no namespaces and no uid switch (rlimits and a private folder only)"
        if limits.isolation == "require":
            raise SandboxError(msg)
        applied.warnings.append(msg)
        isolate = False
    if isolate and connection_file is None:
        msg = ("no connection file given: uid switch skipped and Jupyter's runtime folder left "
               "readable (the kernel must still read its connection file)")
        if limits.isolation == "require":
            raise SandboxError(msg)
        applied.warnings.append(msg)

    run_dir = workdir / ".runtime"
    run_dir.mkdir(exist_ok=True)
    keep: dict[Path, bool] = {p: False for p in runtime_paths()}
    keep[workdir] = True
    if connection_file:
        copy = run_dir / Path(connection_file).name
        if Path(connection_file).resolve() != copy:
            copy.write_text(json.dumps(info))
        applied.connection_file = str(copy)
        keep[Path(connection_file).resolve()] = False  # served from the copy, see below
        if info.get("transport") == "ipc":
            keep[Path(info["ip"]).resolve().parent] = True
    elif isolate:  # weak mode: the kernel stays root and must find its files where they are
        from jupyter_core.paths import jupyter_runtime_dir

        runtime = Path(jupyter_runtime_dir()).resolve()
        if runtime.is_dir():
            keep[runtime] = False
        for sockdir in Path(tempfile.gettempdir()).glob("mlcourse-ipc-*"):  # SandboxedExecute's
            keep[sockdir.resolve()] = True
    _copy_matplotlib_cache(workdir)
    uid = (private_uid(limits) if uid is None else uid) if isolate and connection_file else None

    if isolate:
        want_net = not limits.network and info.get("transport") == "ipc"
        if not limits.network and not want_net:
            msg = "kernel uses TCP (or no connection file): network namespace skipped"
            if limits.isolation == "require":
                raise SandboxError(msg)
            applied.warnings.append(msg)
        try:
            unshare(CLONE_NEWNS | CLONE_NEWIPC | (CLONE_NEWNET if want_net else 0))
            mount(None, "/", None, MS_REC | MS_PRIVATE)
            if want_net:
                loopback_up()
                applied.network_isolated = True
            if new_proc:
                mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
            protected = _dedupe(protect)
            hidden = _dedupe([*protected, *hide, *scratch_paths()])
            keep = {p: w for p, w in keep.items()
                    if p == workdir or not any(p == q or p.is_relative_to(q) for q in protected)}
            if any(workdir == q or q.is_relative_to(workdir) for q in protected):
                raise SandboxError(f"working folder {workdir} overlaps a protected folder")
            _hide(hidden, keep, limits.scratch_mb)
            if connection_file and applied.connection_file:
                target = Path(connection_file).resolve()
                if target.exists() and target != Path(applied.connection_file):
                    mount(applied.connection_file, str(target), None, MS_BIND)
            applied.hidden = [str(h) for h in hidden]
            applied.namespaces = True
        except OSError as exc:
            msg = f"namespaces unavailable ({exc}): rlimits and a private folder only"
            if limits.isolation == "require":
                raise SandboxError(msg) from exc
            applied.warnings.append(msg)
            uid = None

    if uid is not None:
        for root, dirs, files in os.walk(workdir):
            for name in [*dirs, *files]:
                os.lchown(os.path.join(root, name), uid, uid)
        os.chown(workdir, uid, uid)
        if info.get("transport") == "ipc":
            os.chown(Path(info["ip"]).resolve().parent, uid, uid)
    if workdir.stat().st_uid == os.geteuid() or os.geteuid() == 0:
        os.chmod(workdir, 0o700)
    set_rlimits(limits)
    _scrub_environment(workdir)
    os.chdir(workdir)
    os.umask(0o077)
    if uid is not None:
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
        applied.uid = uid
    if _libc is not None:
        prctl(PR_SET_NO_NEW_PRIVS, 1)
    return applied


def populate_workdir(source: Path, workdir: Path, limit_bytes: int) -> list[str]:
    """Copy regular files and folders of ``source`` (never symlinks) into ``workdir``.

    Symlinks are skipped so a submission cannot smuggle a link to the gradebook into the copy.
    Returns the relative paths skipped (symlinks, or files past ``limit_bytes`` in total).
    """
    skipped, used = [], 0
    for root, dirs, files in os.walk(source, followlinks=False):
        rel_root = Path(root).relative_to(source)
        for d in list(dirs):
            if os.path.islink(os.path.join(root, d)) or d == ".ipynb_checkpoints":
                dirs.remove(d)
                skipped.append(str(rel_root / d))
            else:
                (workdir / rel_root / d).mkdir(parents=True, exist_ok=True)
        for name in files:
            src = Path(root) / name
            if src.is_symlink() or not src.is_file():
                skipped.append(str(rel_root / name))
                continue
            size = src.stat().st_size
            if used + size > limit_bytes:
                skipped.append(str(rel_root / name))
                continue
            shutil.copyfile(src, workdir / rel_root / name)
            used += size
    return skipped


#: Mount point of every kernel's private tmpfs (each in its own mount namespace, so one path serves all).
WORKDIR_MOUNT = Path(tempfile.gettempdir()) / ".mlcourse-sandbox"


def mount_private_workdir(limits: Limits) -> Path:
    """Return a private, size-limited working folder: a fresh tmpfs in a new mount namespace.

    The tmpfs exists only in this process's namespace, so nothing is left on disk afterwards.
    Without namespaces it falls back to a fresh ``mkdtemp`` folder (removed by the launcher).
    """
    if isolation_possible() and limits.isolation != "off":
        try:
            WORKDIR_MOUNT.mkdir(mode=0o700, exist_ok=True)
            unshare(CLONE_NEWNS)
            mount(None, "/", None, MS_REC | MS_PRIVATE)
            mount("tmpfs", str(WORKDIR_MOUNT), "tmpfs", MS_NOSUID | MS_NODEV,
                  f"size={limits.scratch_mb}m,mode=0700")
            return WORKDIR_MOUNT
        except OSError as exc:
            if limits.isolation == "require":
                raise SandboxError(f"cannot mount a private working folder: {exc}") from exc
    return Path(tempfile.mkdtemp(prefix="mlcourse-sandbox-"))


def apply_in_child(limits: Limits | None = None, *, connection_file: str | None = None,
                   new_proc: bool = False, uid: int | None = None) -> Applied:
    """Sandbox a fresh child whose current folder is the notebook's: private copy, then limits.

    The course folder is protected; the git work tree around it (whose history holds the
    hidden tests as well) is hidden too, with only the Python install and mlcourse re-exposed.
    Used by the grading kernel's launcher and by the fork server of ``mlcourse grade``. Pass the
    kernel's ``connection_file`` (the ``-f`` argument) so the kernel can still read it after the
    uid switch and, for ``transport: ipc``, be cut off from the network.
    """
    limits = load_limits() if limits is None else limits
    source = Path.cwd()
    protect = protected_paths(limits, source)
    repository = find_repository_root(source.resolve())
    workdir = mount_private_workdir(limits)
    skipped = populate_workdir(source, workdir, limits.scratch_mb * MIB // 2)
    applied = apply_limits(limits, workdir, protect=protect, hide=[repository] if repository else [],
                           connection_file=connection_file, new_proc=new_proc, uid=uid)
    if skipped:
        applied.warnings.append(f"not copied into the private folder: {', '.join(skipped[:10])}")
    for message in applied.warnings:
        print(f"[mlcourse-sandbox] warning: {message}", file=sys.stderr, flush=True)
    return applied


# --------------------------------------------------------------------------------------------
# kernelspec
# --------------------------------------------------------------------------------------------

def kernel_spec(python: str | None = None) -> dict[str, Any]:
    """The ``kernel.json`` of the grading kernel (this interpreter runs the launcher)."""
    return {
        "argv": [python or sys.executable, "-m", "mlcourse.exam.sandbox_kernel", "-f", "{connection_file}"],
        "display_name": "Python 3 (mlcourse grading sandbox)",
        "language": "python",
        "interrupt_mode": "signal",
        "metadata": {"debugger": False, "mlcourse": {"sandbox": True}},
    }


def install_kernel(user: bool = False, prefix: str | None = None) -> str:
    """Install the ``mlcourse-sandbox`` kernelspec; return the folder it went to."""
    from jupyter_client.kernelspec import KernelSpecManager

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "kernel.json").write_text(json.dumps(kernel_spec(), indent=1) + "\n")
        return KernelSpecManager().install_kernel_spec(tmp, KERNEL_NAME, user=user, prefix=prefix)


def ensure_kernel() -> None:
    """Install the kernelspec into this environment if Jupyter cannot find it (first grading run)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
        if os.path.exists(spec.argv[0]):
            return
    except NoSuchKernel:
        pass
    # missing, or its interpreter has gone (a moved or rebuilt environment): (re)install
    try:
        install_kernel(prefix=sys.prefix)
    except OSError:
        install_kernel(user=True)


def main(argv: list[str] | None = None) -> int:
    """``python -m mlcourse.exam.sandbox install-kernel|show``."""
    parser = argparse.ArgumentParser(prog="python -m mlcourse.exam.sandbox", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    inst = sub.add_parser("install-kernel", help=f"install the {KERNEL_NAME} kernelspec")
    where = inst.add_mutually_exclusive_group()
    where.add_argument("--sys-prefix", action="store_true", help="into this environment (default)")
    where.add_argument("--user", action="store_true", help="into the user's Jupyter folder")
    where.add_argument("--prefix", help="into PREFIX/share/jupyter/kernels")
    sub.add_parser("show", help="print the limits in force (defaults + $MLCOURSE_SANDBOX_LIMITS)")
    args = parser.parse_args(argv)
    if args.cmd == "install-kernel":
        prefix = None if args.user else (args.prefix or sys.prefix)
        print(install_kernel(user=args.user, prefix=prefix))
    else:
        print(json.dumps(dataclasses.asdict(load_limits()), indent=1))
        print(f"isolation possible here: {isolation_possible()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
