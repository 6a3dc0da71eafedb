"""Lecture 03 (Organizations): ML organization archetypes, team design choices, the MLOps team.

Layers (see docs/authoring.md): data and model in :mod:`~mlcourse.orgs.data` and
:mod:`~mlcourse.orgs.assess` (the self-assessment and its scoring rule), text in
:mod:`~mlcourse.orgs.tables`, pictures in :mod:`~mlcourse.orgs.plots`, demos in
:mod:`~mlcourse.orgs.widgets` (imported lazily, so the model layer needs no ipywidgets).
"""

from __future__ import annotations

from typing import Any

from mlcourse.orgs.assess import Assessment, assess, example_answers, questions
from mlcourse.orgs.data import (
    Archetype, archetype, archetypes, design_choices, design_questions, disagreements, mlops_view,
)

__all__ = [
    "Archetype", "Assessment", "archetype", "archetypes", "assess", "design_choices",
    "design_questions", "disagreements", "example_answers", "mlops_view", "questions",
    "plot_mountain", "plot_scores", "archetype_explorer", "assessment_explorer",
]

_LAZY = {
    "plot_mountain": "mlcourse.orgs.plots", "plot_scores": "mlcourse.orgs.plots",
    "archetype_explorer": "mlcourse.orgs.widgets", "assessment_explorer": "mlcourse.orgs.widgets",
}


def __getattr__(name: str) -> Any:
    """Import the plot and widget layers only when first used."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mlcourse.orgs' has no attribute {name!r}")
