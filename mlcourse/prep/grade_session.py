"""Grade a session folder (mock interview or review): count, score, report, remember.

Only the last answer saved at or before the deadline counts; an unanswered slot is a miss.
Grading writes ``report.html`` (Jinja2 template ``report.html.j2``) into the folder, adds the
results to the candidate's history and rates their review cards. A session is recorded once:
grading it again rewrites the report but does not count the answers twice.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlcourse.prep import bank
from mlcourse.prep.grading import Result, Status, grade
from mlcourse.prep.review import Schedule, parse_time
from mlcourse.prep.session import SessionInfo, Slot, counted_answers, read_answers, read_info
from mlcourse.prep.store import Attempt, Store, now_utc

RECORDED = ".recorded"
TEMPLATE = Path(__file__).with_name("report.html.j2")


@dataclass(frozen=True)
class Row:
    """One graded slot."""

    slot: Slot
    status: Status
    feedback: str
    saved_at: _dt.datetime | None
    seconds: float | None
    late: int                 # answers saved after the deadline (not counted)
    teaches: str
    explanation: str
    prompt_title: str

    @property
    def correct(self) -> bool:
        """True when the counted answer earned the point."""
        return self.status is Status.CORRECT


@dataclass
class SessionReport:
    """The graded session: rows, per-category scores, what to review, where the report is."""

    info: SessionInfo
    rows: list[Row]
    html_path: Path
    recorded: bool

    @property
    def score(self) -> tuple[int, int]:
        """Correct answers and questions."""
        return sum(r.correct for r in self.rows), len(self.rows)

    def by_category(self) -> dict[str, tuple[int, int]]:
        """Per category, correct answers and questions, in bank order."""
        out: dict[str, list[int]] = {}
        for c in bank.Category:
            rows = [r for r in self.rows if r.slot.category == c.value]
            if rows:
                out[c.value] = [sum(r.correct for r in rows), len(rows)]
        for r in self.rows:
            if r.slot.category not in out:
                out.setdefault(r.slot.category, [0, 0])
                out[r.slot.category][0] += r.correct
                out[r.slot.category][1] += 1
        return {k: (v[0], v[1]) for k, v in out.items()}

    def to_review(self) -> list[str]:
        """The sections and references that teach the missed items, each once."""
        seen: list[str] = []
        for r in self.rows:
            if not r.correct and r.teaches not in seen:
                seen.append(r.teaches)
        return seen

    def text(self) -> str:
        """The plain-text summary ``mlcourse mock-grade`` prints."""
        right, total = self.score
        lines = [f"{self.info.title}: {right} / {total} correct", "",
                 f"{'category':<22} {'score':>7}"]
        lines += [f"{c:<22} {a:>3} / {b:<3}" for c, (a, b) in self.by_category().items()]
        lines += ["", f"{'#':>2} {'item':<26} {'round':<19} {'result':<10} {'time':>7}"]
        for r in self.rows:
            t = f"{r.seconds / 60:.1f} min" if r.seconds is not None else "-"
            late = f" (+{r.late} late, not counted)" if r.late else ""
            lines.append(f"{r.slot.n:>2} {r.slot.item:<26} {r.slot.round:<19} {r.status.value:<10} {t:>7}{late}")
        review = self.to_review()
        if review:
            lines += ["", "What to review:"] + [f"  - {t}" for t in review]
        lines += ["", f"Report: {self.html_path}"]
        return "\n".join(lines)


def _grade_selfcheck(slot: Slot, answer: Any) -> tuple[Status, str, str, str, str]:
    from mlcourse.quiz import question

    q = question(slot.item)
    outcome = q.grade(answer)
    status = Status.CORRECT if getattr(outcome, "correct", False) else (
        Status.BLANK if answer is None else Status.INCORRECT)
    return status, str(getattr(outcome, "message", "")), f"lecture self-check {slot.item}", "", slot.item


def _grade_bank(slot: Slot, answer: Any) -> tuple[Status, str, str, str, str]:
    item = bank.item(slot.item)
    result: Result = grade(item, slot.seed, answer)
    return result.status, result.feedback, item.teaches, item.explanation, item.get("title", item.id)


def render_html(report: SessionReport) -> str:
    """The HTML report, from the Jinja2 template next to this module."""
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    return template.render(report=report, info=report.info, rows=report.rows,
                           categories=report.by_category(), review=report.to_review(), score=report.score)


def grade_session(folder: Path, now: _dt.datetime | None = None, store: Store | None = None) -> SessionReport:
    """Grade the session in ``folder`` at time ``now`` and write its report; record it once."""
    folder = Path(folder)
    now = now or now_utc()
    info = read_info(folder)
    answers = read_answers(folder)
    counted = counted_answers(info, answers)
    deadline = info.deadline_time
    order = sorted(counted.values(), key=lambda a: a.saved_at)
    previous = {a.slot: (order[i - 1].saved_at if i else parse_time(info.started))
                for i, a in enumerate(order)}
    rows = []
    for slot in info.slots:
        saved = counted.get(slot.n)
        answer = saved.answer if saved else None
        grader = _grade_selfcheck if slot.kind == "selfcheck" else _grade_bank
        status, feedback, teaches, explanation, title = grader(slot, answer)
        seconds = (saved.saved_at - previous[slot.n]).total_seconds() if saved else None
        late = sum(1 for a in answers if a.slot == slot.n and deadline is not None and a.saved_at > deadline)
        rows.append(Row(slot, status, feedback, saved.saved_at if saved else None, seconds, late,
                        teaches, explanation, title))
    report = SessionReport(info, rows, folder / "report.html", recorded=False)
    report.html_path.write_text(render_html(report), encoding="utf-8")
    marker = folder / RECORDED
    if not marker.exists():
        _remember(report, folder, now, store or Store())
        marker.write_text(json.dumps({"graded": now.isoformat()}), encoding="utf-8")
        report.recorded = True
    return report


def _remember(report: SessionReport, folder: Path, now: _dt.datetime, store: Store) -> None:
    """Add the results to the history and rate the review cards."""
    schedule = Schedule(store)
    attempts = []
    for r in report.rows:
        when = r.saved_at or now
        attempts.append(Attempt(item=r.slot.item, category=r.slot.category, difficulty=r.slot.difficulty,
                                seed=r.slot.seed, correct=r.correct, when=when.isoformat(),
                                source=report.info.mode if r.slot.kind == "bank" else "selfcheck",
                                seconds=r.seconds, session=f"{folder.name}@{report.info.started}"))
        schedule.record(r.slot.card or r.slot.item, r.correct, when)
    store.add(attempts)
    schedule.save()
