"""Fast, isolated kernel start for grading: a fork server plus a jupyter_client kernel provisioner.

Why: starting a stock IPython kernel costs ~0.35 s of CPU and importing numpy, scikit-learn and
matplotlib ~1.7 s more, and ``nbgrader autograde`` pays both for every notebook of every student.
Here one *server* process imports the heavy libraries and ipykernel once; for each notebook it
``fork()``s a child that becomes the kernel. Memory is shared copy-on-write, so each child starts
in milliseconds, yet it is a fresh process of its own: what one student's code does to modules,
globals or the environment dies with that child and never reaches the next student.

Pieces:

* :func:`serve` (``python -m mlcourse.exam.forkserver --socket PATH``): the server loop. One request
  per connection on a unix socket, JSON in and out: ``spawn`` (fork a kernel), ``poll`` (exit status
  of a child the server reaped) and ``ping``.
* :class:`ForkServer`: starts and stops a server from the grading process.
* :class:`ForkProvisioner`: a :class:`jupyter_client.provisioning.LocalProvisioner` that asks the
  server for the kernel process instead of ``Popen``-ing one, falling back to the stock launch when
  no server is running or the kernel command is not this interpreter's ipykernel.
* :class:`ForkKernelManager`: an ``AsyncKernelManager`` that always uses :class:`ForkProvisioner`;
  nbgrader takes it through ``Execute.kernel_manager_class``.
* :class:`QuickReadyClientMixin`: put in front of the kernel client class of every forked kernel
  by :class:`ForkProvisioner`; its ``wait_for_ready`` ends on the kernel's idle status instead of
  jupyter_client's fixed 0.2 s IOPub wait. :meth:`ForkProvisioner.shutdown_requested` likewise
  watches a kernel's graceful exit every 10 ms instead of jupyter_client's 0.1 s polls.

A kernel command of ``python -m mlcourse.exam.sandbox_kernel`` (the exam's sandboxed grading
kernel) runs that launcher's own code in the child, so the same limits, namespaces and wall clock
apply as with a stock start (see :func:`_run_sandbox_kernel`). Used by ``mlcourse grade``
(:mod:`mlcourse.exam.grading`).
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import importlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any, Iterable

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

#: Environment variable through which grading workers find the server's socket.
SOCKET_ENV = "MLCOURSE_FORKSERVER"
#: Name under which :class:`ForkProvisioner` registers with jupyter_client.
PROVISIONER_NAME = "mlcourse-fork-provisioner"
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
    "mlcourse.exam.sandbox_kernel",
)
#: Seconds :meth:`ForkProvisioner.shutdown_requested` watches closely for a kernel's graceful exit.
SHUTDOWN_WATCH = 0.5
#: The inline backend a stock kernel selects; set before matplotlib is imported in the server.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


# --------------------------------------------------------------------------------------------
# which modules to import ahead of time
# --------------------------------------------------------------------------------------------

def notebook_imports(paths: Iterable[Path]) -> list[str]:
    """Return the modules imported by the code cells of the given notebooks (sorted, unique).

    ``import a.b`` yields ``a.b``; ``from a.b import c`` yields ``a.b``; IPython magics and cells
    that do not parse are skipped. Used to choose what the fork server preloads.
    """
    import nbformat

    found: set[str] = set()
    for path in paths:
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            source = "\n".join(line for line in cell.source.splitlines()
                               if not line.lstrip().startswith(("%", "!")))
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module)
    return sorted(found)


def _preload(modules: Iterable[str], forbidden: Iterable[Path] = ()) -> list[str]:
    """Import ``modules`` that live outside ``forbidden`` folders; return those imported.

    A module found inside a course folder (a helper a student may have edited) is never preloaded:
    each kernel must import the copy next to the notebook it runs.
    """
    forbidden = [Path(p).resolve() for p in forbidden]
    done = []
    for name in modules:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is None or spec.origin in (None, "built-in", "frozen"):
            if spec is not None:
                importlib.import_module(name)
                done.append(name)
            continue
        origin = Path(spec.origin).resolve()
        if any(origin.is_relative_to(folder) for folder in forbidden):
            continue
        try:
            importlib.import_module(name)
        except Exception:  # a broken optional module must not stop grading
            continue
        done.append(name)
    return done


# --------------------------------------------------------------------------------------------
# the server
# --------------------------------------------------------------------------------------------

def _send(conn: socket.socket, message: dict[str, Any]) -> None:
    """Write one JSON message and close our side for writing."""
    conn.sendall(json.dumps(message).encode() + b"\n")


def _receive(conn: socket.socket) -> dict[str, Any]:
    """Read one JSON message (up to end of line or EOF)."""
    chunks = []
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            break
        chunks.append(chunk)
        if chunk.endswith(b"\n"):
            break
    return json.loads(b"".join(chunks) or b"{}")


#: Kernel commands (``python -m MODULE ...``) the server can become without a new interpreter.
FORKABLE_MODULES = ("ipykernel_launcher", "mlcourse.exam.sandbox_kernel")


def _quiet_parent_handle() -> None:
    """Read ``JPY_PARENT_PID`` now, as a freshly started ipykernel would at import time."""
    import functools

    from ipykernel import kernelapp

    parent = int(os.environ.get("JPY_PARENT_PID") or 0)
    kernelapp.launch_new_instance = functools.partial(kernelapp.IPKernelApp.launch_instance,
                                                      parent_handle=parent)


def _run_sandbox_kernel(args: list[str]) -> int:
    """Run ``python -m mlcourse.exam.sandbox_kernel ARGS`` in this (forked) process.

    The sandbox launcher's own code decides everything (PID namespace, supervisor, wall clock,
    :func:`mlcourse.exam.sandbox.apply_in_child`); the one change is its last step: instead of
    ``exec``-ing a new interpreter for ipykernel (and paying the imports again), the confined
    process runs ipykernel in place, with the libraries this server already imported.
    """
    from mlcourse.exam import sandbox_kernel

    def _in_place(connection_file: str | None, rest: list[str]) -> None:
        _quiet_parent_handle()
        argv = (["-f", connection_file] if connection_file else []) + list(rest)
        code = 0
        try:
            sandbox_kernel.run_ipykernel(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
        _exit(code)

    sandbox_kernel._exec_kernel = _in_place
    return int(sandbox_kernel.main(args) or 0)


def _die_with_parent() -> None:
    """On Linux, ask for SIGKILL when the parent process dies (``prctl(PR_SET_PDEATHSIG)``)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _become_kernel(request: dict[str, Any]) -> int:
    """In a freshly forked child: set up the process as a stock kernel launch would, then run it."""
    server = os.getppid()
    os.setsid()  # own session and process group, as jupyter_client's launcher gives a kernel
    _die_with_parent()  # the server kills its kernels when it stops; this covers its sudden death
    if os.getppid() != server:
        return 1
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE):
        signal.signal(signum, signal.SIG_DFL)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
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
    if module == "mlcourse.exam.sandbox_kernel":
        return _run_sandbox_kernel(args)
    launcher = importlib.util.find_spec("ipykernel_launcher")
    sys.argv = [launcher.origin if launcher else "ipykernel_launcher", *args]
    _quiet_parent_handle()
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
    return 0


