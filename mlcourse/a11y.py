"""Text alternatives for every figure the course draws, in the notebook and on the static site.

One small surface that plot and widget code calls:

- :func:`set_alt` attaches a description, computed by the caller from the plotted data, to a
  figure (a Display's ``alt_text``); :func:`alt_for` returns it, or, when none was attached,
  :func:`describe` reads one off the figure itself (titles, axis labels and ranges, series
  names, bar values), so no figure is ever shown without a text alternative.
- :func:`show_figure` returns a displayable figure whose HTML is an ``<img>`` with that ``alt``
  on a light card (readable in JupyterLab's light and dark themes); :func:`enable` makes every
  matplotlib figure a notebook displays (``%matplotlib inline`` included) render that way.
- :func:`alt_image` makes the image widget a widget's figure is shown in, and
  :func:`label_image` gives it its text alternative: the widget front end puts it on the
  ``<img>`` as its ``title``, which assistive technology and axe-core read as the image's name,
  and the static site copies it into ``alt``.

Used by every lecture's plots and widgets; the site build (:mod:`mlcourse.site`) relies on it.
"""

from __future__ import annotations

import base64
import html
import io
import sys
from typing import Any

ALT_ATTRIBUTE = "_mlcourse_alt"
#: Series, bars or points listed by name in a generated description before "and N more".
MAX_LISTED = 8
#: A light card behind each figure, so it reads on dark notebook themes too.
CARD_STYLE = ("display:inline-block;background:#ffffff;padding:6px;border-radius:6px;"
              "margin:2px 0;max-width:100%")


def _figure(fig_or_ax: Any):
    """The Figure of a Figure, an Axes or a sequence of axes."""
    if hasattr(fig_or_ax, "savefig"):
        return fig_or_ax
    if hasattr(fig_or_ax, "figure") and fig_or_ax.figure is not None:
        return fig_or_ax.figure
    if hasattr(fig_or_ax, "flat"):  # a numpy array of axes
        return next(iter(fig_or_ax.flat)).figure
    if isinstance(fig_or_ax, (list, tuple)) and fig_or_ax:
        return _figure(fig_or_ax[0])
    raise TypeError(f"expected a matplotlib Figure or Axes, got {type(fig_or_ax).__name__}")


def set_alt(fig_or_ax: Any, text: str) -> None:
    """Attach a text alternative (computed from the plotted data) to the figure holding ``fig_or_ax``."""
    text = " ".join(str(text).split())
    if not text:
        raise ValueError("a text alternative must say what the figure shows; got an empty string")
    setattr(_figure(fig_or_ax), ALT_ATTRIBUTE, text)


def alt_for(fig_or_ax: Any) -> str:
    """The figure's attached text alternative, or one described from its contents."""
    fig = _figure(fig_or_ax)
    return getattr(fig, ALT_ATTRIBUTE, None) or describe(fig)


# --------------------------------------------------------------------------- describing a figure


def _number(value: float) -> str:
    """A short, readable rendering of an axis value."""
    value = float(value)
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:.3g}"


def _listed(names: list[str]) -> str:
    shown = names[:MAX_LISTED]
    more = len(names) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")


def _axis(ax: Any, which: str) -> str:
    label = _plain(getattr(ax, f"get_{which}label")())
    low, high = sorted(getattr(ax, f"get_{which}lim")())
    scale = getattr(ax, f"get_{which}scale")()
    ticks = [_plain(t.get_text()) for t in getattr(ax, f"get_{which}ticklabels")()]
    words = [t for t in ticks if t and not _is_numeric(t)]
    name = f"{which} axis" + (f" '{label}'" if label else "")
    if words:
        return f"{name} with categories {_listed(words)}"
    return f"{name} from {_number(low)} to {_number(high)}" + (f" ({scale} scale)" if scale != "linear" else "")


def _plain(text: str) -> str:
    """Text as a reader hears it: one line, no mathtext markup."""
    return " ".join(str(text).split())


