"""The plot layer's two shared pieces: new axes when none are given, and the Display protocol.

Every figure in the course is a :class:`Display`, as scikit-learn's ``*Display`` objects are: the
constructor (or a ``from_*`` classmethod) computes everything the figure shows, once;
``plot(ax=None)`` draws it and returns the display itself, with ``ax_`` and ``figure_`` set; and
``alt_text`` describes the figure in words built from the same numbers (the site renders it as
the image's text alternative), so the description can never drift from the picture.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar, Self, Sequence

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def axes_or_new(ax: Any = None, figsize: tuple[float, float] = (6.4, 4.0), ncols: int = 1,
                gridspec_kw: dict | None = None, *, nrows: int = 1, **subplots_kw: Any) -> Any:
    """Return ``ax`` unchanged, or new axes on a new pyplot figure (``nrows`` x ``ncols`` of them).

    One Axes comes back as itself, a single row as an array, a grid as a flat list. With
    ``gridspec_kw`` (fixed margins) the figure uses no layout engine; otherwise the constrained
    layout. Other keywords go to ``pyplot.subplots`` (e.g. ``width_ratios``). Imports pyplot only
    when it has to make a figure.
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    if gridspec_kw is not None:
        subplots_kw["gridspec_kw"] = gridspec_kw
    else:
        subplots_kw["layout"] = "constrained"
    made = plt.subplots(nrows, ncols, figsize=figsize, **subplots_kw)[1]
    return list(made.flat) if nrows > 1 else made


class Display(ABC):
    """Compute once, draw on demand: ``plot(ax)`` returns ``self`` with ``ax_``/``figure_`` set."""

    #: Size of the figure ``plot()`` makes when given no axes.
    figsize: ClassVar[tuple[float, float]] = (6.4, 4.0)
    #: How many axes (in one row) the display draws on; ``plot`` takes a sequence when above 1.
    n_axes: ClassVar[int] = 1
    #: Fixed margins for the figure ``plot()`` makes (None: constrained layout).
    margins: ClassVar[dict | None] = None

    ax_: Axes | None = None
    axes_: Sequence[Axes] = ()
    figure_: Figure | None = None

    def plot(self, ax: Any = None) -> Self:
        """Draw on ``ax`` (one Axes, or ``n_axes`` of them) or on a new figure; return ``self``."""
        made = ax if ax is not None else self.new_axes()
        axes = [made] if self.n_axes == 1 else list(made)
        if len(axes) != self.n_axes:
            raise ValueError(f"{type(self).__name__} draws on {self.n_axes} axes; got {len(axes)}")
        self.draw(axes[0] if self.n_axes == 1 else axes)
        self.axes_ = tuple(axes)
        self.ax_ = axes[0]
        self.figure_ = axes[0].figure
        self._attach_alt_text()
        return self

    def _attach_alt_text(self) -> None:
        """Give the figure this display's text alternative (joined with other displays on it).

        The notebook's figure formatter, the widgets' images and the static site all read it
        (:mod:`mlcourse.a11y`), so what a screen reader hears is computed from the plotted data.
        """
        from mlcourse import a11y

        parts = getattr(self.figure_, "_mlcourse_display_alts", None)
        if parts is None:
            parts = {}
            self.figure_._mlcourse_display_alts = parts
        parts[id(self.ax_)] = self.alt_text
        ordered = [parts[id(ax)] for ax in self.figure_.axes if id(ax) in parts]
        a11y.set_alt(self.figure_, " ".join(ordered))

    def new_axes(self) -> Any:
        """The axes ``plot()`` draws on when given none (override for unusual grids)."""
        return axes_or_new(None, self.figsize, self.n_axes, self.margins)

    @abstractmethod
    def draw(self, ax: Any) -> None:
        """Draw the computed data on ``ax`` (one Axes, or a list of ``n_axes``)."""

    @property
    @abstractmethod
    def alt_text(self) -> str:
        """What the figure shows, in words and numbers computed from the displayed data."""


def all_displays() -> list[type[Display]]:
    """Every concrete Display class of the lecture packages (their plot layers imported first)."""
    import importlib
    import inspect

    for module in PLOT_MODULES:
        importlib.import_module(module)
    found: list[type[Display]] = []
    stack = list(Display.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if not inspect.isabstract(cls) and cls not in found:
            found.append(cls)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


#: The plot layer of every lecture package (also what the common Display test walks).
PLOT_MODULES = (
    "mlcourse.roles.plots", "mlcourse.hiring.plots", "mlcourse.orgs.plots", "mlcourse.managing.plots",
    "mlcourse.design.plots", "mlcourse.interview.plots", "mlcourse.debugging.plots", "mlcourse.losses.plots",
    "mlcourse.prep.readiness",
)
