"""Tests for lecture 02 (mlcourse.hiring): content integrity, the three models, plots and widgets.

Expected numbers were worked out by hand from content/hiring.yaml; each test says how.
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import matplotlib
import pytest

matplotlib.use("Agg")

from mlcourse.content import load  # noqa: E402
from mlcourse.hiring.model import data  # noqa: E402
from mlcourse.hiring.model.data import Requirement  # noqa: E402
from mlcourse.hiring.model.jobcheck import JobDescription, check_job, check_tool, tool_age_years  # noqa: E402
from mlcourse.hiring.model.loop import ALWAYS, BAR, STRENGTH, design_loop  # noqa: E402
from mlcourse.hiring.model.talent import orders_of_magnitude, ratio, talent_estimates  # noqa: E402


# --------------------------------------------------------------------------- content integrity

def test_role_keys_match_the_roles_lecture():
    roles_keys = {r["key"] for r in load("roles")["roles"]}
    assert set(data.role_names()) == roles_keys


def test_every_reference_in_the_content_resolves():
    raw = data.raw()
    roles, duties, reqs = set(data.role_names()), set(data.duties()), set(data.requirements())
    assert all(d.role in roles for d in data.duties().values())
    for p in raw["presets"]:
        assert p["title_role"] in roles and set(p["duties"]) <= duties and set(p["requirements"]) <= reqs
    assert set(raw["unicorn"]["duties"]) <= duties and set(raw["unicorn"]["requirements"]) <= reqs
    assert all(r.subject in data.tools() for r in data.requirements().values() if r.kind == "tool")
    for rule in raw["combination_rules"]:
        assert set(rule["drop_for"]) <= roles and rule["source"] in raw["sources"]
    for role, added in raw["add_for_role"].items():
        assert role in roles and set(added) <= reqs
    skills, assessments = data.skills(), data.assessments()
    for s in skills.values():
        assert set(s.deep) <= set(assessments) and s.bar in assessments
        assert assessments[s.bar].tests.get(s.id) == 2  # a bar check must target the skill directly
    assert all(set(a.tests) <= set(skills) for a in assessments.values())
    for r in data.loop_roles().values():
        assert set(r.covers) <= set(skills) and set(r.default_strengths) <= set(r.covers)
    for rnd in raw["newsletter_loop"]["rounds"]:
        assert set(rnd["closest"]) <= set(assessments)


def test_nine_assessment_types_and_five_rungs():
    assert len(data.assessments()) == 9
    rungs = data.raw()["stand_out_rungs"]
    for year in (2019, 2021, 2022):
        assert sorted(r[f"order_{year}"] for r in rungs) == [1, 2, 3, 4, 5]
    # the disagreement: 2019 and 2021 put software skills first, 2022 puts interest first
    by_id = {r["id"]: r for r in rungs}
    assert by_id["swe"]["order_2019"] == by_id["swe"]["order_2021"] == 1 and by_id["swe"]["order_2022"] == 2
    assert by_id["interest"]["order_2022"] == 1


def test_unicorn_matches_the_slides():
    u = data.raw()["unicorn"]
    assert len(u["duties"]) == 6 and len(u["requirements"]) == 5


# --------------------------------------------------------------------------- talent gap

def test_talent_estimates_are_the_slides_seven_figures():
    est = talent_estimates()
    assert [e.low for e in est] == [5000, 10000, 22000, 90000, 200000, 3_600_000, 18_200_000]
    assert [e.is_range for e in est] == [False] * 4 + [True, False, False]
    assert est[4].high == 300000


def test_talent_ratios_by_hand():
    # 18.2M developers / 10,000 people with the right skills = 1,820 each way (point figures)
    assert ratio("developers_world", "right_skillset") == pytest.approx((1820, 1820))
    # 18.2M / 300,000 = 60.67 and 18.2M / 200,000 = 91 (Tencent's range)
    assert ratio("developers_world", "practitioners") == pytest.approx((60.6667, 91.0), rel=1e-4)
    # log10(18.2M / 5,000) = log10(3640) = 3.5611
    assert orders_of_magnitude("developers_world", "publishing") == pytest.approx(3.5611, abs=1e-4)
    with pytest.raises(KeyError):
        ratio("nope", "publishing")


# --------------------------------------------------------------------------- tool age

@pytest.mark.parametrize("posted, age", [
    ((2019, 6), 43 / 12),   # Nov 2015 -> Jun 2019: 3*12 + 7 = 43 months
    ((2019, 11), 4.0),      # exactly 48 months
    ((2019, 12), 49 / 12),
    ((2015, 11), 0.0),
])
def test_tensorflow_age(posted, age):
    assert tool_age_years("tensorflow", posted) == pytest.approx(age)


@pytest.mark.parametrize("posted, status", [
    ((2019, 6), "unrealistic"),  # 4 > 3.58
    ((2019, 11), "rare"),        # 4 == 4.0, not more; but 4 > 4.0 - 1
    ((2019, 12), "rare"),        # 4 > 4.08 - 1 = 3.08
    ((2020, 12), "ok"),          # age 5.08; 4 <= 4.08
])
def test_four_years_of_tensorflow(posted, status):
    check = check_tool(data.requirements()["tf_4y"], posted)
    assert check is not None and check.status == status


def test_tool_check_other_tools_and_non_tools():
    # PyTorch Jan 2017 -> Jun 2019 = 29 months = 2.42 years < 3 asked
    assert check_tool(data.requirements()["pytorch_3y"], (2019, 6)).status == "unrealistic"
    # Docker Mar 2013 -> Mar 2015 = 24 months = 2.0 years: 2 asked is possible only from year one
    assert check_tool(data.requirements()["docker_2y"], (2015, 3)).status == "rare"
    assert check_tool(data.requirements()["swe_4y"], (2019, 6)) is None
    custom = Requirement("pt5", "At least 5 years of PyTorch", "tool", "pytorch", 5)
    # Jan 2017 -> Jan 2021 = 48 months = 4.0 years < 5
    assert check_tool(custom, (2021, 1)).age_years == pytest.approx(4.0)
    assert check_tool(custom, (2021, 1)).status == "unrealistic"


# --------------------------------------------------------------------------- job checker

def test_unicorn_check_by_hand():
    c = check_job(JobDescription.preset("unicorn"))
    # duties: researcher (state of the art, invent models), MLE (implement, deploy),
    # DevOps (tooling), data engineer (pipelines)
    assert c.role_counts == {"ml_pm": 0, "devops": 1, "data_engineer": 1, "ml_engineer": 2,
                             "ml_researcher": 2, "data_scientist": 0}
    assert c.roles_spanned == ("devops", "data_engineer", "ml_engineer", "ml_researcher")
    assert [(f.rule, f.severity) for f in c.findings] == [
        ("role_span", "unrealistic"),
        ("tool_age", "unrealistic"),
        ("two_careers", "unrealistic"),
        ("phd_plus_engineering", "rare"),
        ("research_plus_infrastructure", "rare"),
        ("phd_required", "note"),
    ]
    assert (c.count("unrealistic"), c.count("rare"), c.count("note")) == (3, 2, 1)
    by_rule = {f.rule: f for f in c.findings}
    assert by_rule["two_careers"].requirement_ids == ("top_publications", "swe_4y")
    assert "3.6 years old" in by_rule["tool_age"].reason  # 43/12 = 3.58
    assert "4 of the six roles" in by_rule["role_span"].reason


def test_unicorn_rewrite_for_an_ml_engineer():
    rw = check_job(JobDescription.preset("unicorn")).rewrite
    assert rw.title_role == "ml_engineer"
    assert [d.id for d in rw.duties] == ["implement_from_scratch", "deploy_monitor"]
    assert [r.text for r in rw.requirements] == [
        "Experience with TensorFlow or a similar framework",
        "At least 4 years as a software engineer",
        data.requirements()["ml_interest"].text,
        data.requirements()["eager_to_learn"].text,
    ]
    assert rw.dropped == ("PhD", "Publications at a top ML conference")
    assert set(rw.moved) == {"ml_researcher", "devops", "data_engineer"}
    assert rw.moved["data_engineer"] == ("Build data pipelines for the ML team",
                                         "Experience building large-scale distributed systems")


def test_unicorn_retitled_as_researcher():
    job = JobDescription.preset("unicorn")
    job = JobDescription.build("ml_researcher", [d.id for d in job.duties], [r.id for r in job.requirements],
                               "2019-06")
    rw = check_job(job).rewrite
    assert [d.id for d in rw.duties] == ["keep_up_sota", "invent_models"]
    # two_careers and research_plus_infrastructure drop "experience" kinds for researchers
    assert rw.dropped == ("At least 4 years as a software engineer",
                          "Experience building large-scale distributed systems")
    assert [r.id for r in rw.requirements] == ["phd", "tf_4y", "top_publications", "good_papers"]
    assert rw.requirements[1].years is None


def test_realistic_descriptions_pass_clean():
    for preset in ("realistic_mle", "realistic_mlr"):
        c = check_job(JobDescription.preset(preset))
        assert c.findings == ()
        assert len(c.roles_spanned) == 1
        assert [r.id for r in c.rewrite.requirements] == [r.id for r in c.job.requirements]
        assert c.rewrite.moved == {} and c.rewrite.dropped == ()
    mle = check_job(JobDescription.preset("realistic_mle"))
    assert mle.role_counts["ml_engineer"] == 3
    assert mle.tool_checks[0].status == "ok"  # 1 year asked vs 3.58


def test_two_roles_is_a_note_and_thresholds():
    c = check_job(JobDescription.build("ml_engineer", ["train_on_company_data", "build_pipelines"], [], "2020-01"))
    assert [(f.rule, f.severity) for f in c.findings] == [("role_span", "note")]
    # two years of software engineering with papers does not trigger the four-year rule
    c = check_job(JobDescription.build("ml_engineer", ["deploy_monitor"], ["swe_2y", "top_publications"], "2020-01"))
    assert c.findings == ()


def test_title_without_matching_duties():
    c = check_job(JobDescription.build("ml_pm", ["train_on_company_data", "deploy_monitor", "analytics"], [],
                                       "2020-01"))
    assert c.rewrite.title_role == "ml_engineer"  # 2 MLE duties vs 1 data-scientist duty
    assert any("retitle" in a for a in c.rewrite.advice)


def test_bad_input_is_rejected():
    with pytest.raises(ValueError):
        JobDescription.build("wizard", [], [], "2019-01")
    with pytest.raises(KeyError):
        JobDescription.build("ml_engineer", ["no_such_duty"], [], "2019-01")


# --------------------------------------------------------------------------- loop designer

def _rounds(plan):
    return [(r.assessment, r.purpose) for r in plan.rounds]


def test_loop_for_ml_engineer_by_hand():
    plan = design_loop("ml_engineer")
    # strength coding -> whiteboard + pair coding; bars: ML coding -> pair debugging,
    # project depth -> previous projects, ML theory (untouched so far) -> ML theory
    assert _rounds(plan) == [("background", ALWAYS), ("whiteboard", STRENGTH), ("pair_coding", STRENGTH),
                             ("pair_debugging", BAR), ("past_projects", BAR), ("ml_theory", BAR)]
    assert plan.skipped == ("math", "applied")
    assert plan.coverage() == {"culture": 2, "coding": 2, "ml_coding": 2, "math": 0, "applied": 1,
                               "project_depth": 2, "ml_theory": 2}


def test_loop_for_ml_researcher_by_hand():
    plan = design_loop("ml_researcher")
    # strengths applied + project depth; coding bar -> pair coding; math bar -> puzzles;
    # ML theory is already touched by the applied-ML round, so no extra round
    assert _rounds(plan) == [("background", ALWAYS), ("applied_ml", STRENGTH), ("past_projects", STRENGTH),
                             ("pair_coding", BAR), ("math_puzzles", BAR)]
    assert plan.skipped == ("ml_coding",)


def test_loop_for_applied_scientist_by_hand():
    plan = design_loop("applied_scientist")
    # coding and applied are touched on the side by pair debugging and the take-home
    assert _rounds(plan) == [("background", ALWAYS), ("pair_debugging", STRENGTH), ("take_home", STRENGTH),
                             ("past_projects", STRENGTH), ("ml_theory", STRENGTH)]


def test_loop_with_no_strengths_and_with_an_extra_strength():
    plan = design_loop("ml_engineer", [])
    assert _rounds(plan) == [("background", ALWAYS), ("pair_coding", BAR), ("pair_debugging", BAR),
                             ("past_projects", BAR), ("ml_theory", BAR)]
    plan = design_loop("ml_engineer", ["math"])
    assert ("math_puzzles", STRENGTH) in _rounds(plan) and plan.skipped == ("applied",)
    with pytest.raises(ValueError):
        design_loop("ml_engineer", ["charisma"])
    with pytest.raises(ValueError):
        design_loop("astronaut")


# --------------------------------------------------------------------------- plots and widgets

def test_plots_draw():
    from mlcourse.hiring.plots import loop_grid, plot_job_check, plot_loop, plot_talent_gap

    ax = plot_talent_gap()
    assert ax.get_xscale() == "log"
    assert len(ax.patches) == 8  # seven bars plus the hatched part of Tencent's range
    axes = plot_job_check(check_job(JobDescription.preset("unicorn")))
    assert [round(p.get_width()) for p in axes[0].patches[:6]] == [0, 1, 1, 2, 2, 0]
    plan = design_loop("ml_researcher")
    grid = loop_grid(plan)
    assert grid.shape == (10, 7, 3)
    assert plot_loop(plan) is not None
    import matplotlib.pyplot as plt

    plt.close("all")


def _first_control(box):
    stack = [box]
    while stack:
        w = stack.pop(0)
        if isinstance(w, (widgets.Dropdown, widgets.IntSlider, widgets.FloatSlider)):
            return w
        stack = list(getattr(w, "children", ())) + stack
    raise AssertionError("no control")


@pytest.mark.parametrize("factory, css", [("job_checker", "mlcourse-job-checker"),
                                          ("loop_designer", "mlcourse-loop-designer")])
def test_first_control_changes_the_picture(factory, css):
    from mlcourse.hiring import widgets as hw

    box = getattr(hw, factory)().root
    assert css in box._dom_classes
    image = next(w for w in box.children if isinstance(w, widgets.Image))
    before = image.value
    control = _first_control(box)
    assert isinstance(control, widgets.Dropdown)
    control.value = control.options[1][1]
    assert image.value != before


# --------------------------------------------------------------------------- self-check questions

def test_every_section_question_grades_its_own_key():
    from mlcourse.quiz import ____, lecture

    from mlcourse.quiz.bank import retired

    qs = lecture("hiring")
    gone = {qid for qid in retired() if qid.startswith("hiring.")}  # ids are never renumbered
    expected = [f"hiring.{i}" for i in range(1, len(qs) + len(gone) + 1) if f"hiring.{i}" not in gone]
    assert [q.id for q in qs] == expected
    for q in qs:
        assert q.grade(____).status == "not attempted"
        if q.kind != "text":
            assert q.grade(q.answer).correct, q.id


def test_wrong_answers_are_marked_wrong():
    from mlcourse.quiz import lecture

    for q in lecture("hiring"):
        if q.kind == "single":
            for label in q.choices:
                if label != q.answer:
                    assert q.grade(label).status == "incorrect", (q.id, label)
        elif q.kind == "ordering":
            assert not q.grade(list(reversed(q.answer))).correct, q.id
        elif q.kind == "numeric":
            assert not q.grade(q.answer + 10 * q.data["tolerance"]).correct, q.id
