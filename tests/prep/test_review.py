"""Spaced review: FSRS dates equal fsrs's own, outside misses imported once, review notebooks."""

from __future__ import annotations

import datetime as _dt
import json

import nbformat
from fsrs import Card, Rating, Scheduler

from mlcourse.cli import main
from mlcourse.prep import bank, mock, rules
from mlcourse.prep.grade_session import grade_session
from mlcourse.prep.review import REVIEW_NOTEBOOK, Schedule, build_review, card_id
from mlcourse.prep.session import Session
from mlcourse.prep.store import Store
from mlcourse.prep.variants import render
from prep_fixtures import T0, Clock, store  # noqa: F401  (fixture)

WEAK = bank.Category.ML_THEORY


def _fsrs_due(events: list[tuple[_dt.datetime, bool]]) -> _dt.datetime:
    """What fsrs itself schedules for a card with these (time, correct) events, starting at the first miss."""
    scheduler = Scheduler(desired_retention=0.9, learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    card = None
    for when, correct in events:
        if card is None:
            if correct:
                continue
            card = Card(card_id=1, due=when)
        card, _ = scheduler.review_card(card, Rating.Good if correct else Rating.Again, review_datetime=when)
    return card.due


def test_review_dates_equal_what_fsrs_computes(tmp_path, store):  # noqa: F811
    """A candidate who always misses ML theory: every card's due date is fsrs's for the same history."""
    clock = Clock()
    for k in range(5):
        folder = tmp_path / f"s{k}"
        mock.build_mock(folder, minutes=30, seed=40 + k, store=store, now=clock())
        session = Session(folder, clock=clock)
        for slot in session.info.slots:
            clock.advance(seconds=40)
            v = render(bank.item(slot.item), slot.seed)
            correct = slot.category != WEAK.value and k % 2 == 0
            session.save(slot.n, rules.planted(v, "accept" if correct else "reject")[0])
        grade_session(folder, now=clock.advance(minutes=1), store=store)
        clock.advance(days=2, hours=3)
    events: dict[str, list] = {}
    for a in store.attempts():
        events.setdefault(a.item, []).append((_dt.datetime.fromisoformat(a.when), a.correct))
    dates = Schedule(store).due_dates()
    missed = {item for item, ev in events.items() if not all(c for _, c in ev)}
    assert set(dates) == missed
    assert any(k.startswith("ml_theory.") for k in dates)
    for item, due in dates.items():
        assert due == _fsrs_due(events[item]), item


def test_hits_on_items_never_missed_schedule_nothing(store):  # noqa: F811
    schedule = Schedule(store)
    schedule.record("ml_theory.1", True, T0)
    assert schedule.due_dates() == {}
    schedule.record("ml_theory.1", False, T0)
    assert schedule.due_dates()["ml_theory.1"] == _fsrs_due([(T0, False)])
    assert schedule.card("ml_theory.1").card_id == card_id("ml_theory.1")


def test_selfcheck_misses_are_read_from_the_progress_file(tmp_path, store):  # noqa: F811
    progress = tmp_path / "progress.json"        # the format mlcourse.quiz writes
    progress.write_text(json.dumps({"roles.1": {"best": 0.0, "attempts": 2, "correct": False},
                                    "roles.2": {"best": 1.0, "attempts": 1, "correct": True}}))
    schedule = Schedule(store)
    assert schedule.import_selfchecks(progress) == 1
    assert schedule.import_selfchecks(progress) == 0           # the same state is not imported twice
    assert set(schedule.due_dates()) == {"selfcheck:roles.1"}
    first_due = schedule.due_dates()["selfcheck:roles.1"]
    progress.write_text(json.dumps({"roles.1": {"best": 1.0, "attempts": 3, "correct": True}}))
    schedule.import_selfchecks(progress)                       # later right: rated Good
    assert schedule.due_dates()["selfcheck:roles.1"] > first_due


def test_exam_misses_are_read_from_practice_history(tmp_path, store):  # noqa: F811
    folder = tmp_path / "interview_prep"
    (folder / ".practice").mkdir(parents=True)
    history = [{"when": "2026-03-01T10:00:00", "notebooks": [], "score": 1, "max_score": 3,
                "categories": {}, "items": {"setup_1_test": 1.0, "setup_2_test": 0.0, "setup_3_test": 1.0},
                "report": ""}]
    (folder / ".practice" / "history.json").write_text(json.dumps(history))
    schedule = Schedule(store)
    assert schedule.import_exam(folder) == 2                   # setup_2 (0 of 2) and setup_3 (1 of 3)
    assert schedule.import_exam(folder) == 0
    assert set(schedule.due_dates()) == {"exam:setup_2_test", "exam:setup_3_test"}


def test_review_notebook_has_fresh_variants_of_due_items_and_grading_moves_them(tmp_path, store):  # noqa: F811
    clock = Clock()
    mock.build_mock(tmp_path / "m", minutes=30, seed=12, store=store, now=clock())
    grade_session(tmp_path / "m", now=clock(), store=store)    # nothing answered: every item missed
    missed = set(Schedule(store).due_dates())
    assert build_review(tmp_path / "early", now=clock.advance(hours=1), store=store) is None
    info = build_review(tmp_path / "r", now=clock.advance(days=1, hours=1), store=store)
    assert {s.card for s in info.slots} == missed
    seen = store.seeds_seen()
    assert all(s.seed not in seen[s.item] for s in info.slots)
    nb = nbformat.read(tmp_path / "r" / REVIEW_NOTEBOOK, as_version=4)
    assert sum("s.save(" in c.source for c in nb.cells if c.cell_type == "code") == len(info.slots)
    before = Schedule(store).due_dates()
    session = Session(tmp_path / "r", clock=clock)
    for slot in info.slots:
        session.save(slot.n, rules.planted(render(bank.item(slot.item), slot.seed), "accept")[0])
    report = grade_session(tmp_path / "r", now=clock(), store=store)
    assert all(r.correct for r in report.rows)
    after = Schedule(store).due_dates()
    assert all(after[k] > before[k] for k in missed)


def test_review_cli_export_and_reset(tmp_path, store, capsys):  # noqa: F811
    assert main(["review", str(tmp_path / "r")]) == 0
    assert "Nothing is due" in capsys.readouterr().out
    s = Schedule(store)
    s.record("ml_theory.2", False, T0)
    s.save()
    assert main(["review", str(tmp_path / "r")]) == 0
    assert (tmp_path / "r" / REVIEW_NOTEBOOK).exists()
    assert main(["review", "--export", str(tmp_path / "export.json")]) == 0
    exported = json.loads((tmp_path / "export.json").read_text())
    assert "ml_theory.2" in exported["review"]["cards"]
    assert main(["review", "--reset"]) == 0
    assert Schedule(Store()).due_dates() == {}


def test_progress_off_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("MLCOURSE_PROGRESS", "off")
    monkeypatch.setenv("MLCOURSE_PREP_DIR", str(tmp_path / "never"))
    clock = Clock()
    mock.build_mock(tmp_path / "m", seed=1, now=clock())
    grade_session(tmp_path / "m", now=clock())
    assert Store().attempts() == [] and Schedule().due_dates() == {}
    assert not (tmp_path / "never").exists()


def test_selfcheck_cards_come_back_as_the_lecture_question(tmp_path, store):  # noqa: F811
    from mlcourse.quiz import question

    progress = tmp_path / "progress.json"
    progress.write_text(json.dumps({"roles.1": {"best": 0.0, "attempts": 1, "correct": False}}))
    info = build_review(tmp_path / "r", now=_dt.datetime.now(_dt.timezone.utc) + _dt.timedelta(days=2),
                        store=store)
    assert [(s.kind, s.item, s.card) for s in info.slots] == [("selfcheck", "roles.1", "selfcheck:roles.1")]
    nb = nbformat.read(tmp_path / "r" / REVIEW_NOTEBOOK, as_version=4)
    assert any("roles.1" in c.source for c in nb.cells if c.cell_type == "markdown")
    before = Schedule(store).due_dates()["selfcheck:roles.1"]
    Session(tmp_path / "r").save(1, question("roles.1").answer)
    report = grade_session(tmp_path / "r", store=store)
    assert report.rows[0].correct
    assert Schedule(store).due_dates()["selfcheck:roles.1"] > before


def test_exam_cards_come_back_as_a_same_category_item(tmp_path, store):  # noqa: F811
    folder = tmp_path / "interview_prep"
    (folder / ".practice").mkdir(parents=True)
    (folder / ".practice" / "history.json").write_text(json.dumps(
        [{"when": "2026-03-01T10:00:00", "items": {"setup_2_test": 0.0}}]))
    info = build_review(tmp_path / "r", now=T0 + _dt.timedelta(days=3), store=store, exam_dir=folder)
    assert [(s.card, s.category) for s in info.slots] == [("exam:setup_2_test", "problem_setup")]
    nb = nbformat.read(tmp_path / "r" / REVIEW_NOTEBOOK, as_version=4)
    assert any("F1 score from confusion counts" in c.source for c in nb.cells)
