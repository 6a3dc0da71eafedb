"""mlcourse.losses: hand-computed values, gradients against finite differences, CTC against
brute-force enumeration of alignments, the task table and the wrong-loss demos."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mlcourse import losses as L
from mlcourse.losses import demos, plots

RNG = np.random.default_rng(1234)


def numeric_grad(f, x, eps=1e-6):
    """Central finite differences of a scalar function of an array."""
    x = np.array(x, dtype=np.float64)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += eps
        down[i] -= eps
        g[i] = (f(up) - f(down)) / (2 * eps)
    return g


# --- values by hand -----------------------------------------------------------------------

def test_mse_by_hand():
    # ((1-0)^2 + (2-0)^2) / 2 = 2.5; gradient 2 (pred - target) / n = [1, 2]
    assert L.mse([1.0, 2.0], [0.0, 0.0]) == 2.5
    np.testing.assert_allclose(L.mse_grad([1.0, 2.0], [0.0, 0.0]), [1.0, 2.0])


def test_binary_cross_entropy_by_hand_and_stable():
    assert L.binary_cross_entropy([0.0], [1.0]) == pytest.approx(math.log(2))  # 0.693147
    # Logit 1000 with target 0 costs 1000 nats; naive log(1 - sigmoid) would give inf.
    assert L.binary_cross_entropy([1000.0], [0.0]) == pytest.approx(1000.0)
    assert L.binary_cross_entropy([-1000.0], [0.0]) == pytest.approx(0.0, abs=1e-12)


def test_categorical_cross_entropy_by_hand_and_stable():
    assert L.categorical_cross_entropy(np.zeros((2, 4)), [0, 3]) == pytest.approx(math.log(4))  # 1.386294
    # logits [1000, 0], label 1: log-sum-exp = 1000, so the loss is 1000 - 0 = 1000.
    assert L.categorical_cross_entropy(np.array([[1000.0, 0.0]]), [1]) == pytest.approx(1000.0)


def test_sigmoid_and_softplus_do_not_overflow():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert L.sigmoid(np.array(-1000.0)) == 0.0
        assert L.sigmoid(np.array(1000.0)) == 1.0
        assert L.softplus(np.array(1000.0)) == pytest.approx(1000.0)


# --- gradients match finite differences ---------------------------------------------------

def test_mse_grad_matches_finite_differences():
    pred, target = RNG.normal(size=7), RNG.normal(size=7)
    np.testing.assert_allclose(L.mse_grad(pred, target), numeric_grad(lambda p: L.mse(p, target), pred), atol=1e-7)


def test_binary_cross_entropy_grad_matches_finite_differences():
    z, y = RNG.normal(scale=3, size=6), RNG.uniform(size=6)
    np.testing.assert_allclose(L.binary_cross_entropy_grad(z, y),
                               numeric_grad(lambda v: L.binary_cross_entropy(v, y), z), atol=1e-7)


def test_categorical_cross_entropy_grad_matches_finite_differences():
    z, labels = RNG.normal(scale=2, size=(5, 4)), np.array([0, 3, 1, 1, 2])
    np.testing.assert_allclose(L.categorical_cross_entropy_grad(z, labels),
                               numeric_grad(lambda v: L.categorical_cross_entropy(v, labels), z), atol=1e-7)


@pytest.mark.parametrize("target", [[1, 3, 3], [2], [], [1, 2, 1]])
def test_ctc_grad_matches_finite_differences(target):
    z = RNG.normal(size=(6, 4))
    np.testing.assert_allclose(L.ctc_grad(z, target), numeric_grad(lambda v: L.ctc_loss(v, target), z), atol=1e-6)


def test_gan_grads_match_finite_differences():
    real, fake = RNG.normal(size=5), RNG.normal(size=4)
    g_real, g_fake = L.gan_discriminator_grad(real, fake)
    np.testing.assert_allclose(g_real, numeric_grad(lambda r: L.gan_discriminator_loss(r, fake), real), atol=1e-7)
    np.testing.assert_allclose(g_fake, numeric_grad(lambda f: L.gan_discriminator_loss(real, f), fake), atol=1e-7)
    for kind in L.GENERATOR_KINDS:
        np.testing.assert_allclose(L.gan_generator_grad(fake, kind),
                                   numeric_grad(lambda f: L.gan_generator_loss(f, kind), fake), atol=1e-7)


# --- CTC ----------------------------------------------------------------------------------

def test_collapse_by_hand():
    assert L.collapse((1, 1, 0, 2, 2, 0, 2)) == (1, 2, 2)  # merge repeats, drop blanks
    assert L.collapse((0, 0)) == ()


def test_ctc_by_hand_two_steps():
    # T=2, symbols {blank, 1}, uniform: paths "11", "1_", "_1" collapse to "1", each 1/4 -> p = 3/4.
    assert L.ctc_loss(np.zeros((2, 2)), [1]) == pytest.approx(math.log(4 / 3))  # 0.287682


def test_ctc_repeated_symbol_needs_a_blank_between():
    # "1 1" needs at least 3 steps (1 _ 1); with 2 steps no path collapses to it.
    assert L.ctc_loss(RNG.normal(size=(2, 3)), [1, 1]) == math.inf
    # With 3 uniform steps over 3 symbols exactly one path (1 _ 1) fits: p = 1/27.
    assert L.ctc_loss(np.zeros((3, 3)), [1, 1]) == pytest.approx(math.log(27))


@pytest.mark.parametrize("steps, symbols, target", [
    (1, 2, [1]), (1, 2, []), (2, 2, [1]), (3, 3, [1, 1]), (4, 3, [1, 2]), (4, 3, []),
    (5, 3, [1, 1]), (5, 3, [2, 1, 2]), (6, 4, [1, 2, 1]), (6, 3, [2, 2, 2]), (7, 3, [1]),
])
def test_ctc_matches_brute_force(steps, symbols, target):
    z = RNG.normal(scale=1.5, size=(steps, symbols))
    assert L.ctc_loss(z, target) == pytest.approx(L.ctc_loss_brute_force(z, target), rel=1e-10)


def test_ctc_blank_can_be_any_index():
    z = RNG.normal(size=(5, 3))
    assert L.ctc_loss(z, [0, 1], blank=2) == pytest.approx(L.ctc_loss_brute_force(z, [0, 1], blank=2))


def test_ctc_grad_rows_sum_to_zero():
    # softmax sums to 1 per step, and so does the alignment occupancy.
    g = L.ctc_grad(RNG.normal(size=(6, 4)), [1, 2])
    np.testing.assert_allclose(g.sum(axis=1), 0.0, atol=1e-12)


def test_ctc_rejects_blank_in_target():
    with pytest.raises(ValueError):
        L.ctc_loss(np.zeros((3, 3)), [0, 1])


# --- GAN ----------------------------------------------------------------------------------

def test_gan_losses_by_hand():
    # D(x) = 0.5 everywhere: -log 0.5 - log 0.5 = 2 ln 2 = 1.386294
    assert L.gan_discriminator_loss([0.0], [0.0]) == pytest.approx(2 * math.log(2))
    assert L.gan_generator_loss([0.0], "minimax") == pytest.approx(-math.log(2))
    assert L.gan_generator_loss([0.0], "non_saturating") == pytest.approx(math.log(2))


def test_minimax_generator_saturates_when_discriminator_wins():
    # D rejects a fake with logit -5: sigmoid(-5) = 0.006693.
    # minimax gradient -sigmoid(-5) = -0.006693; non-saturating sigmoid(-5) - 1 = -0.993307.
    assert L.gan_generator_grad([-5.0], "minimax")[0] == pytest.approx(-0.006693, abs=1e-6)
    assert L.gan_generator_grad([-5.0], "non_saturating")[0] == pytest.approx(-0.993307, abs=1e-6)
    with pytest.raises(ValueError):
        L.gan_generator_loss([0.0], "wasserstein")


# --- task table ---------------------------------------------------------------------------

def test_exam_tasks_have_the_expected_losses():
    key = {t.id: t.loss for t in L.loss_tasks(exam_only=True)}
    assert key == {"house": "a", "porn": "c", "email": "b", "voice": "c"}
    assert L.loss_options()["d"] == "CTC loss" and L.loss_options()["e"] == "GAN loss"


def test_ctc_and_gan_each_have_a_task_and_every_wrong_option_is_explained():
    tasks = L.loss_tasks()
    assert {t.loss for t in tasks} == set(L.loss_options())
    for t in tasks:
        assert set(t.why_not) == set(L.loss_options()) - {t.loss}, t.id


def test_voice_explanation_says_why_ctc_and_gan_are_wrong():
    voice = next(t for t in L.loss_tasks() if t.id == "voice")
    assert "CTC" in voice.explanation and "GAN" in voice.explanation


def test_check_matching():
    fb = {f.task: f for f in L.check_matching({"house": "a", "voice": "d"})}
    assert fb["house"].correct and not fb["voice"].correct
    assert "yes/no" in fb["voice"].message
    with pytest.raises(KeyError):
        L.check_matching({"house": "z"})


# --- demos --------------------------------------------------------------------------------

def test_saturation_point_by_hand():
    # z = -4, y = 1: s = 1/(1+e^4) = 0.017986; ratio 2 s (1-s) = 0.035325 (28.3x weaker).
    p = demos.saturation_point(-4.0)
    assert p.bce_grad == pytest.approx(0.017986 - 1, abs=1e-6)
    assert p.ratio == pytest.approx(0.035325, abs=1e-6)
    assert 1 / p.ratio == pytest.approx(28.31, abs=0.01)


def test_sigmoid_loss_race_cross_entropy_recovers_mse_stalls():
    race = demos.sigmoid_loss_race()
    assert race.start_accuracy < 0.1  # confidently wrong on >90% of the data
    assert race.bce_accuracy[10] > 0.9
    assert race.mse_accuracy[50] < 0.3
    assert race.mse_accuracy[-1] > 0.9  # MSE gets there eventually: slow, not impossible


def test_class_index_regression_is_far_worse_than_classes():
    r = demos.class_index_regression()
    assert r.regression_accuracy < 0.35 and r.softmax_accuracy > 0.9


def test_binned_regression_argmax_ignores_distance():
    r = demos.binned_regression()
    assert r.mae_bins_argmax > r.mae_regression
    assert r.mean_bin_distance_of_mistakes > 1.5  # wrong bins are often far off, not neighbours


def test_distance_blindness_by_hand():
    out = demos.distance_blindness(n_bins=10, true_bin=5, p_true=0.6)
    # CE only sees the 0.6 on the right bin: -ln 0.6 = 0.5108, near or far.
    assert out["ce_near"] == pytest.approx(-math.log(0.6)) == out["ce_far"]
    # Squared bin error: 0.4 * 1^2 = 0.4 for bin 6; 0.4 * 5^2 = 10 for bin 0.
    assert out["expected_sq_error_near"] == pytest.approx(0.4)
    assert out["expected_sq_error_far"] == pytest.approx(10.0)


def test_demo_plots_return_axes():
    assert plots.plot_loss_race(demos.sigmoid_loss_race()).get_ylabel() == "training accuracy"
    assert plots.plot_class_index(demos.class_index_regression()).get_xlabel() == "true digit"


def test_tasks_markdown_lists_exam_tasks_first():
    rows = L.tasks_markdown().split("\n")[2:]
    exam_flags = ["*(exam)*" in r for r in rows if r.startswith("|")]
    assert exam_flags == [True] * 4 + [False] * 4
