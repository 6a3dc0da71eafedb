"""Every limit a grading kernel runs under, with its default, and how overrides are read.

:func:`load_limits` reads overrides from the environment variable ``MLCOURSE_SANDBOX_LIMITS`` (a
JSON object, e.g. ``{"memory_mb": 512, "cpu_seconds": 30}``) and from an explicit mapping; the
grader (:class:`mlcourse.exam.plugins.sandboxed_execute.SandboxedExecute`, configured in
``exam/nbgrader_config.py`` with ``c.SandboxedExecute.limits = {...}``) passes its limits to every
kernel through that variable. Pure data: safe to import anywhere.
"""


from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass
from typing import Any, Mapping

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
    together, through a memory cgroup where one can be made (:mod:`mlcourse.exam.sandbox.cgroup`);
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
