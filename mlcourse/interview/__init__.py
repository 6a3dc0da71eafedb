"""Lecture 06 (interview preparation): the exam outline, how to prepare, and the ResNet question.

Layers, loaded on first use (:mod:`mlcourse.lazy`): :mod:`.model` (gradient flow through plain
and residual stacks), :mod:`.plots` (its Display), :mod:`.text` (the lecture's reference content
as Markdown). The lecture's other demos live in the packages it shares with the exam,
:mod:`mlcourse.debugging` and :mod:`mlcourse.losses`; this lecture has no widget of its own.
"""

from mlcourse.lazy import lazy_layers

__getattr__, __dir__, __all__ = lazy_layers(__name__, {
    "model": ("ACTIVATIONS", "GradientFlow", "gradient_flow"),
    "plots": ("GradientFlowDisplay", "plot_gradient_flow"),
    "text": ("SECTIONS", "markdown", "show"),
})
