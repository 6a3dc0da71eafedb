"""The fork server of ``mlcourse grade``: one warm process that every grading kernel is forked from.

Why: starting a stock IPython kernel costs ~0.35 s of CPU and importing numpy, scikit-learn and
matplotlib ~1.7 s more, and ``nbgrader autograde`` pays both for every notebook of every student.
Here one *server* process imports the heavy libraries and ipykernel once; for each notebook it
``fork()``s a child that becomes the kernel. Memory is shared copy-on-write, so each child starts
in milliseconds, yet it is a fresh process of its own: what one student's code does to modules,
globals or the environment dies with that child and never reaches the next student.

``python -m mlcourse.exam.grade.forkserver --socket PATH`` runs :class:`Server`: one request per
connection on a unix socket (:class:`~mlcourse.exam.grade.protocol.Op`). The grader starts and
stops it with :class:`mlcourse.exam.grade.forkclient.ForkServer`; kernels are asked for by
:class:`mlcourse.exam.grade.provisioner.ForkProvisioner`.

A kernel command of ``python -m mlcourse.exam.sandbox.kernel`` (the exam's sandboxed grading
kernel) runs that launcher's own code in the child, so the same limits, namespaces and wall clock
apply as with a stock start; only its last step differs (:func:`start_kernel_in_place`).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import signal
import socket
import sys
import time
import traceback
from pathlib import Path
from typing import Any, Iterable

from mlcourse.exam import patches
from mlcourse.exam.grade.preload import preload, warm_up
from mlcourse.exam.grade.protocol import Op, receive, send
from mlcourse.exam.sandbox import linux
from mlcourse.exam.sandbox.kernelspec import LAUNCHER

#: Imported by the server before any fork: the kernel itself and the exam's heavy libraries.
BASE_PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",  # imported by every IPythonKernel at start-up (pulls in debugpy)
    "IPython.core.interactiveshell",
    "sqlite3",  # IPython's history manager
    "numpy",
    "matplotlib",
    "matplotlib.pyplot",
    "sklearn",
    LAUNCHER,
    "mlcourse.exam.candidate.checks",  # every exam test cell imports it
)
#: The inline backend a stock kernel selects; set before matplotlib is imported in the server.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
#: Kernel commands (``python -m MODULE ...``) the server can become without a new interpreter.
FORKABLE_MODULES = ("ipykernel_launcher", LAUNCHER)


# --------------------------------------------------------------------------------------------
# the child: become a kernel
# --------------------------------------------------------------------------------------------

def parent_handle() -> int:
    """``JPY_PARENT_PID`` as a freshly started ipykernel would read it at import time."""
    return int(os.environ.get("JPY_PARENT_PID") or 0)


def start_kernel_in_place(connection_file: str | None, rest: list[str]) -> None:
    """The sandbox launcher's last step in a forked child: run ipykernel here, never return.

    Instead of ``exec``-ing a new interpreter for ipykernel (and paying the imports again), the
    confined process runs ipykernel in place, with the libraries this server already imported.
    """
    from mlcourse.exam.sandbox import kernel

    argv = (["-f", connection_file] if connection_file else []) + list(rest)
    code = 0
    try:
        kernel.run_ipykernel(argv, parent_handle=parent_handle())
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    leave_child(code)


def become_kernel(request: dict[str, Any]) -> int:
    """In a freshly forked child: set up the process as a stock kernel launch would, then run it."""
    server = os.getppid()
    os.setsid()  # own session and process group, as jupyter_client's launcher gives a kernel
    linux.die_with_parent()  # the server kills its kernels when it stops; this covers its sudden death
    if os.getppid() != server:
        return 1
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE):
        signal.signal(signum, signal.SIG_DFL)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    if request.get("output"):  # the kernel's own stdout/stderr into the grader's capped file
        out = os.open(request["output"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.close(out)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    # `python -m X` would have put the working dir first on sys.path and the launcher would drop
    # it again; our slot 0 is the server's placeholder, so drop that instead.
    del sys.path[0]
    importlib.invalidate_caches()
    wanted_backend = os.environ.get("MPLBACKEND")
    if "matplotlib" in sys.modules and wanted_backend and wanted_backend != INLINE_BACKEND:
        sys.modules["matplotlib"].use(wanted_backend)
    if "numpy" in sys.modules:  # fresh entropy, as a new interpreter would have
        sys.modules["numpy"].random.seed()
    module, args = request["argv"][2], list(request["argv"][3:])
    if module == LAUNCHER:
        from mlcourse.exam.sandbox import kernel

        return int(kernel.main(args, start_kernel=start_kernel_in_place) or 0)
    launcher = importlib.util.find_spec("ipykernel_launcher")
    sys.argv = [launcher.origin if launcher else "ipykernel_launcher", *args]
    from ipykernel.kernelapp import IPKernelApp

    IPKernelApp.launch_instance(parent_handle=parent_handle())
    return 0


def leave_child(code: int) -> None:
    """Leave a forked child: run its exit handlers, flush, and never return to the server loop."""
    try:
        import atexit

        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def run_child(request: dict[str, Any]) -> None:
    """Child side of a spawn: become the kernel and never return into the server loop."""
    code = 1
    try:
        code = become_kernel(request)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
    leave_child(code)


def warm_module_index() -> None:
    """Fill :func:`inspect.getmodule`'s file-to-module index for every module imported so far.

    IPython's tracebacks call ``inspect.getmodule``, whose first call walks all of ``sys.modules``
    resolving each file's real path; done once here, every forked kernel inherits the index and
    a failing cell's traceback no longer pays for hundreds of ``realpath`` calls.
    """
    import inspect

    inspect.getmodule(warm_module_index.__code__)


# --------------------------------------------------------------------------------------------
# the server
# --------------------------------------------------------------------------------------------

class Server:
    """The server loop: accept one request per connection, fork kernels, reap them, answer polls."""

    def __init__(self, socket_path: str, loaded: list[str]) -> None:
        self.socket_path = socket_path
        self.loaded = loaded
        self.children: dict[int, int | None] = {}  # pid -> exit status once reaped
        self.owners: dict[int, int] = {}  # kernel pid -> pid of the grading worker that asked for it
        self.parent = os.getppid()
        self.stopping = False
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        if os.path.exists(socket_path):
            os.unlink(socket_path)
        self.listener.bind(socket_path)
        os.chmod(socket_path, 0o600)
        self.listener.listen(64)
        self.listener.settimeout(0.2)

    def stop(self, signum: int = 0, frame: Any = None) -> None:  # noqa: ARG002 - signal handler
        """Finish the loop after the current request (also the SIGTERM handler)."""
        self.stopping = True

    def reap(self) -> None:
        """Record the exit status of every child that has ended."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.children[pid] = os.waitstatus_to_exitcode(status)

    def run(self) -> None:
        """Serve until told to stop or until the grader (our parent) is gone."""
        try:
            while not self.stopping:
                self.reap()
                if os.getppid() != self.parent:  # the grader died (even by SIGKILL): take the kernels down
                    break
                try:
                    conn, _ = self.listener.accept()
                except (socket.timeout, InterruptedError):
                    continue
                with conn:
                    conn.settimeout(10)
                    try:
                        request = receive(conn)
                    except (OSError, ValueError):
                        continue
                    self.handle(conn, request)
        finally:
            self.close()

    def handle(self, conn: socket.socket, request: dict[str, Any]) -> None:
        """Answer one request."""
        try:
            op = Op(request.get("op"))
        except ValueError:
            send(conn, {"error": f"unknown op {request.get('op')!r}"})
            return
        if op is Op.SPAWN:
            send(conn, {"pid": self.spawn(conn, request)})
        elif op is Op.POLL:
            self.reap()
            pid = int(request["pid"])
            send(conn, {"known": pid in self.children, "status": self.children.get(pid)})
            if self.children.get(pid) is not None:
                self.children.pop(pid)
                self.owners.pop(pid, None)
        elif op is Op.KILL_OWNER:  # a worker was stopped: kill the kernels it started
            owner = int(request["owner"])
            killed = [pid for pid, who in self.owners.items() if who == owner and self.children.get(pid) is None]
            for pid in killed:
                self.kill(pid)
            send(conn, {"killed": killed})
        elif op is Op.PING:
            send(conn, {"pid": os.getpid(), "preloaded": self.loaded, "children": len(self.children)})
        elif op is Op.SHUTDOWN:
            send(conn, {"ok": True})
            self.stopping = True

    def spawn(self, conn: socket.socket, request: dict[str, Any]) -> int:
        """Fork a kernel for ``request``; the child never returns here."""
        pid = os.fork()
        if pid == 0:
            self.listener.close()
            conn.close()
            run_child(request)
        self.children[pid] = None
        self.owners[pid] = int(request.get("owner") or 0)
        return pid

    @staticmethod
    def kill(pid: int) -> None:
        """SIGKILL a kernel's process group (it is a session leader)."""
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass

    def close(self) -> None:
        """Kill every kernel still running, reap them (up to 5 s) and remove the socket."""
        self.listener.close()
        for pid, status in list(self.children.items()):
            if status is None:
                self.kill(pid)
        deadline = time.monotonic() + 5
        while any(s is None for s in self.children.values()) and time.monotonic() < deadline:
            self.reap()
            time.sleep(0.01)
        try:
            os.unlink(self.socket_path)
        except OSError:
            pass


