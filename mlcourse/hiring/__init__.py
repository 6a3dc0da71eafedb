"""Lecture 02, "Hiring and getting hired": talent-gap figures, a job-description checker and an
interview-loop designer, built on ``content/hiring.yaml``.

Layers, each usable alone and loaded on first use (:mod:`mlcourse.lazy`): :mod:`.model`
(``data``, ``talent``, ``jobcheck``, ``loop``: no plotting), :mod:`.plots` (Display classes),
:mod:`.widgets` (the checker and the designer), :mod:`.text` (results and content tables as HTML).
"""

from mlcourse.lazy import lazy_layers

__getattr__, __dir__, __all__ = lazy_layers(__name__, {
    "model.jobcheck": ("Finding", "JobCheck", "JobDescription", "ToolCheck", "check_job", "tool_age_years"),
    "model.loop": ("LoopPlan", "Round", "design_loop"),
    "model.talent": ("Estimate", "orders_of_magnitude", "ratio", "talent_estimates"),
    "plots": ("JobCheckChart", "JobCheckDisplay", "LoopChart", "LoopDisplay", "TalentGapDisplay", "plot_job_check",
              "plot_loop", "plot_talent_gap"),
    "widgets": ("job_checker", "loop_designer"),
    "text": ("job_check_html", "loop_html", "stand_out_table", "table"),
})
