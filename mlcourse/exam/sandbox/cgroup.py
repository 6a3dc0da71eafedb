"""A memory cgroup per submission: one cap on the memory of all a grading kernel's processes.

rlimits bound each process on its own, so a submission that forks could add up to
``processes × memory_mb``. Where this process may create a child of its own memory cgroup (root,
with cgroup v1's memory controller, or cgroup v2 with ``memory`` delegated to this cgroup's
children), :func:`create` makes one for a submission; the kernel joins it before it runs any
student code, and when the sum goes over the cap the kernel's OOM killer stops a process of that
submission only. Where that is not possible :func:`create` says why and the sandbox keeps the
per-process limits (docs/threat-model.md).

The path lookups are pure functions of ``/proc/self/cgroup`` and ``/proc/self/mountinfo`` text,
so they are tested on both layouts without needing either.
"""

from __future__ import annotations

import errno
import os
import time
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024


@dataclass(frozen=True)
class Location:
    """Where this process's memory cgroup is: the cgroup version and its folder."""

    version: int  # 1 or 2
    path: Path


def _mounts(mountinfo: str) -> list[tuple[str, str, str, str]]:
    """(root, mount point, filesystem type, super options) of every line of a mountinfo text."""
    found = []
    for line in mountinfo.splitlines():
        fields = line.split()
        if " - " not in line or len(fields) < 10:
            continue
        dash = fields.index("-")
        found.append((fields[3], fields[4], fields[dash + 1], fields[dash + 3] if len(fields) > dash + 3 else ""))
    return found


def _join(mount_point: str, mount_root: str, cgroup_path: str) -> Path | None:
    """The folder of ``cgroup_path`` in a hierarchy mounted at ``mount_point`` from ``mount_root``."""
    if mount_root != "/" and not (cgroup_path + "/").startswith(mount_root.rstrip("/") + "/"):
        return None  # our cgroup is outside what this mount shows
    relative = cgroup_path[len(mount_root.rstrip("/")):] if mount_root != "/" else cgroup_path
    return Path(mount_point) / relative.lstrip("/")


def locate(proc_cgroup: str, mountinfo: str) -> Location | None:
    """Find this process's memory cgroup folder: the v1 memory hierarchy first, else cgroup v2."""
    v1_path = v2_path = None
    for line in proc_cgroup.splitlines():
        parts = line.strip().split(":", 2)
        if len(parts) != 3:
            continue
        hierarchy, controllers, path = parts
        if "memory" in controllers.split(","):
            v1_path = path
        elif hierarchy == "0" and controllers == "":
            v2_path = path
    mounts = _mounts(mountinfo)
    if v1_path is not None:
        for root, point, fstype, options in mounts:
            if fstype == "cgroup" and "memory" in options.split(","):
                folder = _join(point, root, v1_path)
                if folder is not None:
                    return Location(1, folder)
    if v2_path is not None:
        for root, point, fstype, _ in mounts:
            if fstype == "cgroup2":
                folder = _join(point, root, v2_path)
                if folder is not None:
                    return Location(2, folder)
    return None


def _write(path: Path, value: str) -> None:
    with open(path, "w") as fh:
        fh.write(value)


@dataclass
class MemoryCgroup:
    """One submission's memory cgroup (made by :func:`create`)."""

    location: Location
    limit_bytes: int

    @property
    def path(self) -> Path:
        return self.location.path

    def join(self) -> None:
        """Move the calling process (and the children it makes from now on) into this cgroup."""
        _write(self.path / "cgroup.procs", "0")

    def oom_kills(self) -> int:
        """How many processes the kernel killed here for going over the cap (0 if unknown)."""
        name = "memory.oom_control" if self.location.version == 1 else "memory.events"
        try:
            for line in (self.path / name).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value)
        except (OSError, ValueError):
            pass
        return 0

    def remove(self, timeout: float = 2.0) -> bool:
        """Delete the cgroup once its processes are gone (they die with the kernel's PID namespace)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                os.rmdir(self.path)
                return True
            except FileNotFoundError:
                return True
            except OSError as exc:
                if exc.errno != errno.EBUSY or time.monotonic() > deadline:
                    return False
                time.sleep(0.02)


def _sweep(parent: Path, prefix: str) -> None:
    """Remove empty cgroups ``<prefix>-<pid>`` left by supervisors that were killed (their pid is gone)."""
    try:
        entries = list(parent.glob(f"{prefix}-*"))
    except OSError:
        return
    for folder in entries:
        pid = folder.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or Path(f"/proc/{pid}").exists():
            continue
        try:
            os.rmdir(folder)  # fails harmlessly while processes are still inside
        except OSError:
            pass


def create(name: str, limit_bytes: int, *, location: Location | None = None) -> tuple[MemoryCgroup | None, str]:
    """Make child cgroup ``name`` of this process's memory cgroup, capped at ``limit_bytes``.

    Returns ``(cgroup, "")``, or ``(None, reason)`` when it cannot be done here (not Linux, no
    memory controller, not allowed to write there). Swap is capped too where the kernel offers it,
    so the cap cannot be sidestepped by swapping.
    """
    if location is None:
        try:
            location = locate(Path("/proc/self/cgroup").read_text(), Path("/proc/self/mountinfo").read_text())
        except OSError as exc:
            return None, f"cannot read this process's cgroups ({exc.strerror})"
    if location is None:
        return None, "no memory cgroup controller is mounted for this process"
    if location.version == 2:
        try:
            delegated = "memory" in (location.path / "cgroup.subtree_control").read_text().split()
        except OSError:
            delegated = False
        if not delegated:
            return None, f"cgroup v2 does not delegate the memory controller below {location.path}"
    _sweep(location.path, name.rsplit("-", 1)[0])
    folder = location.path / name
    try:
        folder.mkdir()
    except FileExistsError:
        pass
    except OSError as exc:
        return None, f"cannot create a cgroup in {location.path} ({exc.strerror})"
    group = MemoryCgroup(Location(location.version, folder), limit_bytes)
    try:
        if location.version == 1:
            _write(folder / "memory.limit_in_bytes", str(limit_bytes))
            if (folder / "memory.memsw.limit_in_bytes").exists():
                try:
                    _write(folder / "memory.memsw.limit_in_bytes", str(limit_bytes))
                except OSError:
                    pass  # swap accounting switched off in this kernel: memory alone is capped
        else:
            _write(folder / "memory.max", str(limit_bytes))
            if (folder / "memory.swap.max").exists():
                _write(folder / "memory.swap.max", "0")
    except OSError as exc:
        group.remove(timeout=0)
        return None, f"cannot set a memory limit in {folder} ({exc.strerror})"
    return group, ""
