"""A submission's scripts never run where someone else opens its work (issue 18), in real Chromium.

One class is graded with the exam's config: a candidate whose answer cell displays HTML with
``<script>``, ``onerror`` handlers, ``javascript:`` links, iframes, Markdown, JavaScript and SVG
outputs, plus a Markdown cell of their own with the same. Then the formgrader's grading page (in
the instructor's logged-in Jupyter server) and the candidate's feedback page are opened and
every script would set ``window.__pwned`` or the page title. A control page rendered from the
raw submission (no sanitising) shows the check does catch a live script.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from conftest import ARTIFACTS
from mlcourse.exam import pipeline
from test_browser import CHROMIUM, TOKEN, _need, jupyter_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOSTILE = Path(__file__).parent / "exam" / "fixtures" / "hostile"
STUDENT = "script_injection"
PWNED = "() => [window.__pwned === undefined ? null : window.__pwned, document.title]"


@pytest.fixture(scope="module")
def graded(_instructor_root) -> dict:
    """Grade the script-carrying submission and write its feedback; return the paths involved."""
    _need(Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed (apt-get install chromium)")
    course = pipeline.copy_course(_instructor_root / "inert" / "course")
    pipeline.generate(course)
    source = sorted((course / "source" / pipeline.ASSIGNMENT).glob("*.ipynb"))[0]
    nb = nbformat.read(source, as_version=4)
    answers = [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]
    answers[0].source = (HOSTILE / "script_injection.py").read_text() + "\n" + answers[0].source
    at = nb.cells.index(answers[0]) + 1
    nb.cells.insert(at, nbformat.v4.new_markdown_cell((HOSTILE / "script_markdown.md").read_text()))
    work = course.parent / "work"
    work.mkdir(exist_ok=True)
    nbformat.write(nb, work / source.name)
    pipeline.submit(course, STUDENT, [work / source.name])
    pipeline.autograde(course, STUDENT)
    pipeline.feedback(course, student_id=STUDENT)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        submission_id = gb.find_submission_notebook(source.stem, pipeline.ASSIGNMENT, STUDENT).id
    return {"course": course, "notebook": source.stem, "submission_id": submission_id,
            "submitted": work / source.name,
            "feedback": course / "feedback" / STUDENT / pipeline.ASSIGNMENT / f"{source.stem}.html"}


@pytest.fixture(scope="module")
def formgrader(graded, tmp_path_factory):
    """A Jupyter server whose formgrader manages the graded course (the instructor's session)."""
    home = tmp_path_factory.mktemp("inert-home")
    with jupyter_server(graded["course"], home) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--allow-file-access-from-files",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def _open(browser, url: str, shot: str, text: str = "kept"):
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.goto(url, wait_until="load")
    page.wait_for_selector(f"text={text}", timeout=60_000)
    page.wait_for_timeout(1500)  # let any onerror / deferred script fire
    page.screenshot(path=str(ARTIFACTS / shot), full_page=False)
    return page


def test_control_a_raw_rendering_runs_the_script(graded, browser, tmp_path) -> None:
    """The check is real: the submission rendered without sanitising does run its scripts."""
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_filename(str(graded["submitted"]))
    raw = tmp_path / "raw.html"
    raw.write_text(body)
    page = _open(browser, raw.as_uri(), "inert-control-raw.png")
    pwned, _title = page.evaluate(PWNED)
    page.close()
    assert pwned is not None


def test_feedback_page_runs_no_submission_script(graded, browser) -> None:
    page = _open(browser, graded["feedback"].as_uri(), "inert-feedback.png")
    pwned, title = page.evaluate(PWNED)
    bold = page.locator("#mlc-bold, b:has-text('kept')").count()
    page.close()
    assert pwned is None and not title.startswith("pwned"), (pwned, title)
    assert bold >= 1  # harmless formatting stays


def test_formgrader_page_runs_no_submission_script(graded, formgrader, browser) -> None:
    url = f"{formgrader}/formgrader/submissions/{graded['submission_id']}/?index=0&token={TOKEN}"
    page = _open(browser, url, "inert-formgrader.png")
    pwned, title = page.evaluate(PWNED)
    page.close()
    assert pwned is None and not title.startswith("pwned"), (pwned, title)
