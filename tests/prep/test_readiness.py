"""Readiness: simulated candidates with known ability land within a stated margin of it.

Margin: with HALF_LIFE = 30, 200 answers give an effective sample of sum 0.5**(k/30) ~ 43 answers
(plus the prior's 2), so the posterior mean's standard error is at most sqrt(0.25 / 45) ~ 0.075
(at p = 0.5, smaller elsewhere). We require every one of 40 candidates within 0.25 (3.3 standard
errors: a chance of about 1 in 1000 per candidate), the mean absolute error below 0.08 (expected
about 0.8 standard errors ~ 0.05), and the 90% interval to cover the true rate for at least 75%
of candidates (expected 90%; 75% is 3 binomial standard deviations below). The simulation is
seeded, so the test is deterministic.
"""

from __future__ import annotations

import datetime as _dt
import random

import numpy as np

from mlcourse.cli import main
from mlcourse.prep import readiness
from mlcourse.prep.bank import Category
from mlcourse.prep.readiness import HALF_LIFE, ReadinessDisplay, estimate, posterior
from mlcourse.prep.store import Attempt
from prep_fixtures import T0, store  # noqa: F401  (fixture)


def _simulate(p: float, n: int, rng: random.Random, category: str = "ml_theory") -> list[Attempt]:
    return [Attempt(f"{category}.{1 + i % 20}", category, "medium", i, rng.random() < p,
                    (T0 + _dt.timedelta(hours=6 * i)).isoformat()) for i in range(n)]


def test_simulated_candidates_land_within_the_margin():
    rng = random.Random(2026)
    errors, covered = [], 0
    for p in np.linspace(0.1, 0.95, 40):
        attempts = _simulate(float(p), 200, rng)
        e = readiness.readiness(attempts)["ml_theory"]
        errors.append(abs(e.mean - p))
        covered += e.low <= p <= e.high
        assert e.n == 200
        assert abs(e.mean - p) <= 0.25, (p, e)
    assert np.mean(errors) < 0.08, np.mean(errors)
    assert covered >= 30, covered


def test_effective_sample_matches_the_stated_margin():
    a, b = posterior([True, False] * 100)
    assert abs((a + b - 2) - sum(0.5 ** (k / HALF_LIFE) for k in range(200))) < 1e-9
    assert 42 < a + b - 2 < 44


def test_no_history_is_maximally_uncertain():
    e = estimate("ml_theory", [])
    assert e.mean == 0.5 and e.low < 0.1 and e.high > 0.9


def test_recent_form_counts_more():
    improving = estimate("x", [False] * 60 + [True] * 60)
    declining = estimate("x", [True] * 60 + [False] * 60)
    assert improving.mean > 0.75 > 0.25 > declining.mean


def test_display_draws_and_describes_itself():
    rng = random.Random(1)
    attempts = _simulate(0.8, 30, rng) + _simulate(0.3, 30, rng, "teams_and_projects")
    display = ReadinessDisplay.from_attempts(attempts).plot()
    assert display.figure_ is not None and len(display.ax_.lines) == 2
    text = display.alt_text
    assert "ml theory" in text and "teams and projects" in text and "30 answers" in text
    assert set(display.series) == {"ml_theory", "teams_and_projects"}
    assert len(display.series["ml_theory"]) == len({(T0 + _dt.timedelta(hours=6 * i)).date() for i in range(30)})
    assert "no practice" in ReadinessDisplay({}).plot().alt_text.lower()


def test_readiness_command_prints_every_category_and_saves_the_plot(tmp_path, store, capsys):  # noqa: F811
    store.add(_simulate(0.7, 20, random.Random(3)))
    assert main(["readiness", "--plot", str(tmp_path / "r.png")]) == 0
    out = capsys.readouterr().out
    for c in Category:
        assert c.value in out
    assert (tmp_path / "r.png").stat().st_size > 5000
