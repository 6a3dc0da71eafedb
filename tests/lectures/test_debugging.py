"""mlcourse.debugging: scenario signatures over seeds, the curve classifier, the table and key,
the mystery exercise and the widgets. Expected numbers are worked out by hand in the comments."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mlcourse import debugging as d
from mlcourse.content import load
from mlcourse.debugging.mlp import TrainConfig, single_batch
from mlcourse.debugging.shapes import curve_stats
from mlcourse.debugging.table import partial_credit

SEEDS = range(5)
LN10 = math.log(10)  # 2.302585: cross-entropy of a uniform guess over 10 classes


def losses(name, seed, **kw):
    return np.asarray(d.run_scenario(name, seed=seed, **kw).losses)


# --- every scenario has its documented shape on every test seed ---------------------------

@pytest.mark.parametrize("name", list(d.SCENARIOS))
def test_scenario_has_documented_shape_on_every_seed(name):
    want = d.scenario_specs()[name].shape
    got = {seed: d.classify_curve(losses(name, seed)) for seed in SEEDS}
    assert set(got.values()) == {want}, got


# --- the signatures the lecture states --------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_healthy_starts_near_uniform_and_ends_below_one_percent(seed):
    curve = losses("healthy", seed)
    # Small initial logits give roughly the uniform guess, ln 10 = 2.30.
    assert abs(curve[0] - LN10) < 0.3
    assert curve[-1] < 0.01 * curve[0]


@pytest.mark.parametrize("seed", SEEDS)
def test_flipped_sign_rises_on_every_step(seed):
    curve = losses("flipped_gradient_sign", seed)
    assert np.isfinite(curve).all()
    assert (np.diff(curve) > 0).all()


@pytest.mark.parametrize("seed", SEEDS)
def test_flipped_sign_at_healthy_lr_overflows(seed):
    # At lr 0.5 the ascent grows the weights geometrically until float32 overflows.
    assert not np.isfinite(losses("flipped_gradient_sign", seed, lr=0.5)).all()


@pytest.mark.parametrize("seed", SEEDS)
def test_lr_too_low_never_rises_and_ends_above_80_percent(seed):
    curve = losses("lr_too_low", seed)
    assert (np.diff(curve) <= 0).all()
    assert curve[-1] > 0.8 * curve[0]


@pytest.mark.parametrize("seed", SEEDS)
def test_float16_naive_goes_non_finite_while_stable_twin_does_not(seed):
    naive = losses("naive_softmax_float16", seed)
    stable = losses("stable_loss_float16", seed)
    first_bad = int(np.argmin(np.isfinite(naive)))
    assert not np.isfinite(naive).all() and first_bad > 50  # it trains for a while first
    assert np.isfinite(stable).all()
    # Until the overflow the two runs are the same computation up to float16 rounding.
    np.testing.assert_allclose(naive[:50], stable[:50], rtol=0.02)


@pytest.mark.parametrize("seed", SEEDS)
def test_unscaled_naive_overflows_at_once_and_stable_twin_spikes(seed):
    naive = losses("naive_softmax_unscaled", seed)
    stable = losses("stable_loss_unscaled", seed)
    assert np.isfinite(naive[0]) and not np.isfinite(naive[1:]).any()
    assert np.isfinite(stable).all() and stable.max() > 10 * stable[0]


def label_entropy() -> float:
    # Labels of the 64 digits: counts 8 6 7 8 4 7 5 7 6 6, entropy = 2.2842 nats.
    counts = np.bincount(single_batch()[1], minlength=10)
    assert counts.tolist() == [8, 6, 7, 8, 4, 7, 5, 7, 6, 6]
    p = counts / counts.sum()
    return float(-(p * np.log(p)).sum())


@pytest.mark.parametrize("seed", SEEDS)
def test_lr_too_high_spikes_then_freezes_at_class_prior(seed):
    curve = losses("lr_too_high", seed)
    assert curve.max() > 3 * curve[0]
    tail = curve[-50:]
    assert np.ptp(tail) < 1e-6  # dead ReLUs: nothing changes any more
    # With every hidden unit dead, only the output bias learns; its best value predicts the
    # label frequencies, whose cross-entropy is the label entropy 2.2842.
    assert tail[-1] == pytest.approx(label_entropy(), abs=2e-3)


@pytest.mark.parametrize("seed", SEEDS)
def test_lr_far_too_high_explodes_and_swings(seed):
    curve = losses("lr_far_too_high", seed)
    # The lecture says "a factor of ten thousand or more"; seeds 0-4 peak at 9.4e3 to 6.3e6 times the start.
    assert curve.max() > 9000 * curve[0]
    tail = curve[-40:]
    assert tail.mean() > 2 * curve[0] and (np.diff(tail) > 0).mean() > 0.3


@pytest.mark.parametrize("seed", SEEDS)
def test_shuffled_labels_once_memorised_by_normal_model_not_by_tiny_one(seed):
    normal = losses("shuffled_labels_once", seed)
    tiny = losses("shuffled_labels_once_tiny_model", seed)
    healthy = losses("healthy", seed)
    assert normal[-1] < 0.1 * normal[0]
    assert normal[-1] > healthy[-1]  # memorising noise is slower than learning digits
    assert tiny[-1] > 0.5 * tiny[0]


@pytest.mark.parametrize("seed", SEEDS)
def test_shuffled_every_step_hovers_near_uniform(seed):
    tail = losses("shuffled_labels_every_step", seed)[-40:]
    assert abs(tail.mean() - LN10) < 0.1


@pytest.mark.parametrize("seed", SEEDS)
def test_too_big_model_overfits_the_batch_better(seed):
    assert losses("too_big_model", seed)[-1] < losses("healthy", seed)[-1]


@pytest.mark.parametrize("seed", SEEDS)
def test_probs_as_logits_cannot_go_below_its_floor(seed):
    # Softmax of probabilities: at best one-hot [1, 0, ..., 0] -> e / (e + 9), loss ln(1 + 9/e) = 1.4612.
    floor = math.log(1 + 9 / math.e)
    assert floor == pytest.approx(1.4612, abs=1e-4)
    curve = losses("probs_as_logits", seed)
    assert curve.min() > floor and curve[-1] < 1.7


@pytest.mark.parametrize("seed", SEEDS)
def test_softmax_wrong_axis_starts_near_ln_batch_size(seed):
    curve = d.run_scenario("softmax_wrong_axis", seed=seed)
    # A softmax over 64 samples starts near ln 64 = 4.159, not ln 10.
    assert abs(curve.losses[0] - math.log(64)) < 0.15
    # What the model really does: the true cross-entropy stalls far from zero (healthy: 0.009)
    # and the batch is never classified perfectly.
    assert 0.15 < curve.true_losses[-1] < 0.8
    assert curve.accuracy.max() < 1.0


@pytest.mark.parametrize("seed", SEEDS)
def test_too_much_regularisation_levels_off_far_above_zero(seed):
    curve = losses("too_much_regularisation", seed)
    assert 0.2 * curve[0] < curve[-1] < 0.6 * curve[0]
    assert abs(curve[-1] - curve[-20]) < 0.01


def test_healthy_true_loss_equals_logged_loss_and_accuracy_reaches_one():
    curve = d.run_scenario("healthy")
    np.testing.assert_allclose(curve.losses, curve.true_losses, rtol=1e-4)
    assert curve.accuracy[-1] == 1.0


# --- run_scenario contract ----------------------------------------------------------------

def test_run_scenario_fields_overrides_and_cache():
    curve = d.run_scenario("healthy", seed=3, lr=0.1, dtype="float64", steps=30)
    assert (curve.scenario, curve.seed, curve.lr, curve.dtype) == ("healthy", 3, 0.1, "float64")
    assert curve.losses.shape == (30,) and curve.steps == 30
    assert d.run_scenario("healthy", seed=3, lr=0.1, dtype="float64", steps=30) is curve
    with pytest.raises(ValueError):
        curve.losses[0] = 1.0  # shared cached arrays are read-only


def test_run_scenario_is_deterministic_per_seed():
    from mlcourse.debugging.mlp import train

    a = train(TrainConfig(steps=20), seed=7).losses
    b = train(TrainConfig(steps=20), seed=7).losses
    c = train(TrainConfig(steps=20), seed=8).losses
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_run_scenario_rejects_unknown_names_and_dtypes():
    with pytest.raises(KeyError):
        d.run_scenario("no_such_scenario")
    with pytest.raises(ValueError):
        d.run_scenario("healthy", dtype="int8")


def test_scenarios_mapping_is_name_to_description():
    assert "healthy" in d.SCENARIOS and "lr_far_too_high" in d.SCENARIOS
    assert all(isinstance(v, str) and v for v in d.SCENARIOS.values())


# --- classifier on hand-made curves -------------------------------------------------------

def test_curve_stats_by_hand():
    s = curve_stats(np.array([2.0, 4.0, 3.0, 1.0]))
    # first 2, last 1, peak 4/2 = 2, one rise out of three steps; tail = last 10 -> whole curve,
    # mean 2.5 -> tail_ratio 1.25; diffs 2, -1, -2 -> std 1.6997 / 2.5 = 0.6799.
    assert (s.first, s.last, s.peak_ratio) == (2.0, 1.0, 2.0)
    assert s.rising_fraction == pytest.approx(1 / 3)
    assert s.tail_ratio == pytest.approx(1.25)
    assert s.tail_noise == pytest.approx(np.std([2.0, -1.0, -2.0]) / 2.5)
    assert s.first_non_finite is None


@pytest.mark.parametrize("curve, label", [
    (2.3 * 0.97 ** np.arange(200), "overfits"),                         # ends at 2.3 * 0.0023
    (np.linspace(2.3, 9.0, 100), "rises"),
    (np.r_[np.linspace(2.3, 0.5, 50), [np.nan] * 50], "non_finite"),
    (np.r_[2.3, np.inf, 2.0], "non_finite"),
    (2.3 - 0.001 * np.arange(100), "plateau_smooth"),                     # ends at 90% of start
    (2.3 + 0.03 * (-1.0) ** np.arange(100), "plateau_noisy"),             # tail noise 0.026 > 0.003
    (np.r_[2.3, 40.0, 9.0, np.full(97, 2.28)], "spike_then_plateau"),
    (np.r_[2.3, 1e4, 30.0 + 5 * (-1.0) ** np.arange(98)], "explodes_oscillates"),  # tail 13x start
    (np.r_[2.3, 40.0, 2.2 + 0.1 * (-1.0) ** np.arange(98)], "explodes_oscillates"),  # spike + noisy tail
])
def test_classify_curve_hand_made(curve, label):
    assert d.classify_curve(curve) == label


def test_classify_curve_needs_a_curve():
    with pytest.raises(ValueError):
        d.classify_curve(np.array([1.0]))


# --- table, key and grading ---------------------------------------------------------------

def test_content_ids_are_consistent():
    data = d.troubleshooting()
    causes = set(data["causes"])
    assert {spec.cause for spec in d.scenario_specs().values()} <= causes
    for row in data["symptoms"]:
        for entry in row["entries"]:
            assert set(entry["causes"]) <= causes
    rows = {row["id"] for row in data["symptoms"]}
    assert set(data["shapes"]) == set(d.SHAPE_LABELS)
    assert all(set(s["symptoms"]) <= rows for s in data["shapes"].values())


def test_table_causes_by_hand():
    # "Error goes up": flipped sign, learning rate too high, softmax over the wrong axis.
    assert d.table_causes("rises") == {"flipped_sign", "lr_too_high", "softmax_wrong_axis"}
    # NaN reads as "explodes": numerical problem or learning rate too high.
    assert d.table_causes("non_finite") == {"numerical_instability", "lr_too_high"}
    assert d.table_causes("overfits") == frozenset()


def test_key_for_a_noisy_plateau():
    key = d.answer_key("plateau_noisy")
    assert {"shuffled_labels", "lr_too_high"} <= key
    assert not key & {"lr_too_low", "numerical_instability", "too_big_model", "none"}


def test_simulation_shows_what_a_single_batch_cannot_tell_apart():
    # A curve that overfits could be a healthy run, a too-big model or memorised shuffled labels.
    assert d.simulated_causes("overfits") == {"none", "too_big_model", "shuffled_labels"}
    # The simulation adds a cause the table files under another symptom.
    verdicts = {v.cause: v for v in d.verdicts("plateau_smooth")}
    assert verdicts["softmax_wrong_axis"].in_simulation and not verdicts["softmax_wrong_axis"].in_table


def test_partial_credit_by_hand():
    key = frozenset({"a", "b"})
    assert partial_credit({"a", "b"}, key) == 1.0
    assert partial_credit({"a"}, key) == 0.5          # (1 - 0) / 2
    assert partial_credit({"a", "c"}, key) == 0.0      # (1 - 1) / 2
    assert partial_credit({"c", "d", "a"}, key) == 0.0  # max(0, (1 - 2) / 2)


def test_interview_curve_question_agrees_with_the_simulation():
    """The lecture's select-all question (noisy high plateau) keys exactly the seed options
    that the table or simulation support for that shape."""
    bank = load("questions/interview")["questions"]
    q = next(q for q in bank if q["kind"] == "multiple" and "noisy" in q["prompt"])
    option_cause = {"a": "shuffled_labels", "b": "lr_too_low", "c": "lr_too_high",
                    "d": "numerical_instability", "e": "too_big_model"}
    assert {option_cause[c] for c in q["answer"]} == d.answer_key("plateau_noisy") & set(option_cause.values())


# --- mystery exercise ---------------------------------------------------------------------

def test_mystery_is_reproducible_and_its_key_holds_the_hidden_cause():
    for draw in range(12):
        m = d.draw_mystery(draw)
        assert d.draw_mystery(draw).curve is m.curve  # same draw, same cached run
        assert m.hidden_cause in m.key
        assert m.shape == d.classify_curve(m.curve.losses)
        grade = d.grade_mystery(m, m.key)
        assert grade.correct and grade.score == 1.0
        assert d.grade_mystery(m, set()).score == 0.0


def test_mystery_grading_reports_missed_and_wrong():
    m = d.draw_mystery(0)
    extra = next(c for c in d.causes() if c not in m.key)
    grade = d.grade_mystery(m, {m.hidden_cause, extra})
    assert extra in grade.wrong and not grade.correct
    with pytest.raises(KeyError):
        d.grade_mystery(m, {"gremlins"})


# --- plot and widgets ---------------------------------------------------------------------

def test_plot_curve_marks_non_finite_steps():
    ax = d.plot_curve(d.run_scenario("naive_softmax_unscaled"))
    assert ax.get_yscale() == "log"
    assert any("from step 1" in t.get_text() for t in ax.texts)


def test_curve_explorer_redraws_and_resets_lr_per_scenario():
    w = d.curve_explorer()
    controls = w.controls
    png_before = w.view.image.value
    controls["scenario"].value = "lr_far_too_high"
    assert controls["lr"].value == pytest.approx(50.0)
    assert w.view.image.value != png_before
    controls["seed"].value = 2
    controls["dtype"].value = "float64"
    assert "mlcourse-curve-explorer" in w.root._dom_classes


def test_mystery_widget_grades_checked_boxes():
    w = d.mystery_curve_exercise(draw=4)
    m = d.draw_mystery(4)
    for cause in m.key:
        w.checkboxes[cause].value = True
    w.buttons["check"].click()
    feedback = w.root.children[-1].value
    assert "Correct" in feedback and m.curve.scenario in feedback
    w.buttons["reveal"].click()
    assert "Hidden run" in w.root.children[-1].value and "in key" in w.root.children[-1].value
    w.buttons["new"].click()
    assert not any(box.value for box in w.checkboxes.values())


def test_markdown_tables_cover_every_row_and_shape():
    table = d.table_markdown()
    # 3 + 2 + 2 + 5 entries in the four symptom rows, plus the header and rule lines.
    assert table.split("\n\n")[0].count("\n") + 1 == 2 + 12
    assert "Tobin" in table
    agreement = d.agreement_markdown()
    assert agreement.count("\n") + 1 == 2 + len(d.SHAPE_LABELS)


def test_gallery_has_one_titled_panel_per_scenario():
    names = ["healthy", "lr_too_low", "flipped_gradient_sign"]
    fig = d.plot_gallery(names, ncols=2)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 3
    assert visible[2].get_title() == "flipped_gradient_sign\n[rises]"
