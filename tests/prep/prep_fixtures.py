"""Shared helpers for the practice-tool tests: a private data folder, a fake clock, planting."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import pytest

from mlcourse.prep import bank, rules
from mlcourse.prep.session import Session, SessionInfo, Slot, write_info
from mlcourse.prep.store import Store
from mlcourse.prep.variants import render

REPO = Path(__file__).resolve().parents[2]
T0 = _dt.datetime(2026, 3, 2, 9, 0, tzinfo=_dt.timezone.utc)


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    """Practice data in a private folder (also what ``Store()`` finds through the environment)."""
    folder = tmp_path / "prepdata"
    monkeypatch.setenv("MLCOURSE_PREP_DIR", str(folder))
    monkeypatch.setenv("MLCOURSE_PROGRESS", str(tmp_path / "progress.json"))
    return Store(folder)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: _dt.datetime = T0) -> None:
        self.now = start

    def __call__(self) -> _dt.datetime:
        return self.now

    def advance(self, **kw: float) -> _dt.datetime:
        self.now += _dt.timedelta(**kw)
        return self.now


def slot_for(item: bank.Item, seed: int, n: int, round_name: str = "test") -> Slot:
    """A session slot asking ``item`` with ``seed``."""
    return Slot(n, item.id, seed, round_name, item.category.value, item.difficulty.value, card=item.id)


def planted_session(folder: Path, items: list[bank.Item], seeds: dict[str, list[int]], clock: Clock,
                    minutes: int = 600) -> list[tuple[Slot, bool, object]]:
    """A session with one slot per (item, seed, planted answer), every answer saved through the
    notebook helper; returns (slot, expected correct, answer) per slot."""
    planned: list[tuple[Slot, bool, object]] = []
    for item in items:
        for seed in seeds[item.id]:
            v = render(item, seed)
            for which, expected in (("accept", True), ("reject", False)):
                for answer in rules.planted(v, which):
                    planned.append((slot_for(item, seed, len(planned) + 1), expected, answer))
    info = SessionInfo("mock", "planted answers", clock().isoformat(),
                       (clock() + _dt.timedelta(minutes=minutes)).isoformat(), [p[0] for p in planned])
    write_info(folder, info)
    session = Session(folder, clock=clock)
    for slot, _, answer in planned:
        clock.advance(seconds=1)
        session.save(slot.n, answer)
    return planned