def _is_numeric(text: str) -> bool:
    if text.startswith("$") and text.endswith("$"):  # mathtext tick labels such as 10^2
        return True
    cleaned = text.replace("\u2212", "-").replace(",", "").replace("%", "").replace("$", "").strip()
    try:
        float(cleaned)
    except ValueError:
        return False
    return True


def _visible_label(artist: Any) -> str | None:
    label = artist.get_label() or ""
    return None if not label or label.startswith("_") else label


def _bars(ax: Any) -> list[str]:
    """Bar values, named by their category tick where the bars sit on ticks."""
    from matplotlib.container import BarContainer

    parts, unnamed = [], []
    for container in ax.containers:
        if not isinstance(container, BarContainer) or not container.patches:
            continue
        horizontal = container.orientation == "horizontal"
        ticks = ax.get_yticklabels() if horizontal else ax.get_xticklabels()
        positions = ax.get_yticks() if horizontal else ax.get_xticks()
        names = {round(float(p), 6): _plain(t.get_text()) for p, t in zip(positions, ticks) if t.get_text()}
        values = []
        for patch in container.patches:
            if horizontal:
                centre, size = patch.get_y() + patch.get_height() / 2, patch.get_width()
            else:
                centre, size = patch.get_x() + patch.get_width() / 2, patch.get_height()
            name = names.get(round(centre, 6))
            values.append(f"{name} {_number(size)}" if name else _number(size))
        series = _visible_label(container)
        if series:
            parts.append(f"bars '{_plain(series)}': " + _listed(values))
        else:
            unnamed += values
    if unnamed:
        parts.append("bars: " + _listed(unnamed))
    return parts


def _describe_axes(ax: Any) -> str:
    from matplotlib.collections import PathCollection
    from matplotlib.image import AxesImage

    title = _plain(ax.get_title())
    bits = [f"'{title}'" if title else "a chart"]
    if ax.axison:
        bits.append(_axis(ax, "x"))
        bits.append(_axis(ax, "y"))
    lines = [ln for ln in ax.get_lines() if ln.get_visible() and len(ln.get_xdata()) > 1]
    named = [n for n in (_visible_label(ln) for ln in lines) if n]
    if lines:
        bits.append(f"{len(lines)} line(s)" + (f": {_listed([_plain(n) for n in named])}" if named else ""))
    points = [c for c in ax.collections if isinstance(c, PathCollection) and c.get_visible()]
    n_points = sum(len(c.get_offsets()) for c in points)
    if n_points:
        bits.append(f"{n_points} marked point(s)")
    bits += _bars(ax)
    if any(isinstance(i, AxesImage) for i in ax.get_images()):
        bits.append("an image")
    texts = [_plain(t.get_text()) for t in ax.texts if t.get_visible() and t.get_text().strip()]
    if texts:
        bits.append(f"labels: {_listed(texts)}")
    legend = ax.get_legend()
    if legend is not None:
        entries = [_plain(t.get_text()) for t in legend.get_texts() if t.get_text()]
        if entries and not named:
            bits.append(f"legend: {_listed(entries)}")
    return "; ".join(bits)


def describe(fig_or_ax: Any) -> str:
    """Describe a figure from its contents: title, each panel's axes, series, bars and labels."""
    fig = _figure(fig_or_ax)
    panels = [ax for ax in fig.axes if ax.get_visible() and not _is_colorbar(ax)]
    suptitle = _plain(fig._suptitle.get_text()) if getattr(fig, "_suptitle", None) else ""
    head = f"Figure '{suptitle}'" if suptitle else "Figure"
    if not panels:
        return f"{head} with no chart drawn."
    if len(panels) == 1:
        return f"{head}: {_describe_axes(panels[0])}."
    body = " ".join(f"Panel {i}: {_describe_axes(ax)}." for i, ax in enumerate(panels, 1))
    return f"{head} with {len(panels)} panels. {body}"


def _is_colorbar(ax: Any) -> bool:
    return getattr(ax, "_colorbar", None) is not None or ax.get_label() == "<colorbar>"


# --------------------------------------------------------------------------- showing a figure


