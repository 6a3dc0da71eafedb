"""Every question in the bank: right answer passes, wrong fails with a reason, placeholder is
'not attempted', a wrong type gets a clear message; the widget front grades the same way."""

from __future__ import annotations

import itertools

import pytest

from mlcourse import quiz
from mlcourse.quiz import ____

BANK = quiz.all_questions()
IDS = [q.id for q in BANK]


def wrong_answer(q: quiz.Question):
    """A well-formed but wrong answer for any kind of question."""
    labels = list(q.choices)
    if q.kind == "single":
        return next(label for label in labels if label != q.answer)
    if q.kind == "multiple":
        others = [label for label in labels if label not in q.answer]
        return others[:1] if others else list(q.answer)[:-1]
    if q.kind == "ordering":
        return list(reversed(q.answer))
    if q.kind == "match":
        first = next(iter(q.items))
        other = next(label for label in labels if label != q.answer[first])
        return {**q.answer, first: other}
    if q.kind == "numeric":
        return float(q.answer) + 10 * float(q.data["tolerance"]) + 1
    return None


def wrong_type(q: quiz.Question):
    return {"single": ["x", "y"], "multiple": 3.5, "ordering": {"a": 1}, "match": ["a"],
            "numeric": "not a number", "text": 42}[q.kind]


def test_bank_is_not_empty_and_ids_unique():
    assert len(BANK) >= 10
    assert len(IDS) == len(set(IDS))


@pytest.mark.parametrize("q", BANK, ids=IDS)
def test_right_answer_passes(q):
    outcome = q.grade(q.answer)
    if q.kind == "text":
        assert outcome.status == quiz.REVIEW and q.answer in outcome.message
    else:
        assert outcome.correct, outcome
        assert outcome.score == 1.0


@pytest.mark.parametrize("q", [q for q in BANK if q.kind != "text"], ids=lambda q: q.id)
def test_wrong_answer_fails_with_reason(q):
    outcome = q.grade(wrong_answer(q))
    assert outcome.status == quiz.INCORRECT, outcome
    assert outcome.score < 1.0
    assert outcome.message.strip()


@pytest.mark.parametrize("q", BANK, ids=IDS)
def test_placeholder_is_not_attempted(q):
    outcome = q.grade(____)
    assert outcome.status == quiz.NOT_ATTEMPTED
    assert "____" in outcome.message or "write" in outcome.message


@pytest.mark.parametrize("q", BANK, ids=IDS)
def test_wrong_type_gets_a_clear_message(q):
    outcome = q.grade(wrong_type(q))
    assert outcome.status == quiz.WRONG_TYPE, outcome
    assert "Traceback" not in str(outcome)
    assert any("Expected:" in d for d in outcome.details)


@pytest.mark.parametrize("q", BANK, ids=IDS)
def test_every_question_has_help(q):
    assert q.data["hints"] and q.data["explanation"].strip() and q.data["source"].strip()
    assert q.format_answer() in q.solution()
    assert q.show().startswith(f"**{q.id}**")


@pytest.mark.parametrize("q", BANK, ids=IDS)
def test_widget_front_grades_like_the_text_front(q):
    box = q.widget()
    if q.kind == "single":
        box.control.value = q.answer
    elif q.kind == "multiple":
        for label, checkbox in zip(q.choices, box.control.children):
            checkbox.value = label in q.answer
    elif q.kind == "match":
        for item, dropdown in zip(q.items, box.control.children):
            dropdown.value = q.answer[item]
    elif q.kind == "ordering":
        for label, dropdown in zip(q.answer, box.control.children):
            dropdown.value = label
    else:
        box.control.value = str(q.answer)
    assert q.grade(box.read_answer()).status == q.grade(q.answer).status
    box.check()
    assert ("mlcourse-correct" in box.feedback.value) or ("mlcourse-self-review" in box.feedback.value)


def test_every_lecture_has_questions_in_several_sections():
    for lecture, count in quiz.lectures().items():
        sections = {q.data["section"] for q in quiz.lecture(lecture)}
        assert count >= 3 and len(sections) >= 2, lecture


def test_kinds_cover_the_engine():
    assert {q.kind for q in BANK} >= {"single", "multiple", "match", "numeric", "ordering", "text"}


def test_answer_positions_vary():
    """Keys of single-choice questions are not all the same letter (a test-wise learner's trick)."""
    singles = [q.answer for q in BANK if q.kind == "single"]
    assert len({k for k, _ in itertools.groupby(sorted(singles))}) > 1
