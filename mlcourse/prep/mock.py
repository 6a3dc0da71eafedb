"""Build a timed mock interview: rounds like a real loop, weighted towards weak categories.

Rounds (after the newsletter's loop for applied ML scientists, lecture 02 §7): warm-up (easy
items), coding (write a function), breadth (choice and short-answer items), depth (hard and
computational items), debugging, and a teams-and-projects round. Each category's weight is
``1 - readiness + 0.1`` (readiness from :mod:`mlcourse.prep.readiness`), so a candidate who keeps
missing one category meets more of it; categories with no history weigh as readiness 0.5. Every
item gets a seed the candidate has not met before, so variants are fresh.
"""

from __future__ import annotations

import datetime as _dt
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from mlcourse.prep import bank
from mlcourse.prep.bank import Category, Difficulty, Item, Kind
from mlcourse.prep.notebook import write_notebook
from mlcourse.prep.readiness import readiness
from mlcourse.prep.session import SESSION_FILE, SessionInfo, Slot, write_info
from mlcourse.prep.store import Store, now_utc

NOTEBOOK = "mock_interview.ipynb"
BASE_MINUTES = 30
#: Minutes budgeted per item, by difficulty (code items add CODE_EXTRA).
MINUTES = {Difficulty.EASY: 1.5, Difficulty.MEDIUM: 2.5, Difficulty.HARD: 3.5}
CODE_EXTRA = 4.0


@dataclass(frozen=True)
class Round:
    """One round of the loop: how many items in a 30-minute session, and which items fit."""

    name: str
    base_count: int
    fits: Callable[[Item], bool]
    category: Category | None = None


ROUNDS = (
    Round("warm-up", 2, lambda it: it.difficulty is Difficulty.EASY and it.kind is not Kind.CODE),
    Round("coding", 1, lambda it: it.kind is Kind.CODE),
    Round("breadth", 3, lambda it: it.kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.MATCH, Kind.TEXT)),
    Round("depth", 2, lambda it: it.kind is not Kind.CODE and (it.difficulty is Difficulty.HARD
                                                               or it.kind in (Kind.NUMERIC, Kind.ORDERING))),
    Round("debugging", 2, lambda it: it.kind is not Kind.CODE, Category.ML_DEBUGGING),
    Round("teams and projects", 2, lambda it: True, Category.TEAMS_AND_PROJECTS),
)


class MockError(RuntimeError):
    """A problem the candidate can fix (folder already holds a session); printed plainly."""


def category_weights(store: Store) -> dict[Category, float]:
    """Sampling weight per category: weaker categories (lower readiness) weigh more."""
    est = readiness(store.attempts())
    return {c: 1.0 - est[c.value].mean + 0.1 for c in Category}


def fresh_seed(rng: random.Random, seen: set[int]) -> int:
    """A seed the candidate has not had for this item."""
    while True:
        seed = rng.randrange(1, 10**6)
        if seed not in seen:
            return seed


def plan(minutes: int, rng: random.Random, weights: dict[Category, float],
         seen: dict[str, set[int]] | None = None) -> list[Slot]:
    """Choose the session's slots, round by round."""
    seen = seen or {}
    scale = max(minutes, 5) / BASE_MINUTES
    chosen: set[str] = set()
    slots: list[Slot] = []
    pool = bank.items()
    for rnd in ROUNDS:
        for _ in range(max(1, round(rnd.base_count * scale))):
            fits = [it for it in pool if it.id not in chosen and rnd.fits(it)
                    and (rnd.category is None or it.category is rnd.category)]
            if not fits:
                break
            if rnd.category is None:
                cats = sorted({it.category for it in fits}, key=lambda c: c.value)
                cat = rng.choices(cats, weights=[weights[c] for c in cats])[0]
                fits = [it for it in fits if it.category is cat]
            item = rng.choice(fits)
            chosen.add(item.id)
            slots.append(Slot(len(slots) + 1, item.id, fresh_seed(rng, seen.get(item.id, set())), rnd.name,
                              item.category.value, item.difficulty.value, card=item.id))
    return slots


def budget(slots: list[Slot]) -> float:
    """Minutes the slots are budgeted (for the deadline when none is given)."""
    total = 0.0
    for s in slots:
        item = bank.item(s.item)
        total += MINUTES[item.difficulty] + (CODE_EXTRA if item.kind is Kind.CODE else 0.0)
    return total


def build_mock(folder: Path, minutes: int = BASE_MINUTES, seed: int | None = None,
               store: Store | None = None, now: _dt.datetime | None = None) -> SessionInfo:
    """Write a timed mock session (``session.json`` and the notebook) into ``folder``."""
    folder = Path(folder)
    if (folder / SESSION_FILE).exists():
        raise MockError(f"{folder} already holds a session; grade it or choose another folder")
    store = store or Store()
    now = (now or now_utc()).replace(microsecond=0)
    seed = seed if seed is not None else random.SystemRandom().randrange(10**9)
    rng = random.Random(f"mock:{seed}")
    slots = plan(minutes, rng, category_weights(store), store.seeds_seen())
    deadline = now + _dt.timedelta(minutes=minutes)
    info = SessionInfo("mock", f"Mock interview ({minutes} min, {len(slots)} questions)", now.isoformat(),
                       deadline.isoformat(), slots, seed)
    write_info(folder, info)
    rounds = " → ".join(dict.fromkeys(s.round for s in slots))
    write_notebook(folder / NOTEBOOK, info,
                   f"Rounds: {rounds}. Budget about {budget(slots):.0f} minutes of work for {minutes} minutes "
                   f"on the clock. Seed {seed} (`--seed {seed}` rebuilds this session).")
    return info
