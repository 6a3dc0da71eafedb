"""Lecture 00 (Why running ML teams is hard): the challenges as data, compared across sources.

Layers, loaded on first use (:mod:`mlcourse.lazy`): :mod:`.model` (the challenges, their
pairings and source coverage) and :mod:`.text` (Markdown lists and tables, the course map). The
lecture has no figure and no widget, so it has no plots or widgets layer.
"""

from mlcourse.lazy import lazy_layers

__getattr__, __dir__, __all__ = lazy_layers(__name__, {
    "model": ("GENERAL", "ML", "Challenge", "challenge", "challenges", "content", "course_map", "coverage",
              "only_in"),
    "text": ("challenge_list", "coverage_table", "course_map_markdown", "debt_reference_markdown",
             "pairing_table"),
})
