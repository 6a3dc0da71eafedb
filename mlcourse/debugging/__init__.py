"""ML debugging demos: single-batch learning curves, their shapes, and the troubleshooting table.

Used in 06_interview (§Debugging on a single batch, §Mystery curves) and by the exam's
learning-curve item. Layers: :mod:`.mlp` and :mod:`.scenarios` (model), :mod:`.shapes` and
:mod:`.table` (reading curves), :mod:`.plots` (plot), :mod:`.widgets` (widgets, imported lazily).
"""

from __future__ import annotations

from typing import Any

from mlcourse.debugging.mystery import MysteryCurve, MysteryGrade, draw_mystery, grade_mystery
from mlcourse.debugging.plots import LiveCurve, plot_curve, plot_gallery
from mlcourse.debugging.scenarios import SCENARIOS, TrainingCurve, run_scenario, scenario_specs
from mlcourse.debugging.shapes import SHAPE_LABELS, classify_curve, curve_stats
from mlcourse.debugging.table import (
    agreement_markdown,
    answer_key,
    causes,
    simulated_causes,
    table_causes,
    table_markdown,
    troubleshooting,
    verdicts,
)

__all__ = [
    "SCENARIOS", "SHAPE_LABELS", "LiveCurve", "MysteryCurve", "agreement_markdown", "plot_gallery", "table_markdown", "MysteryGrade", "TrainingCurve", "answer_key", "causes",
    "classify_curve", "curve_explorer", "curve_stats", "draw_mystery", "grade_mystery", "mystery_curve_exercise",
    "plot_curve", "run_scenario", "scenario_specs", "simulated_causes", "table_causes", "troubleshooting",
    "verdicts",
]


def __getattr__(name: str) -> Any:
    """Import the widget layer (ipywidgets) only when a widget is asked for."""
    if name in ("curve_explorer", "mystery_curve_exercise"):
        from mlcourse.debugging import widgets

        return getattr(widgets, name)
    raise AttributeError(f"module 'mlcourse.debugging' has no attribute {name!r}")
