"""Lecture 05, designing ML products: facts, the confidence-threshold model, plots and widgets.

Modules, one job each (model -> plot -> widget, as in docs/authoring.md):

* :mod:`.facts` - the lecture's content (``content/design.yaml``) as dataclasses
* :mod:`.thresholds` - act only above a confidence threshold: coverage, accuracy, errors
* :mod:`.digits` - a real scikit-learn model on the bundled digits data, trained once and cached
* :mod:`.plots` - trade-off curve, error gallery, feedback-type chart
* :mod:`.widgets` - the threshold and feedback explorers used in 05_product_design
* :mod:`.tables` - the content lists rendered as Markdown for the notebook

Widgets and plots import matplotlib and ipywidgets; they load on first use so the model layer
stays importable without them.
"""

from __future__ import annotations

from mlcourse.design.facts import (
    FeedbackType,
    Point,
    Reading,
    explain_guidelines,
    failure_patterns,
    feedback_types,
    further_reading,
    keys,
)
from mlcourse.design.thresholds import Decisions, TradeoffCurve, act_above, top_k_hits

_LAZY = {
    "digits_run": "mlcourse.design.digits",
    "DigitsRun": "mlcourse.design.digits",
    "plot_tradeoff": "mlcourse.design.plots",
    "plot_error_gallery": "mlcourse.design.plots",
    "plot_feedback_types": "mlcourse.design.plots",
    "threshold_explorer": "mlcourse.design.widgets",
    "feedback_explorer": "mlcourse.design.widgets",
    "show": "mlcourse.design.tables",
}


def __getattr__(name: str):
    """Import plotting, widget and table helpers only when first used."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mlcourse.design' has no attribute {name!r}")


__all__ = [
    "FeedbackType", "Point", "Reading", "explain_guidelines", "failure_patterns", "feedback_types",
    "further_reading", "keys", "Decisions", "TradeoffCurve", "act_above", "top_k_hits", *_LAZY,
]
