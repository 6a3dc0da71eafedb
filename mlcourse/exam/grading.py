"""``mlcourse grade ASSIGNMENT``: autograde a whole class in parallel, exactly as nbgrader would.

Stock ``nbgrader autograde`` grades one submission after another and starts a new Python kernel,
with fresh imports of numpy, scikit-learn and matplotlib, for every notebook. Here:

* N worker processes (default: twice the machine's cores) each run nbgrader's own ``Autograde``
  converter (same config, preprocessors and gradebook writes as stock; see
  :mod:`mlcourse.exam.gradeworker`), one student at a time;
* one fork server (:mod:`mlcourse.exam.forkserver`) imports the heavy libraries once, and every
  notebook's kernel is a fresh ``fork()`` of it, so no student pays kernel start-up and imports,
  and no state passes from one student to the next;
* a record per graded student (``<course>/.mlcourse/grade/<assignment>/<student>.json``) holds a
  hash of the submission, the source and the config: a re-run grades only what is new or changed
  (``--force`` regrades all), and a crash or Ctrl-C loses no grade already written, because a
  record is written only after nbgrader has committed that student's grades.

Python API: :func:`grade_class` returns a :class:`GradeRun`. The gradebook is SQLite by default;
``--db URL`` takes any SQLAlchemy URL (PostgreSQL for a large class; see docs/scaling.md).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import time
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from mlcourse.exam import gradeworker

#: Where per-student grading records live, relative to the course root.
RECORD_DIR = Path(".mlcourse") / "grade"
#: Statuses a submission can end in; "skipped" means already graded and unchanged.
STATUSES = ("graded", "timed out", "failed", "skipped")


@dataclass
class Outcome:
    """How one student's submission came out of this run."""

    student: str
    status: str  # one of STATUSES
    reason: str = ""
    seconds: float = 0.0
    score: float | None = None
    max_score: float | None = None
    worker_cpu: float = 0.0  # CPU seconds the grading worker spent on it (its kernels not included)


@dataclass
class GradeRun:
    """The result of :func:`grade_class`: one outcome per student considered, plus timings."""

    assignment: str
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 0
    interrupted: bool = False

    def count(self, status: str) -> int:
        """Number of students whose outcome has ``status``."""
        return sum(o.status == status for o in self.outcomes)

    @property
    def failed(self) -> list[Outcome]:
        """Submissions that got no grade (nbgrader error, dead kernel, time limit per submission)."""
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def ok(self) -> bool:
        """True when every submission considered has its grades in the gradebook."""
        return not self.failed and not self.interrupted


# ---------------------------------------------------------------------------------------------
# what to grade
# ---------------------------------------------------------------------------------------------

def _tree_digest(digest: "hashlib._Hash", folder: Path) -> None:
    """Feed every file under ``folder`` (name and bytes, sorted) into ``digest``."""
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if ".ipynb_checkpoints" in rel or "__pycache__" in rel:
            continue
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")


def submission_key(root: Path, assignment: str, student: str, db_url: str) -> str:
    """Hash of everything a grade depends on: the submission, the source, the config, the gradebook."""
    digest = hashlib.sha256()
    _tree_digest(digest, root / "submitted" / student / assignment)
    digest.update(b"--source--")
    _tree_digest(digest, root / "source" / assignment)
    for name in ("nbgrader_config.py",):
        if (root / name).is_file():
            digest.update((root / name).read_bytes())
    digest.update(db_url.encode())
    return digest.hexdigest()


def record_path(root: Path, assignment: str, student: str) -> Path:
    """File holding the grading record of one student."""
    return root / RECORD_DIR / assignment / f"{student}.json"


def write_record(root: Path, assignment: str, student: str, record: dict) -> None:
    """Write a record atomically (temp file + rename), so a crash never leaves half a record."""
    path = record_path(root, assignment, student)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, indent=1))
    os.replace(tmp, path)


def read_record(root: Path, assignment: str, student: str) -> dict | None:
    """The stored record of one student, or None."""
    try:
        return json.loads(record_path(root, assignment, student).read_text())
    except (OSError, ValueError):
        return None


def in_shard(student: str, shard: tuple[int, int] | None) -> bool:
    """True when ``student`` belongs to shard ``(k, n)`` (1-based): stable across runs and machines."""
    if shard is None:
        return True
    k, n = shard
    return zlib.crc32(student.encode()) % n == k - 1


def submitted_students(root: Path, assignment: str) -> list[str]:
    """Students with a submission folder for ``assignment`` (sorted)."""
    base = root / "submitted"
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / assignment).is_dir())


