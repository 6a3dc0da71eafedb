"""Lecture 05 (designing ML products): content, threshold model, plots, widgets, questions.

Numbers in the model tests were worked out by hand; each test says how.
"""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from mlcourse.design import text as tables
from mlcourse.design.model import facts
from mlcourse.design.model.thresholds import TradeoffCurve, act_above, top_k_hits

# Four 2-class cases. Top probability and whether the arg-max is right, by hand:
#   0.90 -> class 0, true 0: right      0.60 -> class 0, true 1: wrong
#   0.70 -> class 1, true 1: right      0.55 -> class 1, true 0: wrong
TINY_P = np.array([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7], [0.45, 0.55]])
TINY_Y = np.array([0, 1, 1, 0])

# The five cases of questions design.7 / design.8 (3 classes so a top probability can be 0.40):
# top 0.95 right, 0.80 wrong, 0.70 right, 0.60 right, 0.40 wrong.
FIVE_P = np.array([
    [0.95, 0.03, 0.02],
    [0.80, 0.15, 0.05],
    [0.10, 0.70, 0.20],
    [0.20, 0.20, 0.60],
    [0.40, 0.35, 0.25],
])
FIVE_Y = np.array([0, 1, 1, 2, 1])


# --------------------------------------------------------------------------- model: act_above


@pytest.mark.parametrize(
    "threshold, acted, correct",
    [
        (0.0, 4, 2),   # everything: right are 0.90 and 0.70
        (0.55, 4, 2),  # 0.55 >= 0.55: the bar is inclusive
        (0.6, 3, 2),   # 0.90, 0.60, 0.70 -> right, wrong, right
        (0.65, 2, 2),  # 0.90, 0.70 -> both right
        (0.9, 1, 1),   # only 0.90
        (0.95, 0, 0),  # nothing clears the bar
    ],
)
def test_act_above_tiny_by_hand(threshold, acted, correct):
    d = act_above(TINY_P, TINY_Y, threshold)
    assert (d.n_total, d.n_acted, d.n_correct) == (4, acted, correct)
    assert d.coverage == pytest.approx(acted / 4)
    assert d.n_errors == acted - correct
    assert d.n_deferred == 4 - acted


def test_tiny_coverage_accuracy_values():
    # Threshold 0.6: coverage 3/4 = 0.75, accuracy 2/3; threshold 0.65: coverage 0.5, accuracy 1.
    d = act_above(TINY_P, TINY_Y, 0.6)
    assert (d.coverage, d.accuracy) == (pytest.approx(0.75), pytest.approx(2 / 3))
    d = act_above(TINY_P, TINY_Y, 0.65)
    assert (d.coverage, d.accuracy) == (0.5, 1.0)


def test_accuracy_is_nan_when_nothing_is_acted_on():
    assert math.isnan(act_above(TINY_P, TINY_Y, 1.0).accuracy)


def test_question_numbers_match_the_model():
    # design.7 / design.8: threshold 0.65 acts on 0.95, 0.80, 0.70 -> coverage 3/5, accuracy 2/3.
    from mlcourse.quiz import question

    d = act_above(FIVE_P, FIVE_Y, 0.65)
    assert (d.n_acted, d.n_correct) == (3, 2)
    assert question("design.7").check(d.coverage).correct
    assert question("design.8").check(d.accuracy).correct


def test_accuracy_can_fall_when_the_threshold_rises():
    # design.9's counter-example: 0.9 wrong, 0.6 right. t=0.5 -> 1 of 2 right; t=0.7 -> 0 of 1.
    p = np.array([[0.9, 0.1], [0.4, 0.6]])
    y = np.array([1, 1])
    assert act_above(p, y, 0.5).accuracy == 0.5
    assert act_above(p, y, 0.7).accuracy == 0.0


@pytest.mark.parametrize(
    "proba, y, threshold, message",
    [
        (np.array([0.5, 0.5]), np.array([0]), 0.5, "shape"),
        (TINY_P, np.array([0, 1, 1]), 0.5, "y_true must have shape"),
        (TINY_P, np.array([0, 1, 1, 2]), 0.5, "lie in 0..1"),
        (TINY_P, np.array([0.0, 1.0, 1.0, 0.0]), 0.5, "integer"),
        (TINY_P * 2, TINY_Y, 0.5, "probabilities"),
        (TINY_P, TINY_Y, 1.5, "threshold"),
    ],
)
def test_bad_input_is_refused(proba, y, threshold, message):
    with pytest.raises(ValueError, match=message):
        act_above(proba, y, threshold)


