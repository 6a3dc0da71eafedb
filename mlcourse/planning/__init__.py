"""Planning ML work under uncertainty: nonlinear progress, probabilistic plans, portfolio odds.

Used in 04_managing. Three layers, as everywhere in mlcourse: models (``progress``, ``planner``,
``portfolio``: numpy only), plots (``plots``) and widgets (``widgets``). Widgets are imported
lazily so the models can be used without ipywidgets or matplotlib.
"""

from __future__ import annotations

from .planner import (
    PlanComparison,
    PlanSimulation,
    Task,
    compare_orders,
    deadline_percentile,
    draw_outcomes,
    example_tasks,
    expected_finish,
    expected_total_value,
    replanned_order,
    run_order,
    waterfall_order,
)
from .portfolio import (
    PortfolioSimulation,
    approach_probabilities,
    p_at_least_one,
    p_at_least_one_prefix,
    simulate_portfolio,
    success_count_pmf,
)
from .progress import ProgressParams, ProgressRun, expected_gap, linear_plan, simulate_progress

__all__ = [
    "PlanComparison", "PlanSimulation", "PortfolioSimulation", "ProgressParams", "ProgressRun", "Task",
    "approach_probabilities", "compare_orders", "deadline_percentile", "draw_outcomes", "example_tasks",
    "expected_finish", "expected_gap", "expected_total_value", "linear_plan", "p_at_least_one",
    "p_at_least_one_prefix", "planner_explorer", "plot_plan", "plot_portfolio", "plot_progress",
    "portfolio_explorer", "progress_explorer", "replanned_order", "run_order", "simulate_portfolio",
    "simulate_progress", "success_count_pmf", "waterfall_order",
]

_LAZY = {
    "plot_plan": "plots", "plot_portfolio": "plots", "plot_progress": "plots",
    "planner_explorer": "widgets", "portfolio_explorer": "widgets", "progress_explorer": "widgets",
}


def __getattr__(name: str):
    """Import plot and widget helpers on first use."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
