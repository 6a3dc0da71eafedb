"""Confining a fresh child process before it runs untrusted code (see docs/threat-model.md).

* :func:`apply_limits` ``(limits, workdir, ...)``: new mount, network and IPC namespaces (root
  only), the course folders and the grader's home and ``/tmp`` hidden behind empty tmpfs mounts
  (with the Python installation re-exposed read-only), setrlimit, a scrubbed environment, the
  private working directory, and finally a switch to an unprivileged uid of its own.
* :func:`apply_in_child` ``()``: the same for a process whose current directory is the notebook's
  folder (the kernel launcher :mod:`mlcourse.exam.sandbox.kernel` calls it, also inside the fork
  server of ``mlcourse grade``): copies that folder into a private tmpfs and applies the limits there.

Wall-clock time cannot be limited from inside; the launcher enforces it from the supervising
parent and also puts the kernel in a new PID namespace so nothing it starts outlives it.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sys
import sysconfig
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from mlcourse.exam.sandbox.limits import COURSE_MARKER, LIMITS_ENV, MIB, PROTECT_ENV, Limits, SandboxError, load_limits
from mlcourse.exam.sandbox.linux import (CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, MS_BIND, MS_NODEV, MS_NOEXEC,
                                         MS_NOSUID, MS_PRIVATE, MS_RDONLY, MS_REC, MS_REMOUNT,
                                         PR_SET_NO_NEW_PRIVS, isolation_possible, libc_available, loopback_up,
                                         mount, prctl, private_uid, unshare)

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


def installed_exam_paths() -> list[Path]:
    """``<prefix>/share/mlcourse``, a regular install's exam copy: covered last by :func:`apply_limits`
    (the prefix itself stays visible; the kernel imports numpy and mlcourse from it)."""
    return [Path(p) / "share" / "mlcourse" for p in sorted({sys.prefix, sys.base_prefix, sysconfig.get_path("data")})]


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


MLCOURSE_DIR = Path(__file__).resolve().parents[2]  #: the package folder (this is mlcourse/exam/sandbox/confine.py)


def runtime_paths() -> list[Path]:
    """Read-only folders the kernel must still reach: the interpreter, stdlib, site-packages, mlcourse."""
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             str(Path(sys.executable).resolve().parent.parent)}
    roots.update(p for p in sys.path if p and os.path.isdir(p) and ("site-packages" in p or "python3" in p))
    roots.add(str(MLCOURSE_DIR))  # the mlcourse package itself (editable installs)
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
            for installed in filter(Path.is_dir, installed_exam_paths()):
                mount("tmpfs", str(installed), "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755")
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
    if libc_available():
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
