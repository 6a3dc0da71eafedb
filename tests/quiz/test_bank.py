"""The question bank: file validation (schema and semantic checks) and every question's basics.

Every question in the bank: right answer passes, wrong fails with a reason, placeholder is
'not attempted', a wrong type gets a clear message. Planted accept/reject answers: test_view.py.
"""

from __future__ import annotations

import itertools

import pytest

from mlcourse import quiz
from mlcourse.content import ContentError
from mlcourse.quiz import ____, bank

from .helpers import GOOD, write, wrong_answer, wrong_type

BANK = quiz.all_questions()
IDS = [q.id for q in BANK]


def test_good_file_loads(tmp_path):
    (q,) = quiz.load_question_file(write(tmp_path, GOOD))
    assert q.id == "demo.1" and q.kind == "single"


@pytest.mark.parametrize(
    "change, message",
    [
        (("answer: b", "answer: z"), "answer 'z' is not one of the choices"),
        (("kind: single", "kind: essay"), "'essay' is not one of"),
        (("    hints: [gentle, direct]\n", ""), "'hints' is a required property"),
        (("id: demo.1", "id: other.1"), "must start with the lecture key"),
        (("why_wrong: {a:", "why_wrong: {b:"), "explains the right answer"),
        (("choices: {a: first, b: [second", "choices: {a: first, b: [second"), "not valid YAML"),
        (("    accept: [b]\n", ""), "'accept' is a required property"),
        (("    reject: [a]\n", ""), "'reject' is a required property"),
        (("accept: [b]", "accept: [a, b]"), "the key itself must be the first form listed"),
        (("reject: [a]", "reject: [a, b]"), "'reject' lists the key itself"),
    ],
)
def test_broken_file_fails_with_file_id_and_reason(tmp_path, change, message):
    body = GOOD.replace("choices: {a: first, b: second}", "choices: {a: first, b: [second") \
        if "YAML" in message else GOOD.replace(*change)
    path = write(tmp_path, body)
    with pytest.raises(ContentError) as err:
        quiz.load_question_file(path)
    text = str(err.value)
    assert str(path) in text
    assert message in text
    if "YAML" not in message and "required" not in message:
        assert "demo.1" in text or "other.1" in text


NUMERIC = """\
lecture: demo
title: Demo
questions:
  - id: demo.1
    section: One
    kind: numeric
    prompt: How old, to one decimal place?
    answer: 3.6
    precision: {places: 1}
    accept: [3.6, 3.58]
    reject: [3.5]
    hints: [months]
    explanation: 43 months.
    source: nowhere
"""


@pytest.mark.parametrize(
    "change, message",
    [
        (("answer: 3.6", "answer: 3.58"), "is not written to one decimal place"),
        (("How old, to one decimal place?", "How old?"), "the prompt must state the precision"),
        (("    precision: {places: 1}\n", ""), "'precision' is a required property"),
        (("precision: {places: 1}", "precision: {places: 1}\n    tolerance: 0.05"), "tolerance"),
    ],
)
def test_numeric_questions_state_their_precision(tmp_path, change, message):
    quiz.load_question_file(write(tmp_path, NUMERIC))        # the unchanged file is fine
    with pytest.raises(ContentError, match=message):
        quiz.load_question_file(write(tmp_path, NUMERIC.replace(*change)))


def test_text_questions_take_a_checklist_instead_of_planted_answers(tmp_path):
    text = GOOD.replace("kind: single", "kind: text").replace("    choices: {a: first, b: second}\n", "") \
        .replace('    why_wrong: {a: "a is the decoy."}\n', "").replace("answer: b", "answer: A model answer.")
    with pytest.raises(ContentError, match="checklist"):
        quiz.load_question_file(write(tmp_path, text))
    with pytest.raises(ContentError, match="accept"):
        quiz.load_question_file(write(tmp_path, text.replace("    accept: [b]\n", "    checklist: [one]\n")))
    ok = text.replace("    accept: [b]\n    reject: [a]\n", "    checklist: [one]\n")
    (q,) = quiz.load_question_file(write(tmp_path, ok))
    assert q.kind == "text"


def test_retired_ids_are_never_reused(tmp_path):
    reused = GOOD + "retired:\n  - {id: demo.1, reason: gone}\n"
    with pytest.raises(ContentError, match="ids are never reused"):
        quiz.load_question_file(write(tmp_path, reused))
    foreign = GOOD + "retired:\n  - {id: other.2, reason: gone}\n"
    with pytest.raises(ContentError, match="must start with the lecture key"):
        quiz.load_question_file(write(tmp_path, foreign))
    loaded = bank.read_question_file(write(tmp_path, GOOD + "retired:\n  - {id: demo.2, reason: gone}\n"))
    assert loaded.retired == {"demo.2": "gone"} and [e.id for e in loaded.entries] == ["demo.1"]


def test_schema_error_names_the_question(tmp_path):
    path = write(tmp_path, GOOD.replace("    explanation: b is right.\n", ""))
    with pytest.raises(ContentError, match=r"item 'demo.1' at questions/0"):
        quiz.load_question_file(path)


def test_a_file_that_passed_is_not_checked_again_until_it_changes(tmp_path, monkeypatch):
    """Remembered by hash of file, schema and jsonschema version; a change or a bad file is checked in full."""
    from mlcourse import content

    monkeypatch.setenv("MLCOURSE_CACHE", str(tmp_path / "cache"))
    calls = []
    real = content.validate
    monkeypatch.setattr(content, "validate", lambda *a: (calls.append(a[2]), real(*a))[1])
    path = write(tmp_path, GOOD)
    quiz.load_question_file(path)
    quiz.load_question_file(path)
    assert calls == [str(path)] and len(list((tmp_path / "cache" / "content-passed").iterdir())) == 1
    path.write_text(GOOD.replace("Pick b.", "Pick b, please."))  # any change: checked again
    quiz.load_question_file(path)
    assert len(calls) == 2
    path.write_text(GOOD.replace("    explanation: b is right.\n", ""))
    for _ in range(2):  # a failing file is never remembered
        with pytest.raises(ContentError, match="explanation"):
            quiz.load_question_file(path)
    assert len(calls) == 4
    monkeypatch.setenv("MLCOURSE_CACHE", "off")
    path.write_text(GOOD)
    quiz.load_question_file(path)
    quiz.load_question_file(path)
    assert len(calls) == 6


def test_unreadable_bytes_name_the_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"lecture: d\xe9mo\n")
    with pytest.raises(ContentError, match="not UTF-8"):
        quiz.load_question_file(path)


# --------------------------------------------------------------------------- the whole bank


def test_bank_is_not_empty_and_ids_unique():
    assert len(BANK) >= 10
    assert len(IDS) == len(set(IDS))


def test_bank_holds_93_questions_counting_the_retired():
    """93 self-checks were written; retired ones keep their ids and are listed with a reason."""
    retired = bank.retired()
    assert len(BANK) + len(retired) == 93
    assert set(retired) == {"hiring.9", "orgs.9"} and all(reason.strip() for reason in retired.values())
    assert not set(retired) & set(IDS)


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


def test_widget_rule_questions_are_one_per_widget_and_say_so():
    """Questions on the course's own tools (not the sources) are kept to one per widget."""
    own_tool = [q for q in BANK if "course's" in q.data["prompt"] and "not a source" in q.data["prompt"]]
    assert sorted(q.id for q in own_tool) == ["hiring.13", "hiring.8", "orgs.8"]