def test_top_k_hits_by_hand():
    # Row 0: true 0 is the top class -> hit for k=1. Row 1: true 1 (0.4) is second -> hit only for
    # k=2. FIVE row 4: true 1 (0.35) is second of three -> miss at k=1, hit at k=2.
    assert top_k_hits(TINY_P, TINY_Y, 1).tolist() == [True, False, True, False]
    assert top_k_hits(TINY_P, TINY_Y, 2).tolist() == [True, True, True, True]
    assert top_k_hits(FIVE_P, FIVE_Y, 1).tolist() == [True, False, True, True, False]
    assert top_k_hits(FIVE_P, FIVE_Y, 2).tolist() == [True, True, True, True, True]
    with pytest.raises(ValueError, match="k must lie"):
        top_k_hits(TINY_P, TINY_Y, 3)


# --------------------------------------------------------------------------- model: TradeoffCurve


def test_curve_points_by_hand():
    # Distinct confidences 0.55, 0.6, 0.7, 0.9 act on 4, 3, 2, 1 cases with 2, 2, 2, 1 right.
    curve = TradeoffCurve(TINY_P, TINY_Y, suggest_k=1)
    assert curve.thresholds.tolist() == [0.55, 0.6, 0.7, 0.9]
    assert curve.coverage.tolist() == [1.0, 0.75, 0.5, 0.25]
    assert curve.accuracy == pytest.approx([0.5, 2 / 3, 1.0, 1.0])
    assert curve.threshold_for_accuracy(1.0) == 0.7
    assert curve.threshold_for_accuracy(0.6) == 0.6
    assert TradeoffCurve(np.array([[0.5, 0.5]]), np.array([1])).threshold_for_accuracy(0.9) is None


def test_curve_errors_and_suggestions_by_hand():
    curve = TradeoffCurve(TINY_P, TINY_Y, suggest_k=1)
    # Wrong cases: index 1 (0.60) and index 3 (0.55), most confident first.
    assert curve.errors_at(0.0).tolist() == [1, 3]
    assert curve.errors_at(0.6).tolist() == [1]
    assert curve.errors_at(0.61).tolist() == []
    # Deferred at 0.65: cases 3 (0.55, top-1 miss) and 1 (0.60, miss) -> 0 of 2.
    assert curve.suggestion_hit_rate(0.65) == 0.0
    # Deferred at 0.95: all four; top-1 hits are cases 0 and 2 -> 2 of 4.
    assert curve.suggestion_hit_rate(0.95) == 0.5
    assert math.isnan(curve.suggestion_hit_rate(0.5))  # nothing deferred
    # With top-2 suggestions every deferred case is a hit (two classes).
    assert TradeoffCurve(TINY_P, TINY_Y, suggest_k=2).suggestion_hit_rate(0.95) == 1.0


def test_curve_agrees_with_act_above_on_random_data():
    rng = np.random.default_rng(7)
    logits = rng.normal(size=(500, 4)) * 2
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    y = rng.integers(0, 4, size=500)
    curve = TradeoffCurve(proba, y)
    for t in [0.0, 0.25, 0.3, 0.5, 0.77, 0.9, 0.99, 1.0, *proba.max(axis=1)[:20]]:
        assert curve.at(t) == act_above(proba, y, t)
        assert len(curve.errors_at(t)) == curve.at(t).n_errors


# --------------------------------------------------------------------------- the digits model


@pytest.fixture(scope="module")
def run():
    from mlcourse.design.model.digits import digits_run

    return digits_run()


def test_digits_run_is_held_out_and_cached(run):
    from mlcourse.design.model.digits import digits_run

    # load_digits has 1797 images; 300 train, so 1497 held out, 10 probability columns.
    assert run.proba.shape == (1497, 10)
    assert run.images.shape == (1497, 8, 8)
    assert run.y_true.shape == (1497,)
    assert np.allclose(run.proba.sum(axis=1), 1.0)
    assert digits_run() is digits_run()  # trained once, then served from the cache


