"""Spaced review with FSRS: every miss schedules a card; a review notebook brings due items back.

Cards are keyed by what was missed: a bank item id (``ml_theory.3``), a lecture self-check
(``selfcheck:roles.1``, read from the progress file that ``mlcourse.quiz`` writes) or an exam
item (``exam:setup_1_test``, read from ``mlcourse practice`` history). A miss rates the card
*Again*, a later correct answer *Good*. The scheduler uses day-sized steps (no minute-long
learning steps, which suit flash-card apps rather than a daily notebook) and no fuzzing, so the
same history always gives the same dates.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from pathlib import Path
from typing import Any

from mlcourse.prep.store import SCHEDULE, Store, now_utc, read_json, write_json

SELFCHECK = "selfcheck:"
EXAM = "exam:"
#: Exam outline categories (as ``exam_items.yaml`` names them) to bank categories.
EXAM_CATEGORIES = {"problem setup": "problem_setup", "algorithm knowledge": "algorithm_knowledge",
                   "common conventions": "common_conventions", "ML theory": "ml_theory",
                   "ml theory": "ml_theory", "ML debugging": "ml_debugging", "ml debugging": "ml_debugging"}


def scheduler() -> Any:
    """The FSRS scheduler every schedule uses (day steps, no fuzzing, 90% target retention)."""
    from fsrs import Scheduler

    return Scheduler(desired_retention=0.9, learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def card_id(key: str) -> int:
    """A stable integer id for a card key (FSRS wants ints)."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:6], "big")


class Schedule:
    """The review cards of one store folder (nothing is kept when the store has no folder)."""

    def __init__(self, store: Store | None = None) -> None:
        self.store = store or Store()
        path = self.path
        self.data = read_json(path, {}) if path else {}
        self.data.setdefault("cards", {})
        self.data.setdefault("imported", {})

    @property
    def path(self) -> Path | None:
        """The schedule file."""
        return self.store.folder / SCHEDULE if self.store.folder else None

    def save(self) -> None:
        """Write the schedule back."""
        if self.path:
            write_json(self.path, self.data)

    def card(self, key: str) -> Any | None:
        """The FSRS card of ``key``, or None when it was never missed."""
        from fsrs import Card

        raw = self.data["cards"].get(key)
        return Card.from_dict(raw) if raw else None

    def record(self, key: str, correct: bool, when: _dt.datetime) -> None:
        """Rate ``key`` (Again for a miss, Good for a hit); hits on never-missed items add nothing."""
        from fsrs import Card, Rating

        card = self.card(key)
        if card is None:
            if correct:
                return
            card = Card(card_id=card_id(key), due=when)
        card, _ = scheduler().review_card(card, Rating.Good if correct else Rating.Again, review_datetime=when)
        self.data["cards"][key] = card.to_dict()

    def due(self, now: _dt.datetime | None = None) -> list[str]:
        """Keys whose cards are due at ``now``, most overdue first."""
        now = now or now_utc()
        from fsrs import Card

        cards = [(Card.from_dict(raw).due, key) for key, raw in self.data["cards"].items()]
        return [key for due, key in sorted(cards) if due <= now]

    def due_dates(self) -> dict[str, _dt.datetime]:
        """Every card's next due date."""
        from fsrs import Card

        return {key: Card.from_dict(raw).due for key, raw in self.data["cards"].items()}

    # --- misses recorded elsewhere ----------------------------------------------------------

    def import_selfchecks(self, path: Path | None = None) -> int:
        """Schedule lecture self-check misses from ``mlcourse.quiz``'s progress file; return how many."""
        path = path or selfcheck_progress_path()
        if path is None or not path.exists():
            return 0
        when = _dt.datetime.fromtimestamp(path.stat().st_mtime, _dt.timezone.utc)
        seen = self.data["imported"].setdefault("selfcheck", {})
        n = 0
        for qid, entry in sorted(read_json(path, {}).items()):
            if not isinstance(entry, dict):
                continue
            attempts, correct = int(entry.get("attempts", 0)), bool(entry.get("correct"))
            marker = f"{attempts}:{int(correct)}"
            if attempts == 0 or seen.get(qid) == marker:
                continue
            seen[qid] = marker
            key = SELFCHECK + qid
            if not correct or self.card(key) is not None:
                self.record(key, correct, when)
                n += not correct
        return n

    def import_exam(self, folder: Path) -> int:
        """Schedule misses from a practice folder's ``.practice/history.json``; return how many."""
        history = read_json(folder / ".practice" / "history.json", [])
        if not isinstance(history, list):
            return 0
        points = exam_points()
        seen = set(self.data["imported"].setdefault("exam", []))
        n = 0
        for entry in history:
            stamp = str(entry.get("when", ""))
            if not stamp or stamp in seen:
                continue
            when = parse_time(stamp)
            for item_id, score in sorted(entry.get("items", {}).items()):
                if item_id not in points:
                    continue
                correct = float(score) >= points[item_id] - 1e-9
                key = EXAM + item_id
                if not correct or self.card(key) is not None:
                    self.record(key, correct, when)
                    n += not correct
            seen.add(stamp)
        self.data["imported"]["exam"] = sorted(seen)
        return n


