"""Launcher of the ``mlcourse-sandbox`` grading kernel: limits first, then ipykernel.

The kernelspec runs ``python -m mlcourse.exam.sandbox.kernel -f {connection_file}``. As root on
Linux this process becomes a small *supervisor*: it opens a new PID namespace, forks the kernel
as PID 1 of that namespace (so every process the submission starts dies with the kernel), applies
:func:`mlcourse.exam.sandbox.confine.apply_in_child` there, and starts ipykernel. The supervisor
stays outside, kills the namespace after ``Limits.wall_seconds`` and when the grader stops the
kernel, and exits with the kernel's status. Without root it applies what it can in-process.

How ipykernel is finally started is a parameter (``start_kernel``): by default this process execs
a new interpreter for it (:func:`exec_kernel`); the fork server of ``mlcourse grade`` passes
its own function, which runs ipykernel in the forked process with the libraries already imported.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import traceback
from typing import Callable

from mlcourse.exam import patches
from mlcourse.exam.sandbox import cgroup, linux
from mlcourse.exam.sandbox.confine import apply_in_child
from mlcourse.exam.sandbox.kernelspec import LAUNCHER
from mlcourse.exam.sandbox.limits import Limits, load_limits

#: Exit status of the supervisor when the wall-clock limit killed the kernel.
WALL_CLOCK_EXIT = 124
#: Exit status of the kernel child when the sandbox could not be built (nothing ran).
SETUP_FAILED_EXIT = 78


def _connection_file(argv: list[str]) -> tuple[str | None, list[str]]:
    """Split ``-f PATH`` (or ``--f=PATH``/``-f=PATH``) out of the kernel arguments."""
    rest, conn, i = [], None, 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("-f", "--f", "--IPKernelApp.connection_file") and i + 1 < len(argv):
            conn, i = argv[i + 1], i + 2
            continue
        for prefix in ("-f=", "--f=", "--IPKernelApp.connection_file="):
            if arg.startswith(prefix):
                conn = arg[len(prefix):]
                break
        else:
            rest.append(arg)
        i += 1
    return conn, rest


#: How the confined process finally starts ipykernel: ``(connection_file, other arguments)``.
KernelStarter = Callable[[str | None, list[str]], None]


#: ipykernel options of every grading kernel. History lives in memory: no history-saving thread,
#: which IPython stops around every fork and restarts in the next cell (after a fork bomb spent
#: the process limit, that restart would fail the *next* cell too), and nothing is written into
#: the private folder.
KERNEL_OPTIONS = ("--HistoryManager.hist_file=:memory:",)


def run_ipykernel(argv: list[str], parent_handle: int | None = None) -> None:
    """Start ipykernel in this process with its output capped (what ``ipykernel_launcher`` does).

    ``parent_handle`` overrides the ``JPY_PARENT_PID`` that ipykernel read when it was imported
    (a forked kernel was imported by the fork server, under another parent).
    """
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher does; IPython puts '' back for the notebook folder
    patches.cap_kernel_output(load_limits().output_kb * 1024)
    from ipykernel.kernelapp import IPKernelApp

    extra = {} if parent_handle is None else {"parent_handle": parent_handle}
    IPKernelApp.launch_instance(argv=[*argv, *KERNEL_OPTIONS], **extra)


def exec_kernel(connection_file: str | None, rest: list[str]) -> None:
    """Replace this process by the output-capped ipykernel (never returns)."""
    args = [sys.executable, "-m", LAUNCHER, "--ipykernel"]
    if connection_file:
        args += ["-f", connection_file]
    os.execv(sys.executable, args + rest)


def _child(limits: Limits, conn: str | None, rest: list[str], uid: int, in_pid_ns: bool,
           group: cgroup.MemoryCgroup | None, start_kernel: KernelStarter) -> None:
    """In the forked kernel process (PID 1 of the new namespace): confine, then exec ipykernel."""
    try:
        if group is not None:  # first, before anything of the submission runs
            group.join()
        linux.prctl(linux.PR_SET_PDEATHSIG, signal.SIGKILL)  # supervisor gone -> namespace gone
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
            signal.signal(signum, signal.SIG_DFL)
        applied = apply_in_child(limits, connection_file=conn, new_proc=in_pid_ns, uid=uid)
        start_kernel(applied.connection_file or conn, rest)
    except BaseException:  # report, never fall through into the supervisor's code
        print("[mlcourse-sandbox] kernel setup failed:", file=sys.stderr)
        traceback.print_exc()
        sys.stderr.flush()
    os._exit(SETUP_FAILED_EXIT)


def supervise(limits: Limits, conn: str | None, rest: list[str], start_kernel: KernelStarter = exec_kernel) -> int:
    """Fork the confined kernel, enforce the wall clock, relay stop requests; return its status."""
    in_pid_ns = True
    try:
        linux.unshare(linux.CLONE_NEWPID)
    except OSError as exc:
        if limits.isolation == "require":
            print(f"[mlcourse-sandbox] no PID namespace: {exc}", file=sys.stderr)
            return SETUP_FAILED_EXIT
        print(f"[mlcourse-sandbox] warning: no PID namespace ({exc})", file=sys.stderr)
        in_pid_ns = False
    uid = linux.private_uid(limits)
    group, why = cgroup.create(f"mlcourse-sandbox-{os.getpid()}", limits.total_memory_mb * cgroup.MB)
    if group is None:
        print(f"[mlcourse-sandbox] warning: no memory cgroup ({why}); memory is limited per process only",
              file=sys.stderr)
    # SIGINT reaches the kernel through the process group (jupyter_client's killpg); not ours.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    pid = os.fork()
    if pid == 0:
        _child(limits, conn, rest, uid, in_pid_ns, group, start_kernel)
    try:
        return _wait(limits, pid, uid, in_pid_ns)
    finally:
        if group is not None:
            if group.oom_kills():
                print(f"[mlcourse-sandbox] the submission's processes went over {limits.total_memory_mb} MB "
                      f"together: {group.oom_kills()} killed", file=sys.stderr, flush=True)
            group.remove()


def _wait(limits: Limits, pid: int, uid: int, in_pid_ns: bool) -> int:
    """Wait for the kernel, killing it at the wall-clock limit or on a stop request; return its status."""
    stop = {"signal": 0}

    def _on_stop(signum, frame):  # noqa: ARG001 - signal handler signature
        stop["signal"] = signum

    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, _on_stop)
    deadline = time.monotonic() + limits.wall_seconds
    grader = os.getppid()  # the grader (or its fork server): when it is gone, so is the kernel
    status = None
    while status is None:
        try:
            done, raw = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return 0
        if done:
            status = os.waitstatus_to_exitcode(raw)
            break
        if os.getppid() != grader and not stop["signal"]:
            # The grader died without stopping us (SIGTERM or SIGKILL to its process group never
            # reaches this separate session): an orphaned kernel must not keep running.
            print("[mlcourse-sandbox] the grader is gone: kernel killed", file=sys.stderr, flush=True)
            stop["signal"] = signal.SIGTERM
        if stop["signal"] or time.monotonic() > deadline:
            if not stop["signal"]:
                print(f"[mlcourse-sandbox] wall-clock limit of {limits.wall_seconds} s reached: "
                      "kernel killed", file=sys.stderr, flush=True)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            if not in_pid_ns:
                _kill_uid(uid)
            return WALL_CLOCK_EXIT if not stop["signal"] else 128 + stop["signal"]
        time.sleep(0.05)
    if not in_pid_ns:
        _kill_uid(uid)
    return status if status >= 0 else 128 - status


def _kill_uid(uid: int) -> None:
    """Without a PID namespace: kill every process of the submission's private uid."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setresuid(uid, uid, uid)
            os.kill(-1, signal.SIGKILL)  # as that uid, -1 means "every process I may signal"
        except OSError:
            pass
        os._exit(0)
    os.waitpid(pid, 0)


def main(argv: list[str] | None = None, start_kernel: KernelStarter = exec_kernel) -> int:
    """Entry point of the kernelspec's argv; ``start_kernel`` runs ipykernel once confined."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--ipykernel"]:  # second stage, already confined
        run_ipykernel(argv[1:])
        return 0
    conn, rest = _connection_file(argv)
    limits = load_limits()
    if limits.isolation == "off" or not linux.isolation_possible():
        if limits.isolation == "require":
            print("[mlcourse-sandbox] isolation required but this process is not root on Linux",
                  file=sys.stderr)
            return SETUP_FAILED_EXIT
        applied = apply_in_child(limits, connection_file=conn)
        start_kernel(applied.connection_file or conn, rest)
    return supervise(limits, conn, rest, start_kernel)


if __name__ == "__main__":
    sys.exit(main())