def test_digits_run_fixed_seed_gives_fixed_results(run):
    from mlcourse.design.model.digits import digits_run

    digits_run.cache_clear()
    again = digits_run()
    assert again is not run
    assert np.array_equal(again.proba, run.proba)
    assert np.array_equal(again.y_true, run.y_true)


def test_digits_model_is_a_real_model(run):
    # A logistic regression on 300 digits is far better than chance (0.1) but not perfect,
    # which is what the demo needs: there are errors to show.
    d = run.curve.at(0.0)
    assert 0.85 < d.accuracy < 0.99
    assert d.n_errors > 12


def test_coverage_and_errors_are_monotone_in_the_threshold(run):
    grid = np.linspace(0.0, 1.0, 101)
    decisions = [run.curve.at(t) for t in grid]
    coverage = np.array([d.coverage for d in decisions])
    errors = np.array([d.n_errors for d in decisions])
    deferred = np.array([d.n_deferred for d in decisions])
    assert np.all(np.diff(coverage) <= 0)
    assert np.all(np.diff(errors) <= 0)
    assert np.all(np.diff(deferred) >= 0)
    assert coverage[0] == 1.0 and coverage[-1] < 0.5
    # On this model a high bar helps: accuracy at 0.9 beats acting on everything.
    assert run.curve.at(0.9).accuracy > run.curve.at(0.0).accuracy


def test_errors_at_are_the_confident_mistakes(run):
    curve = run.curve
    wrong = curve.errors_at(0.8)
    assert np.all(curve.predicted[wrong] != curve.y_true[wrong])
    assert np.all(curve.confidence[wrong] >= 0.8)
    assert np.all(np.diff(curve.confidence[wrong]) <= 0)  # most confident first


# --------------------------------------------------------------------------- content


def test_six_feedback_types_in_the_lectures_order():
    names = [t.name for t in facts.feedback_types()]
    assert names == [
        "Indirect implicit feedback",
        "Direct implicit feedback",
        "Binary explicit feedback",
        "Categorical explicit feedback",
        "Free-text feedback",
        "Model corrections",
    ]
    kinds = {t.id: t for t in facts.feedback_types()}
    # The lecture: implicit feedback asks nothing of the user; corrections are the gold standard
    # (the best training signal); free text is hard to train on but shows where users struggle.
    assert kinds["indirect_implicit"].cost_to_user == kinds["direct_implicit"].cost_to_user == 0
    assert kinds["model_correction"].training_signal == max(t.training_signal for t in kinds.values())
    assert kinds["free_text"].insight == max(t.insight for t in kinds.values())
    assert kinds["free_text"].training_signal < kinds["binary_explicit"].training_signal


def test_keys_patterns_and_reading_list():
    assert [k.id for k in facts.keys()] == ["explain", "plan_for_failure", "feedback_loops"]
    assert {p.id for p in facts.failure_patterns()} == {
        "user_correction", "confidence_threshold", "suggest_not_assign"}
    assert "Facebook" in {p.id: p for p in facts.failure_patterns()}["suggest_not_assign"].example
    assert "Alexa" in {g.id: g for g in facts.explain_guidelines()}["guardrails"].example
    reading = facts.further_reading()
    assert len(reading) == 4
    assert all(r.url.startswith("http") for r in reading)
    assert facts.level_name(0) == "none" and facts.level_name(4) == "very high"


def test_bad_feedback_ranks_are_refused(monkeypatch):
    broken = dict(facts.data())
    broken["feedback_types"] = [dict(t, rank=1) for t in broken["feedback_types"]]
    monkeypatch.setattr(facts, "data", lambda: broken)
    with pytest.raises(ValueError, match="ranks"):
        facts.feedback_types()


def test_tables_render_every_section_from_data():
    feedback = tables.markdown("feedback")
    for t in facts.feedback_types():
        assert t.name in feedback and t.example in feedback
    assert feedback.count("\n") == 7  # header, rule and six rows
    assert "pair.withgoogle.com" in tables.markdown("reading")
    assert all(tables.markdown(name) for name in tables.SECTIONS)
    with pytest.raises(KeyError):
        tables.markdown("nope")


# --------------------------------------------------------------------------- plots


