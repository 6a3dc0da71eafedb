"""Fast redraws for widget figures: cache the static layer, redraw only the animated artists.

Used by the 04_managing widgets (and the experiment-log widget). Text (tick labels, legends,
titles) dominates matplotlib's draw time, and a slider move rarely changes it. Artists that move
are marked ``animated``; :class:`CachedRenderer` draws everything else once, keeps that bitmap
while the axes' limits, ticks and texts stay the same, and paints the animated artists over it.
Animated artists are drawn last, so legends belong outside the axes (the plots here do that).
``FigureView.png()`` (``savefig``) still renders the complete figure, animated artists included.
"""

from __future__ import annotations

import io
from typing import Callable, Iterable

from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg

from mlcourse.figview import FigureView


def static_key(figure) -> tuple:
    """Everything static that can change between redraws: limits, ticks, tick labels, titles, legends."""
    parts = []
    for ax in figure.axes:
        legend = ax.get_legend()
        parts.append((
            ax.get_xlim(), ax.get_ylim(),
            tuple(ax.get_xticks()), tuple(ax.get_yticks()),
            tuple(t.get_text() for t in ax.get_xticklabels()),
            ax.get_title(), ax.get_xlabel(), ax.get_ylabel(),
            tuple(t.get_text() for t in legend.get_texts()) if legend else (),
        ))
    return tuple(parts)


class CachedRenderer:
    """Refresh a :class:`FigureView` by blitting: ``artists()`` lists what to draw on the cached background."""

    def __init__(self, view: FigureView, artists: Callable[[], Iterable[Artist]], compress_level: int = 1):
        self.view = view
        self.artists = artists
        self.compress_level = compress_level
        # reuse the view's Agg canvas when it has one, so the figure keeps a single canvas
        self.canvas = getattr(view, "canvas", None) or FigureCanvasAgg(view.figure)
        self._key: tuple | None = None
        self._background = None
        self.full_draws = 0

    def refresh(self) -> None:
        """Redraw the figure into the view's image, reusing the static layer when it is unchanged."""
        from PIL import Image

        figure = self.view.figure
        dynamic = list(self.artists())
        for artist in dynamic:
            artist.set_animated(True)
        key = static_key(figure)
        if key != self._key or self._background is None:
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(figure.bbox)
            self._key = key
            self.full_draws += 1
        else:
            self.canvas.restore_region(self._background)
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