def _exit(code: int) -> None:
    """Leave a forked child: run its exit handlers, flush, and never return to the server loop."""
    try:
        import atexit

        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def _run_child(request: dict[str, Any]) -> None:
    """Child side of a spawn: become the kernel and never return into the server loop."""
    code = 1
    try:
        code = _become_kernel(request)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
    _exit(code)


def warm_up(calls: Iterable[str]) -> list[str]:
    """Call each ``"module:function"`` once with no arguments; return those that failed.

    For deterministic, cached instructor code that every kernel would otherwise recompute (the
    exam's learning-curve figure trains a small network): the forked kernels inherit the cache.
    Never for anything that depends on a submission.
    """
    failed = []
    for spec in calls:
        module, _, func = spec.partition(":")
        try:
            getattr(importlib.import_module(module), func)()
        except Exception:
            failed.append(spec)
    return failed


def _warm_module_index() -> None:
    """Fill :func:`inspect.getmodule`'s file-to-module index for every module imported so far.

    IPython's tracebacks call ``inspect.getmodule``, whose first call walks all of ``sys.modules``
    resolving each file's real path; done once here, every forked kernel inherits the index and
    a failing cell's traceback no longer pays for hundreds of ``realpath`` calls.
    """
    import inspect

    inspect.getmodule(_warm_module_index.__code__)


