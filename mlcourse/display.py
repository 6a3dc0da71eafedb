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


def markdown_table(rows: Iterable[Sequence[object]], header: Sequence[str]) -> Markdown:
    """Render rows as a Markdown table with the given header."""
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return Markdown("\n".join(lines))
