"""Command-line front of the practice tool: ``add_*``/``run_*`` pairs, one per command.

``mlcourse bank`` (item counts), ``mlcourse mock DIR`` / ``mlcourse mock-grade DIR`` (timed mock
interview), ``mlcourse review [DIR]`` (today's spaced-review notebook) and ``mlcourse readiness``
(per-category readiness and its plot). :mod:`mlcourse.prep.commands` adapts each pair to the
one-module-per-command registry of :mod:`mlcourse.cli`.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
from pathlib import Path

#: Where ``mlcourse practice start`` puts the exam by default (its history feeds review).
DEFAULT_EXAM_DIR = Path("interview_prep")


def add_bank(parser: argparse.ArgumentParser) -> None:
    """Options of ``mlcourse bank`` (none)."""


def run_bank(args: argparse.Namespace) -> int:
    """Print the number of items per category and difficulty."""
    from mlcourse.prep.bank import counts_table, items

    print(counts_table())
    print(f"\n{sum(it.is_template for it in items())} of them are templates (variants by seed).")
    return 0


def add_mock(parser: argparse.ArgumentParser) -> None:
    """Options of ``mlcourse mock``."""
    parser.add_argument("dir", type=Path, help="new folder for the session notebook")
    parser.add_argument("--minutes", type=int, default=30, help="time on the clock (default 30)")
    parser.add_argument("--seed", type=int, default=None, help="rebuild a given session")


def run_mock(args: argparse.Namespace) -> int:
    """Write a timed mock interview notebook."""
    from mlcourse.prep.mock import NOTEBOOK, MockError, build_mock

    try:
        info = build_mock(args.dir, minutes=args.minutes, seed=args.seed)
    except MockError as exc:
        print(f"mlcourse mock: {exc}", file=sys.stderr)
        return 1
    print(f"{info.title}: {args.dir / NOTEBOOK}")
    print(f"Deadline {info.deadline} (UTC). Open it in JupyterLab, then `mlcourse mock-grade {args.dir}`.")
    return 0


def add_mock_grade(parser: argparse.ArgumentParser) -> None:
    """Options of ``mlcourse mock-grade``."""
    parser.add_argument("dir", type=Path, help="the session folder (mock or review)")


def run_mock_grade(args: argparse.Namespace) -> int:
    """Grade a session folder and print the summary."""
    from mlcourse.prep.grade_session import grade_session

    try:
        report = grade_session(args.dir)
    except FileNotFoundError as exc:
        print(f"mlcourse mock-grade: {exc}", file=sys.stderr)
        return 1
    print(report.text())
    if not report.recorded:
        print("(already graded once: the history and review schedule were not changed again)")
    return 0


def add_review(parser: argparse.ArgumentParser) -> None:
    """Options of ``mlcourse review``."""
    parser.add_argument("dir", type=Path, nargs="?", default=None,
                        help="folder for today's review notebook (default ./mlcourse-review/<date>)")
    parser.add_argument("--exam-dir", type=Path, default=None,
                        help="also schedule misses from this `mlcourse practice` folder "
                             "(default ./interview_prep when it has a practice history)")
    parser.add_argument("--limit", type=int, default=20, help="at most this many items (default 20)")
    parser.add_argument("--export", type=Path, default=None, help="write history and schedule to this JSON file")
    parser.add_argument("--reset", action="store_true", help="forget the practice history and schedule")


def run_review(args: argparse.Namespace) -> int:
    """Write today's review notebook (or export / reset the data)."""
    from mlcourse.prep.review import REVIEW_NOTEBOOK, build_review
    from mlcourse.prep.store import Store

    store = Store()
    if args.reset:
        store.reset()
        print("practice history and review schedule cleared")
        return 0
    if args.export:
        print(f"exported to {store.export(args.export)}")
        return 0
    folder = args.dir or Path("mlcourse-review") / _dt.date.today().isoformat()
    exam_dir = args.exam_dir
    if exam_dir is None and (DEFAULT_EXAM_DIR / ".practice" / "history.json").exists():
        exam_dir = DEFAULT_EXAM_DIR
    try:
        info = build_review(folder, store=store, exam_dir=exam_dir, limit=args.limit)
    except FileExistsError as exc:
        print(f"mlcourse review: {exc}", file=sys.stderr)
        return 1
    if info is None:
        print("Nothing is due for review today.")
        return 0
    print(f"{info.title}: {folder / REVIEW_NOTEBOOK}\nGrade it with `mlcourse mock-grade {folder}`.")
    return 0


def add_readiness(parser: argparse.ArgumentParser) -> None:
    """Options of ``mlcourse readiness``."""
    parser.add_argument("--plot", type=Path, default=None, help="where to save the plot (PNG)")


def run_readiness(args: argparse.Namespace) -> int:
    """Print readiness per category and save the plot over time."""
    from mlcourse.prep.readiness import ReadinessDisplay, readiness, table
    from mlcourse.prep.store import Store

    store = Store()
    attempts = store.attempts()
    print(table(readiness(attempts)))
    target = args.plot or (store.folder / "readiness.png" if store.folder else None)
    if target is not None:
        import matplotlib

        matplotlib.use("Agg")
        display = ReadinessDisplay.from_attempts(attempts).plot()
        target.parent.mkdir(parents=True, exist_ok=True)
        display.figure_.savefig(target, dpi=110)
        print(f"\n{display.alt_text}\nPlot: {target}")
    else:
        print("\n(practice recording is off)")
    return 0