def serve(socket_path: str, preload: Iterable[str] = BASE_PRELOAD, forbidden: Iterable[Path] = (),
          ready_fd: int | None = None, warm: Iterable[str] = ()) -> None:
    """Run the fork server on ``socket_path`` until it receives ``shutdown`` or SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the grader's to handle
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    # debugpy (preloaded for ipykernel's debugger) warns on import that frozen modules hide
    # breakpoints; nobody debugs a grading kernel, so keep that warning off the grader's terminal.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # never preload from the directory the server was started in
    sys.path.insert(0, os.getcwd())  # placeholder slot that each child points at its own cwd
    loaded = _preload([*BASE_PRELOAD, *preload], forbidden)
    warm_failed = warm_up(warm)
    _warm_module_index()
    import gc

    gc.collect()
    gc.freeze()  # keep preloaded objects out of the children's GC passes (fewer copied pages)

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if os.path.exists(socket_path):
        os.unlink(socket_path)
    listener.bind(socket_path)
    os.chmod(socket_path, 0o600)
    listener.listen(64)
    listener.settimeout(0.2)
    children: dict[int, int | None] = {}  # pid -> exit status once reaped
    owners: dict[int, int] = {}  # kernel pid -> pid of the grading worker that asked for it
    parent = os.getppid()
    stopping = False

    def _stop(signum, frame):  # noqa: ARG001 - signal handler signature
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    if ready_fd is not None:
        os.write(ready_fd, (json.dumps({"ready": True, "preloaded": loaded, "warm_failed": warm_failed})
                            + "\n").encode())
        os.close(ready_fd)

    def _reap() -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            children[pid] = os.waitstatus_to_exitcode(status)

    try:
        while not stopping:
            _reap()
            if os.getppid() != parent:  # the grader died (even by SIGKILL): take the kernels down
                break
            try:
                conn, _ = listener.accept()
            except (socket.timeout, InterruptedError):
                continue
            with conn:
                conn.settimeout(10)
                try:
                    request = _receive(conn)
                except (OSError, ValueError):
                    continue
                op = request.get("op")
                if op == "spawn":
                    pid = os.fork()
                    if pid == 0:
                        listener.close()
                        conn.close()
                        _run_child(request)
                    children[pid] = None
                    owners[pid] = int(request.get("owner") or 0)
                    _send(conn, {"pid": pid})
                elif op == "poll":
                    _reap()
                    pid = int(request["pid"])
                    _send(conn, {"known": pid in children, "status": children.get(pid)})
                    if children.get(pid) is not None:
                        children.pop(pid)
                        owners.pop(pid, None)
                elif op == "kill_owner":  # a worker was stopped: kill the kernels it started
                    owner = int(request["owner"])
                    killed = [pid for pid, who in owners.items() if who == owner and children.get(pid) is None]
                    for pid in killed:
                        try:
                            os.killpg(pid, signal.SIGKILL)
                        except OSError:
                            pass
                    _send(conn, {"killed": killed})
                elif op == "ping":
                    _send(conn, {"pid": os.getpid(), "preloaded": loaded, "children": len(children)})
                elif op == "shutdown":
                    _send(conn, {"ok": True})
                    stopping = True
                else:
                    _send(conn, {"error": f"unknown op {op!r}"})
    finally:
        listener.close()
        for pid, status in list(children.items()):
            if status is None:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except OSError:
                    pass
        deadline = time.monotonic() + 5
        while any(s is None for s in children.values()) and time.monotonic() < deadline:
            _reap()
            time.sleep(0.01)
        try:
            os.unlink(socket_path)
        except OSError:
            pass


# --------------------------------------------------------------------------------------------
# client side
# --------------------------------------------------------------------------------------------

class ForkServerError(RuntimeError):
    """The fork server could not be started or did not answer."""


def request(socket_path: str, message: dict[str, Any], timeout: float = 30.0) -> dict[str, Any]:
    """Send one request to the server at ``socket_path`` and return its answer."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(timeout)
        conn.connect(socket_path)
        _send(conn, message)
        conn.shutdown(socket.SHUT_WR)
        answer = _receive(conn)
    if "error" in answer:
        raise ForkServerError(answer["error"])
    return answer


