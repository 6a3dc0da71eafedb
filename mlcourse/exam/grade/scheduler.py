"""``mlcourse grade``'s scheduler: autograde a whole class in parallel, exactly as nbgrader would.

Stock ``nbgrader autograde`` grades one submission after another and starts a new Python kernel,
with fresh imports of numpy, scikit-learn and matplotlib, for every notebook. Here:

* N worker processes (default: twice the machine's cores) each run nbgrader's own ``Autograde``
  converter (same config, preprocessors and gradebook writes as stock; see
  :mod:`mlcourse.exam.grade.worker`), one student at a time;
* one fork server (:mod:`mlcourse.exam.grade.forkserver`) imports the heavy libraries once, and
  every notebook's kernel is a fresh ``fork()`` of it, so no student pays kernel start-up and
  imports, and no state passes from one student to the next;
* a record per graded student (:mod:`mlcourse.exam.grade.records`) lets a re-run grade only what
  is new or changed (``force`` regrades all).

Python API: :func:`grade_class` returns a :class:`GradeRun`. The gradebook is SQLite by default;
``db_url`` takes any SQLAlchemy URL (PostgreSQL for a large class; see docs/scaling.md).
"""

from __future__ import annotations

import datetime as _dt
import multiprocessing
import os
import queue
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from mlcourse.exam import pipeline
from mlcourse.exam.grade import records, worker
from mlcourse.exam.grade.protocol import Finished, Report, Started, Status, WorkerMessage, WorkerReady

#: Statuses in the order the summary lists them.
STATUSES = tuple(Status)


@dataclass
class Outcome:
    """How one student's submission came out of this run."""

    student: str
    status: Status
    reason: str = ""
    seconds: float = 0.0
    score: float | None = None
    max_score: float | None = None
    worker_cpu: float = 0.0  # CPU seconds the grading worker spent on it (its kernels not included)

    def __post_init__(self) -> None:
        self.status = Status(self.status)

    @classmethod
    def from_report(cls, student: str, report: Report) -> "Outcome":
        """The outcome a worker's :class:`~mlcourse.exam.grade.protocol.Report` describes."""
        return cls(student, report.status, report.reason, report.seconds, report.score, report.max_score,
                   report.worker_cpu)


@dataclass
class GradeRun:
    """The result of :func:`grade_class`: one outcome per student considered, plus timings."""

    assignment: str
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 0
    interrupted: bool = False

    def count(self, status: Status | str) -> int:
        """Number of students whose outcome has ``status``."""
        return sum(o.status == status for o in self.outcomes)

    @property
    def failed(self) -> list[Outcome]:
        """Submissions that got no grade (nbgrader error, dead kernel, time limit per submission)."""
        return [o for o in self.outcomes if o.status is Status.FAILED]

    @property
    def ok(self) -> bool:
        """True when every submission considered has its grades in the gradebook."""
        return not self.failed and not self.interrupted


# ---------------------------------------------------------------------------------------------
# course settings
# ---------------------------------------------------------------------------------------------

def course_settings(course_dir: Path, assignment: str, db_url: str | None) -> tuple[Path, str, bool]:
    """Resolve (course root, gradebook URL, sandboxed kernel?) the way ``nbgrader autograde`` would."""
    app = worker.make_app(str(course_dir), assignment, db_url)
    sandboxed = "SandboxedExecute" in app.config
    return Path(app.coursedir.root).resolve(), app.coursedir.db_url, sandboxed


def kernel_env(sandboxed: bool) -> dict[str, str]:
    """Variables a kernel sets before its first import, which the fork server must share.

    The exam's sandboxed kernel runs with one BLAS/OpenMP thread (``confine.ENV_SET``); a server
    that imported numpy with more threads would hand its kernels a thread pool that cannot be
    rebuilt under the sandbox's process limit.
    """
    if not sandboxed:
        return {}
    from mlcourse.exam.sandbox.confine import ENV_SET

    return {k: v for k, v in ENV_SET.items() if k != "PYTHONDONTWRITEBYTECODE"}


def ensure_gradebook(db_url: str) -> None:
    """Create the gradebook's tables once, before any worker opens it."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url):
        pass


def preload_list(root: Path, assignment: str) -> list[str]:
    """Modules the assignment's source notebooks import (what the fork server should import first)."""
    from mlcourse.exam.grade.preload import notebook_imports

    return notebook_imports(sorted((root / "source" / assignment).glob("*.ipynb")))


