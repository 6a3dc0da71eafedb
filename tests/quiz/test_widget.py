"""The clickable front: it grades like the text front, with declared attributes."""

from __future__ import annotations

import pytest

from mlcourse import quiz
from mlcourse.quiz.widget import QuestionWidget

BANK = quiz.all_questions()
IDS = [q.id for q in BANK]


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


def test_widget_is_a_class_with_hint_and_solution_buttons():
    box = quiz.question("hiring.8").widget()
    assert isinstance(box, QuestionWidget) and "mlcourse-quiz-hiring-8" in box._dom_classes
    box.control.value = "3.6"                      # typed text, read with the shared number rule
    box.check()
    assert "mlcourse-correct" in box.feedback.value
    box.show_hint()
    assert "Hint 1/" in box.feedback.value
    box.show_solution()
    assert "Solution:" in box.feedback.value and "to one decimal place" in box.feedback.value


def test_widget_blank_is_not_attempted():
    box = quiz.question("roles.1").widget()
    assert box.read_answer() is None
    box.check()
    assert "mlcourse-not-attempted" in box.feedback.value
