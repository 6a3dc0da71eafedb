"""Typed messages of ``mlcourse grade``: the fork server's requests and the workers' reports.

Fork server (unix socket, one JSON object each way per connection): a request is an
:class:`Op` plus its fields; :func:`send` and :func:`receive` frame them.

Workers (a multiprocessing queue to the scheduler): :class:`WorkerReady`, :class:`Started`,
:class:`Finished`; an outcome's :class:`Status` says how a submission came out.
"""

from __future__ import annotations

import enum
import json
import socket
from dataclasses import dataclass, field
from typing import Any


class Op(str, enum.Enum):
    """Requests the fork server answers."""

    SPAWN = "spawn"  # fork a kernel: argv, env, cwd, owner -> pid
    POLL = "poll"  # exit status of a child the server reaped: pid -> known, status
    KILL_OWNER = "kill_owner"  # kill the kernels a (stopped) worker started: owner -> killed
    PING = "ping"  # -> pid, preloaded, children
    SHUTDOWN = "shutdown"  # -> ok; the server kills its kernels and exits


class Status(str, enum.Enum):
    """How one submission came out of a grading run (``SKIPPED``: graded before and unchanged)."""

    GRADED = "graded"
    TIMED_OUT = "timed out"
    FAILED = "failed"
    SKIPPED = "skipped"

    def __str__(self) -> str:
        return self.value


@dataclass
class WorkerReady:
    """A worker built its nbgrader app and waits for students."""

    wid: int
    pid: int


@dataclass
class Started:
    """A worker began grading ``student``."""

    wid: int
    student: str


@dataclass
class Report:
    """What grading one student gave (the worker's side of an :class:`~.scheduler.Outcome`)."""

    status: Status
    reason: str = ""
    seconds: float = 0.0
    worker_cpu: float = 0.0
    score: float | None = None
    max_score: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Finished:
    """A worker finished ``student`` (its grades are committed to the gradebook)."""

    wid: int
    student: str
    report: Report


WorkerMessage = WorkerReady | Started | Finished


def send(conn: socket.socket, message: dict[str, Any]) -> None:
    """Write one JSON message, ended by a newline."""
    conn.sendall(json.dumps(message).encode() + b"\n")


def receive(conn: socket.socket) -> dict[str, Any]:
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
