"""`mlcourse report`: item difficulty, discrimination, category means, flags, files.

The class below is small enough to work out by hand (numbers in the comments).
"""

from __future__ import annotations

import argparse
import csv
import math
from pathlib import Path

import numpy as np
import pytest

from mlcourse.exam import report

# Four students, four items.  A, B: 1 point (notebook nb1); C: 2 points, D: 1 point (nb2).
#            A  B  C  D   total
#   s1       1  0  2  1   4
#   s2       1  0  1  1   3
#   s3       1  1  0  1   3
#   s4       0  0  0  1   1
TABLE = report.ScoreTable(
    students=("s1", "s2", "s3", "s4"), items=("A", "B", "C", "D"), categories=("nb1", "nb1", "nb2", "nb2"),
    max_points=np.array([1.0, 1.0, 2.0, 1.0]),
    points=np.array([[1, 0, 2, 1], [1, 0, 1, 1], [1, 1, 0, 1], [0, 0, 0, 1]], dtype=float))


def _by_item():
    return {st.item: st for st in report.item_statistics(TABLE)}


def test_difficulty_is_mean_fraction_of_points():
    st = _by_item()
    # A: 3/4; B: 1/4; C: (2+1+0+0)/(4*2) = 3/8; D: 4/4
    assert [st[k].difficulty for k in "ABCD"] == pytest.approx([0.75, 0.25, 0.375, 1.0])


def test_discrimination_is_corrected_item_total_correlation():
    st = _by_item()
    # A vs rest (B+C+D) = [3,2,2,1]: deviations A [.25,.25,.25,-.75], rest [1,0,0,-1];
    #   cov 1.0, ss 0.75 and 2.0 -> r = 1/sqrt(1.5) = 0.8165
    assert st["A"].discrimination == pytest.approx(1 / math.sqrt(1.5))
    # B vs rest [4,3,2,1]: devs B [-.25,-.25,.75,-.25], rest [1.5,.5,-.5,-1.5];
    #   cov -0.5, ss 0.75 and 5.0 -> r = -0.5/sqrt(3.75) = -0.2582
    assert st["B"].discrimination == pytest.approx(-0.5 / math.sqrt(3.75))
    # C vs rest [2,2,3,1]: devs C [1.25,.25,-.75,-.75], rest [0,0,1,-1] -> cov 0 -> r = 0
    assert st["C"].discrimination == pytest.approx(0.0)
    # D: everyone full marks, no variance -> undefined
    assert math.isnan(st["D"].discrimination)


def test_upper_lower_index():
    st = _by_item()
    # 27% of 4 students rounds to 1: upper = s1 (total 4), lower = s4 (total 1)
    assert [st[k].upper_lower for k in "ABCD"] == pytest.approx([1.0, 0.0, 1.0, 0.0])


def test_flags():
    st = _by_item()
    assert st["B"].flags == ["negative discrimination"]  # difficulty .25 > .2, r < 0
    assert st["D"].flags == ["too easy"]
    assert st["A"].flags == [] and st["C"].flags == []
    harsher = {s.item: s.flags for s in report.item_statistics(TABLE, hard=0.3)}
    assert harsher["B"] == ["too hard", "negative discrimination"]


def test_category_means_and_totals():
    # nb1 (2 points): s1 .5, s2 .5, s3 1, s4 0 -> .5;  nb2 (3 points): 1, 2/3, 1/3, 1/3 -> 7/12
    assert report.category_means(TABLE) == pytest.approx({"nb1": 0.5, "nb2": 7 / 12})
    assert list(report.totals(TABLE)) == [4.0, 3.0, 3.0, 1.0]


def test_missing_manual_grade_is_left_out_not_zero():
    points = TABLE.points.copy()
    points[3, 0] = np.nan  # s4's A not graded yet
    table = report.ScoreTable(TABLE.students, TABLE.items, TABLE.categories, TABLE.max_points, points)
    st = {s.item: s for s in report.item_statistics(table)}
    assert st["A"].n == 3 and st["A"].difficulty == pytest.approx(1.0)  # 3 of 3 graded got it


def test_write_report_files(tmp_path):
    files = report.write_report(TABLE, tmp_path / "out", "ps1")
    assert {p.name for p in files.values()} == {"items.csv", "categories.csv", "students.csv", "items.png",
                                                "distribution.png", "categories.png", "report.html"}
    rows = list(csv.DictReader((tmp_path / "out" / "items.csv").open()))
    assert [r["item"] for r in rows] == ["A", "B", "C", "D"]
    assert rows[1]["difficulty"] == "0.250" and rows[1]["flags"] == "negative discrimination"
    assert rows[3]["discrimination"] == ""  # undefined, not a made-up number
    page = (tmp_path / "out" / "report.html").read_text()
    assert "<b>B</b>: negative discrimination" in page and "<b>D</b>: too easy" in page
    assert all((tmp_path / "out" / name).stat().st_size > 1000 for name in ("items.png", "distribution.png"))


@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")  # nbgrader's ORM under SQLAlchemy 2
def test_report_from_a_gradebook(tmp_path, monkeypatch):
    """Build a gradebook by hand with nbgrader's API and run the command on it."""
    import os
    import sys

    from nbgrader.api import Gradebook

    monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    root = tmp_path / "course"
    root.mkdir()
    url = f"sqlite:///{root / 'gradebook.db'}"
    (root / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(root)!r}\nc.CourseDirectory.db_url = {url!r}\n")
    with Gradebook(url) as gb:
        gb.add_assignment("ps1")
        gb.add_notebook("nb1", "ps1")
        for item, points in (("A", 1), ("B", 1)):
            gb.add_grade_cell(item, "nb1", "ps1", max_score=points, cell_type="code")
            gb.add_source_cell(item, "nb1", "ps1", cell_type="code", locked=True, source="", checksum="x")
        for s, (a, b) in {"s1": (1, 0), "s2": (1, 0), "s3": (1, 1), "s4": (0, 0)}.items():
            gb.add_student(s)
            gb.add_submission("ps1", s)
            for item, score in (("A", a), ("B", b)):
                grade = gb.find_grade(item, "nb1", "ps1", s)
                grade.auto_score = score
                grade.needs_manual_grade = False
            gb.db.commit()
    parser = argparse.ArgumentParser(prog="mlcourse report")
    report.add_arguments(parser)
    assert report.run(parser.parse_args(["ps1", "--course-dir", str(root)])) == 0
    rows = {r["item"]: r for r in csv.DictReader((root / "reports" / "ps1" / "items.csv").open())}
    # A: 3/4 right; B: 1/4.  B vs rest (= A) [1,1,1,0] -> devs B [-.25,-.25,.75,-.25], A [.25,.25,.25,-.75]
    #   cov .25, ss .75 and .75 -> r = 1/3
    assert rows["A"]["difficulty"] == "0.750" and rows["B"]["difficulty"] == "0.250"
    assert float(rows["B"]["discrimination"]) == pytest.approx(1 / 3, abs=1e-3)
    assert Path(root / "reports" / "ps1" / "report.html").exists()
