"""Lecture 05, designing ML products: facts, the confidence-threshold model, plots and widgets.

Layers, each usable alone and loaded on first use (:mod:`mlcourse.lazy`):

* :mod:`.model` - ``facts`` (``content/design.yaml`` as dataclasses), ``thresholds`` (coverage,
  accuracy and errors above a confidence threshold), ``digits`` (a real scikit-learn model)
* :mod:`.plots` - trade-off curve, error gallery, feedback-type chart (Display classes)
* :mod:`.widgets` - the threshold and feedback explorers used in 05_design
* :mod:`.text` - the content lists rendered as Markdown for the notebook
"""

from mlcourse.lazy import lazy_layers

__getattr__, __dir__, __all__ = lazy_layers(__name__, {
    "model.facts": ("FeedbackType", "Point", "Reading", "explain_guidelines", "failure_patterns", "feedback_types",
                    "further_reading", "keys"),
    "model.thresholds": ("Decisions", "TradeoffCurve", "act_above", "top_k_hits"),
    "model.digits": ("DigitsRun", "digits_run"),
    "plots": ("ErrorGalleryDisplay", "FeedbackTypesDisplay", "TradeoffDisplay", "plot_error_gallery",
              "plot_feedback_types", "plot_tradeoff"),
    "widgets": ("feedback_explorer", "threshold_explorer"),
    "text": ("decisions_summary", "feedback_card", "markdown", "show"),
})
