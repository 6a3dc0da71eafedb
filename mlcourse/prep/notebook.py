"""Write a session notebook: a header with the deadline, then one prompt and one answer cell per slot."""

from __future__ import annotations

import re
from pathlib import Path

from mlcourse.prep import bank
from mlcourse.prep.bank import Kind
from mlcourse.prep.session import SessionInfo, Slot
from mlcourse.prep.variants import render

FORMS = {
    Kind.SINGLE: "one label, e.g. `'b'`",
    Kind.MULTIPLE: "a list of labels, e.g. `['a', 'c']` (order does not matter)",
    Kind.ORDERING: "the labels in order, e.g. `['c', 'a', 'b']`",
    Kind.MATCH: "one label per numbered item, in order, e.g. `['c', 'a', 'b']`",
    Kind.TEXT: "a few words as a string, e.g. `'gradient descent'`",
}


def answer_form(item: bank.Item) -> str:
    """How the answer must be written, for the line under the prompt."""
    if item.kind is Kind.NUMERIC:
        p = item.get("precision")
        if not p:
            return "a whole number"
        return f"a number to {p} decimal places (right when within {0.5 * 10 ** -p:g} of the key)"
    if item.kind is Kind.CODE:
        return f"define the function `{item.get('function')}` in the cell, then save it"
    return FORMS[item.kind]


def signature(item: bank.Item) -> str:
    """The ``def`` line of a code item (from its first accepted answer: names only, no body)."""
    for entry in item.get("accept"):
        value = entry.get("value")
        if isinstance(value, str):
            m = re.search(rf"^def {item.get('function')}\(.*\):", value, re.M)
            if m:
                return m.group(0)
    return f"def {item.get('function')}(*args):"


def slot_cells(slot: Slot) -> tuple[str, str]:
    """Markdown and code of one slot."""
    import nbformat  # noqa: F401  (callers build cells with it)

    head = f"### {slot.n}. {slot.round.capitalize()} · {slot.category.replace('_', ' ')} · {slot.difficulty}"
    if slot.kind == "selfcheck":
        from mlcourse.quiz import question

        q = question(slot.item)
        text = f"{head}\n\n*Lecture self-check `{slot.item}`, missed earlier.*\n\n{q.prompt_markdown()}\n\n" \
               f"**Answer:** {q.expected_form()}"
        return text, f"s.save({slot.n}, ____)"
    item = bank.item(slot.item)
    v = render(item, slot.seed)
    text = f"{head}\n\n{v.prompt}\n\n**Answer:** {answer_form(item)}."
    if slot.card.startswith("exam:"):
        from mlcourse.prep.review import exam_item

        missed = exam_item(slot.card[len("exam:"):])
        text = (f"{head}\n\n*You missed the exam item \"{missed['title']}\" in practice; this question of the "
                f"same category stands in for it. Revisit: {missed['revisit']}.*\n\n{v.prompt}\n\n"
                f"**Answer:** {answer_form(item)}.")
    if item.kind is Kind.CODE:
        code = f"{signature(item)}\n    ...  # your code here\n\n\ns.save({slot.n}, {item.get('function')})"
    else:
        code = f"s.save({slot.n}, ____)"
    return text, code


def write_notebook(path: Path, info: SessionInfo, intro: str) -> Path:
    """Write the session notebook at ``path``."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    deadline = f"**Deadline: {info.deadline}** (UTC). " if info.deadline else ""
    cells = [
        new_markdown_cell(f"# {info.title}\n\n{deadline}{intro}\n\n"
                          "Run the next cell first. Answer by replacing `____` and running the cell: "
                          "each run saves your answer with the time (the last one saved before the "
                          "deadline counts)."),
        new_code_cell("from mlcourse.prep.session import Session, ____\ns = Session.open()"),
    ]
    for slot in info.slots:
        text, code = slot_cells(slot)
        cells += [new_markdown_cell(text), new_code_cell(code)]
    cells += [new_markdown_cell("## Grade\n\nRun this cell when you are done (or `mlcourse mock-grade .` in a "
                                "terminal): it scores the answers saved before the deadline and writes "
                                "`report.html`."),
              new_code_cell("report = s.grade()")]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                            "language": "python"}})
    nbformat.write(nb, path)
    return path
