"""A matplotlib figure shown as an ipywidgets ``Image`` that widgets redraw in place.

Widgets in this course update artists on one kept figure and call :meth:`FigureView.refresh`,
which renders the figure with Agg and swaps the image's PNG bytes: no flicker, no ``Output``
clearing, and the whole redraw can be timed in a benchmark by calling the widget's update.

For the fastest redraws, :class:`CachedRenderer` keeps the static layer (axes, ticks, labels,
legends: text dominates matplotlib's draw time) as a bitmap and paints only the artists that
move; the bitmap is redrawn automatically when limits, ticks or texts change, and the last few
bitmaps are kept, so going back to an earlier axis range (a slider dragged back across the value
that changed it) costs a blit, not a full draw.

Speed: the constrained layout is solved on the first render only and then frozen (solving it
costs about as much as drawing); call :meth:`relayout` after changes that move labels a lot.
PNGs are written with light compression, which is several times faster than the default.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from typing import Callable, Iterable

from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from mlcourse.a11y import alt_for, alt_image, label_image


class FigureView:
    """Own a :class:`~matplotlib.figure.Figure` and an ``Image`` widget showing it."""

    def __init__(self, figsize: tuple[float, float] = (6.4, 4.0), dpi: int = 80, **subplot_kw):
        # A bare Figure (not pyplot) so widgets never leak figures into the notebook's output.
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.canvas = FigureCanvasAgg(self.figure)
        self.ax = self.figure.add_subplot(**subplot_kw)
        self.image = alt_image(format="png")  # an Image that can carry a text alternative
        self.image.layout.max_width = "100%"

    def relayout(self) -> None:
        """Solve the constrained layout again on the next render (labels or titles changed size)."""
        self.figure.set_layout_engine("constrained")

    def png(self) -> bytes:
        """Render the figure to PNG bytes, freezing the layout after it is first solved.

        Artists marked ``animated`` (see :class:`CachedRenderer`) are not drawn here.
        """
        self.canvas.draw()
        if self.figure.get_layout_engine() is not None:
            self.figure.set_layout_engine("none")
        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def refresh(self) -> None:
        """Re-render the figure into the image widget, with its text alternative."""
        self.image.value = self.png()
        label_image(self.image, alt_for(self.figure))


def static_key(figure) -> tuple:
    """Everything static that can change between redraws: limits, ticks, tick labels, titles, legends."""
    parts: list = [tuple(figure.get_size_inches()), figure.dpi]
    for ax in figure.axes:
        legend = ax.get_legend()
        parts.append((
            tuple(ax.get_position().bounds), ax.get_xlim(), ax.get_ylim(),
            tuple(ax.get_xticks()), tuple(ax.get_yticks()),
            tuple(t.get_text() for t in ax.get_xticklabels()),
            ax.get_title(), ax.get_xlabel(), ax.get_ylabel(),
            tuple(t.get_text() for t in legend.get_texts()) if legend else (),
        ))
    return tuple(parts)


class CachedRenderer:
    """Refresh a :class:`FigureView` by blitting: ``artists()`` lists what to draw on the cached background."""

    #: How many static layers (one per distinct :func:`static_key`) are kept; each is one RGBA
    #: bitmap of the figure, about 1 MB for the course's widget sizes.
    KEEP = 6

    def __init__(self, view: FigureView, artists: Callable[[], Iterable[Artist]], compress_level: int = 1):
        self.view = view
        self.artists = artists
        self.compress_level = compress_level
        self.canvas = view.canvas
        self._backgrounds: OrderedDict[tuple, object] = OrderedDict()  # static key -> bitmap, newest last
        self.full_draws = 0

    def forget(self) -> None:
        """Drop every cached static layer (the next refresh draws everything)."""
        self._backgrounds.clear()

    def refresh(self) -> None:
        """Redraw the figure into the view's image, reusing the static layer when it is unchanged."""
        figure = self.view.figure
        dynamic = list(self.artists())
        for artist in dynamic:
            artist.set_animated(True)
        key = static_key(figure)
        background = self._backgrounds.get(key)
        if background is None:
            self.canvas.draw()
            if figure.get_layout_engine() is not None:
                figure.set_layout_engine("none")  # solved once; re-solving costs as much as drawing
            key = static_key(figure)  # as drawn: the first draw moves the axes into their layout
            self._backgrounds[key] = self.canvas.copy_from_bbox(figure.bbox)
            while len(self._backgrounds) > self.KEEP:
                self._backgrounds.popitem(last=False)
            self.full_draws += 1
        else:
            self._backgrounds.move_to_end(key)
            self.canvas.restore_region(background)
        renderer = self.canvas.get_renderer()
        for artist in dynamic:
            if artist.get_visible():
                artist.draw(renderer)
        buffer = self.canvas.buffer_rgba()
        image = Image.frombuffer("RGBA", (buffer.shape[1], buffer.shape[0]), buffer, "raw", "RGBA", 0, 1)
        out = io.BytesIO()
        # RGB (the figure is opaque) and light compression: encoding takes half the time of RGBA at level 6
        image.convert("RGB").save(out, format="png", compress_level=self.compress_level)
        self.view.image.value = out.getvalue()
        label_image(self.view.image, alt_for(figure))

    def full_png(self) -> bytes:
        """The whole picture drawn from scratch (animated artists included), e.g. to check a blit."""
        dynamic = list(self.artists())
        for artist in dynamic:
            artist.set_animated(False)
        try:
            buffer = io.BytesIO()
            self.view.figure.savefig(buffer, format="png")
            return buffer.getvalue()
        finally:
            for artist in dynamic:
                artist.set_animated(True)
            self.forget()  # backgrounds are captured again after a draw from scratch
