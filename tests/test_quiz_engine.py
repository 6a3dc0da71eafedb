"""The self-check engine: outcomes, answer forms, hints, progress and file validation."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mlcourse import quiz
from mlcourse.content import ContentError
from mlcourse.quiz import ____


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent(body))
    return path


GOOD = """\
lecture: demo
title: Demo
questions:
  - id: demo.1
    section: One
    kind: single
    prompt: Pick b.
    choices: {a: first, b: second}
    answer: b
    why_wrong: {a: "a is the decoy."}
    hints: [gentle, direct]
    explanation: b is right.
    source: nowhere
"""


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
        (("choices: {a: first, b: second}", "choices: {a: first, b: [second"), "not valid YAML"),
    ],
)
def test_broken_file_fails_with_file_id_and_reason(tmp_path, change, message):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ContentError) as err:
        quiz.load_question_file(path)
    text = str(err.value)
    assert str(path) in text
    assert message in text
    if "YAML" not in message and "required" not in message:
        assert "demo.1" in text or "other.1" in text


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


@pytest.fixture
def single(tmp_path):
    return quiz.load_question_file(write(tmp_path, GOOD))[0]


def test_single_outcomes(single):
    assert single.check("b").status == quiz.CORRECT
    assert single.check(" B ").status == quiz.CORRECT          # case and spaces forgiven
    assert single.check("second").status == quiz.CORRECT       # the choice's text works too
    wrong = single.check("a")
    assert wrong.status == quiz.INCORRECT and "decoy" in wrong.message
    assert single.check(____).status == quiz.NOT_ATTEMPTED
    bad = single.check(["b"])
    assert bad.status == quiz.WRONG_TYPE and "exactly one answer" in bad.message
    unknown = single.check("q")
    assert unknown.status == quiz.WRONG_TYPE and "'a', 'b'" in unknown.message


def test_hints_go_from_gentle_to_direct_then_repeat(single):
    assert "gentle" in single.hint()
    second = single.hint()
    assert "direct" in second and "last hint" in second
    assert "direct" in single.hint()
    assert "b is right" in single.solution() and "Source: nowhere" in single.solution()


def test_question_objects_have_their_own_hint_counter():
    a, b = quiz.question("roles.7"), quiz.question("roles.7")
    a.hint()
    assert "Hint 1/" in b.hint()


def test_multiple_partial_credit_rule():
    q = quiz.question("roles.6")                         # key: a, b, c, e
    assert q.grade(["a", "b", "c", "e"]).score == 1.0
    assert q.grade({"a", "b"}).score == pytest.approx(0.5)        # 2 right of 4
    assert q.grade("a, b, d").score == pytest.approx(0.25)        # (2 - 1) / 4
    assert q.grade(["d"]).score == 0.0                            # floored at zero
    assert q.grade(("e", "c", "b", "a")).correct                  # order does not matter


def test_match_and_ordering_score_fractions():
    m = quiz.question("roles.1")
    key = dict(m.answer)
    key["report"] = "mle"
    assert m.grade(key).score == pytest.approx(0.8)
    o = quiz.question("roles.9")
    assert o.grade(["b", "a", "c"]).score == pytest.approx(1 / 3)
    assert o.grade(["b", "c"]).status == quiz.WRONG_TYPE


def test_numeric_tolerance_and_forms():
    q = quiz.question("roles.7")
    assert q.grade(12).correct and q.grade(12.005).correct and q.grade("12").correct
    assert "too high" in q.grade(13).message
    assert q.grade(True).status == quiz.WRONG_TYPE
    assert q.grade(float("nan")).status == quiz.WRONG_TYPE


def test_text_question_shows_model_answer_and_checklist():
    q = quiz.question("roles.10")
    out = q.grade("One team, because the boundary is thin.")
    assert out.status == quiz.REVIEW and out.details
    assert q.grade("   ").status == quiz.NOT_ATTEMPTED
    assert q.grade(42).status == quiz.WRONG_TYPE


def test_outcome_renders_as_html():
    html = quiz.question("roles.3").grade("a")._repr_html_()
    assert "mlcourse-incorrect" in html and "<" not in quiz.question("roles.3").data["id"]


def test_progress_records_best_outcome(tmp_path):
    quiz.question("roles.7").check(11)
    quiz.question("roles.7").check(12)
    quiz.question("roles.7").check(11)
    rows = {p.lecture: p for p in quiz.progress()}
    assert rows["roles"].done == 1
    assert rows["roles"].total == len(quiz.lecture("roles"))


def test_progress_can_be_switched_off(monkeypatch, tmp_path):
    monkeypatch.setenv("MLCOURSE_PROGRESS", "off")
    assert quiz.progress_path() is None
    quiz.question("roles.7").check(12)          # must not fail or write anywhere
    assert all(p.done == 0 for p in quiz.progress())


def test_unwritable_progress_is_ignored(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("MLCOURSE_PROGRESS", str(blocker / "sub" / "progress.json"))
    assert quiz.question("roles.7").check(12).correct


def test_unknown_question_id_lists_neighbours():
    with pytest.raises(KeyError, match="roles.1"):
        quiz.question("roles.999")


def test_cli_progress(capsys):
    from mlcourse.cli import main

    assert main(["progress"]) == 0
    assert "roles" in capsys.readouterr().out


def test_markdown_table_aligns_escapes_and_rejects_ragged_rows():
    from mlcourse.display import markdown_table

    table = markdown_table([("a|b", 3), ("two\nlines", 10)], ["name", "n"], align=["left", "right"])
    assert table.splitlines() == ["| name | n |", "| --- | ---: |", "| a\\|b | 3 |", "| two lines | 10 |"]
    with pytest.raises(ValueError, match="row"):
        markdown_table([(1, 2, 3)], ["a", "b"])
    with pytest.raises(ValueError, match="align"):
        markdown_table([], ["a"], align=["middle"])
