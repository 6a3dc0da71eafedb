"""``mlcourse grade ASSIGNMENT``: options, the end-of-run table and the exit status.

The work is done by :func:`mlcourse.exam.grade.scheduler.grade_class`.
"""

from __future__ import annotations

import argparse
import sys

from mlcourse.exam.grade.protocol import Status
from mlcourse.exam.grade.scheduler import GradeRun, grade_class


def summary_table(run: GradeRun) -> str:
    """The end-of-run table: counts per status, then every failed or timed-out student with the reason."""
    lines = [f"mlcourse grade {run.assignment}: {len(run.outcomes)} submissions, "
             f"{run.workers} workers, {run.seconds:.1f} s" + ("  (INTERRUPTED)" if run.interrupted else "")]
    lines.append(f"  {'status':<10} {'count':>5}")
    for status in Status:
        lines.append(f"  {status.value:<10} {run.count(status):>5}")
    problems = [o for o in run.outcomes if o.status in (Status.FAILED, Status.TIMED_OUT)]
    if problems:
        lines.append("")
        lines.append(f"  {'student':<24} {'status':<10} reason")
        for o in sorted(problems, key=lambda o: (o.status.value, o.student)):
            lines.append(f"  {o.student:<24} {o.status.value:<10} {o.reason}")
    return "\n".join(lines)


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
                        "mlcourse.exam.candidate.figures:exam_curve (repeatable)")


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