def plan(root: Path, assignment: str, db_url: str, *, force: bool = False,
         students: Iterable[str] | None = None, shard: tuple[int, int] | None = None,
         graded_in_db: set[str] | None = None) -> tuple[list[str], list[str], dict[str, str]]:
    """Split the class into (to grade, up to date) and return each student's current key."""
    wanted = set(students) if students is not None else None
    todo, skip, keys = [], [], {}
    for student in submitted_students(root, assignment):
        if wanted is not None and student not in wanted:
            continue
        if not in_shard(student, shard):
            continue
        key = submission_key(root, assignment, student, db_url)
        keys[student] = key
        record = read_record(root, assignment, student)
        fresh = (record is not None and record.get("key") == key
                 and (root / "autograded" / student / assignment).is_dir()
                 and (graded_in_db is None or student in graded_in_db))
        (skip if fresh and not force else todo).append(student)
    return todo, skip, keys


def _graded_in_gradebook(db_url: str, assignment: str) -> set[str]:
    """Students that have a submission of ``assignment`` in the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gb:
        try:
            return {s.student.id for s in gb.assignment_submissions(assignment)}
        except MissingEntry:
            return set()


# ---------------------------------------------------------------------------------------------
# progress and summary
# ---------------------------------------------------------------------------------------------

class Progress:
    """A one-line progress bar on a terminal (silent when ``stream`` is None)."""

    def __init__(self, total: int, stream=None, width: int = 30) -> None:
        self.total, self.stream, self.width = total, stream, width
        self.done = 0
        self.counts = {s: 0 for s in STATUSES}
        self.started = time.monotonic()

    def update(self, status: str) -> None:
        """Count one finished submission and redraw."""
        self.done += 1
        self.counts[status] = self.counts.get(status, 0) + 1
        self.draw()

    def draw(self) -> None:
        """Redraw the bar: done/total, counts per status, elapsed time and an estimate of what is left."""
        if self.stream is None:
            return
        frac = self.done / self.total if self.total else 1.0
        filled = int(round(frac * self.width))
        elapsed = time.monotonic() - self.started
        eta = elapsed / self.done * (self.total - self.done) if self.done else 0.0
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {self.done}/{self.total}  graded {self.counts['graded']}"
                          f"  timed out {self.counts['timed out']}  failed {self.counts['failed']}"
                          f"  {elapsed:.0f}s elapsed, ~{eta:.0f}s left ")
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line."""
        if self.stream is not None:
            self.stream.write("\n")
            self.stream.flush()


