"""nbgrader plug-in (after ``SaveAutoGrades``): flag a submission that looks like it patches the tests.

This is the mitigation for what no kernel can stop (monkeypatching what the tests rely on): it
reads the submission's editable cells and marks every autograded item of a suspicious notebook
"needs manual grade" in the gradebook. Configured by :func:`mlcourse.exam.plugins.configure.configure`.
"""

from __future__ import annotations

import ast

from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

#: Names whose use in an answer cell marks the notebook for manual review.
SUSPICIOUS_NAMES = frozenset({
    "setattr", "delattr", "exec", "eval", "compile", "__import__", "__builtins__", "builtins",
    "globals", "vars", "importlib", "ctypes", "gc", "sys", "inspect", "_getframe", "settrace",
    "setprofile", "__class__", "__code__", "__globals__", "__subclasses__", "__dict__",
})
#: Names of modules the exam's tests use; assigning to their attributes is tampering.
PROTECTED_MODULES = frozenset({"np", "numpy", "checks", "mlcourse", "math", "builtins", "operator"})


def tampering_findings(source: str) -> list[str]:
    """Return why a student-written cell looks like it patches what the tests rely on.

    Flags: assigning to an attribute or item of an imported module (``np.isclose = ...``,
    ``sys.modules[...] = ...``; ``self.x = ...`` is fine) and any use of the introspection and
    code-loading names in :data:`SUSPICIOUS_NAMES`. A heuristic: aliasing a module first, or
    code built from strings, gets past the first rule, which is why the second one is broad.
    A cell that does not parse is not flagged (it fails on its own).
    """
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return []
    modules = set(PROTECTED_MODULES)  # plus every name an import in this cell binds
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules.update((a.asname or a.name).split(".")[0] for a in node.names)
    found: list[str] = []
    for node in ast.walk(tree):
        targets: list[ast.AST] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = [node.target] if not isinstance(node, ast.Delete) else list(node.targets)
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, (ast.Attribute, ast.Subscript)):
                    base = sub.value
                    while isinstance(base, (ast.Attribute, ast.Subscript)):
                        base = base.value
                    if isinstance(base, ast.Name) and base.id in modules:
                        found.append(f"line {node.lineno}: assigns to {ast.unparse(sub)}")
                    break
        if isinstance(node, ast.Name) and node.id in SUSPICIOUS_NAMES:
            found.append(f"line {node.lineno}: uses {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in SUSPICIOUS_NAMES:
            found.append(f"line {node.lineno}: uses .{node.attr}")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            for name in names:
                if name.split(".")[0] in SUSPICIOUS_NAMES:
                    found.append(f"line {node.lineno}: imports {name}")
    return sorted(set(found))


def _editable(cell: NotebookNode) -> bool:
    """True for cells the candidate may write: answer cells and cells they added."""
    meta = cell.metadata.get("nbgrader", {})
    return not meta or bool(meta.get("solution"))


class FlagTampering(NbGraderPreprocessor):
    """After SaveAutoGrades: if an editable cell looks like tampering, flag every auto item."""

    enabled = True

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        """Scan the candidate's cells; on findings, set needs_manual_grade and record why."""
        from nbgrader.api import Gradebook

        findings = []
        for cell in nb.cells:
            if cell.cell_type == "code" and _editable(cell):
                cell_id = cell.metadata.get("nbgrader", {}).get("grade_id", cell.get("id", "?"))
                findings += [f"{cell_id} {f}" for f in tampering_findings(cell.source)]
        info = resources["nbgrader"]
        nb.metadata.setdefault("mlcourse", {})["tampering"] = findings
        if not findings:
            return nb, resources
        self.log.warning("possible tampering in %s/%s: %s", info["student"], info["notebook"],
                         "; ".join(findings[:5]))
        with Gradebook(info["db_url"]) as gb:
            submission = gb.find_submission_notebook(info["notebook"], info["assignment"], info["student"])
            for grade in submission.grades:
                if grade.cell.cell_type == "code":
                    grade.needs_manual_grade = True
            submission.flagged = True
            gb.db.commit()
        return nb, resources