def default_workers() -> int:
    """Workers when none are asked for: twice the cores.

    A worker is idle for part of every notebook (waiting for its kernel to start, answer and
    exit, and for the gradebook), so one worker per core leaves cores unused; a second one per
    core fills those gaps (measured in docs/scaling.md). Each worker is an nbgrader process of
    about 120 MB; kernels are forks that share the server's memory.
    """
    return 2 * (os.cpu_count() or 1)


# ---------------------------------------------------------------------------------------------
# the pool
# ---------------------------------------------------------------------------------------------

class ClassGrader:
    """One grading run: workers, the fork server, the task queue and the bookkeeping of results."""

    def __init__(self, root: Path, assignment: str, todo: list[str], keys: dict[str, str], run: GradeRun,
                 setup: worker.WorkerSetup, server: Any, progress: Any, submission_timeout: float,
                 on_result: Callable[[Outcome], None] | None) -> None:
        self.root, self.assignment, self.todo, self.keys, self.run = root, assignment, todo, keys, run
        self.setup, self.server, self.progress = setup, server, progress
        self.submission_timeout, self.on_result = submission_timeout, on_result
        self.ctx = worker.worker_context()
        self.tasks, self.results = self.ctx.Queue(), self.ctx.Queue()
        self.procs: dict[int, multiprocessing.Process] = {}
        self.pids: dict[int, int] = {}  # worker id -> pid, once ready
        self.current: dict[int, tuple[str, float]] = {}  # worker id -> (student, started)
        self.pending = set(todo)
        self.startup_failures = 0

    def spawn(self, wid: int) -> None:
        """Start worker ``wid``."""
        proc = self.ctx.Process(target=worker.run, args=(wid, self.setup, self.tasks, self.results),
                                daemon=True, name=f"mlcourse-grade-{wid}")
        proc.start()
        self.procs[wid] = proc

    def finish(self, outcome: Outcome) -> None:
        """Record one student's outcome (and its resume record when it has grades)."""
        if outcome.status in (Status.GRADED, Status.TIMED_OUT):
            records.write_record(self.root, self.assignment, outcome.student, {
                "key": self.keys[outcome.student], "status": outcome.status.value, "reason": outcome.reason,
                "score": outcome.score, "max_score": outcome.max_score, "seconds": outcome.seconds,
                "graded_at": _dt.datetime.now(_dt.timezone.utc).isoformat()})
        self.pending.discard(outcome.student)
        self.run.outcomes.append(outcome)
        self.progress.update(outcome.status)
        if self.on_result is not None:
            self.on_result(outcome)

    def fail(self, student: str, reason: str) -> None:
        """Record that ``student`` got no grade."""
        self.finish(Outcome(student, Status.FAILED, reason))

    def start(self) -> None:
        """Start the workers and the fork server (overlapping), then queue every student."""
        if self.server is not None:
            self.setup.socket_path = self.server.reserve()  # workers learn the path now, start-up overlaps
        for wid in range(self.run.workers):
            self.spawn(wid)
        if self.server is not None:
            self.server.start()
            for spec in self.server.warm_failed:
                print(f"mlcourse grade: warning: --warm {spec} failed in the fork server; "
                      "each kernel will compute it itself", file=sys.stderr)
        for student in self.todo:
            self.tasks.put(student)
        for _ in range(self.run.workers):
            self.tasks.put(None)  # one stop sign per worker, behind the real work
        self.progress.draw()

    def handle(self, message: WorkerMessage) -> None:
        """Take one message from a worker."""
        if isinstance(message, WorkerReady):
            self.pids[message.wid] = message.pid
        elif isinstance(message, Started):
            self.current[message.wid] = (message.student, time.monotonic())
        elif isinstance(message, Finished):
            self.current.pop(message.wid, None)
            self.finish(Outcome.from_report(message.student, message.report))

    def check_workers(self) -> None:
        """Replace workers that died or overran the time per submission, failing their student."""
        now = time.monotonic()
        for wid, proc in list(self.procs.items()):
            over = wid in self.current and now - self.current[wid][1] > self.submission_timeout
            dead = not proc.is_alive()
            if not (over or dead):
                continue
            student = self.current.pop(wid, (None, 0.0))[0]
            if dead and wid not in self.pids:
                self.startup_failures += 1
                if self.startup_failures >= 3:
                    raise RuntimeError("grading workers exit before they are ready (exit code "
                                       f"{proc.exitcode}); see the error printed above")
            if over:
                proc.kill()
            proc.join(5)
            self.kill_kernels_of(wid)
            if student is not None:
                shutil.rmtree(self.root / "autograded" / student / self.assignment, ignore_errors=True)
                self.fail(student, f"exceeded the {self.submission_timeout:.0f} s limit per submission" if over
                          else f"grading worker died (exit code {proc.exitcode})")
            del self.procs[wid]
            self.pids.pop(wid, None)
            if self.pending:
                self.spawn(wid)
                self.tasks.put(None)
        if not self.procs and self.pending:
            for student in sorted(self.pending):
                self.fail(student, "no grading worker left")

    def kill_kernels_of(self, wid: int) -> None:
        """Ask the fork server to kill the kernels a stopped worker started."""
        if self.server is None or wid not in self.pids:
            return
        from mlcourse.exam.grade.forkclient import request
        from mlcourse.exam.grade.protocol import Op

        try:
            request(self.server.socket_path, {"op": Op.KILL_OWNER, "owner": self.pids[wid]}, timeout=5)
        except OSError:
            pass

    def loop(self) -> None:
        """Run until every student has an outcome."""
        while self.pending:
            try:
                message = self.results.get(timeout=0.5)
            except queue.Empty:  # check the workers' health and the time limits
                self.check_workers()
                continue
            self.handle(message)

    def close(self) -> None:
        """Stop workers and the server, close the queues and the progress bar."""
        for proc in self.procs.values():
            if proc.is_alive():
                proc.terminate()
        for proc in self.procs.values():
            proc.join(10)
            if proc.is_alive():
                proc.kill()
                proc.join()
        if self.server is not None:
            self.server.stop()
        for q in (self.tasks, self.results):
            q.cancel_join_thread()
            q.close()
        self.progress.close()


