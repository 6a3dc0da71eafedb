"""Site build pieces, without a browser: quiz cells, widget snapshots, maths and links, pages."""

from __future__ import annotations

import base64

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from conftest import REPO
from mlcourse.quiz import question
from mlcourse.site.build import discover
from mlcourse.site.markdown import math_to_mathml, rewrite_links
from mlcourse.site.quizcells import QuizCall, QuizCellPreprocessor, _question_calls
from mlcourse.site.sources import SOURCES, citations, sources_notebook
from mlcourse.site.widgetcells import STATE_MIME, VIEW_MIME, MissingAltText, StaticWidgetPreprocessor


def test_quiz_calls_follow_bindings_across_cells():
    bound: dict[str, str] = {}
    assert _question_calls('q1 = question("roles.1")\nq1.show()', bound) == [(QuizCall.SHOW, "roles.1")]
    assert _question_calls("q1.check(____)   # a dict", bound) == [(QuizCall.CHECK, "roles.1")]
    assert _question_calls('question("roles.2").check("b")', bound) == [(QuizCall.CHECK, "roles.2")]
    assert _question_calls("q1.widget()", bound) == [(QuizCall.WIDGET, "roles.1")]
    assert _question_calls("%matplotlib inline", bound) == []
    assert _question_calls("plan.check(3)", bound) == []  # not a question


def _quiz_notebook() -> nbformat.NotebookNode:
    not_attempted = new_output("execute_result", data={"text/plain": "Not attempted"}, execution_count=2)
    return new_notebook(cells=[
        new_code_cell('q1 = question("roles.3")\nq1.show()', outputs=[
            new_output("execute_result", data={"text/markdown": "prompt"}, execution_count=1)]),
        new_code_cell("q1.check(____)", outputs=[not_attempted]),
        new_code_cell("q1.widget()", outputs=[new_output("display_data", data={VIEW_MIME: {"model_id": "x"}})]),
    ])


def test_check_cells_become_revealable_hints_and_answer():
    nb, resources = QuizCellPreprocessor().preprocess(_quiz_notebook(), {})
    assert nb.cells[0].outputs[0]["data"]["text/markdown"] == "prompt"  # the prompt stays
    html = nb.cells[1].outputs[0]["data"]["text/html"]
    q = question("roles.3")
    assert "<details class='mlcourse-answer'><summary>Answer and explanation for roles.3</summary>" in html
    assert "<details class='mlcourse-hints'>" in html and q.data["hints"][0].split()[0] in html
    assert q.choices[q.answer] in html  # the key with its text
    assert "Not attempted" not in html
    note = nb.cells[2].outputs[0]["data"]["text/html"]
    assert "needs a running Python kernel" in note and VIEW_MIME not in nb.cells[2].outputs[0]["data"]
    assert resources["mlcourse"]["questions"] == ["roles.3"]


def _widget_notebook(tooltip: str) -> nbformat.NotebookNode:
    png = base64.b64encode(b"\x89PNG fake").decode()
    state = {
        "box": {"state": {"_model_name": "VBoxModel", "children": ["IPY_MODEL_pick", "IPY_MODEL_img", "IPY_MODEL_txt"]}},
        "pick": {"state": {"_model_name": "DropdownModel", "description": "Role:", "index": 1,
                           "_options_labels": ["ML engineer", "Data engineer"]}},
        "img": {"state": {"_model_name": "ImageModel", "format": "png", "tooltip": tooltip},
                "buffers": [{"path": ["value"], "data": png, "encoding": "base64"}]},
        "txt": {"state": {"_model_name": "HTMLModel", "value": "<b>card</b>"}},
    }
    nb = new_notebook(cells=[new_code_cell("explorer()", outputs=[
        new_output("display_data", data={VIEW_MIME: {"model_id": "box", "version_major": 2}})])])
    nb.metadata["widgets"] = {STATE_MIME: {"state": state, "version_major": 2, "version_minor": 0}}
    return nb


def test_widget_outputs_become_their_first_picture_with_alt_settings_and_note():
    nb, resources = StaticWidgetPreprocessor().preprocess(_widget_notebook("Bubble chart of six roles"), {})
    html = nb.cells[0].outputs[0]["data"]["text/html"]
    assert "alt='Bubble chart of six roles'" in html and "src='data:image/png;base64," in html
    assert "<b>card</b>" in html and "<li>Role: Data engineer</li>" in html
    assert "make lab" in html and "widgets" not in nb.metadata
    assert resources["mlcourse"]["widgets"] == 1


def test_a_widget_picture_without_alt_is_refused():
    with pytest.raises(MissingAltText):
        StaticWidgetPreprocessor().preprocess(_widget_notebook(""), {})


def test_formulas_become_mathml_and_prices_stay_text():
    out = math_to_mathml("It costs $100 to $200. $$1 - \\prod_i (1 - p_i)$$ and `$x$` in code, $p_i$ inline.")
    assert "It costs $100 to $200." in out
    assert out.count("<math") == 2 and 'display="block"' in out and 'display="inline"' in out
    assert "`$x$`" in out


def test_links_point_at_pages_and_repository_files_become_text():
    pages = {"01_roles.ipynb": "01_roles.html", "00_why_hard.ipynb": "index.html"}
    out = rewrite_links("[a](01_roles.ipynb#Sec) [home](00_why_hard.ipynb) [exam](../exam/README.md) "
                        "[web](https://example.org)", pages)
    assert "[a](01_roles.html#Sec)" in out and "[home](index.html)" in out
    assert "exam (`exam/README.md` in the course repository)" in out
    assert "[web](https://example.org)" in out
    assert rewrite_links("[x](01_roles.html#A)", pages) == "[x](01_roles.html#A)"  # a page link stays


def test_pages_come_from_every_lecture_notebook_with_the_course_map_as_home():
    pages = discover(REPO / "notebooks")
    names = sorted(p.name for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert [p.source.name for p in pages] == names
    assert pages[0].href == "index.html" and pages[0].source.name.startswith("00_")
    assert all(p.title for p in pages)


def test_sources_page_lists_the_four_sources_with_citing_sections():
    pages = discover(REPO / "notebooks")
    text = "\n".join(c.source for c in sources_notebook(pages).cells)
    for s in SOURCES:
        assert f"## {s.title}" in text
    assert "(no section cites it)" not in text
    roles = nbformat.read(REPO / "notebooks" / "01_roles.ipynb", as_version=4)
    assert any("2019" in cited for _, cited in citations(roles))

