"""Tests for lecture 03 (mlcourse.orgs): content, the self-assessment scoring rule, plots, widgets.

Every expected number below was computed by hand from the option -> archetype lists in
mlcourse/content/orgs.yaml and the rule score_k = (answers naming k) / (answers given).
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from PIL import Image

from mlcourse import orgs
from mlcourse.orgs import text as tables
from mlcourse.orgs.plots import MountainPlot, ScorePlot, stations
from mlcourse.quiz import question

MOUNTAIN = ["nascent", "rnd", "embedded", "function", "ml_first"]


# --------------------------------------------------------------------------- content


def test_archetypes_are_the_five_in_mountain_order():
    assert [a.id for a in orgs.archetypes()] == MOUNTAIN
    assert [a.maturity for a in orgs.archetypes()] == [1, 2, 3, 4, 5]
    for a in orgs.archetypes():
        assert a.looks_like and a.examples and a.advantages and a.disadvantages


def test_archetype_facts_from_the_sources():
    # Spot checks against FSDL 2019 slides: counts of advantages / disadvantages per archetype.
    counts = {a.id: (len(a.advantages), len(a.disadvantages)) for a in orgs.archetypes()}
    assert counts == {"nascent": (1, 2), "rnd": (2, 2), "embedded": (2, 4),
                      "function": (3, 2), "ml_first": (3, 3)}
    assert "oil and gas" in orgs.archetype("rnd").examples[0]
    assert orgs.archetype("embedded").other_names  # the 2021 name is kept


def test_unknown_archetype_raises():
    with pytest.raises(KeyError, match="known: nascent"):
        orgs.archetype("startup")


def test_design_choices_cover_four_archetypes_and_three_questions():
    assert [q.id for q in orgs.design_questions()] == ["swe_vs_research", "data_ownership",
                                                      "model_ownership"]
    assert orgs.design_choices("nascent") is None  # the sources give no nascent column
    for aid in MOUNTAIN[1:]:
        assert set(orgs.design_choices(aid)) == {"swe_vs_research", "data_ownership", "model_ownership"}
    assert "seldom" in orgs.design_choices("rnd")["model_ownership"][0]
    assert "maintain" in orgs.design_choices("function")["model_ownership"][0]


def test_design_table_has_one_row_per_question_and_four_columns():
    lines = tables.design_table().splitlines()
    assert lines[0] == "| Design question | ML R&D | Embedded ML | ML function | ML-first |"
    assert len(lines) == 2 + 3
    assert all(line.count("|") == 6 for line in lines[2:])


def test_mlops_view_lists_the_newsletter_jobs():
    view = orgs.mlops_view()
    assert [j.id for j in view.jobs] == ["platform", "workflows", "scale_demo", "cicd"]
    assert "10" in view.jobs[2].job or "ten" in view.jobs[2].job
    assert "Its jobs (4)" in tables.mlops_summary()


# --------------------------------------------------------------------------- scoring rule


def test_worked_example_scores():
    # Hand computation: 5 of 6 answers name embedded, 1 (data: governance) names function.
    result = orgs.assess(orgs.example_answers())
    assert dict(result.scores) == pytest.approx(
        {"nascent": 0.0, "rnd": 0.0, "embedded": 5 / 6, "function": 1 / 6, "ml_first": 0.0})
    assert result.nearest == "embedded"
    assert result.tied == ("embedded",)
    assert [m.points_to for m in result.mismatches] == [("function",)]
    assert result.next_step.id == "function"
    assert result.pitfalls == orgs.archetype("embedded").disadvantages


def test_research_lab_scores():
    # Hand computation: all six answers name rnd; data and models answers also name nascent -> 2/6.
    answers = {"where": "lab", "people": "researchers", "data": "no_control",
               "models": "rarely_deployed", "leadership": "research_bet", "feedback": "seldom"}
    result = orgs.assess(answers)
    assert result.score("rnd") == 1.0
    assert result.score("nascent") == pytest.approx(2 / 6)
    assert result.nearest == "rnd" and result.mismatches == ()


def test_tie_goes_to_the_lower_rung():
    # Hand computation: nascent gets where + data (2/3), rnd gets people + data (2/3).
    result = orgs.assess({"where": "nowhere", "people": "researchers", "data": "no_control"})
    assert result.score("nascent") == pytest.approx(2 / 3)
    assert result.score("rnd") == pytest.approx(2 / 3)
    assert result.nearest == "nascent"
    assert result.tied == ("nascent", "rnd")
    assert result.design_choices is None


def test_partial_answers_divide_by_answers_given():
    # Hand computation: function named by where, people, models (3/4); ml_first by data (1/4).
    result = orgs.assess({"where": "division", "people": "mixed_teams", "data": "company_infra",
                          "models": "handoff_we_maintain"})
    assert result.score("function") == 0.75
    assert result.score("ml_first") == 0.25
    assert result.score("embedded") == 0.0


@pytest.mark.parametrize("target", MOUNTAIN)
def test_every_archetype_can_be_reached_with_a_full_score(target):
    answers = {q.id: next(o.id for o in q.options if target in o.archetypes) for q in orgs.questions()}
    result = orgs.assess(answers)
    assert result.nearest == target
    assert result.score(target) == 1.0


def test_summit_has_no_next_step():
    answers = {q.id: next(o.id for o in q.options if "ml_first" in o.archetypes) for q in orgs.questions()}
    assert orgs.assess(answers).next_step is None


@pytest.mark.parametrize("answers, message", [
    ({}, "at least one"),
    ({"where": "moon"}, "not an option"),
    ({"budget": "big"}, "unknown assessment question"),
])
def test_bad_answers_raise(answers, message):
    with pytest.raises(ValueError, match=message):
        orgs.assess(answers)


def test_question_keys_agree_with_the_scoring_rule():
    # orgs.8 describes answers in words; recompute it with assess(). orgs.9 is retired (one question
    # per widget), so its tie case is checked on the model directly.
    q8 = question("orgs.8")
    result = orgs.assess({"where": "division", "people": "mixed_teams", "data": "company_infra",
                          "models": "handoff_we_maintain"})
    assert q8.check(result.score("function")).correct
    nearest = orgs.assess({"where": "nowhere", "people": "researchers", "data": "no_control"}).nearest
    assert orgs.archetype(nearest).short.split(" /")[0] == "Nascent"  # retired orgs.9's key, a: Nascent / ad hoc
    q3 = question("orgs.3")
    ordered_names = [q3.choices[label] for label in q3.answer]
    assert [n.split()[0] for n in ordered_names] == ["Nascent", "ML", "ML", "Independent", "ML-first"]
    assert ordered_names[1] == orgs.archetype("rnd").name


def test_assessment_report_mentions_choices_pitfalls_and_mismatches():
    report = tables.assessment_report(orgs.assess(orgs.example_answers()))
    assert "Nearest archetype: ML embedded in product / business teams" in report
    assert "83%" in report  # 5/6
    assert "Long-term projects are hard to defend." in report
    assert "Answers that do not fit Embedded ML" in report
    tie = tables.assessment_report(orgs.assess({"where": "nowhere", "people": "researchers"}))
    assert "Tie between Nascent / ad hoc, ML R&amp;D" in tie


# --------------------------------------------------------------------------- plots


def test_stations_climb_with_maturity():
    heights = [stations()[aid][1] for aid in MOUNTAIN]
    assert heights == sorted(heights) and len(set(heights)) == 5


def test_mountain_highlight_moves_the_highlight_layer():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    mountain = MountainPlot(ax)
    mountain.highlight("function")
    assert (mountain.marker.get_xdata()[0], mountain.marker.get_ydata()[0]) == stations()["function"]
    assert mountain.name.get_text() == "4. ML function"
    assert all(a.get_visible() for a in mountain.dynamic_artists())
    mountain.highlight(None)
    assert not any(a.get_visible() for a in mountain.dynamic_artists())
    with pytest.raises(KeyError):
        mountain.highlight("unicorn")
    plt.close(fig)


def test_score_bars_match_scores():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    bars = ScorePlot(ax)
    bars.update(orgs.assess(orgs.example_answers()))
    widths = [b.get_width() for b in bars.bars]
    assert widths == pytest.approx([0, 0, 5 / 6, 1 / 6, 0])
    assert [t.get_text() for t in bars.values] == ["0%", "0%", "83%", "17%", "0%"]
    plt.close(fig)


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


# --------------------------------------------------------------------------- widgets


def test_assessment_widget_first_control_changes_the_image():
    box = orgs.assessment_explorer()
    assert "mlcourse-org-assessment" in box.root._dom_classes
    image = box.view.image
    before = image.value
    list(box.controls.values())[0].value = "division"  # where: product teams -> one ML division
    assert image.value != before
    # Hand computation: embedded keeps people/models/leadership/feedback (4/6), function gets 2/6.
    assert "67% of your answers fit it" in box.root.children[-1].value


def test_blitted_picture_matches_a_full_render():
    box = orgs.assessment_explorer()
    list(box.controls.values())[0].value = "everywhere"
    blitted, full = _pixels(box.view.image.value), _pixels(box.view.png())
    assert blitted.shape == full.shape
    strong = (np.abs(blitted - full).max(axis=2) > 60).sum()
    # Same picture up to antialiasing and the bars covering one axis spine (78 px measured);
    # a missing layer (bars, labels, the highlight) would change thousands of pixels.
    assert strong < 200


def test_archetype_explorer_first_control_changes_the_image():
    box = orgs.archetype_explorer()
    assert "mlcourse-archetype-explorer" in box.root._dom_classes
    before = box.view.image.value
    list(box.controls.values())[0].value = "ml_first"
    assert box.view.image.value != before
    assert "ML-first organization" in box.root.children[-1].value
    assert "Models are handed to their users, who run and maintain them." in box.root.children[-1].value
