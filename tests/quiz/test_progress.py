"""Local progress: best outcome per question, switchable off, failure-proof, and the CLI."""

from __future__ import annotations

import json
import os

from mlcourse import quiz
from mlcourse.quiz.progress import read_progress


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


def test_only_graded_outcomes_are_recorded():
    quiz.question("roles.7").check(quiz.____)          # not attempted
    quiz.question("roles.7").check("twelve")           # wrong type
    assert read_progress(quiz.progress_path()) == {}
    quiz.question("roles.7").check(13)
    assert read_progress(quiz.progress_path())["roles.7"] == {"attempts": 1, "best": 0.0, "correct": False}


def test_retired_and_unknown_ids_in_old_progress_do_not_crash(capsys):
    """A progress file written before hiring.9 was retired still loads; the entry is not counted."""
    path = quiz.progress_path()
    path.write_text(json.dumps({"hiring.9": {"best": 1.0, "attempts": 2, "correct": True},
                                "nowhere.3": {"correct": True}, "hiring.1": "garbage"}))
    rows = {p.lecture: p for p in quiz.progress()}
    assert rows["hiring"].done == 0 and rows["hiring"].total == len(quiz.lecture("hiring"))
    quiz.question("hiring.9").check("c")               # retired: graded as retired, not recorded
    assert read_progress(path)["hiring.9"]["attempts"] == 2
    quiz.question("hiring.1").check(1820)
    assert read_progress(path)["hiring.1"]["correct"] is True
    from mlcourse.cli import main

    assert main(["progress"]) == 0 and "hiring" in capsys.readouterr().out


def test_corrupt_progress_file_reads_as_empty():
    path = quiz.progress_path()
    path.write_text("{not json")
    assert read_progress(path) == {} and all(p.done == 0 for p in quiz.progress())
    assert quiz.question("roles.7").check(12).correct
    assert read_progress(path)["roles.7"]["correct"] is True


def test_cli_progress(capsys):
    from mlcourse.cli import main

    assert main(["progress"]) == 0
    assert "roles" in capsys.readouterr().out


def test_cli_progress_reset(capsys):
    from mlcourse.cli import main

    quiz.question("roles.7").check(12)
    assert os.path.exists(quiz.progress_path())
    assert main(["progress", "--reset"]) == 0
    assert not os.path.exists(quiz.progress_path()) and "cleared" in capsys.readouterr().out
