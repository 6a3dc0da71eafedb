"""Widget layer for 01_roles: a role explorer and a team-composition calculator."""

from __future__ import annotations

import html

import ipywidgets as widgets

from mlcourse.figview import CachedRenderer, FigureView
from mlcourse.roles.model import nearest_roles, role, roles, stage_names, suggest_team
from mlcourse.roles.plots import SkillsDisplay, TeamChart
from mlcourse.roles.text import role_card_html
from mlcourse.widgets_base import Explorer


def role_explorer() -> Explorer:
    """Pick a role to see its card and where it sits; move the sliders to place yourself.

    Used in 01_roles, §Skills and §Where do you sit?
    """
    picker = widgets.Dropdown(options=[(r.name, r.key) for r in roles()], value="ml_engineer",
                              description="Role:")
    ml = widgets.FloatSlider(value=5, min=0, max=10, step=0.5, description="Your ML")
    swe = widgets.FloatSlider(value=5, min=0, max=10, step=0.5, description="Your SWE")
    card = widgets.HTML()
    nearest = widgets.HTML()
    view = FigureView(figsize=(6.0, 4.4))
    # Static layer: every role, unhighlighted. Moving parts: a ring on the picked role and the star.
    SkillsDisplay().plot(view.ax)
    ring = view.ax.scatter([], [], s=2200, facecolor="none", edgecolor="black", linewidth=2.5)
    star = view.ax.scatter([], [], marker="*", s=300, color="gold", edgecolor="black", zorder=5)
    label = view.ax.annotate("you", (0, 0), xytext=(8, -12), textcoords="offset points", fontsize=9)
    renderer = CachedRenderer(view, lambda: (ring, star, label))

    def update(_=None) -> None:
        picked = role(picker.value)
        ring.set_offsets([[picked.ml_expertise, picked.swe_skill]])
        star.set_offsets([[ml.value, swe.value]])
        label.xy = (ml.value, swe.value)
        renderer.refresh()
        card.value = role_card_html(picker.value)
        ranked = nearest_roles(ml.value, swe.value)
        rows = "".join(f"<li>{html.escape(r.name)}: distance {d:.1f}</li>" for r, d in ranked[:3])
        nearest.value = f"<b>Closest roles to your profile:</b><ol>{rows}</ol>"

    for control in (picker, ml, swe):
        control.observe(update, names="value")
    update()
    box = widgets.VBox([picker, widgets.HBox([view.image, widgets.VBox([card, ml, swe, nearest])])])
    box.add_class("mlcourse-role-explorer")
    return Explorer(root=box, controls={"role": picker, "ml": ml, "swe": swe}, update=update, view=view,
                    renderer=renderer)


def team_calculator() -> Explorer:
    """Use cases and company stage -> suggested headcount by role, with the rules applied.

    Used in 01_roles, §How many.
    """
    use_cases = widgets.IntSlider(value=2, min=0, max=8, description="Use cases")
    stage = widgets.Dropdown(options=[(v, k) for k, v in stage_names().items()], value="series_b",
                             description="Stage:")
    fail = widgets.Checkbox(value=True, description="Simple rules fail", indent=False)
    product = widgets.Checkbox(value=False, description="ML is the product", indent=False)
    research = widgets.Checkbox(value=False, description="Research-heavy", indent=False)
    rules = widgets.HTML()
    view = FigureView(figsize=(6.0, 3.2))

    def current_plan():
        return suggest_team(use_cases.value, stage.value, simple_rules_fail=fail.value,
                            ml_is_the_product=product.value, research_heavy=research.value)

    chart = TeamChart(view.ax, current_plan())
    renderer = CachedRenderer(view, lambda: chart.dynamic)

    def update(_=None) -> None:
        plan = current_plan()
        chart.update(plan)
        renderer.refresh()
        items = "".join(f"<li>{html.escape(r)}</li>" for r in plan.rules)
        rules.value = f"<b>Rules applied:</b><ul>{items}</ul>"

    for control in (use_cases, stage, fail, product, research):
        control.observe(update, names="value")
    update()
    controls = widgets.VBox([use_cases, stage, widgets.HBox([fail, product, research])])
    box = widgets.VBox([controls, view.image, rules])
    box.add_class("mlcourse-team-calculator")
    return Explorer(root=box, controls={"use_cases": use_cases, "stage": stage, "simple_rules_fail": fail,
                                        "ml_is_the_product": product, "research_heavy": research},
                    update=update, view=view, renderer=renderer)
