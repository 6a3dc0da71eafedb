"""Roles lecture: data, nearest-role model, team sizing rules, plots and widgets."""

from __future__ import annotations

import math

import pytest

from mlcourse import roles


def test_six_roles_with_every_field():
    rs = roles.roles()
    assert [r.key for r in rs] == ["ml_pm", "devops", "data_engineer", "ml_engineer",
                                   "ml_researcher", "data_scientist"]
    assert all(r.job_function and r.work_product and r.tools for r in rs)
    assert roles.role("ML engineer").key == "ml_engineer"
    with pytest.raises(KeyError, match="ml_pm"):
        roles.role("astronaut")


def test_chart_reflects_the_sources():
    r = {x.key: x for x in roles.roles()}
    # The ML engineer is the rare mix: above every other role on ML + SWE combined.
    assert max(r.values(), key=lambda x: x.ml_expertise + x.swe_skill).key == "ml_engineer"
    assert max(r.values(), key=lambda x: x.ml_expertise).key == "ml_researcher"
    assert max(r.values(), key=lambda x: x.communication).key == "ml_pm"
    assert max(r.values(), key=lambda x: x.swe_skill).key == "devops"


def test_nearest_roles_distance_by_hand():
    ranked = roles.nearest_roles(7.5, 8.0)              # exactly the ML engineer's spot
    assert ranked[0][0].key == "ml_engineer" and ranked[0][1] == 0.0
    dist = dict((r.key, d) for r, d in ranked)
    # data engineer at (2.5, 8): distance 5 exactly.
    assert dist["data_engineer"] == pytest.approx(5.0)
    # data scientist at (5.5, 4.5) with spread 2.5: hypot(2, 3.5) - 2.5 = 4.0311 - 2.5.
    assert dist["data_scientist"] == pytest.approx(math.hypot(2, 3.5) - 2.5)


def test_no_ml_hires_while_simple_rules_work():
    plan = roles.suggest_team(3, "series_c", simple_rules_fail=False)
    assert not plan.hire_ml
    assert all(v == (0, 0) for v in plan.headcount.values())
    assert "moving averages" in plan.rules[0]


def test_too_early_unless_ml_is_the_product():
    assert not roles.suggest_team(2, "series_a").hire_ml
    plan = roles.suggest_team(2, "series_a", ml_is_the_product=True)
    assert plan.hire_ml and plan.headcount["ML scientists"] == (4, 6)


def test_ratio_1_2_4_by_hand():
    plan = roles.suggest_team(2, "series_b")
    # 2-3 scientists per use case x 2 = 4-6; data engineers x2 = 8-12; analytics x4 = 16-24.
    assert plan.headcount["ML scientists"] == (4, 6)
    assert plan.headcount["Data engineers"] == (8, 12)
    assert plan.headcount["Analytics engineers"] == (16, 24)
    assert plan.headcount["ML engineers / MLOps"] == (0, 0)       # platform team comes later
    assert any("1:2:4" in rule for rule in plan.rules)


def test_platform_and_research_stages():
    assert roles.suggest_team(3, "series_c").headcount["ML engineers / MLOps"] == (1, 3)
    assert roles.suggest_team(3, "series_c", research_heavy=True).headcount["Research scientists"] == (0, 0)
    assert roles.suggest_team(3, "ipo", research_heavy=True).headcount["Research scientists"] == (1, 3)


@pytest.mark.parametrize("bad", [-1, 1.5, "2", True])
def test_bad_use_cases_rejected(bad):
    with pytest.raises(ValueError, match="whole number"):
        roles.suggest_team(bad, "series_b")


def test_bad_stage_rejected():
    with pytest.raises(ValueError, match="series_b"):
        roles.suggest_team(1, "series_z")


def test_skills_plot_draws_every_role_and_you():
    ax = roles.plot_skills(highlight="ml_pm", you=(3, 3))
    labels = {t.get_text() for t in ax.texts}
    assert {r.name for r in roles.roles()} <= labels and "you" in labels
    assert len(ax.collections) == 7        # six bubbles + the star


def test_team_plot_labels_ranges():
    ax = roles.plot_team(roles.suggest_team(1, "series_b"))
    texts = [t.get_text() for t in ax.texts]
    assert "2–3" in texts and "not yet" in texts


def test_widgets_redraw_on_change():
    explorer = roles.role_explorer()
    before = explorer.root.children[1].children[0].value
    explorer.root.children[0].value = "ml_pm"
    assert explorer.root.children[1].children[0].value != before
    calc = roles.team_calculator()
    image = calc.root.children[1]
    before = image.value
    calc.root.children[0].children[0].value = 5
    assert image.value != before
    assert "15" in calc.root.children[2].value       # 3 x 5 scientists at the top of the range
