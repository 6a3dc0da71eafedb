"""One test over every Display class: compute once, plot into given axes or new ones, return self,
draw something, and describe it in an alt text that follows the data."""

from __future__ import annotations

from typing import Any, Callable

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from mlcourse.plotting import Display, all_displays  # noqa: E402


def _other() -> dict[str, Callable[[], Any]]:
    """For each Display, a constructor with data other than the defaults."""
    from mlcourse import debugging, design, hiring, interview, losses, managing, orgs, roles
    from mlcourse.prep import readiness
    from mlcourse.prep.store import Attempt

    return {
        "SkillsDisplay": lambda: roles.SkillsDisplay(highlight="ml_engineer", you=(5, 5)),
        "TeamDisplay": lambda: roles.TeamDisplay(roles.suggest_team(5, "series_c")),
        "TalentGapDisplay": lambda: hiring.TalentGapDisplay(hiring.talent_estimates()[:3]),
        "JobCheckDisplay": lambda: hiring.JobCheckDisplay(hiring.check_job(hiring.JobDescription.preset("realistic_mle"))),
        "LoopDisplay": lambda: hiring.LoopDisplay(hiring.design_loop("ml_researcher")),
        "MountainDisplay": lambda: orgs.MountainDisplay("ml_first"),
        "ScoresDisplay": lambda: orgs.ScoresDisplay(orgs.assess({q.id: q.options[0].id for q in orgs.questions()})),
        "ProgressDisplay": lambda: managing.ProgressDisplay(path=1),
        "PlanDisplay": lambda: managing.PlanDisplay(managing.compare_orders(managing.example_tasks(), 3, n=500, seed=1)),
        "PortfolioDisplay": lambda: managing.PortfolioDisplay(managing.simulate_portfolio([0.5, 0.2], seed=0)),
        "RateDisplay": lambda: managing.RateDisplay(managing.per_sprint(managing.demo_experiments(), sprint_days=28)),
        "TradeoffDisplay": lambda: design.TradeoffDisplay(threshold=0.9),
        "ErrorGalleryDisplay": lambda: design.ErrorGalleryDisplay(threshold=0.5),
        "FeedbackTypesDisplay": lambda: design.FeedbackTypesDisplay(highlight=2),
        "GradientFlowDisplay": lambda: interview.GradientFlowDisplay(interview.gradient_flow(depth=10)),
        "CurveDisplay": lambda: debugging.CurveDisplay(debugging.run_scenario(list(debugging.SCENARIOS)[1])),
        "GalleryDisplay": lambda: debugging.GalleryDisplay(list(debugging.SCENARIOS)[:3]),
        "LossRaceDisplay": lambda: losses.LossRaceDisplay(losses.sigmoid_loss_race(steps=50)),
        "ClassIndexDisplay": lambda: losses.ClassIndexDisplay(losses.class_index_regression(seed=1)),
        "ReadinessDisplay": lambda: readiness.ReadinessDisplay.from_attempts(
            [Attempt("ml_theory.1", "ml_theory", "easy", 0, True, "2026-03-01T09:00:00+00:00")]),
    }


DISPLAYS = all_displays()


def test_every_display_is_covered():
    assert {c.__name__ for c in DISPLAYS} == set(_other())
    assert len(DISPLAYS) >= 19


def _drew(display: Display) -> bool:
    return any(ax.lines or ax.patches or ax.collections or ax.images or ax.texts for ax in display.axes_)


@pytest.mark.parametrize("cls", DISPLAYS, ids=lambda c: c.__name__)
def test_display_protocol(cls):
    display = cls()
    try:
        fig, given = plt.subplots(1, display.n_axes, squeeze=True)
        target = given if display.n_axes == 1 else list(given)
        assert display.plot(target) is display
        assert display.ax_ is (given if display.n_axes == 1 else target[0])
        assert display.figure_ is fig
        assert _drew(display)

        fresh = cls()
        assert fresh.plot() is fresh
        assert fresh.ax_ is not None and fresh.figure_ is not None and fresh.figure_ is not fig
        assert _drew(fresh)

        assert isinstance(display.alt_text, str) and len(display.alt_text) > 40
        assert _other()[cls.__name__]().alt_text != display.alt_text
    finally:
        plt.close("all")


def test_plot_checks_the_number_of_axes():
    from mlcourse.managing import PlanDisplay

    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="3 axes"):
        PlanDisplay().plot([ax])
    plt.close(fig)