def parse_time(stamp: str) -> _dt.datetime:
    """An ISO timestamp as an aware datetime (naive ones are taken as UTC)."""
    t = _dt.datetime.fromisoformat(stamp)
    return t if t.tzinfo else t.replace(tzinfo=_dt.timezone.utc)


def selfcheck_progress_path() -> Path | None:
    """The self-check progress file (``mlcourse.quiz.progress``'s; None when progress is off)."""
    from mlcourse.quiz.progress import progress_path

    return progress_path()


def exam_points() -> dict[str, float]:
    """Points of each autograded exam item (manually graded ones are not scheduled)."""
    from mlcourse.exam.items import load_items

    return {k: float(i["points"]) for k, i in load_items().items() if i.get("kind") != "written"}


def exam_item(item_id: str) -> dict:
    """The exam item's metadata (title, category, revisit)."""
    from mlcourse.exam.items import load_items

    return load_items()[item_id]


# --- today's review notebook -------------------------------------------------------------------

REVIEW_NOTEBOOK = "review.ipynb"


def review_slots(keys: list[str], rng: Any, seen: dict[str, set[int]]) -> list:
    """One slot per due card: a fresh variant of a bank item, the self-check itself, or a stand-in
    bank item of the same category for an exam item (the exam's own items are fixed notebooks)."""
    from mlcourse.prep import bank
    from mlcourse.prep.mock import fresh_seed
    from mlcourse.prep.session import Slot

    slots: list[Slot] = []
    used: set[str] = set()
    bank_items = bank.load_bank()
    for key in keys:
        n = len(slots) + 1
        if key.startswith(SELFCHECK):
            qid = key[len(SELFCHECK):]
            slots.append(Slot(n, qid, 0, "review", qid.split(".")[0], "self-check", card=key, kind="selfcheck"))
            continue
        if key.startswith(EXAM):
            try:
                category = EXAM_CATEGORIES[exam_item(key[len(EXAM):])["category"]]
            except (StopIteration, KeyError):
                continue
            pool = [i for i in bank_items.values() if i.category.value == category and i.id not in used]
            if not pool:
                continue
            item = rng.choice(pool)
        elif key in bank_items:
            item = bank_items[key]
        else:
            continue
        used.add(item.id)
        slots.append(Slot(n, item.id, fresh_seed(rng, seen.get(item.id, set())), "review",
                          item.category.value, item.difficulty.value, card=key))
    return slots


def build_review(folder: Path, now: _dt.datetime | None = None, store: Store | None = None,
                 exam_dir: Path | None = None, limit: int = 20) -> Any:
    """Import outside misses, then write today's review notebook of the due cards into ``folder``.

    Returns the SessionInfo, or None when nothing is due.
    """
    import random

    from mlcourse.prep.notebook import write_notebook
    from mlcourse.prep.session import SESSION_FILE, SessionInfo, write_info

    store = store or Store()
    now = (now or now_utc()).replace(microsecond=0)
    schedule = Schedule(store)
    schedule.import_selfchecks()
    if exam_dir is not None:
        schedule.import_exam(exam_dir)
    schedule.save()
    due = schedule.due(now)[:limit]
    if not due:
        return None
    folder = Path(folder)
    if (folder / SESSION_FILE).exists():
        raise FileExistsError(f"{folder} already holds a session; grade it or choose another folder")
    seed = random.SystemRandom().randrange(10**9)
    slots = review_slots(due, random.Random(f"review:{seed}"), store.seeds_seen())
    info = SessionInfo("review", f"Review for {now.date().isoformat()} ({len(slots)} due)", now.isoformat(),
                       None, slots, seed)
    write_info(folder, info)
    write_notebook(folder / REVIEW_NOTEBOOK, info,
                   "These are the items your spaced-review schedule (FSRS) says are due today, each as a "
                   "fresh variant. Grading this notebook moves each card: a right answer pushes it further "
                   "out, a miss brings it back tomorrow.")
    return info
