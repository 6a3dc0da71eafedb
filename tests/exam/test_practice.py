"""Practice mode without a grading run: file checks, clear errors, reports and history (fast).

The end-to-end practice tests (start, grade == autograde) are in test_exam_pipeline.py.
"""

import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from mlcourse.cli import main
from mlcourse.exam import practice

SOURCE = Path(__file__).resolve().parents[2] / "exam" / "source" / "interview_prep"


def _item(id_, category, score, max_score, manual=False):
    return practice.ItemResult(id=id_, notebook="nb", category=category, title=f"title {id_}", kind="code",
                               score=score, max_score=max_score, manual=manual, explanation=f"why {id_}",
                               revisit=f"section {id_}")


def test_not_a_notebook_is_refused(tmp_path, capsys):
    path = tmp_path / "answers.txt"
    path.write_text("b")
    assert main(["practice", "grade", str(path)]) == 1
    assert "is not a notebook" in capsys.readouterr().err


def test_unparseable_notebook_is_refused(tmp_path, capsys):
    path = tmp_path / "01_problem_setup.ipynb"
    path.write_text("{ this is not json")
    assert main(["practice", "grade", str(path)]) == 1
    assert "cannot be read as a notebook" in capsys.readouterr().err


def test_notebook_of_another_assignment_is_refused(tmp_path, capsys):
    nb = new_notebook(cells=[new_code_cell("x = 1")])
    nb.cells[0].metadata["nbgrader"] = {"grade": True, "grade_id": "ps1_q1", "locked": True, "points": 1,
                                        "schema_version": 3, "solution": False, "task": False}
    path = tmp_path / "homework.ipynb"
    nbformat.write(nb, path)
    assert main(["practice", "grade", str(path)]) == 1
    assert "is not a notebook of the interview_prep exam" in capsys.readouterr().err


def test_missing_target_and_empty_folder_are_refused(tmp_path, capsys):
    assert main(["practice", "grade", str(tmp_path / "nope.ipynb")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["practice", "grade", str(tmp_path)]) == 1
    assert "holds none of the exam notebooks" in capsys.readouterr().err


def test_collect_files_finds_exam_notebooks_even_renamed(tmp_path):
    shutil.copy(SOURCE / "04_ml_theory.ipynb", tmp_path / "04_ml_theory.ipynb")
    (tmp_path / "notes.ipynb").write_text("not read: its name is not an exam notebook")
    folder, files = practice.collect_files(tmp_path)
    assert folder == tmp_path and list(files) == ["04_ml_theory"]
    renamed = tmp_path / "my copy of theory.ipynb"
    shutil.copy(SOURCE / "04_ml_theory.ipynb", renamed)
    assert practice.collect_files(renamed)[1] == {"04_ml_theory": renamed}


def test_start_refuses_a_folder_with_notebooks_before_doing_anything(tmp_path, capsys):
    (tmp_path / "01_problem_setup.ipynb").write_text("my earlier answers")
    assert main(["practice", "start", str(tmp_path)]) == 1
    assert "refusing to overwrite" in capsys.readouterr().err
    assert (tmp_path / "01_problem_setup.ipynb").read_text() == "my earlier answers"
    assert not (tmp_path / practice.MARKER).exists()


def test_grade_here_does_nothing_while_autograding_or_outside_practice(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert practice.grade_here("01_problem_setup.ipynb") is None
    assert capsys.readouterr().out == ""
    monkeypatch.delenv("NBGRADER_EXECUTION")
    assert practice.grade_here("01_problem_setup.ipynb") is None
    assert "nothing graded" in capsys.readouterr().out


def test_report_totals_categories_and_review_list(tmp_path):
    attempt = practice.Attempt(when="2026-01-01T10:00:00", notebooks=["nb"], items=[
        _item("a_1_test", "ML theory", 2.0, 2.0),
        _item("a_2_test", "ML theory", 1.0, 3.0),
        _item("b_1_test", "ML debugging", 0.0, 1.0),
        _item("b_2", "ML debugging", 0.0, 2.0, manual=True),
    ])
    # autograded only: theory 3 of 5, debugging 0 of 1, total 3 of 6 = 50%
    assert attempt.by_category() == {"ML theory": (3.0, 5.0), "ML debugging": (0.0, 1.0)}
    assert attempt.auto_total() == (3.0, 6.0)
    text = practice.format_report(attempt)
    assert "3 / 6 (50%)" in text
    assert "- a_2_test title a_2_test (1/3): why a_2_test" in text and "revisit: section a_2_test" in text
    assert "a_1_test title a_1_test (" not in text  # full marks: not in the review list
    assert "b_2 title b_2: why b_2" in text  # written item: self-assessment points
    page = practice.write_html(attempt, tmp_path / "r.html").read_text()
    assert "3 / 6 autograded points" in page and "why a_2_test" in page


def test_history_records_attempts_and_plots_progress(tmp_path):
    for score in (1.0, 2.0):
        attempt = practice.Attempt(when=f"t{score}", notebooks=["nb"],
                                   items=[_item("a_1_test", "ML theory", score, 2.0)])
        practice.record(tmp_path, attempt)
    entries = practice.load_history(tmp_path)
    assert [e["score"] for e in entries] == [1.0, 2.0] and entries[1]["categories"] == {"ML theory": [2.0, 2.0]}
    ax = practice.plot_progress(entries)
    total_line = ax.get_lines()[-1]
    assert list(total_line.get_ydata()) == [50.0, 100.0]  # 1/2 and 2/2
    assert practice.save_progress_plot(tmp_path).exists()
    (tmp_path / ".practice" / "history.json").write_text("{broken")
    with pytest.raises(practice.PracticeError, match="corrupt"):
        practice.load_history(tmp_path)


def test_history_command_without_attempts(tmp_path, capsys):
    assert main(["practice", "history", str(tmp_path)]) == 0
    assert "No practice attempts" in capsys.readouterr().out
