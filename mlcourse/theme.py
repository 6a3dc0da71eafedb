"""Colours in notebook HTML that read in JupyterLab's light and dark themes alike.

No single text colour reaches a 4.5:1 contrast on both a white and a near-black page, so HTML
that the course puts in outputs and widgets follows one rule: **text keeps the theme's colour**
(it inherits, or uses JupyterLab's ``--jp-content-font-color*`` variables), and a state such as
"unrealistic" or "correct" is said in words and marked with a coloured *accent* (a border or a
swatch) beside the text, never by colouring the text itself. Accents are mid-tones visible on
both backgrounds (at least 3:1 against white, as WCAG asks of non-text marks).

Matplotlib figures are drawn on an opaque white background and shown on a light card
(:data:`mlcourse.a11y.CARD_STYLE`), so plot colours are chosen against white only.
"""

from __future__ import annotations

import html
from enum import Enum


class Tone(Enum):
    """The meaning a mark carries; each has one accent colour."""

    GOOD = "good"
    WARNING = "warning"
    BAD = "bad"
    INFO = "info"
    NEUTRAL = "neutral"


#: Accent colours (borders, swatches): each at least 3:1 against white and visible on dark grey.
ACCENT = {
    Tone.GOOD: "#2e8540",
    Tone.WARNING: "#c77c02",
    Tone.BAD: "#d0362a",
    Tone.INFO: "#3b73c4",
    Tone.NEUTRAL: "#8a8a8a",
}

#: Text colours that follow the notebook theme (with a fallback for plain HTML viewers).
TEXT = "var(--jp-content-font-color1, inherit)"
MUTED_TEXT = "var(--jp-content-font-color2, inherit)"


def accent_style(tone: Tone, width: str = "4px") -> str:
    """CSS for a block marked by a coloured left border; its text keeps the theme's colour."""
    return f"border-left:{width} solid {ACCENT[tone]};padding:2px 8px;color:{TEXT}"


def badge(text: str, tone: Tone) -> str:
    """A word in bold with a coloured swatch before it (the word carries the meaning)."""
    swatch = (f"<span aria-hidden='true' style='display:inline-block;width:0.7em;height:0.7em;"
              f"border-radius:2px;margin-right:0.3em;background:{ACCENT[tone]}'></span>")
    return f"<b class='mlcourse-badge mlcourse-tone-{tone.value}' style='color:{TEXT}'>{swatch}{html.escape(text)}</b>"


def relative_luminance(hex_colour: str) -> float:
    """WCAG relative luminance of an sRGB colour written ``#rgb`` or ``#rrggbb``."""
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    a, b = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)
