"""Lecture 02, "Hiring and getting hired": talent-gap figures, a job-description checker and an
interview-loop designer, built on ``content/hiring.yaml``.

Layers: ``talent``, ``jobcheck`` and ``loop`` are the models (no plotting), ``plots`` draws them,
``widgets`` wires them to controls, ``report`` renders results and content tables as HTML.
"""

from mlcourse.hiring.jobcheck import Finding, JobCheck, JobDescription, ToolCheck, check_job, tool_age_years
from mlcourse.hiring.loop import LoopPlan, Round, design_loop
from mlcourse.hiring.talent import Estimate, orders_of_magnitude, ratio, talent_estimates

__all__ = [
    "Estimate", "Finding", "JobCheck", "JobDescription", "LoopPlan", "Round", "ToolCheck", "check_job",
    "design_loop", "orders_of_magnitude", "ratio", "talent_estimates", "tool_age_years",
]
