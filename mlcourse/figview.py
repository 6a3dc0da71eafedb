"""A matplotlib figure shown as an ipywidgets ``Image`` that widgets redraw in place.

Widgets in this course update artists on one kept figure and call :meth:`FigureView.refresh`,
which renders the figure with Agg and swaps the image's PNG bytes: no flicker, no ``Output``
clearing, and the whole redraw can be timed in a benchmark by calling the widget's update.

Speed: the constrained layout is solved on the first render only and then frozen (solving it
costs about as much as drawing); call :meth:`relayout` after changes that move labels a lot.
PNGs are written with light compression, which is several times faster than the default.
"""

from __future__ import annotations

import io

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image


class FigureView:
    """Own a :class:`~matplotlib.figure.Figure` and an ``Image`` widget showing it."""

    def __init__(self, figsize: tuple[float, float] = (6.4, 4.0), dpi: int = 80, **subplot_kw):
        # A bare Figure (not pyplot) so widgets never leak figures into the notebook's output.
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.canvas = FigureCanvasAgg(self.figure)
        self.ax = self.figure.add_subplot(**subplot_kw)
        self.image = widgets.Image(format="png")
        self.image.layout.max_width = "100%"

    def relayout(self) -> None:
        """Solve the constrained layout again on the next render (labels or titles changed size)."""
        self.figure.set_layout_engine("constrained")

    def png(self) -> bytes:
        """Render the figure to PNG bytes, freezing the layout after it is first solved."""
        self.canvas.draw()
        if self.figure.get_layout_engine() is not None:
            self.figure.set_layout_engine("none")
        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def refresh(self) -> None:
        """Re-render the figure into the image widget."""
        self.image.value = self.png()
