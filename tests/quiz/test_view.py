"""What a notebook calls: question(id) and its methods, planted answers, retired ids, the API."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import mlcourse
from mlcourse import quiz
from mlcourse.quiz import bank

from .helpers import GOOD, write

BANK = quiz.all_questions()
GRADED = [q for q in BANK if q.kind != "text"]


def _forms(q: quiz.Question, answer):
    """The answer as planted in the data, plus the container forms a learner may type."""
    yield answer
    if q.kind in ("multiple", "ordering") and isinstance(answer, list):
        yield tuple(answer)
        yield np.array(answer)
        if q.kind == "multiple":
            yield set(answer)
    if q.kind == "numeric" and not isinstance(answer, str):
        yield np.float64(answer)
        yield str(answer)


def test_every_autogradable_question_plants_accepted_and_rejected_answers():
    """A question without planted answers fails here (and the bank refuses to load it)."""
    for q in BANK:
        if q.kind == "text":
            assert q.data["checklist"] and "accept" not in q.data, q.id
        else:
            assert q.data.get("accept") and q.data.get("reject"), q.id
            assert q.data["accept"][0] == q.answer, q.id


@pytest.mark.parametrize("q", GRADED, ids=lambda q: q.id)
def test_planted_answers_grade_as_planted(q):
    """Through the learner's path: every accepted form is correct, every common mistake is not."""
    for planted in q.data["accept"]:
        for form in _forms(q, planted):
            outcome = quiz.question(q.id).check(form)
            assert outcome.correct, (q.id, form, str(outcome))
    for planted in q.data["reject"]:
        for form in _forms(q, planted):
            outcome = quiz.question(q.id).check(form)
            assert outcome.status == quiz.INCORRECT, (q.id, form, str(outcome))
            assert not outcome.correct and outcome.score < 1.0


def test_a_question_without_planted_answers_is_refused(tmp_path):
    from mlcourse.content import ContentError

    with pytest.raises(ContentError, match="accept"):
        quiz.load_question_file(write(tmp_path, GOOD.replace("    accept: [b]\n", "")))


def test_hints_go_from_gentle_to_direct_then_repeat(tmp_path):
    (single,) = quiz.load_question_file(write(tmp_path, GOOD))
    assert "gentle" in single.hint()
    second = single.hint()
    assert "direct" in second and "last hint" in second
    assert "direct" in single.hint()
    assert "b is right" in single.solution() and "Source: nowhere" in single.solution()


def test_question_objects_have_their_own_hint_counter():
    a, b = quiz.question("roles.7"), quiz.question("roles.7")
    a.hint()
    assert "Hint 1/" in b.hint()


def test_unknown_question_id_lists_neighbours():
    with pytest.raises(KeyError, match="roles.1"):
        quiz.question("roles.999")


@pytest.mark.parametrize("qid", sorted(bank.retired()))
def test_a_retired_id_still_runs_in_an_old_notebook(qid):
    q = quiz.question(qid)
    assert isinstance(q, quiz.RetiredQuestion)
    assert "retired" in q.show() and "retired" in q.hint() and "retired" in q.solution()
    outcome = q.check(quiz.____)
    assert outcome.status == quiz.RETIRED and not outcome.correct and "retired" in str(outcome)
    assert "mlcourse-retired" in outcome._repr_html_()
    assert "retired" in q.widget()


def test_numeric_prompt_and_form_state_the_precision():
    q = quiz.question("hiring.8")
    assert "to one decimal place" in q.show() and "to one decimal place" in q.format_answer()
    assert "to one decimal place" in q.expected_form()


def test_public_api_for_notebooks():
    from mlcourse.quiz import ____, progress, question

    assert repr(____) == "____" and callable(progress) and callable(question)
    assert quiz.progress is progress and not isinstance(progress, type(quiz))


def test_markdown_table_aligns_escapes_and_rejects_ragged_rows():
    from mlcourse.display import markdown_table

    table = markdown_table([("a|b", 3), ("two\nlines", 10)], ["name", "n"], align=["left", "right"])
    assert table.splitlines() == ["| name | n |", "| --- | ---: |", "| a\\|b | 3 |", "| two lines | 10 |"]
    with pytest.raises(ValueError, match="row"):
        markdown_table([(1, 2, 3)], ["a", "b"])
    with pytest.raises(ValueError, match="align"):
        markdown_table([], ["a"], align=["middle"])


# --------------------------------------------------------------------------- package layout

PACKAGE = Path(mlcourse.__file__).parent / "quiz"


def _imports(path: Path) -> set[str]:
    """mlcourse.quiz.* modules that ``path`` imports anywhere (function bodies included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found |= {n for n in names if n.startswith("mlcourse.quiz.") and
                  (PACKAGE / f"{n.removeprefix('mlcourse.quiz.')}.py").exists()}
    return found


def test_no_import_cycle_inside_the_quiz_package():
    graph = {f"mlcourse.quiz.{p.stem}": _imports(p) for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert set(graph) == {f"mlcourse.quiz.{m}" for m in ("engine", "bank", "progress", "view", "widget")}

    def reach(start: str, seen: set[str]) -> set[str]:
        for nxt in graph[start] - seen:
            seen.add(nxt)
            reach(nxt, seen)
        return seen

    for module in graph:
        assert module not in reach(module, set()), f"{module} imports itself through {graph[module]}"
    assert graph["mlcourse.quiz.engine"] == set()          # pure grading depends on nothing here
    assert "mlcourse.quiz.view" not in graph["mlcourse.quiz.widget"]


def test_modules_stay_small():
    for path in [*PACKAGE.glob("*.py"), PACKAGE.parent / "scoring.py"]:
        assert len(path.read_text(encoding="utf-8").splitlines()) < 400, path.name
