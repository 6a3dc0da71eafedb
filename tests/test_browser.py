"""JupyterLab in headless Chromium: run each lecture notebook, move a widget, click a quiz.

Skipped when Chromium or Playwright is missing, unless MLCOURSE_REQUIRE_BROWSER=1 (set by
.ci/run), in which case a missing browser is a failure. Screenshots go to artifacts/.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ARTIFACTS, REPO

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
REQUIRED = os.environ.get("MLCOURSE_REQUIRE_BROWSER") == "1"
TOKEN = "mlcourse-test-token"


def _need(condition: bool, why: str) -> None:
    if not condition:
        if REQUIRED:
            pytest.fail(f"browser test required (MLCOURSE_REQUIRE_BROWSER=1) but {why}")
        pytest.skip(why)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a free loopback port, rooted at the repository."""
    _need(Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        _need(False, "python playwright is not installed")
    home = tmp_path_factory.mktemp("home")
    # Serve a copy, so autosave in the browser can never write outputs into the repository.
    root = tmp_path_factory.mktemp("root")
    shutil.copytree(REPO / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    # ... and of the exam course (sources and config only), which the formgrader then manages.
    (root / "exam").mkdir()
    shutil.copy(REPO / "exam" / "nbgrader_config.py", root / "exam")
    shutil.copytree(REPO / "exam" / "source", root / "exam" / "source")
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\nload_subconfig('exam/nbgrader_config.py')\n")
    with jupyter_server(root, home, {"MLCOURSE_PROGRESS": "off"}, ["--LabApp.expose_app_in_browser=True"]) as base:
        yield base


@contextlib.contextmanager
def jupyter_server(root: Path, home: Path, extra_env: dict | None = None, extra_args: list | None = None):
    """Run JupyterLab on a free loopback port over ``root`` (HOME ``home``); yield its base URL."""
    port = _free_port()
    # nbgrader runs `alembic` by name: the environment's bin folder must be on PATH.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    env = {**os.environ, "PATH": path, "HOME": str(home), "JUPYTER_RUNTIME_DIR": str(home / "rt"),
           **(extra_env or {})}
    log = open(home / "lab.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}", *(extra_args or [])]
        + (["--allow-root"] if os.geteuid() == 0 else []),
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    try:
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"JupyterLab exited early:\n{(home / 'lab.log').read_text()[-3000:]}")
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start within 90 s")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    yield pg
    try:  # stop the kernels this test started, so later tests get the CPU
        pg.evaluate("() => window.jupyterapp && window.jupyterapp.serviceManager.sessions.shutdownAll()")
    except Exception:
        pass
    context.close()


def accept_kernel_dialog(page) -> None:
    """JupyterLab may ask which kernel to start when several are installed: take the default."""
    try:
        page.wait_for_selector(".jp-Dialog .jp-mod-accept", timeout=5_000)
    except Exception:
        return
    page.click(".jp-Dialog .jp-mod-accept")


def goto_fresh_workspace(page, lab: str, path: str) -> None:
    """Open ``path`` in a new, empty workspace, so no earlier test's tabs (and kernels) come back."""
    workspace = "t" + "".join(ch for ch in path if ch.isalnum())[-40:]
    page.goto(f"{lab}/lab/workspaces/{workspace}/tree/{path}?reset&token={TOKEN}",
              wait_until="domcontentloaded")


def open_notebook(page, lab: str, path: str) -> None:
    """Open a notebook, wait for its kernel to be idle, run all cells and wait for them."""
    shot = ARTIFACTS / f"failed_{Path(path).stem}.png"
    try:
        goto_fresh_workspace(page, lab, path)
        page.wait_for_selector(".jp-Notebook", timeout=60_000)
        page.wait_for_function("() => window.jupyterapp !== undefined", polling=500, timeout=60_000)
        accept_kernel_dialog(page)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
        # Idle shows before the kernel's websocket is up; running cells then does nothing.
        page.wait_for_function(
            """() => { const w = window.jupyterapp.shell.currentWidget;
                       const k = w && w.sessionContext && w.sessionContext.session
                                 && w.sessionContext.session.kernel;
                       return k && k.connectionStatus === 'connected' && k.status === 'idle'; }""",
            polling=500, timeout=90_000)
        # Fire and forget: the command's promise is awaited by the wait below, with a timeout.
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        page.wait_for_function(
            """() => {
                const prompts = [...document.querySelectorAll('.jp-Cell.jp-CodeCell .jp-InputPrompt')];
                return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
            }""",
            polling=500, timeout=120_000,
        )
    except Exception:
        page.screenshot(path=str(shot))
        raise
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    tracebacks = [t for t in errors.all_text_contents() if "Traceback" in t or "Error" in t]
    assert not tracebacks, f"{path} raised: {tracebacks[:1]}"


def move_first_control(page, box_selector: str) -> None:
    """Change the first dropdown or slider inside a widget box."""
    box = page.locator(box_selector).first
    select = box.locator("select")
    if select.count():
        options = select.first.locator("option").all()
        current = select.first.input_value()
        target = next(o.get_attribute("value") for o in options if o.get_attribute("value") != current)
        select.first.select_option(target)
        return
    handle = box.locator(".noUi-handle, .widget-slider .ui-slider-handle").first
    handle.focus()
    for _ in range(3):
        handle.press("ArrowRight")


def image_src(page, box_selector: str) -> str:
    return page.locator(f"{box_selector} img").first.get_attribute("src") or ""