def summary_table(run: GradeRun) -> str:
    """The end-of-run table: counts per status, then every failed or timed-out student with the reason."""
    lines = [f"mlcourse grade {run.assignment}: {len(run.outcomes)} submissions, "
             f"{run.workers} workers, {run.seconds:.1f} s" + ("  (INTERRUPTED)" if run.interrupted else "")]
    lines.append(f"  {'status':<10} {'count':>5}")
    for status in STATUSES:
        lines.append(f"  {status:<10} {run.count(status):>5}")
    problems = [o for o in run.outcomes if o.status in ("failed", "timed out")]
    if problems:
        lines.append("")
        lines.append(f"  {'student':<24} {'status':<10} reason")
        for o in sorted(problems, key=lambda o: (o.status, o.student)):
            lines.append(f"  {o.student:<24} {o.status:<10} {o.reason}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# the pool
# ---------------------------------------------------------------------------------------------

def _course_settings(course_dir: Path, assignment: str, db_url: str | None) -> tuple[Path, str, bool]:
    """Resolve (course root, gradebook URL, sandboxed kernel?) the way ``nbgrader autograde`` would."""
    app = gradeworker.make_app(str(course_dir), assignment, db_url)
    sandboxed = "SandboxedExecute" in app.config
    return Path(app.coursedir.root).resolve(), app.coursedir.db_url, sandboxed


def _kernel_env(sandboxed: bool) -> dict[str, str]:
    """Variables a kernel sets before its first import, which the fork server must share.

    The exam's sandboxed kernel runs with one BLAS/OpenMP thread (:data:`sandbox.ENV_SET`); a
    server that imported numpy with more threads would hand its kernels a thread pool that cannot
    be rebuilt under the sandbox's process limit.
    """
    if not sandboxed:
        return {}
    from mlcourse.exam import sandbox

    return {k: v for k, v in sandbox.ENV_SET.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _ensure_gradebook(db_url: str) -> None:
    """Create the gradebook's tables once, before any worker opens it."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url):
        pass


def _preload_list(root: Path, assignment: str) -> list[str]:
    """Modules the assignment's source notebooks import (what the fork server should import first)."""
    from mlcourse.exam.forkserver import notebook_imports

    return notebook_imports(sorted((root / "source" / assignment).glob("*.ipynb")))


def default_workers() -> int:
    """Workers when none are asked for: twice the cores.

    A worker is idle for part of every notebook (waiting for its kernel to start, answer and
    exit, and for the gradebook), so one worker per core leaves cores unused; a second one per
    core fills those gaps (measured in docs/scaling.md). Each worker is an nbgrader process of
    about 120 MB; kernels are forks that share the server's memory.
    """
    return 2 * (os.cpu_count() or 1)


def grade_class(course_dir: Path | str, assignment: str, *, db_url: str | None = None,
                workers: int | None = None, force: bool = False,
                students: Iterable[str] | None = None, shard: tuple[int, int] | None = None,
                submission_timeout: float = 900.0, fast: bool = True, progress=None,
                extra_config: dict | None = None, warm: Iterable[str] = (),
                on_result: Callable[[Outcome], None] | None = None) -> GradeRun:
    """Autograde every new or changed submission of ``assignment``; return what happened to each.

    ``workers`` parallel nbgrader processes (default: :func:`default_workers`); ``fast=False`` keeps stock kernel
    start-up (no fork server); ``submission_timeout`` bounds one student's whole grading (on top
    of nbgrader's per-cell ``Execute.timeout``); ``progress`` is a stream for the progress bar;
    ``warm`` names cached, deterministic ``module:function`` calls the fork server makes once
    (see :func:`mlcourse.exam.forkserver.warm_up`).
    """
    started = time.monotonic()
    gradeworker.ensure_tools_on_path()
    root, resolved_db, sandboxed = _course_settings(Path(course_dir), assignment, db_url)
    _ensure_gradebook(gradeworker.sqlite_with_timeout(resolved_db))
    graded = _graded_in_gradebook(resolved_db, assignment)
    todo, skip, keys = plan(root, assignment, resolved_db, force=force, students=students,
                            shard=shard, graded_in_db=graded)
    workers = max(1, min(workers or default_workers(), len(todo) or 1))
    run = GradeRun(assignment=assignment, workers=workers)
    run.outcomes.extend(Outcome(s, "skipped", "unchanged since it was last graded") for s in skip)
    if not todo:
        run.seconds = time.monotonic() - started
        return run

    from mlcourse.exam.forkserver import ForkServer

    server = ForkServer(preload=_preload_list(root, assignment), forbidden=[root],
                        env=_kernel_env(sandboxed), warm=warm) if fast else None
    bar = Progress(len(todo), progress)
    setup = gradeworker.WorkerSetup(course_dir=str(root), assignment=assignment, db_url=db_url,
                                    socket_path=None, log_dir=str(root / RECORD_DIR / assignment / "logs"),
                                    extra_config=extra_config or {}, parent_pid=os.getpid(),
                                    env=dict(os.environ))
    ctx = gradeworker.worker_context()
    tasks, results = ctx.Queue(), ctx.Queue()
    procs: dict[int, multiprocessing.Process] = {}
    pids: dict[int, int] = {}
    current: dict[int, tuple[str, float]] = {}
    startup_failures = 0

    def _spawn(wid: int) -> None:
        proc = ctx.Process(target=gradeworker.run, args=(wid, setup, tasks, results), daemon=True,
                           name=f"mlcourse-grade-{wid}")
        proc.start()
        procs[wid] = proc

    def _finish(student: str, outcome: dict) -> None:
        result = Outcome(student, **outcome)
        if result.status in ("graded", "timed out"):
            write_record(root, assignment, student, {
                "key": keys[student], "status": result.status, "reason": result.reason,
                "score": result.score, "max_score": result.max_score, "seconds": result.seconds,
                "graded_at": _dt.datetime.now(_dt.timezone.utc).isoformat()})
        run.outcomes.append(result)
        bar.update(result.status)
        if on_result is not None:
            on_result(result)

    try:
        if server is not None:
            setup.socket_path = server.reserve()  # workers learn the path now, start-up overlaps
        for wid in range(workers):
            _spawn(wid)
        if server is not None:
            server.start()
            for spec in server.warm_failed:
                print(f"mlcourse grade: warning: --warm {spec} failed in the fork server; "
                      "each kernel will compute it itself", file=sys.stderr)
        for student in todo:
            tasks.put(student)
        for _ in range(workers):
            tasks.put(None)  # one stop sign per worker, behind the real work
        bar.draw()
        pending = set(todo)
        while pending:
            try:
                message = results.get(timeout=0.5)
            except Exception:  # queue.Empty: check the workers' health and the time limits
                message = None
            if message is not None:
                kind, wid = message[0], message[1]
                if kind == "ready":
                    pids[wid] = message[2]
                elif kind == "start":
                    current[wid] = (message[2], time.monotonic())
                elif kind == "done":
                    current.pop(wid, None)
                    pending.discard(message[2])
                    _finish(message[2], message[3])
                continue
            now = time.monotonic()
            for wid, proc in list(procs.items()):
                over = wid in current and now - current[wid][1] > submission_timeout
                dead = not proc.is_alive()
                if not (over or dead):
                    continue
                student = current.pop(wid, (None, 0.0))[0]
                if dead and wid not in pids:
                    startup_failures += 1
                    if startup_failures >= 3:
                        raise RuntimeError("grading workers exit before they are ready (exit code "
                                           f"{proc.exitcode}); see the error printed above")
                if over:
                    proc.kill()
                proc.join(5)
                if server is not None and wid in pids:
                    try:
                        from mlcourse.exam.forkserver import request

                        request(server.socket_path, {"op": "kill_owner", "owner": pids[wid]}, timeout=5)
                    except OSError:
                        pass
                if student is not None:
                    shutil.rmtree(root / "autograded" / student / assignment, ignore_errors=True)
                    pending.discard(student)
                    reason = (f"exceeded the {submission_timeout:.0f} s limit per submission" if over
                              else f"grading worker died (exit code {proc.exitcode})")
                    _finish(student, {"status": "failed", "reason": reason})
                del procs[wid]
                pids.pop(wid, None)
                if pending:
                    _spawn(wid)
                    tasks.put(None)
            if not procs and pending:
                for student in sorted(pending):
                    _finish(student, {"status": "failed", "reason": "no grading worker left"})
                pending.clear()
    except KeyboardInterrupt:
        run.interrupted = True
    finally:
        for proc in procs.values():
            if proc.is_alive():
                proc.terminate()
        for proc in procs.values():
            proc.join(10)
            if proc.is_alive():
                proc.kill()
                proc.join()
        if server is not None:
            server.stop()
        for q in (tasks, results):
            q.cancel_join_thread()
            q.close()
        bar.close()
    run.seconds = time.monotonic() - started
    return run


# ---------------------------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------------------------

def _shard(text: str) -> tuple[int, int]:
    """Parse ``K/N`` (1 <= K <= N)."""
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError("expected K/N, e.g. 1/3") from None
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError("need 1 <= K <= N")
    return k, n


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``mlcourse grade``."""
    parser.add_argument("assignment", help="assignment id, e.g. interview_prep")
    parser.add_argument("--course-dir", default=".", help="nbgrader course directory (default: .)")
    parser.add_argument("--db", dest="db_url", help="gradebook URL (default: the course's, SQLite); "
                        "e.g. postgresql://user@host/gradebook")
    parser.add_argument("-j", "--workers", type=int, default=None,
                        help="parallel graders (default: twice the number of CPU cores)")
    parser.add_argument("--force", action="store_true", help="regrade submissions that are up to date")
    parser.add_argument("--student", action="append", dest="students",
                        help="grade only this student (repeatable)")
    parser.add_argument("--shard", type=_shard, help="grade only shard K of N (for several machines)")
    parser.add_argument("--timeout", type=float, default=900.0, dest="submission_timeout",
                        help="seconds one submission may take in all (default 900)")
    parser.add_argument("--no-fork", action="store_false", dest="fast",
                        help="start every kernel the stock way (slow; for comparison)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--warm", action="append", default=[], metavar="MODULE:FUNCTION",
                        help="cached instructor code to run once before forking kernels, e.g. "
                        "mlcourse.exam.figures:exam_curve (repeatable)")


def run(args: argparse.Namespace) -> int:
    """Run ``mlcourse grade``: grade, print the table, exit 1 naming failed submissions."""
    stream = None if args.no_progress or not sys.stderr.isatty() else sys.stderr
    result = grade_class(args.course_dir, args.assignment, db_url=args.db_url, workers=args.workers,
                         force=args.force, students=args.students, shard=args.shard,
                         submission_timeout=args.submission_timeout, fast=args.fast, progress=stream,
                         warm=args.warm)
    print(summary_table(result))
    if result.interrupted:
        print("interrupted: every grade finished before the interruption is kept; "
              "run the same command again to grade the rest", file=sys.stderr)
        return 130
    if result.failed:
        names = ", ".join(o.student for o in result.failed)
        print(f"{len(result.failed)} submission(s) failed: {names}", file=sys.stderr)
        return 1
    return 0


def outcomes_as_dicts(run: GradeRun) -> list[dict]:
    """Plain dicts of a run's outcomes (for JSON output or tests)."""
    return [asdict(o) for o in run.outcomes]
