"""HTML pages of the exam tools (practice report, item report), rendered from Jinja2 templates.

The templates live in ``mlcourse/exam/templates/`` (package data). Autoescaping is on: every
value from a gradebook or a content file is inert in the page.
"""

from __future__ import annotations

import functools
import math
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape


def fmt(value: Any) -> str:
    """Three decimals; empty for a missing value (None or NaN)."""
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.3f}"


@functools.cache
def environment() -> Environment:
    """The Jinja2 environment over the package's templates (filters ``g`` and ``fmt``)."""
    env = Environment(loader=PackageLoader("mlcourse.exam", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), keep_trailing_newline=True)
    env.filters["g"] = lambda value: f"{value:g}"
    env.filters["fmt"] = fmt
    return env


def render(name: str, **context: Any) -> str:
    """Render template ``name`` with ``context``."""
    return environment().get_template(name).render(**context)