def changed_image(page, box_selector: str, before: str) -> None:
    page.wait_for_function(
        "([sel, before]) => { const i = document.querySelector(sel + ' img');"
        " return i && i.getAttribute('src') !== before; }",
        arg=[box_selector, before], polling=200, timeout=15_000,
    )


def test_roles_notebook_runs_and_widgets_respond(page, lab):
    open_notebook(page, lab, "notebooks/01_roles.ipynb")
    box = ".mlcourse-role-explorer"
    page.locator(box).scroll_into_view_if_needed()
    before = image_src(page, box)
    assert before.startswith("blob:") or before.startswith("data:")
    page.locator(f"{box} select").first.select_option(label="ML researcher / ML scientist")
    changed_image(page, box, before)
    card = page.locator(f"{box} .widget-html").first.inner_text()
    assert "ML researcher" in card
    page.locator(box).screenshot(path=str(ARTIFACTS / "01_roles_explorer.png"))

    # The clickable self-check question: pick the right answer, press Check.
    quiz = page.locator(".mlcourse-quiz-roles-3")
    quiz.scroll_into_view_if_needed()
    quiz.get_by_text("b: ML engineer").click()
    quiz.get_by_role("button", name="Check").click()
    page.wait_for_selector(".mlcourse-quiz-roles-3 .mlcourse-correct", timeout=15_000)
    quiz.get_by_text("a: ML researcher").click()
    quiz.get_by_role("button", name="Check").click()
    page.wait_for_selector(".mlcourse-quiz-roles-3 .mlcourse-incorrect", timeout=15_000)
    quiz.screenshot(path=str(ARTIFACTS / "01_roles_quiz.png"))


LECTURES = sorted(p.name for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("name", [n for n in LECTURES if n != "01_roles.ipynb"])
def test_lecture_runs_and_first_widget_responds(page, lab, name):
    open_notebook(page, lab, f"notebooks/{name}")
    boxes = page.locator("[class*='mlcourse-']:not(.mlcourse-quiz):not([class*='mlcourse-quiz-'])"
                         ":not(.mlcourse-outcome)").filter(has=page.locator("img"))
    if boxes.count() == 0:            # a prose-only lecture: running cleanly is the test
        page.screenshot(path=str(ARTIFACTS / f"{name[:-6]}.png"))
        return
    first = boxes.first
    classes = first.get_attribute("class").split()
    selector = "." + next(c for c in classes if c.startswith("mlcourse-"))
    first.scroll_into_view_if_needed()
    before = image_src(page, selector)
    move_first_control(page, selector)
    changed_image(page, selector, before)
    page.screenshot(path=str(ARTIFACTS / f"{name[:-6]}.png"))


def test_formgrader_lists_the_exam(page, lab):
    page.goto(f"{lab}/formgrader/manage_assignments?token={TOKEN}", wait_until="domcontentloaded")
    try:
        page.wait_for_selector("text=interview_prep", timeout=60_000)
    finally:
        page.screenshot(path=str(ARTIFACTS / "formgrader.png"))
    page.screenshot(path=str(ARTIFACTS / "formgrader.png"))


def test_create_assignment_sidebar_shows_nbgrader_cell_types(page, lab):
    path = "exam/source/interview_prep/01_problem_setup.ipynb"
    goto_fresh_workspace(page, lab, path)
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    page.wait_for_function("() => window.jupyterapp !== undefined", polling=500, timeout=60_000)
    accept_kernel_dialog(page)
    page.get_by_text("Create Assignment", exact=True).first.click()
    # The sidebar lists every cell with an nbgrader "Type" dropdown.
    selects = page.locator(".nbgrader-CellType select")
    selects.first.wait_for(timeout=30_000)
    labels = set()
    for select in selects.all():
        labels.update(select.locator("option").all_text_contents())
    assert {"Autograded answer", "Autograded tests", "Manually graded answer"} <= labels, labels
    used = {select.input_value() for select in selects.all()}
    assert {"solution", "tests"} <= used, used
    page.screenshot(path=str(ARTIFACTS / "create_assignment.png"))


def test_interview_widgets_respond(page, lab):
    from playwright.sync_api import expect

    open_notebook(page, lab, "notebooks/06_interview.ipynb")
    box = ".mlcourse-curve-explorer"
    page.locator(box).scroll_into_view_if_needed()
    before = image_src(page, box)
    page.locator(f"{box} select").first.select_option("lr_far_too_high")
    changed_image(page, box, before)
    expect(page.locator(box)).to_contain_text("Explodes and oscillates", timeout=15_000)
    before = image_src(page, box)
    seed = page.locator(f"{box} .widget-slider").nth(1).locator(".noUi-handle")
    seed.focus()
    seed.press("ArrowRight")
    changed_image(page, box, before)
    page.locator(box).screenshot(path=str(ARTIFACTS / "06_curve_explorer.png"))

    mystery = ".mlcourse-mystery-curve"
    page.locator(mystery).scroll_into_view_if_needed()
    before = image_src(page, mystery)
    page.locator(mystery).get_by_role("button", name="New curve").click()
    changed_image(page, mystery, before)
    page.locator(mystery).get_by_text("Learning rate too high").click()
    page.locator(mystery).get_by_role("button", name="Check").click()
    expect(page.locator(mystery)).to_contain_text(re.compile("Score|Correct"), timeout=15_000)
    page.locator(mystery).get_by_role("button", name="Reveal").click()
    expect(page.locator(mystery)).to_contain_text("Hidden run", timeout=15_000)
    page.locator(mystery).screenshot(path=str(ARTIFACTS / "06_mystery_curve.png"))
