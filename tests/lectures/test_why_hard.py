"""Tests for lecture 00 (mlcourse.why_hard): challenge data, source coverage, the course map.

Expected counts were made by hand from the seeds: the 2019 slides and 2021 notes list 5 general
challenges and 5 ML additions; the 2022 notes list 6 and 6 (adding stakeholder requirements and
failures laypeople cannot read).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mlcourse import why_hard

NOTEBOOKS = ["00_why_hard.ipynb", "01_roles.ipynb", "02_hiring.ipynb", "03_orgs.ipynb",
             "04_managing.ipynb", "05_design.ipynb", "06_interview.ipynb"]
NB00 = Path(__file__).resolve().parents[2] / "notebooks" / "00_why_hard.ipynb"


def test_coverage_counts_per_source():
    assert why_hard.coverage() == {
        "fsdl2019": {"general": 5, "ml": 5},
        "fsdl2021": {"general": 5, "ml": 5},
        "fsdl2022": {"general": 6, "ml": 6},
    }


def test_items_only_in_2022():
    assert why_hard.only_in("fsdl2022") == ("requirements", "failures")
    assert why_hard.only_in("fsdl2019") == ()


def test_every_ml_addition_sharpens_a_general_challenge_and_has_a_lecture():
    ml = why_hard.challenges("ml")
    assert len(ml) == 6
    general_ids = {c.id for c in why_hard.challenges("general")}
    assert {c.makes_harder for c in ml} <= general_ids
    assert why_hard.challenge("talent").lecture == "02_hiring"
    assert "high-interest credit card of technical debt" in why_hard.challenge("debt").text


def test_challenge_list_tags_sources():
    text = why_hard.challenge_list("general")
    assert text.count("\n") == 5
    assert "*(2022 only).*" in text.splitlines()[-1]
    assert "all 3 sources" in text.splitlines()[0]


def test_coverage_table_lists_what_each_source_leaves_out():
    rows = why_hard.coverage_table().splitlines()[2:]
    assert len(rows) == 3
    assert rows[0].split("|")[2:4] == [" 5 ", " 5 "]
    assert rows[2].rstrip().endswith("| nothing |")


def test_course_map_links_every_lecture_the_exam_and_practice_mode():
    assert [c["notebook"] for c in why_hard.course_map()] == NOTEBOOKS
    text = why_hard.course_map_markdown()
    links = re.findall(r"\]\(([^)]+)\)", text)
    assert links == NOTEBOOKS + ["../exam/README.md"]
    assert "`mlcourse practice start DIR`" in text and "`mlcourse practice grade DIR`" in text


def test_notebook_00_carries_the_course_map_from_the_data():
    cells = json.loads(NB00.read_text(encoding="utf-8"))["cells"]
    prose = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert why_hard.course_map_markdown() in prose