class ForkServer:
    """Start a fork server in a child process of the grader and stop it again (a context manager).

    ``preload`` names modules to import before forking (the exam notebooks' imports);
    ``forbidden`` folders are never preloaded from (the course directory); ``env`` is added to the
    server's environment before it imports anything. Settings that libraries read once at import
    (``OPENBLAS_NUM_THREADS`` and friends) must match what the kernels would have had, because a
    forked kernel inherits the libraries as the server loaded them.
    """

    def __init__(self, preload: Iterable[str] = (), forbidden: Iterable[Path] = (),
                 start_timeout: float = 120.0, env: dict[str, str] | None = None,
                 warm: Iterable[str] = ()) -> None:
        self.preload = list(preload)
        self.warm = list(warm)
        self.warm_failed: list[str] = []
        self.env = dict(env or {})
        self.forbidden = [str(Path(p).resolve()) for p in forbidden]
        self.start_timeout = start_timeout
        self.preloaded: list[str] = []
        self._dir: tempfile.TemporaryDirectory | None = None
        self.process: subprocess.Popen | None = None
        self.socket_path = ""

    def reserve(self) -> str:
        """Choose the socket path (before :meth:`start`, so clients can be told early)."""
        if self._dir is None:
            self._dir = tempfile.TemporaryDirectory(prefix="mlcourse-fork-")
            self.socket_path = os.path.join(self._dir.name, "fork.sock")
        return self.socket_path

    def start(self) -> "ForkServer":
        """Launch ``python -m mlcourse.exam.forkserver`` and wait until it has preloaded."""
        self.reserve()
        read_fd, write_fd = os.pipe()
        cmd = [sys.executable, "-m", "mlcourse.exam.forkserver", "--socket", self.socket_path,
               "--ready-fd", str(write_fd)]
        for name in self.preload:
            cmd += ["--preload", name]
        for folder in self.forbidden:
            cmd += ["--forbid", folder]
        for spec in self.warm:
            cmd += ["--warm", spec]
        env = dict(os.environ)
        env.pop(SOCKET_ENV, None)
        env.update(self.env)  # e.g. thread counts the kernels would set before importing numpy
        self.process = subprocess.Popen(cmd, cwd=self._dir.name, env=env, pass_fds=(write_fd,),
                                        stdin=subprocess.DEVNULL)
        os.close(write_fd)
        with os.fdopen(read_fd, "rb") as ready:
            line = ready.readline()
        if not line:
            self.stop()
            raise ForkServerError("the fork server exited before it was ready")
        ready = json.loads(line)
        self.preloaded = ready.get("preloaded", [])
        self.warm_failed = ready.get("warm_failed", [])
        return self

    def stop(self) -> None:
        """Ask the server to stop (it kills any kernel still running) and wait for it."""
        if self.process is not None and self.process.poll() is None:
            try:
                request(self.socket_path, {"op": "shutdown"}, timeout=5)
            except OSError:
                self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    def __enter__(self) -> "ForkServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _forkable(cmd: list[str]) -> bool:
    """True when ``cmd`` is this interpreter running ipykernel, i.e. what the server can become."""
    if len(cmd) < 3 or cmd[1] != "-m" or cmd[2] not in FORKABLE_MODULES:
        return False
    try:
        return os.path.samefile(cmd[0], sys.executable) or Path(cmd[0]).resolve() == Path(sys.executable).resolve()
    except OSError:
        return False


