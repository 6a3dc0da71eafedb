"""The grader's side of the fork server: start it, stop it, send it one request.

:class:`ForkServer` runs ``python -m mlcourse.exam.grade.forkserver`` as a child of the grading
process (:mod:`mlcourse.exam.grade.scheduler` starts one per run); :func:`request` sends one
:class:`~mlcourse.exam.grade.protocol.Op` and returns the answer.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterable

from mlcourse.exam.grade.protocol import Op, receive, send

#: Environment variable through which grading workers find the server's socket.
SOCKET_ENV = "MLCOURSE_FORKSERVER"


class ForkServerError(RuntimeError):
    """The fork server could not be started or did not answer."""


def request(socket_path: str, message: dict[str, Any], timeout: float = 30.0) -> dict[str, Any]:
    """Send one request to the server at ``socket_path`` and return its answer."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(timeout)
        conn.connect(socket_path)
        send(conn, message)
        conn.shutdown(socket.SHUT_WR)
        answer = receive(conn)
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
        self.folder: tempfile.TemporaryDirectory | None = None
        self.process: subprocess.Popen | None = None
        self.socket_path = ""

    def reserve(self) -> str:
        """Choose the socket path (before :meth:`start`, so clients can be told early)."""
        if self.folder is None:
            self.folder = tempfile.TemporaryDirectory(prefix="mlcourse-fork-")
            self.socket_path = os.path.join(self.folder.name, "fork.sock")
        return self.socket_path

    def start(self) -> "ForkServer":
        """Launch ``python -m mlcourse.exam.grade.forkserver`` and wait until it has preloaded."""
        self.reserve()
        read_fd, write_fd = os.pipe()
        cmd = [sys.executable, "-m", "mlcourse.exam.grade.forkserver", "--socket", self.socket_path,
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
        self.process = subprocess.Popen(cmd, cwd=self.folder.name, env=env, pass_fds=(write_fd,),
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
                request(self.socket_path, {"op": Op.SHUTDOWN}, timeout=5)
            except OSError:
                self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self.folder is not None:
            self.folder.cleanup()
            self.folder = None

    def __enter__(self) -> "ForkServer":
        """Start the server (see :meth:`start`)."""
        return self.start()

    def __exit__(self, *exc: object) -> None:
        """Stop the server (see :meth:`stop`)."""
        self.stop()
