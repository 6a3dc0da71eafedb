"""Fast redraws for the lecture 02 widgets: draw the static figure once, then only the changing artists.

A full ``savefig`` re-renders every tick label and legend entry; on a slider move only a few
artists change. ``BlitRenderer`` renders the figure once without the *animated* artists, keeps
that background, and on each :meth:`render` restores it, draws the animated artists on top and
encodes the PNG straight from the Agg buffer into the :class:`~mlcourse.figview.FigureView` image.
"""

from __future__ import annotations

import io
from typing import Iterable

from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from mlcourse.figview import FigureView


class BlitRenderer:
    """Background-once, dynamic-artists-per-update rendering into a FigureView's image widget."""

    def __init__(self, view: FigureView):
        self.view = view
        self.canvas = FigureCanvasAgg(view.figure)
        self._background = None

    def reset(self) -> None:
        """Forget the background (call after changing static parts of the figure)."""
        self._background = None

    def png(self, artists: Iterable[Artist]) -> bytes:
        """Render the static background (cached) plus ``artists`` and return PNG bytes."""
        if self._background is None:
            self.canvas.draw()  # animated artists are skipped by a full draw
            self._background = self.canvas.copy_from_bbox(self.view.figure.bbox)
        self.canvas.restore_region(self._background)
        renderer = self.canvas.get_renderer()
        for artist in artists:
            if artist.get_visible():
                artist.draw(renderer)
        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def render(self, artists: Iterable[Artist]) -> None:
        """Show background + ``artists`` in the view's image widget."""
        self.view.image.value = self.png(artists)
