"""A matplotlib figure shown as an ipywidgets ``Image`` that widgets redraw in place.

Widgets in this course update artists on one kept figure and call :meth:`FigureView.refresh`,
which renders the figure to PNG bytes and swaps the image: no flicker, no ``Output`` clearing,
and the whole redraw can be timed in a benchmark by calling the widget's update function.
"""

from __future__ import annotations

import io

import ipywidgets as widgets
from matplotlib.figure import Figure


class FigureView:
    """Own a :class:`~matplotlib.figure.Figure` and an ``Image`` widget showing it."""

    def __init__(self, figsize: tuple[float, float] = (6.4, 4.0), dpi: int = 80, **subplot_kw):
        # A bare Figure (not pyplot) so widgets never leak figures into the notebook's output.
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.ax = self.figure.add_subplot(**subplot_kw)
        self.image = widgets.Image(format="png")
        self.image.layout.max_width = "100%"

    def png(self) -> bytes:
        """Render the figure to PNG bytes."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        return buffer.getvalue()

    def refresh(self) -> None:
        """Re-render the figure into the image widget."""
        self.image.value = self.png()
