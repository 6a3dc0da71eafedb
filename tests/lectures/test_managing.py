"""Unit tests for mlcourse.managing: every expected number is worked out by hand in a comment.

Monte Carlo checks use a stated tolerance: four binomial (or sample) standard errors, so a correct
simulation fails less than once in 10,000 runs, and the seeds are fixed so the tests are repeatable.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from mlcourse.managing import (
    ProgressParams,
    Task,
    approach_probabilities,
    compare_orders,
    deadline_percentile,
    draw_outcomes,
    example_tasks,
    expected_finish,
    expected_gap,
    expected_total_value,
    linear_plan,
    p_at_least_one,
    p_at_least_one_prefix,
    replanned_order,
    run_order,
    simulate_portfolio,
    simulate_progress,
    success_count_pmf,
    waterfall_order,
)
from mlcourse.managing.plots import ordinal
from mlcourse.managing.model.progress import longest_run

# --------------------------------------------------------------------------- portfolio odds


def test_p_at_least_one_by_hand():
    # 1 - 0.5 * 0.5 = 0.75
    assert p_at_least_one([0.5, 0.5]) == pytest.approx(0.75)
    # 1 - 0.8 * 0.7 * 0.5 = 1 - 0.28 = 0.72
    assert p_at_least_one([0.2, 0.3, 0.5]) == pytest.approx(0.72)
    # three approaches at 40%: 1 - 0.6^3 = 1 - 0.216 = 0.784
    assert p_at_least_one([0.4] * 3) == pytest.approx(0.784)
    assert p_at_least_one([0.0]) == 0.0
    assert p_at_least_one([1.0, 0.1]) == 1.0


def test_prefix_odds_by_hand():
    # first: 0.2; first two: 1 - 0.8*0.7 = 0.44; all three: 0.72
    assert p_at_least_one_prefix([0.2, 0.3, 0.5]) == pytest.approx([0.2, 0.44, 0.72])


def test_success_count_pmf_by_hand():
    # two fair coins: 0, 1, 2 successes with 1/4, 1/2, 1/4
    assert success_count_pmf([0.5, 0.5]) == pytest.approx([0.25, 0.5, 0.25])
    # p = 0.2 and 0.5: none 0.8*0.5 = 0.4; one 0.2*0.5 + 0.8*0.5 = 0.5; both 0.2*0.5 = 0.1
    assert success_count_pmf([0.2, 0.5]) == pytest.approx([0.4, 0.5, 0.1])


def test_approach_probabilities_decay():
    # 0.4, then half as likely each time: 0.4, 0.2, 0.1
    assert approach_probabilities(3, 0.4, 0.5) == pytest.approx([0.4, 0.2, 0.1])
    with pytest.raises(ValueError):
        approach_probabilities(0, 0.4)


def test_bad_probabilities_rejected():
    for bad in ([], [1.2], [-0.1, 0.5]):
        with pytest.raises(ValueError):
            p_at_least_one(bad)


def test_portfolio_simulation_matches_closed_form():
    ps = [0.2, 0.3, 0.5]
    n = 200_000
    sim = simulate_portfolio(ps, n=n, seed=1)
    # tolerance: 4 standard errors; SE = sqrt(0.72 * 0.28 / 200000) = 0.001004
    tolerance = 4 * math.sqrt(0.72 * 0.28 / n)
    assert abs(sim.p_at_least_one() - 0.72) < tolerance
    assert np.all(np.abs(sim.p_at_least_one_prefix() - [0.2, 0.44, 0.72]) < tolerance)
    # count distribution: exact 0.28 / ... ; each share within 4 SE of the exact probability
    exact = success_count_pmf(ps)
    assert np.all(np.abs(sim.count_frequencies() - exact) < 4 * np.sqrt(exact * (1 - exact) / n) + 1e-12)
    assert sim.standard_error()[-1] == pytest.approx(math.sqrt(0.72 * 0.28 / n), rel=0.02)


def test_portfolio_fixed_seed_fixed_result():
    a = simulate_portfolio([0.3, 0.3], n=1_000, seed=7)
    b = simulate_portfolio([0.3, 0.3], n=1_000, seed=7)
    c = simulate_portfolio([0.3, 0.3], n=1_000, seed=8)
    assert np.array_equal(a.works, b.works)
    assert a.p_at_least_one() == b.p_at_least_one()
    assert not np.array_equal(a.works, c.works)


# --------------------------------------------------------------------------- planner

# A: p=0.5, value 10, 2 weeks -> expected 5, 2.5 per week
# B: p=1.0, value 4, 1 week   -> expected 4, 4.0 per week
# C: p=0.2, value 30, 3 weeks -> expected 6, 2.0 per week
HAND = [Task("A", 0.5, 10, 2, spread=0.0), Task("B", 1.0, 4, 1, spread=0.0), Task("C", 0.2, 30, 3, spread=0.0)]


def test_closed_forms_by_hand():
    assert expected_total_value(HAND) == pytest.approx(15.0)  # 5 + 4 + 6
    assert expected_finish(HAND) == pytest.approx(6.0)  # 2 + 1 + 3


def test_orders():
    assert waterfall_order(HAND) == [0, 1, 2]
    assert replanned_order(HAND) == [1, 0, 2]  # rates 4.0 (B) > 2.5 (A) > 2.0 (C)
    # ties keep the written order
    tied = [Task("x", 0.5, 2, 1), Task("y", 1.0, 1, 1)]
    assert replanned_order(tied) == [0, 1]


def test_monte_carlo_expected_value_matches_sum_p_v():
    n = 200_000
    draws = draw_outcomes(HAND, n=n, seed=3)
    sim = run_order(HAND, [0, 1, 2], draws, deadline=math.inf)
    # Var = sum p(1-p) v^2 = 0.25*100 + 0 + 0.16*900 = 169, SD 13; tolerance 4 SE = 4*13/sqrt(n) = 0.116
    assert abs(sim.mean_delivered - 15.0) < 4 * 13 / math.sqrt(n)
    # with durations that have a spread, the mean finish time is the sum of mean durations (2+1+3 = 6)
    spread = [Task(t.name, t.p_success, t.value, t.duration, spread=0.5) for t in HAND]
    finish = run_order(spread, [0, 1, 2], draw_outcomes(spread, n=n, seed=4), deadline=math.inf).finish
    assert abs(finish.mean() - 6.0) < 4 * finish.std() / math.sqrt(n)


def test_deadline_values_by_hand():
    draws = draw_outcomes(HAND, n=50_000, seed=5)
    # deadline 1: waterfall runs A first (ends week 2) -> nothing; re-planned runs B first (ends week 1) -> 4
    assert run_order(HAND, [0, 1, 2], draws, 1.0).delivered.max() == 0.0
    assert np.all(run_order(HAND, [1, 0, 2], draws, 1.0).delivered == 4.0)
    # deadline 3: both orders finish A and B (2 + 1 weeks) but not C -> expected 5 + 4 = 9
    for order in ([0, 1, 2], [1, 0, 2]):
        sim = run_order(HAND, order, draws, 3.0)
        assert abs(sim.mean_delivered - 9.0) < 4 * 5 / math.sqrt(50_000)  # SD of A's value is 5
        assert np.all(sim.finish == 6.0)


def test_value_curve_by_hand():
    draws = draw_outcomes(HAND, n=50_000, seed=6)
    sim = run_order(HAND, [1, 0, 2], draws, 6.0)
    curve = sim.value_curve(np.array([0.5, 1.0, 2.5, 3.0, 6.0]))
    # B is done at 1 (4 points), A at 3 (+5 expected), C at 6 (+6 expected); "by t" includes t itself
    assert curve[:3] == pytest.approx([0.0, 4.0, 4.0])
    assert sim.value_curve(np.array([0.5, 2.0]))[0] == 0.0  # nothing has ended by week 0.5
    assert curve[3] == pytest.approx(9.0, abs=4 * 5 / math.sqrt(50_000))
    assert curve[4] == pytest.approx(sim.mean_delivered)


def test_deadline_percentile_by_hand():
    finish = np.array([4.0, 5.0, 6.0, 7.0])
    assert deadline_percentile(finish, 5.5) == 50.0  # two of four finish by 5.5
    assert deadline_percentile(finish, 7.0) == 100.0
    assert deadline_percentile(finish, 3.9) == 0.0
    comparison = compare_orders(HAND, deadline=6.0, n=100, seed=0)
    assert comparison.percentile == 100.0  # every future takes exactly 6 weeks
    assert compare_orders(HAND, deadline=5.9, n=100, seed=0).percentile == 0.0


def test_planner_fixed_seed_and_order_effect():
    tasks = example_tasks()
    a = compare_orders(tasks, deadline=15, n=5_000, seed=11)
    b = compare_orders(tasks, deadline=15, n=5_000, seed=11)
    assert np.array_equal(a.waterfall.delivered, b.waterfall.delivered)
    assert a.replanned.mean_delivered == b.replanned.mean_delivered
    # same futures, so total finish time does not depend on order
    assert np.allclose(a.waterfall.finish, a.replanned.finish)
    # with a deadline before the expected 17 weeks, high-rate tasks first deliver more on average
    assert a.replanned.mean_delivered > a.waterfall.mean_delivered
    # example project: 17 weeks of work in total, sum p*v = 3 + 3.2 + 1 + 4.75 + 2.8 + 1.2 = 15.95
    assert expected_finish(tasks) == pytest.approx(17.0)
    assert expected_total_value(tasks) == pytest.approx(15.95)


def test_task_validation():
    with pytest.raises(ValueError, match="p_success"):
        Task("x", 1.5, 1, 1)
    with pytest.raises(ValueError, match="duration"):
        Task("x", 0.5, 1, 0)
    with pytest.raises(ValueError, match="permutation"):
        run_order(HAND, [0, 0, 1], draw_outcomes(HAND, n=10), 5.0)


# --------------------------------------------------------------------------- nonlinear progress


def test_linear_plan_by_hand():
    p = ProgressParams(weeks=4, start=0.5, ceiling=0.95, target=0.9)
    assert linear_plan(p) == pytest.approx([0.5, 0.6, 0.7, 0.8, 0.9])


def test_expected_gap_by_hand():
    p = ProgressParams()  # start 0.5, ceiling 0.95, quick win 0.45, rate 0.1, size 0.4, drift 0.005
    # week 1: 0.45 * (1 - 0.45) = 0.2475; each later week keeps 1 - (0.1*0.4 + 0.9*0.005) = 0.9555
    assert expected_gap(p, [0, 1, 2]) == pytest.approx([0.45, 0.2475, 0.2475 * 0.9555])


def test_progress_simulation_matches_expected_gap():
    p = ProgressParams(noise=0.0)
    run = simulate_progress(p, n_paths=20_000, seed=2)
    gaps = p.ceiling - run.true_metric
    mean, se = gaps.mean(axis=0), gaps.std(axis=0) / math.sqrt(run.n_paths)
    # tolerance: 4 standard errors at every week (plus float slack for weeks 0-1, which have no spread)
    assert np.all(np.abs(mean - expected_gap(p, run.week)) < 4 * se + 1e-12)


def test_no_breakthroughs_means_a_flat_line():
    p = ProgressParams(weeks=10, start=0.5, ceiling=0.9, target=0.8, quick_win=0.5, jump_rate=0.0, drift=0.0,
                       noise=0.0)
    run = simulate_progress(p, n_paths=3, seed=0)
    # week 1 closes half the 0.4 gap -> 0.7, then nothing moves
    assert run.metric[0] == pytest.approx([0.5] + [0.7] * 10)
    assert run.week_reached().tolist() == [-1, -1, -1]
    assert run.p_on_plan() == 0.0
    assert run.longest_stall(0) == (2, 9)  # weeks 2..10 without a breakthrough


def test_longest_run_by_hand():
    flags = np.array([True, True, False, True, True, True, False])
    assert longest_run(flags) == (3, 3)
    assert longest_run(np.zeros(4, bool)) == (0, 0)


def test_progress_fixed_seed():
    a, b = simulate_progress(seed=4), simulate_progress(seed=4)
    assert np.array_equal(a.metric, b.metric)
    assert not np.array_equal(a.metric, simulate_progress(seed=5).metric)


def test_progress_params_validated():
    with pytest.raises(ValueError):
        ProgressParams(target=0.99, ceiling=0.95)
    with pytest.raises(ValueError):
        ProgressParams(jump_rate=1.5)


def test_ordinal_suffixes():
    assert [ordinal(x) for x in (1, 2, 3, 4, 11, 12, 13, 21, 22, 100, 20.6)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "100th", "21st"]


# --------------------------------------------------------------------------- widgets


@pytest.mark.parametrize("name", ["progress_explorer", "planner_explorer", "portfolio_explorer"])
def test_first_control_changes_the_picture(name):
    import ipywidgets as widgets

    import mlcourse.managing as planning

    box = getattr(planning, name)()
    assert box.root._dom_classes == (f"mlcourse-{name.split('_')[0]}",)
    image = next(w for w in box.root.children if isinstance(w, widgets.Image))
    first = box.root.children[0].children[0]
    before = image.value
    first.value = first.value + (first.step if hasattr(first, "step") else 1)
    assert image.value != before


@pytest.mark.parametrize("name", ["progress_explorer", "planner_explorer", "portfolio_explorer"])
def test_cached_redraw_matches_a_full_redraw(name):
    import mlcourse.managing as planning

    box = getattr(planning, name)()
    first = box.root.children[0].children[0]
    first.value = first.value + first.step  # same axes: drawn on the cached background
    assert box.renderer.full_draws == 1
    image = box.renderer.view.image
    cached = image.value
    box.renderer.forget()  # force a from-scratch render of the same state
    box.update()
    assert box.renderer.full_draws == 2
    assert image.value == cached


def test_going_back_to_an_earlier_axis_range_reuses_its_layer_and_draws_the_same():
    import mlcourse.managing as planning

    box = planning.progress_explorer()
    weeks = next(c for row in box.root.children[:-2] for c in row.children if c.description == "planned weeks")
    renderer, image = box.renderer, box.renderer.view.image
    weeks.value = 26
    start = renderer.full_draws
    weeks.value = 27  # the x axis grows to the next quarter: a new static layer
    assert renderer.full_draws == start + 1
    weeks.value = 26  # back: the layer drawn for 26 weeks is reused
    weeks.value = 27
    assert renderer.full_draws == start + 1
    weeks.value = 26
    cached = image.value
    renderer.forget()
    box.update()
    assert image.value == cached
