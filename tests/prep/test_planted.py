"""Every item's planted accepted and rejected answers, through the candidate's path.

Each answer is saved by the notebook helper (``Session.save`` -> ``answers.jsonl``) and graded by
``grade_session`` (what ``mlcourse mock-grade`` runs): templates on 21 seeds each, fixed items once.
"""

from __future__ import annotations

import pytest

from mlcourse.prep import bank
from mlcourse.prep.grade_session import grade_session
from mlcourse.prep.grading import Status, grade, normalise_label, within_precision
from prep_fixtures import Clock, planted_session, store  # noqa: F401  (fixture)

TEMPLATE_SEEDS = list(range(100, 121))      # 21 seeds per template


@pytest.mark.parametrize("category", list(bank.Category), ids=lambda c: c.value)
def test_planted_answers_grade_as_planted(category, tmp_path, store):  # noqa: F811
    items = bank.load_category(category)
    seeds = {it.id: TEMPLATE_SEEDS if it.is_template else [0] for it in items}
    clock = Clock()
    planned = planted_session(tmp_path / "session", items, seeds, clock)
    report = grade_session(tmp_path / "session", now=clock(), store=store)
    assert len(report.rows) == len(planned)
    wrong = [(slot.item, slot.seed, repr(answer), row.status.value, row.feedback)
             for (slot, expected, answer), row in zip(planned, report.rows) if row.correct != expected]
    assert not wrong, f"{len(wrong)} planted answers graded wrongly, e.g. {wrong[:5]}"
    assert all(row.status is not Status.BLANK for row in report.rows)
    for item in items:
        n_accept = sum(1 for slot, expected, _ in planned if slot.item == item.id and expected)
        n_reject = sum(1 for slot, expected, _ in planned if slot.item == item.id and not expected)
        assert n_accept >= len(seeds[item.id]) and n_reject >= len(seeds[item.id]), item.id


@pytest.mark.parametrize("raw", ["b", " B ", "b.", "(b)", "B)"])
def test_label_spellings_normalise(raw):
    assert normalise_label(raw) == "b"


def test_numeric_bound_is_inclusive():
    assert within_precision(0.125, 0.12, 2)
    assert within_precision(0.115, 0.12, 2)
    assert not within_precision(0.1251, 0.12, 2)


def test_wrong_forms_are_told_apart_from_wrong_answers():
    single = bank.item("ml_theory.7")
    assert grade(single, 0, "z").status is Status.WRONG_FORM
    assert grade(single, 0, 3).status is Status.WRONG_FORM
    assert grade(single, 0, None).status is Status.BLANK
    numeric = bank.item("ml_theory.3")
    assert grade(numeric, 0, "about a half").status is Status.WRONG_FORM
    assert grade(numeric, 0, True).status is Status.WRONG_FORM
    code = bank.item("problem_setup.5")
    assert grade(code, 0, "def f1_score(:").status is Status.WRONG_FORM
    assert grade(code, 0, "def other(): pass").status is Status.WRONG_FORM


def test_a_runaway_function_is_stopped(monkeypatch):
    import mlcourse.prep.grading as grading

    monkeypatch.setattr(grading, "CODE_SECONDS", 0.3)
    result = grade(bank.item("problem_setup.5"), 0, "def f1_score(tp, fp, fn):\n    while True:\n        pass\n")
    assert result.status is Status.INCORRECT and "did not finish" in result.feedback
