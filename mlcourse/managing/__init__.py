"""Lecture 04 (Managing ML teams and projects): planning under uncertainty and the experiment log.

Layers, each usable alone and loaded on first use (:mod:`mlcourse.lazy`): :mod:`.model`
(``progress``, ``planner``, ``portfolio``, ``explog``: numpy, stdlib and SQLite only), :mod:`.plots`
(Display classes), :mod:`.widgets` (explorers), :mod:`.text` (the lecture's tables as Markdown).
"""

from mlcourse.lazy import lazy_layers

__getattr__, __dir__, __all__ = lazy_layers(__name__, {
    "model.planner": ("PlanComparison", "PlanSimulation", "Task", "compare_orders", "deadline_percentile",
                      "draw_outcomes", "example_deadline", "example_tasks", "expected_finish",
                      "expected_total_value", "replanned_order", "run_order", "waterfall_order"),
    "model.portfolio": ("PortfolioSimulation", "approach_probabilities", "p_at_least_one", "p_at_least_one_prefix",
                        "simulate_portfolio", "success_count_pmf"),
    "model.progress": ("ProgressParams", "ProgressRun", "expected_gap", "linear_plan", "simulate_progress"),
    "model.explog": ("Experiment", "ExperimentLog", "ExperimentLogError", "SprintCounts", "demo_experiments",
                     "per_sprint"),
    "plots": ("PlanDisplay", "PortfolioDisplay", "ProgressDisplay", "RateDisplay", "plot_plan", "plot_portfolio",
              "plot_progress", "plot_rate"),
    "widgets": ("ExperimentLogExplorer", "experiment_log_explorer", "planner_explorer", "portfolio_explorer",
                "progress_explorer"),
})
