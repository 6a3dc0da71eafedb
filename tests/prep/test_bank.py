"""The bank: counts per category and difficulty, schema, lecture sections, variants per template."""

from __future__ import annotations

import copy
import json
import re

import pytest

from mlcourse.cli import main
from mlcourse.content import ContentError, load_schema, validate
from mlcourse.prep import bank, rules
from mlcourse.prep.bank import Category, Difficulty
from mlcourse.prep.variants import render
from prep_fixtures import REPO

VARIANT_SEEDS = range(200)


def test_at_least_120_items_and_15_per_category():
    counts = bank.counts()
    assert set(counts) == set(Category)
    for category, c in counts.items():
        assert sum(c.values()) >= 15, category
    assert sum(sum(c.values()) for c in counts.values()) >= 120


def test_every_difficulty_is_used_in_every_category():
    for category, c in bank.counts().items():
        assert all(c[d] >= 3 for d in Difficulty), (category, c)


def test_printed_table_matches_the_counts(capsys):
    assert main(["bank"]) == 0
    out = capsys.readouterr().out
    counts = bank.counts()
    for category, c in counts.items():
        row = re.search(rf"^{category.value}\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$", out, re.M)
        assert row, f"no row for {category.value}:\n{out}"
        easy, medium, hard, total = map(int, row.groups())
        assert (easy, medium, hard, total) == (c[Difficulty.EASY], c[Difficulty.MEDIUM], c[Difficulty.HARD],
                                               sum(c.values()))
    total = re.search(r"^all\s+\d+\s+\d+\s+\d+\s+(\d+)$", out, re.M)
    assert int(total.group(1)) == len(bank.items())


def test_ids_are_numbered_within_their_category():
    for item in bank.items():
        category, n = item.id.split(".")
        assert category == item.category.value and int(n) >= 1


@pytest.mark.parametrize("field", ["accept", "reject"])
def test_an_item_without_accept_or_reject_is_refused(field):
    data = {"category": "ml_theory", "title": "ML theory",
            "items": [copy.deepcopy(it.data) for it in bank.load_category(Category.ML_THEORY)]}
    validate(data, load_schema("bank"), "ok")
    del data["items"][3][field]
    with pytest.raises(ContentError, match=field):
        validate(data, load_schema("bank"), "broken")
    data["items"][3][field] = []
    with pytest.raises(ContentError):
        validate(data, load_schema("bank"), "empty")


def test_every_item_plants_accepted_and_rejected_answers():
    for item in bank.items():
        v = render(item, 0)
        assert rules.planted(v, "accept"), f"{item.id} has no accepted answer"
        assert rules.planted(v, "reject"), f"{item.id} has no rejected answer"


def _sections(notebook: str) -> set[str]:
    nb = json.loads((REPO / notebook).read_text(encoding="utf-8"))
    heads = set()
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("#"):
                    heads.add(line.lstrip("#").strip())
    return heads


def test_lecture_sections_named_in_teaches_exist():
    for item in bank.items():
        teaches = item.data["teaches"]
        if "notebook" in teaches:
            assert (REPO / teaches["notebook"]).exists(), item.id
            assert teaches["section"] in _sections(teaches["notebook"]), (item.id, teaches)
        else:
            assert teaches["title"].strip() and teaches["author"].strip(), item.id
        assert item.data["source"].strip(), item.id


def test_teams_and_projects_draws_on_lectures_00_to_05():
    for item in bank.load_category(Category.TEAMS_AND_PROJECTS):
        nb = item.data["teaches"].get("notebook", "")
        assert re.match(r"notebooks/0[0-5]_", nb), (item.id, nb)


def test_every_template_has_at_least_20_distinct_variants():
    templates = [it for it in bank.items() if it.is_template]
    assert len(templates) >= 100
    for item in templates:
        variants = {render(item, seed).signature for seed in VARIANT_SEEDS}
        assert len(variants) >= 20, f"{item.id}: {len(variants)} distinct variants in {len(VARIANT_SEEDS)} seeds"


def test_numeric_and_code_templates_draw_parameters():
    for item in bank.items():
        if item.kind is bank.Kind.NUMERIC:
            assert item.get("params"), item.id
            assert len({render(item, s).key for s in VARIANT_SEEDS}) >= 10, item.id


def test_variants_are_reproducible():
    for item in bank.items():
        assert render(item, 7).signature == render(item, 7).signature
