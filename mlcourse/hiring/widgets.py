"""Widget layer for lecture 02: the job-description checker and the interview-loop designer."""

from __future__ import annotations

import ipywidgets as widgets

from mlcourse.figview import CachedRenderer, FigureView
from mlcourse.hiring.model.data import duties, loop_roles, parse_month, presets, requirements, role_names, skills
from mlcourse.hiring.model.jobcheck import JobDescription, check_job
from mlcourse.hiring.model.loop import design_loop
from mlcourse.hiring.plots import JobCheckChart, LoopChart
from mlcourse.hiring.text import job_check_html, loop_html
from mlcourse.widgets_base import Explorer


def job_checker(preset: str = "unicorn") -> Explorer:
    """Pick or edit a job description; see the roles it spans, unrealistic requirements and a rewrite.

    Used in 02_hiring, §Job-description checker. The example dropdown is the first control.
    """
    first = presets()[preset]
    example = widgets.Dropdown(options=[(p["label"], k) for k, p in presets().items()], value=preset,
                               description="Example:")
    title = widgets.Dropdown(options=[(v, k) for k, v in role_names().items()], value=first["title_role"],
                             description="Title role:")
    year = widgets.IntSlider(value=parse_month(first["posted"])[0], min=2014, max=2026, description="Posted in")
    duty_pick = widgets.SelectMultiple(options=[(d.text, k) for k, d in duties().items()], value=first["duties"],
                                       rows=len(duties()), description="Duties:",
                                       layout=widgets.Layout(width="49%"))
    req_pick = widgets.SelectMultiple(options=[(r.text, k) for k, r in requirements().items()],
                                      value=first["requirements"], rows=len(requirements()),
                                      description="Requires:", layout=widgets.Layout(width="49%"))
    report = widgets.HTML()
    view = FigureView(figsize=(8.4, 3.2))
    view.figure.clear()
    view.figure.set_layout_engine("none")  # fixed margins: constrained layout would double the redraw time
    axes = view.figure.subplots(1, 2, gridspec_kw=dict(width_ratios=[1.3, 1], left=0.2, right=0.98,
                                                       bottom=0.15, top=0.9, wspace=0.35))
    display = JobCheckChart(axes, animated=True)
    renderer = CachedRenderer(view, lambda: display.dynamic)
    month = {"value": parse_month(first["posted"])[1]}
    busy = {"on": False}

    def update(_=None) -> None:
        if busy["on"]:
            return
        job = JobDescription.build(title.value, duty_pick.value, req_pick.value, (year.value, month["value"]))
        result = check_job(job)
        display.update(result)
        renderer.refresh()
        report.value = str(job_check_html(result))

    def load_example(change) -> None:
        p = presets()[change["new"]]
        busy["on"] = True
        try:
            title.value = p["title_role"]
            year.value, month["value"] = parse_month(p["posted"])
            duty_pick.value = tuple(p["duties"])
            req_pick.value = tuple(p["requirements"])
        finally:
            busy["on"] = False
        update()

    example.observe(load_example, names="value")
    for control in (title, year, duty_pick, req_pick):
        control.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HBox([example, title, year]), widgets.HBox([duty_pick, req_pick]),
                        view.image, report])
    box.add_class("mlcourse-job-checker")
    return Explorer(root=box, controls={"example": example, "title": title, "year": year, "duties": duty_pick,
                                        "requirements": req_pick}, update=update, view=view, renderer=renderer)


def loop_designer(role: str = "ml_engineer") -> Explorer:
    """Pick a role and the strengths you expect; see the assessments that probe them and the minimum bars.

    Used in 02_hiring, §What to test. The role dropdown is the first control.
    """
    role_pick = widgets.Dropdown(options=[(r.name, k) for k, r in loop_roles().items()], value=role,
                                 description="Role:")
    strengths = widgets.SelectMultiple(options=[(s.name, k) for k, s in skills().items()],
                                       value=loop_roles()[role].default_strengths, rows=len(skills()),
                                       description="Strengths:")
    report = widgets.HTML()
    view = FigureView(figsize=(7.2, 4.0))
    view.figure.set_layout_engine("none")
    view.ax.set_position((0.25, 0.08, 0.73, 0.76))
    display = LoopChart(view.ax, animated=True)
    renderer = CachedRenderer(view, lambda: display.dynamic)
    busy = {"on": False}

    def update(_=None) -> None:
        if busy["on"]:
            return
        plan = design_loop(role_pick.value, strengths.value)
        display.update(plan)
        renderer.refresh()
        report.value = str(loop_html(plan))

    def change_role(change) -> None:
        busy["on"] = True
        try:
            strengths.value = loop_roles()[change["new"]].default_strengths
        finally:
            busy["on"] = False
        update()

    role_pick.observe(change_role, names="value")
    strengths.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HBox([role_pick, strengths]), view.image, report])
    box.add_class("mlcourse-loop-designer")
    return Explorer(root=box, controls={"role": role_pick, "strengths": strengths}, update=update, view=view,
                    renderer=renderer)
