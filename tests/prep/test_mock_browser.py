"""A short mock interview taken end to end in JupyterLab (headless Chromium).

Builds a session, puts it on the lab's server, opens the notebook, types two right answers,
one of them a function written in its cell, saves them through the notebook's helper, grades from the notebook and opens the HTML report,
which is screenshotted into artifacts/prep_mock_report.png.
"""

from __future__ import annotations

import json
import urllib.request

import pytest

from conftest import ARTIFACTS
from mlcourse.prep import bank, mock, rules
from mlcourse.prep.store import Store
from mlcourse.prep.variants import render
from test_browser import TOKEN, accept_kernel_dialog, browser, goto_fresh_workspace, lab, page  # noqa: F401

pytestmark = pytest.mark.browser
FOLDER = "mock_session"


def _put(lab_url: str, path: str, model: dict) -> None:
    """Create a file or folder on the lab's server through the contents API."""
    req = urllib.request.Request(f"{lab_url}/api/contents/{path}", data=json.dumps(model).encode(), method="PUT",
                                 headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=30).read()


def _wait_kernel(pg) -> None:
    pg.wait_for_selector(".jp-Notebook", timeout=60_000)
    pg.wait_for_function("() => window.jupyterapp !== undefined", polling=500, timeout=60_000)
    accept_kernel_dialog(pg)
    pg.wait_for_function(
        """() => { const w = window.jupyterapp.shell.currentWidget;
                   const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
                   return k && k.connectionStatus === 'connected' && k.status === 'idle'; }""",
        polling=500, timeout=90_000)


def _run_code_cell(pg, index: int, source: str | None = None) -> str:
    """Optionally type ``source`` into the index-th code cell, run it, and return its output text."""
    cell = pg.locator(".jp-Notebook .jp-CodeCell").nth(index)
    cell.scroll_into_view_if_needed()
    editor = cell.locator(".cm-content")
    editor.click()
    if source is not None:
        pg.keyboard.press("Control+A")
        pg.keyboard.insert_text(source)
    before = cell.locator(".jp-InputPrompt").text_content() or ""
    pg.keyboard.press("Shift+Enter")
    pg.wait_for_function(
        """([i, before]) => { const c = document.querySelectorAll('.jp-Notebook .jp-CodeCell')[i];
                              const p = c.querySelector('.jp-InputPrompt').textContent;
                              return /\\[\\d+\\]/.test(p) && p !== before; }""",
        arg=[index, before], polling=300, timeout=60_000)
    return cell.locator(".jp-OutputArea").inner_text()


def test_mock_session_end_to_end(lab, page, tmp_path):  # noqa: F811
    local = tmp_path / FOLDER
    info = mock.build_mock(local, minutes=30, seed=11, store=Store(None, default=False))
    _put(lab, FOLDER, {"type": "directory"})
    _put(lab, f"{FOLDER}/session.json", {"type": "file", "format": "text",
                                          "content": (local / "session.json").read_text()})
    _put(lab, f"{FOLDER}/{mock.NOTEBOOK}", {"type": "notebook", "format": "json",
                                             "content": json.loads((local / mock.NOTEBOOK).read_text())})
    goto_fresh_workspace(page, lab, f"{FOLDER}/{mock.NOTEBOOK}")
    _wait_kernel(page)
    assert "Deadline" in page.locator(".jp-Notebook .jp-MarkdownCell").first.inner_text()
    opened = _run_code_cell(page, 0)
    assert "Deadline" in opened and "left" in opened
    warm_up = info.slots[0]
    coding = next(s for s in info.slots if s.round == "coding")
    for slot in (warm_up, coding):       # one typed value, one function written in its cell
        item = bank.item(slot.item)
        answer = rules.planted(render(item, slot.seed), "accept")[0]
        source = f"{answer}\n\ns.save({slot.n}, {item.get('function')})" if slot is coding else \
            f"s.save({slot.n}, {answer!r})"
        out = _run_code_cell(page, slot.n, source)
        assert f"Question {slot.n}: saved at" in out and "left" in out, out
    graded = _run_code_cell(page, len(info.slots) + 1)
    assert f"2 / {len(info.slots)} correct" in graded, graded
    page.wait_for_selector(".prep-report-link", timeout=30_000)
    report = page.context.new_page()
    report.goto(f"{lab}/files/{FOLDER}/report.html?token={TOKEN}", wait_until="load")
    report.wait_for_selector("text=Score per category", timeout=30_000)
    body = report.inner_text("body")
    assert f"2 / {len(info.slots)}" in body and "What to review" in body
    report.screenshot(path=str(ARTIFACTS / "prep_mock_report.png"), full_page=True)
    report.close()
