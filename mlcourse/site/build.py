"""Build the static site: execute every lecture, make it kernel-free, render it with our templates.

Pipeline per lecture (``notebooks/*.ipynb``, in name order; lecture 00, the course map, is the
home page ``index.html``):

1. execute with nbclient in a fresh kernel (progress recording off), widget state kept;
2. :class:`~mlcourse.site.quizcells.QuizCellPreprocessor`: self-checks become revealable answers;
3. :class:`~mlcourse.site.widgetcells.StaticWidgetPreprocessor`: demos become their first picture;
4. :class:`~mlcourse.site.markdown.SiteMarkdownPreprocessor`: MathML, links between pages;
5. nbconvert's HTML exporter with ``site/templates/mlcourse/page.html.j2``.

The sources page goes through the same exporter. Styles are local files; nothing on a page is
fetched from the network, so ``_site/`` opens from the filesystem or any static host.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbformat import NotebookNode

from mlcourse.site.markdown import SiteMarkdownPreprocessor
from mlcourse.site.quizcells import QuizCellPreprocessor
from mlcourse.site.sources import sources_notebook
from mlcourse.site.widgetcells import MissingAltText, StaticWidgetPreprocessor

REPO = Path(__file__).resolve().parents[2]
SITE_FILES = REPO / "site"
COURSE = "mlcourse: ML teams and project management"
TAGLINE = "An open course on building and running machine-learning teams, readable without Python."
FOOTER = ("Built from the course notebooks with their outputs; self-checks show their answers on "
          "request and demos their default picture. Run the lectures live with `make lab`.")


@dataclass(frozen=True)
class Page:
    """One page of the site: where it comes from, where it goes, what it is called."""

    href: str
    title: str
    source: Path | None = None

    def as_dict(self) -> dict[str, str]:
        return {"href": self.href, "title": self.title}


@dataclass
class BuildReport:
    """What a build produced, for the command line and the tests."""

    out: Path
    pages: list[Page] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    questions: dict[str, list[str]] = field(default_factory=dict)
    widgets: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        """One line per page: time to execute and render, self-checks and demos made static."""
        lines = [f"{p.href:28} {self.seconds.get(p.href, 0):6.1f} s  "
                 f"{len(self.questions.get(p.href, [])):3} self-checks  {self.widgets.get(p.href, 0):2} demos"
                 for p in self.pages]
        return "\n".join(lines + [f"site written to {self.out}"])


def _title(nb: NotebookNode, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if match:
                return re.sub(r"[*_`]", "", match.group(1)).strip()
    return fallback


def discover(notebooks: Path) -> list[Page]:
    """Every lecture notebook in name order; the first one is the home page."""
    paths = sorted(notebooks.glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise FileNotFoundError(f"no lecture notebooks (NN_name.ipynb) in {notebooks}")
    pages = []
    for i, path in enumerate(paths):
        nb = nbformat.read(path, as_version=4)
        pages.append(Page("index.html" if i == 0 else f"{path.stem}.html", _title(nb, path.stem), path))
    return pages


def execute(path: Path, timeout: int = 600) -> NotebookNode:
    """Run a notebook top to bottom in a fresh kernel, in its own folder, keeping widget state."""
    from nbclient import NotebookClient

    os.environ["MLCOURSE_PROGRESS"] = "off"  # the kernel inherits it: a build records no progress
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return nb


def _check_alt(nb: NotebookNode, page: Page) -> None:
    """Refuse to publish an image output that has no text alternative."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/png" in data and "text/html" not in data:
                if not (out.get("metadata", {}).get("image/png", {}) or {}).get("alt"):
                    raise MissingAltText(f"{page.source}: a figure is shown without a text alternative "
                                         "(display it with mlcourse.a11y.show_figure)")


def _exporter() -> HTMLExporter:
    exporter = HTMLExporter(extra_template_basedirs=[str(SITE_FILES / "templates")],
                            template_name="mlcourse", template_file="page.html.j2")
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    return exporter


def render(nb: NotebookNode, page: Page, pages: list[Page], extra: list[Page]) -> tuple[str, dict]:
    """Make one executed notebook static and render it as a page of the site."""
    links = {p.source.name: p.href for p in pages if p.source is not None}
    resources: dict = {}
    for step in (QuizCellPreprocessor(), StaticWidgetPreprocessor(), SiteMarkdownPreprocessor(links)):
        nb, resources = step.preprocess(nb, resources)
    _check_alt(nb, page)
    order = pages + extra
    index = next(i for i, p in enumerate(order) if p.href == page.href)
    resources["site"] = {
        "course": COURSE, "tagline": TAGLINE, "footer": FOOTER,
        "page": page.as_dict(), "pages": [p.as_dict() for p in order],
        "prev": order[index - 1].as_dict() if index > 0 else None,
        "next": order[index + 1].as_dict() if index + 1 < len(order) else None,
    }
    body, out_resources = _exporter().from_notebook_node(nb, resources=resources)
    return body, out_resources


def _build_one(args: tuple[Page, list[Page], list[Page], Path]) -> tuple[str, float, list[str], int, list[str]]:
    page, pages, extra, out = args
    start = time.perf_counter()
    nb = execute(page.source)
    body, resources = render(nb, page, pages, extra)
    (out / page.href).write_text(body, encoding="utf-8")
    meta = resources.get("mlcourse", {})
    css = resources.get("inlining", {}).get("css", [])
    return page.href, time.perf_counter() - start, meta.get("questions", []), meta.get("widgets", 0), css


def _write_static(out: Path, pygments_css: list[str]) -> None:
    from jupyter_core.paths import jupyter_path

    candidates = [Path(p) / "lab" / "static" for p in jupyter_path("nbconvert", "templates")]
    static = next((c for c in candidates if (c / "index.css").exists()), None)
    if static is None:
        raise FileNotFoundError("nbconvert's lab template styles (lab/static/index.css) were not found")
    target = out / "static"
    target.mkdir(parents=True, exist_ok=True)
    css = [(static / "index.css").read_text(), (static / "theme-light.css").read_text(), *pygments_css]
    (target / "jupyter.css").write_text("\n".join(css), encoding="utf-8")
    shutil.copy(SITE_FILES / "static" / "site.css", target / "site.css")


def build(out: Path = REPO / "_site", notebooks: Path = REPO / "notebooks", jobs: int = 2) -> BuildReport:
    """Build the whole site into ``out`` (replaced), executing lectures ``jobs`` at a time."""
    out = Path(out)
    pages = discover(Path(notebooks))
    sources = Page("sources.html", "Sources and credits")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    report = BuildReport(out, pages + [sources])
    css: list[str] = []
    tasks = [(p, pages, [sources], out) for p in pages]
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_build_one, tasks))
    else:
        results = [_build_one(t) for t in tasks]
    for href, seconds, questions, widgets, page_css in results:
        report.seconds[href], report.questions[href], report.widgets[href] = seconds, questions, widgets
        css = css or page_css
    start = time.perf_counter()
    body, resources = render(sources_notebook(pages), sources, pages, [sources])
    (out / sources.href).write_text(body, encoding="utf-8")
    report.seconds[sources.href] = time.perf_counter() - start
    _write_static(out, css or resources.get("inlining", {}).get("css", []))
    (out / "build.json").write_text(json.dumps({
        "pages": [p.as_dict() for p in report.pages], "questions": report.questions,
        "widgets": report.widgets}, indent=1), encoding="utf-8")
    return report