def serve(socket_path: str, preload_modules: Iterable[str] = BASE_PRELOAD, forbidden: Iterable[Path] = (),
          ready_fd: int | None = None, warm: Iterable[str] = ()) -> None:
    """Import and warm up, then run the fork server on ``socket_path`` until shutdown or SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the grader's to handle
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    # debugpy (preloaded for ipykernel's debugger) warns on import that frozen modules hide
    # breakpoints; nobody debugs a grading kernel, so keep that warning off the grader's terminal.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # never preload from the directory the server was started in
    sys.path.insert(0, os.getcwd())  # placeholder slot that each child points at its own cwd
    loaded = preload([*BASE_PRELOAD, *preload_modules], forbidden)
    warm_failed = warm_up(warm)
    warm_module_index()
    for library in patches.TESTED:  # each kernel's patches check versions: look them up once, here
        patches.installed_version(library)
    import gc

    gc.collect()
    gc.freeze()  # keep preloaded objects out of the children's GC passes (fewer copied pages)
    server = Server(socket_path, loaded)
    signal.signal(signal.SIGTERM, server.stop)
    if ready_fd is not None:
        os.write(ready_fd, (json.dumps({"ready": True, "preloaded": loaded, "warm_failed": warm_failed})
                            + "\n").encode())
        os.close(ready_fd)
    server.run()


def main(argv: list[str] | None = None) -> int:
    """Command line of the server process (started by :class:`~mlcourse.exam.grade.forkclient.ForkServer`)."""
    parser = argparse.ArgumentParser(prog="python -m mlcourse.exam.grade.forkserver")
    parser.add_argument("--socket", required=True)
    parser.add_argument("--preload", action="append", default=[])
    parser.add_argument("--forbid", action="append", default=[])
    parser.add_argument("--ready-fd", type=int)
    parser.add_argument("--warm", action="append", default=[])
    args = parser.parse_args(argv)
    serve(args.socket, args.preload, [Path(p) for p in args.forbid], args.ready_fd, args.warm)
    return 0


if __name__ == "__main__":
    sys.exit(main())
