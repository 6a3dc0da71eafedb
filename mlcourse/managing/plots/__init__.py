"""Plot layer of lecture 04: :mod:`.planning` (progress, plans, portfolios) and :mod:`.explog`
(experiments per sprint). Each figure is a :class:`mlcourse.plotting.Display`."""

from mlcourse.managing.plots.explog import RateDisplay, RatePlot, plot_rate
from mlcourse.managing.plots.planning import (
    PLAN_FIGURE, PORTFOLIO_FIGURE, PROGRESS_FIGURE, PlanDisplay, PlanPlot, PortfolioDisplay, PortfolioPlot,
    ProgressDisplay, ProgressPlot, nice_top, ordinal, plan_caption, plot_plan, plot_portfolio, plot_progress,
    portfolio_caption, progress_caption,
)

__all__ = [
    "PLAN_FIGURE", "PORTFOLIO_FIGURE", "PROGRESS_FIGURE", "PlanDisplay", "PlanPlot", "PortfolioDisplay",
    "PortfolioPlot", "ProgressDisplay", "ProgressPlot", "RateDisplay", "RatePlot", "nice_top", "ordinal",
    "plan_caption", "plot_plan", "plot_portfolio", "plot_progress", "plot_rate", "portfolio_caption",
    "progress_caption",
]
