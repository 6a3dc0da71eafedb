"""Small display helpers shared by the lecture notebooks (tables from content data)."""

from __future__ import annotations

from typing import Iterable, Sequence


class Markdown(str):
    """A string Jupyter renders as Markdown (and a terminal prints as plain text)."""

    def _repr_markdown_(self) -> str:
        return str(self)


def _cell(value: object) -> str:
    if isinstance(value, (list, tuple)):
        value = ", ".join(map(str, value))
    return str(value).replace("|", "\\|").replace("\n", " ")


_RULES = {"left": " --- |", "right": " ---: |", "center": " :---: |"}


def markdown_table(rows: Iterable[Sequence[object]], header: Sequence[str],
                   align: Sequence[str] | None = None) -> Markdown:
    """Render rows as a Markdown table with the given header.

    Cells are escaped (``|`` and newlines); lists become comma-separated. ``align`` gives each
    column ``"left"``, ``"right"`` or ``"center"`` (default: all left).
    """
    align = list(align) if align is not None else ["left"] * len(header)
    if len(align) != len(header) or any(a not in _RULES for a in align):
        raise ValueError(f"align needs one of {sorted(_RULES)} per column; got {align!r} for {len(header)} columns")
    lines = ["| " + " | ".join(header) + " |", "|" + "".join(_RULES[a] for a in align)]
    for row in rows:
        row = list(row)
        if len(row) != len(header):
            raise ValueError(f"row {row!r} has {len(row)} cells; the header has {len(header)}")
        lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
    return Markdown("\n".join(lines))