def test_plots_draw_expected_artists(run):
    import matplotlib.pyplot as plt

    from mlcourse.design.plots import plot_error_gallery, plot_feedback_types, plot_tradeoff

    ax = plot_tradeoff(run.curve, 0.9)
    d = run.curve.at(0.9)
    point = [line for line in ax.lines if line.get_marker() == "o"][0]
    assert point.get_xdata()[0] == pytest.approx(d.coverage)
    assert point.get_ydata()[0] == pytest.approx(d.accuracy)
    ax = plot_error_gallery(run.images, run.curve, 0.9)
    covers = [p for p in ax.patches if p.get_visible()]
    assert len(covers) == 12 - min(12, d.n_errors)  # covered tiles = those with no error to show
    ax = plot_feedback_types(facts.feedback_types(), highlight=5)
    assert len(ax.get_yticklabels()) == 6
    plt.close("all")


# --------------------------------------------------------------------------- widgets


def test_threshold_explorer_slider_changes_picture_and_numbers(run):
    from mlcourse.design.widgets import threshold_explorer

    box = threshold_explorer(run, threshold=0.9)
    assert "mlcourse-thresholds" in box.root._dom_classes
    slider, summary, image = box.root.children
    assert slider is box.controls["threshold"] and slider.description
    first = bytes(image.value)
    assert first.startswith(b"\x89PNG")
    slider.value = 0.5
    assert bytes(image.value) != first
    d = run.curve.at(0.5)
    assert f"<b>{d.n_acted}</b>" in summary.value and f"<b>{d.n_errors}</b>" in summary.value
    # Going back restores exactly the first picture: the blitted background is not left dirty.
    box.update(0.9)
    assert slider.value == 0.9
    assert bytes(image.value) == first


def test_feedback_explorer_dropdown_changes_picture():
    from mlcourse.design.widgets import feedback_explorer

    box = feedback_explorer()
    assert "mlcourse-feedback" in box.root._dom_classes
    dropdown, card, image = box.root.children
    first = bytes(image.value)
    dropdown.value = 6
    assert bytes(image.value) != first
    assert "Model corrections" in card.value and "gold standard" in card.value


# --------------------------------------------------------------------------- questions


def test_every_question_has_right_wrong_and_blank_outcomes():
    from mlcourse.quiz import ____, lecture

    questions = lecture("design")
    assert len(questions) >= 12
    for q in questions:
        assert not q.check(____).correct
        assert "not attempted" in str(q.check(____)).lower()
        if q.kind == "text":
            continue
        assert q.check(q.answer).correct, q.id
        wrong = {
            "single": lambda: next(label for label in q.choices if label != q.answer),
            "multiple": lambda: [label for label in q.choices if label not in q.answer][:1],
            "ordering": lambda: list(reversed(q.answer)),
            "match": lambda: {item: next(c for c in q.choices if c != q.answer[item]) for item in q.items},
            "numeric": lambda: q.answer + 10 * q.data["tolerance"] + 1,
        }[q.kind]()
        assert not q.check(wrong).correct, q.id


def test_questions_close_every_notebook_section():
    import json
    from pathlib import Path

    from mlcourse.quiz import lecture

    sections = {q.data["section"] for q in lecture("design")}
    nb = json.loads((Path(__file__).parents[2] / "notebooks/05_design.ipynb").read_text())
    headings = [
        line[3:].strip()
        for cell in nb["cells"] if cell["cell_type"] == "markdown"
        for line in "".join(cell["source"]).splitlines() if line.startswith("## ")
    ]
    assert headings and set(headings) == sections


def test_summary_text_by_hand():
    from mlcourse.design.model.thresholds import Decisions
    from mlcourse.design.text import decisions_summary

    # Tiny case at 0.6: acts on 3 of 4 (75.0%), 2 right (66.7%), 1 wrong, 1 deferred.
    text = decisions_summary(Decisions(0.6, 4, 3, 2), 0.0, 1, pictured=1)
    assert "<b>3</b> of 4" in text and "<b>75.0%</b>" in text and "<b>66.7%</b>" in text
    assert "<b>1</b> wrong" in text and "All of them are pictured" in text
    assert "The other <b>1</b> go to a person" in text and "<b>0%</b>" in text
    # Nothing acted on: all four deferred, top-1 suggestions right for half of them.
    text = decisions_summary(Decisions(1.0, 4, 0, 0), 0.5, 1)
    assert "none of the 4" in text and "<b>4</b> go to a person" in text and "<b>50%</b>" in text
