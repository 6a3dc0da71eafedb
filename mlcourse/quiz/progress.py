"""Local self-check progress: the best outcome per question, kept only on the learner's computer.

Stored as JSON in ``$MLCOURSE_PROGRESS`` or the user data directory (``MLCOURSE_PROGRESS=off``
keeps nothing). Recording is optional: an unwritable or corrupt file is ignored. Entries for
retired or unknown question ids stay in the file but are not counted. ``mlcourse progress``
prints the table (:func:`run`).
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass
from pathlib import Path

from mlcourse.quiz import bank
from mlcourse.quiz.engine import Outcome, Status


def progress_path() -> Path | None:
    """Where progress is kept: ``$MLCOURSE_PROGRESS`` or the user data dir; None when 'off'."""
    setting = os.environ.get("MLCOURSE_PROGRESS", "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting)
    import platformdirs

    return Path(platformdirs.user_data_dir("mlcourse", appauthor=False)) / "progress.json"


def read_progress(path: Path) -> dict[str, dict]:
    """The stored entries, or an empty dict when the file is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, dict)} if isinstance(data, dict) else {}


def record_attempt(question_id: str, outcome: Outcome) -> None:
    """Remember the best outcome per question; progress is optional, so failures are ignored."""
    path = progress_path()
    if path is None or not outcome.status.recorded:
        return
    try:
        data = read_progress(path)
        entry = data.get(question_id, {"best": 0.0, "attempts": 0, "correct": False})
        entry["attempts"] = int(entry.get("attempts", 0)) + 1
        entry["best"] = max(float(entry.get("best", 0.0)), outcome.score)
        entry["correct"] = bool(entry.get("correct")) or outcome.correct or outcome.status is Status.REVIEW
        data[question_id] = entry
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    except (OSError, TypeError, ValueError):
        pass


@dataclass(frozen=True)
class LectureProgress:
    """How many of a lecture's questions a learner has answered right (or self-reviewed)."""

    lecture: str
    done: int
    total: int


class ProgressReport(list):
    """A list of LectureProgress rows that renders as a table."""

    def __str__(self) -> str:
        rows = [f"{'lecture':<12} {'done':>4} / total"]
        rows += [f"{p.lecture:<12} {p.done:>4} / {p.total}" for p in self]
        return "\n".join(rows)

    def _repr_markdown_(self) -> str:
        from mlcourse.display import markdown_table

        return markdown_table([(p.lecture, p.done, p.total) for p in self], ["lecture", "done", "total"],
                              align=["left", "right", "right"])


def progress() -> ProgressReport:
    """Per lecture, how many of its current questions the learner has got right so far."""
    path = progress_path()
    data = read_progress(path) if path else {}
    report = ProgressReport()
    for name, total in bank.lectures().items():
        done = sum(1 for e in bank.entries() if e.lecture == name and data.get(e.id, {}).get("correct"))
        report.append(LectureProgress(name, done, total))
    return report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``mlcourse progress``."""
    parser.add_argument("--reset", action="store_true", help="forget all recorded progress")


def run(args: argparse.Namespace) -> int:
    """Print the progress table (or reset it)."""
    path = progress_path()
    if args.reset:
        if path and path.exists():
            path.unlink()
        print("progress cleared")
        return 0
    print(progress())
    print(f"\n(stored in {path})" if path else "\n(progress recording is off)")
    return 0
