"""Issue 16: each error a careful reader found is gone, and each missing fact is present.

Reads the lectures' markdown cells and the content files, and calls the functions whose output a
learner sees (the team calculator's rules, the rendered tables), so a correction cannot be undone in
one place while it survives in another. Notebooks are found by their number, so the test holds
before and after the 03/05/06 renames.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from mlcourse.content import load
from mlcourse.exam.items import load_items

ROOT = Path(__file__).resolve().parents[1]


def _notebook(number: str) -> Path:
    """The lecture notebook whose name starts with ``number`` (e.g. "06")."""
    found = sorted((ROOT / "notebooks").glob(f"{number}_*.ipynb"))
    assert len(found) == 1, f"expected one notebook {number}_*, found {found}"
    return found[0]


def _markdown(number: str) -> str:
    """All markdown of one lecture, with line breaks folded to spaces (sentences wrap in cells)."""
    cells = nbformat.read(_notebook(number), as_version=4).cells
    return " ".join(" ".join(c.source.split()) for c in cells if c.cell_type == "markdown")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _yaml_text(name: str) -> str:
    return _flat((ROOT / "mlcourse" / "content" / f"{name}.yaml").read_text(encoding="utf-8"))


# ------------------------------------------------------------------ 01 roles
def test_01_headcount_rules_say_what_the_newsletter_says():
    md = _markdown("01")
    assert "because scientists are only productive" not in md  # a reason the newsletter never gives
    assert "at most; fewer when a use case is simple" not in md
    assert "higher or lower, depending on how complicated the use case is" in md
    assert "depend on which kind of ML scientists you hire" in md
    assert "The newsletter gives no reason for preferring it" in md


def test_01_calculator_chaining_is_marked_as_the_courses_reading():
    from mlcourse import roles

    assert "How the calculator combines them is this course's reading, not the newsletter's." in _markdown("01")
    rules = roles.suggest_team(3, "series_c").rules
    ratio_rule = next(r for r in rules if "1:2:4" in r)
    assert "this course's reading" in ratio_rule and "side by side" in ratio_rule
    per_case = next(r for r in rules if "per use case" in r)
    assert "upper bound" not in per_case and "more or fewer" in per_case


def test_01_chart_and_figure_claims_are_marked_as_readings():
    md = _markdown("01")
    assert "who is still in their figure" not in md
    assert "Their bubble is the biggest: communication is the job." not in md
    assert "They say nothing about the vertical axis" in md
    assert "**This course's reading** is that the vertical axis stands for software-engineering skill" in md
    assert "the sources do not say which bubble is largest, so that is this course's reading too" in md
    comment = (ROOT / "mlcourse" / "content" / "roles.yaml").read_text(encoding="utf-8")
    assert "drawing the ML product\n# manager's bubble largest, are this course's choices" in comment


def test_01_mlops_builds_some_proofs_of_concept_not_mostly():
    md = _markdown("01")
    assert "MLOps people mostly build proofs of concept" not in md
    assert "some of the MLOps work is building proofs of concept" in md


# ------------------------------------------------------------------ 02 hiring, 03 orgs
def test_02_credits_the_2021_notes_too():
    md = _markdown("02")
    assert "the 2021 and 2022 notes both merge the last two into one" in md
    assert "The 2021 and 2022 notes both add that every industry hire should be tested" in md
    hiring = _yaml_text("hiring")
    assert "The 2021 and 2022 notes both add that every industry hire" in hiring
    assert "(The 2021 and 2022 notes fold this and the previous tip into one.)" in hiring


def test_recruiting_database_line_is_worded_once():
    phrase = "gave candidates who passed its exam access to its recruiting database"
    assert phrase in _yaml_text("hiring") and phrase in _yaml_text("interview")
    for name in ("hiring", "interview"):
        assert "exam-passers" not in _yaml_text(name) and "a place in a recruiting database" not in _yaml_text(name)


def test_03_standalone_trend_is_not_a_maturity_claim():
    md = _markdown("03")
    assert "As companies climb, ML teams become more self-contained" not in md
    assert "ML teams are becoming more standalone, and for that reason more interdisciplinary" in md
    orgs = _yaml_text("orgs")
    assert "task ML engineers (who train and deploy models)" not in orgs
    assert "task ML engineers (who maintain specific ML pipelines" in orgs


# ------------------------------------------------------------------ 04 managing
def test_04_quick_wins_wording_and_credit_card_credits():
    md = _markdown("04")
    assert "The 2019 slides and the later notes word the last two differently" not in md
    assert "unchanged, in the 2021 notes" in md and "only the 2022 notes cut them down" in md
    assert "quoted in FSDL 2019 and 2022" not in md
    assert "quoted in all three FSDL versions (2019 slides, 2021 and 2022 notes)" in md
    disagreement = next(t for t in load("managing")["disagreements"] if t["topic"] == "Wording of the advice list")
    assert {p["source"] for p in disagreement["positions"]} == {"fsdl2019", "fsdl2022"}


def test_04_has_the_two_missing_newsletter_facts():
    md = _markdown("04")
    assert "young ML scientists" in md and "A few failures with no mentor to turn to" in md
    assert "the topic most ML teams understand least" in md
    assert "least understood topic in most ML teams" in _flat(load("managing")["tech_debt"]["framing"])


# ------------------------------------------------------------------ 05 design
def test_05_two_failure_approaches_and_an_example():
    from mlcourse.design.text import markdown as render

    md = _markdown("05")
    assert "The lecture lists three ways" not in md
    assert "The lecture names two approaches that keep failures survivable" in md
    rendered = _flat(render("failures"))
    assert "names two approaches" in rendered and "gives one example" in rendered
    assert "Suggest instead of auto-assigning (the lecture's example, as a pattern)" in rendered


# ------------------------------------------------------------------ 06 interview and the exam
def test_06_preparation_advice_per_source():
    md = _markdown("06")
    assert "the 2021 and 2022 notes shrink the advice to two" not in md
    assert "The 2021 and 2022 lecture notes keep only a short version" not in md
    assert "the later notes keep only the first and the fourth" not in md
    assert "The 2022 notes have no preparation list at all" in md
    sources = {s["id"]: _flat(s["used_for"]) for s in load("interview")["sources"]}
    assert "same short list" not in sources["notes2022"] and "No preparation list" in sources["notes2022"]
    assert "two points" in sources["notes2021"]


def test_06_example_questions_sit_in_the_exams_categories():
    from mlcourse import interview

    data = load("interview")["exam"]
    names = {c["id"]: c["name"] for c in data["categories"]}
    examples = {q["id"]: q["category"] for q in data["example_questions"]}
    items = load_items()
    exam_category = {"resnet": items["theory_3"]["category"], "losses": items["conv_1_test"]["category"],
                     "curve": items["debug_1_test"]["category"]}
    for example, category in examples.items():
        assert names[category].lower().replace("understanding of ", "") == exam_category[example].lower(), example
    rendered = interview.markdown("examples")
    assert "ResNet help with the vanishing gradient problem? *(our reading: ml theory" in rendered
    assert "GAN losses. *(our reading: understanding of common conventions" in rendered


def test_setup_2_explains_the_f1_edge_case_correctly():
    text = _flat(load_items()["setup_2_test"]["explanation"])
    assert "precision or recall is 0/0 when one of fp or fn is also 0" not in text
    assert "so P + R = 0 and 2PR / (P + R) is 0/0 even when neither fp nor fn is 0" in text


def test_debug_1_says_why_the_oscillates_causes_do_or_do_not_count():
    text = _flat(load_items()["debug_1_test"]["explanation"])
    assert '"oscillates" row lists two causes' in text
    assert "a learning rate that is too high (already in the key)" in text
    assert "Shuffled labels still do not count" in text


def _headings(number: str) -> list[str]:
    cells = nbformat.read(_notebook(number), as_version=4).cells
    return [m.group(2).strip() for c in cells if c.cell_type == "markdown"
            for m in re.finditer(r"(?m)^(#{2,3}) (.+)$", c.source)]


def test_every_revisit_names_a_section_that_exists_and_uses_the_new_notebook_names():
    renamed = {"03_organizations": "03_orgs", "05_product_design": "05_design", "06_interview_prep": "06_interview"}
    for item_id, item in load_items().items():
        notebook, _, rest = item["revisit"].partition(", ")
        assert notebook not in renamed, f"{item_id}: use the new name {renamed.get(notebook)}"
        assert re.fullmatch(r"0[0-6]_[a-z_]+", notebook), item_id
        headings = _headings(notebook[:2])
        for part in re.findall(r"§([^§]+?)(?= and §|$)", rest):
            title = re.sub(r" \([^)]*\)$", "", part.strip())
            section, _, sub = title.partition(": ") if title.startswith("Exam toolkit") else (title, "", "")
            assert any(h == section or h.startswith(section + ":") for h in headings), f"{item_id}: no section {section!r}"
            if sub:
                assert sub in headings, f"{item_id}: no subsection {sub!r}"


@pytest.mark.parametrize("topic", ["F1", "leaks", "k-means", "k-nearest neighbours", "training set only",
                                   "bias squared", "Manhattan"])
def test_06_toolkit_teaches_what_the_exam_items_test(topic):
    toolkit = _markdown("06").split("## Exam toolkit")[1].split("## Taking the practice exam")[0]
    assert topic in toolkit
