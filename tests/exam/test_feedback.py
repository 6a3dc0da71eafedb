"""Unit tests for mlcourse.exam.plugins.teaching_feedback on a small hand-made autograded notebook (no kernel)."""

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from mlcourse.exam.plugins.teaching_feedback import TeachingFeedback, item_note, strip_region, summary_table, verdict

ITEMS = {
    "q_1_test": {"title": "Stable softmax", "category": "algorithm knowledge", "explanation": "Subtract the max.",
                 "revisit": "lecture 6", "kind": "code"},
    "q_2": {"title": "Residual blocks", "category": "ML theory", "explanation": "Identity path.",
            "revisit": "lecture 6", "kind": "written"},
}


def _grade_cell(grade_id, source, outputs, score, points):
    cell = new_code_cell(source)
    cell.outputs = outputs
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "task": False, "locked": True, "grade_id": grade_id,
                                 "points": points, "score": score, "schema_version": 3}
    return cell


def test_strip_region_removes_every_marked_block():
    src = "a = 1\n### BEGIN HIDDEN TESTS\nsecret()\n### END HIDDEN TESTS\nb = 2\n### BEGIN HIDDEN TESTS\nx\n### END HIDDEN TESTS"
    assert strip_region(src, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS") == ("a = 1\nb = 2", True)
    assert strip_region("plain", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS") == ("plain", False)


def test_verdicts():
    assert verdict(2.0, 2.0, manual=False) == "right"
    assert verdict(1.0, 3.0, manual=False) == "partly right"
    assert verdict(0.0, 3.0, manual=False) == "wrong"
    assert verdict(None, 3.0, manual=True, needs_manual=True) == "to be graded by hand"
    assert verdict(3.0, 3.0, manual=True) == "right"


def test_feedback_hides_hidden_tests_tracebacks_and_mark_schemes(monkeypatch):
    hidden_line = "assert softmax([1000.0]) == [1.0], 'overflow case'"
    failing = new_output("error", ename="AssertionError", evalue="overflow case",
                         traceback=[f"----> 4 {hidden_line}", "AssertionError: overflow case"])
    task = new_markdown_cell("Explain residual blocks.\n=== BEGIN MARK SCHEME ===\n1 point: F(x) + x\n=== END MARK SCHEME ===")
    task.metadata["nbgrader"] = {"grade": False, "solution": False, "task": True, "locked": True, "grade_id": "q_2",
                                 "points": 3, "score": 0.0, "schema_version": 3}
    nb = new_notebook(cells=[
        _grade_cell("q_1_test", f"check(softmax)\n### BEGIN HIDDEN TESTS\n{hidden_line}\n### END HIDDEN TESTS",
                    [failing], 0.0, 2),
        task,
    ])
    import mlcourse.exam.plugins.teaching_feedback as fb

    monkeypatch.setattr(fb, "load_items", lambda: ITEMS)
    out, _ = TeachingFeedback().preprocess(nb, {})
    text = "\n".join(c.source for c in out.cells) + "\n".join(
        str(o) for c in out.cells if c.cell_type == "code" for o in c.outputs)
    assert hidden_line not in text and "HIDDEN TESTS" not in text
    assert "MARK SCHEME" not in text and "F(x) + x" not in text
    assert "check(softmax)" in text  # visible tests stay
    test_cell = out.cells[1]
    assert [o.output_type for o in test_cell.outputs] == ["stream"]
    assert test_cell.outputs[0].text == "Test failed. AssertionError: overflow case\n"
    # summary first, then each graded cell followed by its note
    assert out.cells[0].source.startswith("## Your results")
    assert "Subtract the max." in out.cells[2].source and "0 / 2 points, wrong" in out.cells[2].source
    assert "to be graded by hand" in out.cells[4].source and "Identity path." in out.cells[4].source


def test_partial_credit_and_stderr_outputs_are_summarised():
    partial = _grade_cell("q_1_test", "x", [new_output("execute_result", data={"text/plain": "1.5"},
                                                        execution_count=1)], 1.5, 2)
    stderr = _grade_cell("q_1_test", "x", [new_output("stream", name="stderr", text="oops on stderr\nmore")], 0, 2)
    passed = _grade_cell("q_1_test", "x", [], 2, 2)
    assert TeachingFeedback._one_line(partial).text == "Partial credit earned: 1.5 points.\n"
    assert "the cell wrote to stderr (oops on stderr)" in TeachingFeedback._one_line(stderr).text
    assert TeachingFeedback._one_line(passed).text == "All tests passed.\n"


def test_notes_and_summary_table_totals():
    note = item_note("q_1_test", 1.0, 2.0, "partly right", ITEMS)
    assert "1 / 2 points, partly right" in note and "Revisit:* lecture 6" in note
    assert "Revisit" not in item_note("q_1_test", 2.0, 2.0, "right", ITEMS)
    table = summary_table([{"id": "q_1_test", "score": 1.0, "max": 2.0, "outcome": "partly right"},
                           {"id": "q_2", "score": None, "max": 3.0, "outcome": "to be graded by hand"}], ITEMS)
    assert "| algorithm knowledge | 1 / 2 |" in table and "| ML theory | 0 / 3 |" in table
    assert "**1 / 5**" in table  # 1 + 0 of 2 + 3
