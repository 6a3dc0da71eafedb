"""Site build: Markdown cells made self-contained: maths as MathML, links between pages.

Maths: ``$$...$$``, ``\\[...\\]`` and ``\\(...\\)`` (and ``$...$`` written tightly, as
``$x$`` and never ``$ 5``, so prices are left alone) become MathML at build time with
latex2mathml. Browsers render MathML natively and screen readers read it, so no MathJax
script (and no CDN) is needed.

Links: a link to another lecture notebook (``01_roles.ipynb#...``) points at its page; a link
to any other repository file, which the site does not carry, becomes its path in code with a
note, so no link on the site is broken.
"""

from __future__ import annotations

import re
from typing import Callable

from latex2mathml.converter import convert
from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode

_DISPLAY = re.compile(r"\$\$(.+?)\$\$|\\\[(.+?)\\\]", re.S)
_INLINE = re.compile(r"\\\((.+?)\\\)|(?<![\\$\w])\$(?=\S)([^$\n]+?)(?<=\S)\$(?![\w$])")
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)
_LINK = re.compile(r"\[([^\]\n]+)\]\((?!https?:|mailto:|#)([^)\s]+)\)")


def latex_to_mathml(latex: str, display: bool) -> str:
    """One formula as MathML (block or inline)."""
    return convert(latex.strip(), display="block" if display else "inline")


def _outside_code(text: str, change: Callable[[str], str]) -> str:
    """Apply ``change`` to the parts of Markdown that are not code spans or fences."""
    parts = _CODE.split(text)
    return "".join(p if i % 2 else change(p) for i, p in enumerate(parts))


def math_to_mathml(markdown: str) -> str:
    """Replace the formulas in a Markdown text by MathML."""
    def change(text: str) -> str:
        text = _DISPLAY.sub(lambda m: "\n\n" + latex_to_mathml(m.group(1) or m.group(2), True) + "\n\n", text)
        return _INLINE.sub(lambda m: latex_to_mathml(m.group(1) or m.group(2), False), text)

    return _outside_code(markdown, change)


def rewrite_links(markdown: str, pages: dict[str, str]) -> str:
    """Point links to lecture notebooks at their pages; turn links to other repository files into text."""
    def change(text: str) -> str:
        def one(m: re.Match) -> str:
            label, target = m.group(1), m.group(2)
            path, _, anchor = target.partition("#")
            name = path.rsplit("/", 1)[-1]
            if name in pages:
                return f"[{label}]({pages[name]}{'#' + anchor if anchor else ''})"
            if path in pages.values():  # already a link to a page of the site
                return m.group(0)
            shown = re.sub(r"^(\.\./|\./)+", "", path)
            return f"{label} (`{shown}` in the course repository)"
        return _LINK.sub(one, text)

    return _outside_code(markdown, change)


_HTML_LINK = re.compile(r"""href=(["'])(?![a-z]+:|#)([^"'#]+\.ipynb)(#[^"']*)?\1""")


def rewrite_html_links(text: str, pages: dict[str, str]) -> str:
    """Point ``href``s to lecture notebooks in an HTML output at their pages."""
    def one(m: re.Match) -> str:
        name = m.group(2).rsplit("/", 1)[-1]
        target = pages.get(name)
        return f"href={m.group(1)}{target}{m.group(3) or ''}{m.group(1)}" if target else m.group(0)

    return _HTML_LINK.sub(one, text)


class SiteMarkdownPreprocessor(Preprocessor):
    """MathML for formulas and site-relative links in Markdown cells and rich outputs."""

    def __init__(self, pages: dict[str, str], **kw) -> None:
        super().__init__(**kw)
        self.pages = pages

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        """Rewrite one Markdown cell, or the Markdown and HTML outputs of a code cell."""
        if cell.cell_type == "markdown":
            cell.source = rewrite_links(math_to_mathml(cell.source), self.pages)
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/markdown" in data:
                data["text/markdown"] = rewrite_links(math_to_mathml(data["text/markdown"]), self.pages)
            if "text/html" in data:
                data["text/html"] = rewrite_html_links(data["text/html"], self.pages)
        return cell, resources