def grade_class(course_dir: Path | str, assignment: str, *, db_url: str | None = None,
                workers: int | None = None, force: bool = False,
                students: Iterable[str] | None = None, shard: tuple[int, int] | None = None,
                submission_timeout: float = 900.0, fast: bool = True, progress: Any = None,
                extra_config: dict | None = None, warm: Iterable[str] = (),
                on_result: Callable[[Outcome], None] | None = None) -> GradeRun:
    """Autograde every new or changed submission of ``assignment``; return what happened to each.

    ``workers`` parallel nbgrader processes (default: :func:`default_workers`); ``fast=False`` keeps
    stock kernel start-up (no fork server); ``submission_timeout`` bounds one student's whole
    grading (on top of nbgrader's per-cell ``Execute.timeout``); ``progress`` is a stream for the
    progress bar; ``warm`` names cached, deterministic ``module:function`` calls the fork server
    makes once (see :func:`mlcourse.exam.grade.preload.warm_up`).
    """
    from mlcourse.exam.grade.progress import Progress

    started = time.monotonic()
    pipeline.tools_on_path()
    root, resolved_db, sandboxed = course_settings(Path(course_dir), assignment, db_url)
    ensure_gradebook(worker.sqlite_with_timeout(resolved_db))
    graded = records.graded_in_gradebook(resolved_db, assignment)
    todo, skip, keys = records.plan(root, assignment, resolved_db, force=force, students=students,
                                    shard=shard, graded_in_db=graded)
    workers = max(1, min(workers or default_workers(), len(todo) or 1))
    run = GradeRun(assignment=assignment, workers=workers)
    run.outcomes.extend(Outcome(s, Status.SKIPPED, "unchanged since it was last graded") for s in skip)
    if not todo:
        run.seconds = time.monotonic() - started
        return run

    from mlcourse.exam.grade.forkclient import ForkServer

    server = ForkServer(preload=preload_list(root, assignment), forbidden=[root],
                        env=kernel_env(sandboxed), warm=warm) if fast else None
    setup = worker.WorkerSetup(course_dir=str(root), assignment=assignment, db_url=db_url, socket_path=None,
                               log_dir=str(root / records.RECORD_DIR / assignment / "logs"),
                               extra_config=extra_config or {}, parent_pid=os.getpid(), env=dict(os.environ))
    grader = ClassGrader(root, assignment, todo, keys, run, setup, server, Progress(len(todo), progress),
                         submission_timeout, on_result)
    try:
        grader.start()
        grader.loop()
    except KeyboardInterrupt:
        run.interrupted = True
    finally:
        grader.close()
    run.seconds = time.monotonic() - started
    return run
