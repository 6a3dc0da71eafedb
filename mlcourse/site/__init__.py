"""The course as a static website: every lecture executed, readable without Python or a kernel.

``make site`` (``python -m mlcourse.site``) writes ``_site/``: lecture 00 (the course map) as
``index.html``, one page per lecture, a sources page. Self-checks show a revealable answer,
demos their default picture, every figure its text alternative; no page loads anything from the
network. The build pipeline is in :mod:`mlcourse.site.build`; why nbconvert and our own Jinja2
templates rather than Jupyter Book is in ``docs/architecture.md`` ("Site").
"""

from mlcourse.site.build import BuildReport, build

__all__ = ["BuildReport", "build"]