def figure_png(fig_or_ax: Any, dpi: float | None = None) -> bytes:
    """Render a figure to PNG bytes on an opaque white background."""
    fig = _figure(fig_or_ax)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi or fig.dpi, bbox_inches="tight", facecolor="white")
    return buffer.getvalue()


def image_html(png: bytes, alt: str, css_class: str = "course-figure") -> str:
    """An ``<img>`` of PNG bytes with its text alternative, on a light card.

    The class is not ``mlcourse-*``: that prefix marks widget boxes, which the browser tests find by it.
    """
    if not alt.strip():
        raise ValueError("every figure needs a non-empty text alternative")
    data = base64.b64encode(png).decode("ascii")
    return (f"<figure class='{css_class}' style='margin:0'><img src='data:image/png;base64,{data}' "
            f"alt='{html.escape(alt, quote=True)}' style='{CARD_STYLE}'></figure>")


class FigureImage:
    """A figure rendered once, shown with its text alternative (HTML) or as a plain PNG."""

    def __init__(self, fig_or_ax: Any, alt: str | None = None):
        self.alt = " ".join((alt or alt_for(fig_or_ax)).split())
        self.png = figure_png(fig_or_ax)

    def _repr_html_(self) -> str:
        return image_html(self.png, self.alt)

    def _repr_png_(self) -> tuple[bytes, dict[str, str]]:
        return self.png, {"alt": self.alt}

    def __repr__(self) -> str:
        return f"<figure: {self.alt}>"


def show_figure(fig_or_ax: Any, alt: str | None = None) -> FigureImage:
    """Return a displayable figure carrying ``alt`` (or the figure's own text alternative)."""
    return FigureImage(fig_or_ax, alt)


def _figure_html(fig: Any) -> str | None:
    """IPython's HTML formatter for matplotlib figures: the PNG with its text alternative."""
    if not fig.axes:
        return None
    return FigureImage(fig)._repr_html_()


def enable(shell: Any = None) -> bool:
    """Make the running IPython show every matplotlib figure with its text alternative.

    Registered by type name, so matplotlib is not imported; a no-op outside IPython. It is
    registered for ``FigureBase``, the parent of ``Figure``: activating the inline backend
    removes every formatter registered for ``Figure`` itself, and lookups follow the class's MRO.
    Returns whether a shell was found.
    """
    if shell is None:
        if "IPython" not in sys.modules:
            return False
        from IPython import get_ipython

        shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type_by_name("matplotlib.figure", "FigureBase", _figure_html)
    return True


def _alt_image_class():
    """:class:`AltImage`, built on first use so importing this module never imports ipywidgets."""
    global _ALT_IMAGE
    if _ALT_IMAGE is None:
        import ipywidgets as widgets
        from traitlets import Unicode

        class AltImage(widgets.Image):
            """An ``Image`` widget whose ``tooltip`` is its text alternative.

            The widget front end shows a DOM widget's tooltip as the element's ``title`` (the
            ``<img>``'s accessible name) only when the model has an empty ``description``;
            ``Image`` has none, and its view fails on a tooltip without one (ipywidgets 8), so
            this subclass syncs an empty ``description``.
            """

            description = Unicode("", help="always empty: lets the front end show the tooltip").tag(sync=True)

        _ALT_IMAGE = AltImage
    return _ALT_IMAGE


_ALT_IMAGE = None


def alt_image(**kwargs: Any):
    """A new image widget that can carry a text alternative (see :func:`label_image`)."""
    return _alt_image_class()(**kwargs)


def label_image(image: Any, alt: str) -> None:
    """Give an image widget from :func:`alt_image` its text alternative (the ``<img>``'s title)."""
    alt = " ".join(str(alt).split())
    if not alt:
        raise ValueError("every figure needs a non-empty text alternative")
    if "description" not in image.keys:
        raise TypeError("a plain ipywidgets.Image cannot show a text alternative (its view breaks on a "
                        "tooltip): create it with mlcourse.a11y.alt_image()")
    if image.tooltip != alt:
        image.tooltip = alt