class QuickReadyClientMixin:
    """``wait_for_ready`` that ends as soon as the kernel is provably ready, without a fixed wait.

    jupyter_client's version, once ``kernel_info_reply`` has come, reads IOPub until nothing has
    arrived for 0.2 s (to flush stray start-up messages): 0.2 s of idle time for every kernel.
    This one checks the same two things, that the shell channel answers and that IOPub is
    connected, by waiting for the kernel's ``status: idle`` for a ``kernel_info_request`` it sent
    (a kernel publishes it after the reply, on IOPub); then it drops whatever else is already
    queued on IOPub without waiting for more. Messages the kernel might publish later belong to no
    request of ours, and nbclient ignores IOPub messages whose parent is not the cell it runs.
    Used only for kernels from the fork server (see :meth:`ForkProvisioner.launch_kernel`).
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        from queue import Empty

        from jupyter_client.manager import KernelManager

        if not isinstance(getattr(self, "parent", None), KernelManager):
            return await super().wait_for_ready(timeout=timeout)  # heartbeat path: keep stock
        abs_timeout = time.time() + (float("inf") if timeout is None else timeout)
        sent: set[str] = set()  # any of our requests' idle status will do (a reply may be stale)
        while True:
            sent.add(self.kernel_info())
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                if await self._iopub_idle_for(sent, 0.2):
                    self._handle_kernel_info_reply(reply)
                    break
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.time() > abs_timeout:
                raise RuntimeError("Kernel didn't respond in %d seconds" % timeout)
        while True:  # flush what is already queued, as stock does, minus the idle wait
            try:
                await self.iopub_channel.get_msg(timeout=0)
            except Empty:
                break

    async def _iopub_idle_for(self, msg_ids: set[str], limit: float) -> bool:
        """True once IOPub delivers ``status: idle`` for one of ``msg_ids`` within ``limit`` seconds."""
        from queue import Empty

        deadline = time.monotonic() + limit
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                msg = await self.iopub_channel.get_msg(timeout=left)
            except Empty:
                return False
            if (msg.get("msg_type") == "status" and msg.get("content", {}).get("execution_state") == "idle"
                    and msg.get("parent_header", {}).get("msg_id") in msg_ids):
                return True


def _quick_ready(factory: type) -> type:
    """``factory`` (an async kernel client class) with :class:`QuickReadyClientMixin` in front."""
    from jupyter_client.asynchronous.client import AsyncKernelClient

    if not (isinstance(factory, type) and issubclass(factory, AsyncKernelClient)):
        return factory
    if issubclass(factory, QuickReadyClientMixin):
        return factory
    return type(factory.__name__, (QuickReadyClientMixin, factory), {})


class ForkProvisioner(LocalProvisioner):
    """Kernel provisioner that takes each kernel process from the fork server.

    Same connection file, environment, working directory and arguments as the stock
    :class:`LocalProvisioner`; only the process comes from ``fork()`` of a warm server instead of a
    new interpreter. Without a server (``$MLCOURSE_FORKSERVER`` unset) it behaves exactly like the
    stock provisioner.
    """

    forked_pid: int | None = None
    _exit_status: int | None = None

    @property
    def socket_path(self) -> str | None:
        """Where the server listens, from the environment of the grading worker."""
        return os.environ.get(SOCKET_ENV) or None

    @property
    def has_process(self) -> bool:
        return self.forked_pid is not None or super().has_process

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        """Fork the kernel from the server (or fall back to a stock launch)."""
        path = self.socket_path
        if path is None or not _forkable(cmd):
            return await super().launch_kernel(cmd, **kwargs)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        env = dict(kwargs.get("env") or os.environ)
        env.pop(SOCKET_ENV, None)
        env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it on POSIX
        answer = request(path, {"op": "spawn", "argv": list(cmd), "env": env, "cwd": cwd,
                                "owner": os.getpid()})
        self.forked_pid = self.pid = self.pgid = int(answer["pid"])
        self._exit_status = None
        self.cwd = cwd
        manager = self.parent
        if manager is not None and hasattr(manager, "client_factory"):
            manager.client_factory = _quick_ready(manager.client_factory)
        return self.connection_info

    async def shutdown_requested(self, restart: bool = False) -> None:
        """After the shutdown request: watch for the kernel's exit closely instead of every 0.1 s.

        The kernel still shuts down gracefully, as stock; jupyter_client then polls for its end
        every 0.1 s, so a kernel that is gone after 20 ms costs 100 ms. Polling the server every
        10 ms for a short while lets that first poll already find it gone.
        """
        await super().shutdown_requested(restart)
        if self.forked_pid is None or restart:
            return
        deadline = time.monotonic() + SHUTDOWN_WATCH
        while time.monotonic() < deadline:
            if await self.poll() is not None:
                return
            await asyncio.sleep(0.01)

    async def poll(self) -> int | None:
        """None while the kernel runs, else its exit status (as the server reaped it)."""
        if self.forked_pid is None:
            return await super().poll()
        if self._exit_status is not None:
            return self._exit_status
        try:
            answer = request(self.socket_path, {"op": "poll", "pid": self.forked_pid}, timeout=10)
        except OSError:  # server gone: it killed its children on the way out
            self._exit_status = -int(signal.SIGKILL)
            return self._exit_status
        if not answer.get("known"):
            self._exit_status = -int(signal.SIGKILL)
        else:
            self._exit_status = answer.get("status")
        return self._exit_status

    async def wait(self) -> int | None:
        """Wait until the kernel has exited and forget it."""
        if self.forked_pid is None:
            return await super().wait()
        while (status := await self.poll()) is None:
            await asyncio.sleep(0.05)
        self.forked_pid = None
        return status

    async def send_signal(self, signum: int) -> None:
        """Signal the kernel's process group (it is a session leader)."""
        if self.forked_pid is None:
            return await super().send_signal(signum)
        try:
            os.killpg(self.forked_pid, signum)
        except ProcessLookupError:
            pass

    async def kill(self, restart: bool = False) -> None:
        """SIGKILL the kernel's process group."""
        if self.forked_pid is None:
            return await super().kill(restart)
        await self.send_signal(signal.SIGKILL)

    async def terminate(self, restart: bool = False) -> None:
        """SIGTERM the kernel's process group."""
        if self.forked_pid is None:
            return await super().terminate(restart)
        await self.send_signal(signal.SIGTERM)


class ForkKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernels come from the fork server (see :class:`ForkProvisioner`)."""

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        if self.provisioner is None:
            import uuid

            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                               parent=self)
        return await super()._async_pre_start_kernel(**kw)


def register_provisioner() -> None:
    """Make ``kernel_provisioner: mlcourse-fork-provisioner`` resolvable without package metadata."""
    from importlib.metadata import EntryPoint

    from jupyter_client.provisioning.factory import KernelProvisionerFactory

    KernelProvisionerFactory.provisioners.setdefault(PROVISIONER_NAME, EntryPoint(
        name=PROVISIONER_NAME, value=f"{__name__}:ForkProvisioner",
        group=KernelProvisionerFactory.GROUP_NAME))


def main(argv: list[str] | None = None) -> int:
    """Command line of the server process (started by :class:`ForkServer`)."""
    parser = argparse.ArgumentParser(prog="python -m mlcourse.exam.forkserver")
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
