"""Grader-side half of the sandbox: the execute step nbgrader's autograde runs, made hostile-proof.

:class:`SandboxedExecute` replaces nbgrader's ``Execute`` preprocessor (``exam/nbgrader_config.py``
does it through :func:`configure`). Compared with the stock step it

* always runs the ``mlcourse-sandbox`` kernel, whatever kernelspec the submission names, and hands
  it the limits of :mod:`mlcourse.exam.sandbox` through the kernel's environment;
* talks to the kernel over ipc sockets in a private folder, so the kernel can live in a network
  namespace of its own;
* caps what it keeps in memory: at most ``Limits.output_kb`` of outputs per notebook (the rest is
  dropped and a note added), no single ZeroMQ message above that size (the connection is dropped
  instead of the message being read) and a short receive queue;
* survives the kernel dying (segfault, ``os._exit``, a limit hit, the wall clock): the cell that
  was running and every code cell after it get an error output, so their tests score 0 while the
  items already graded keep their points, instead of the whole notebook failing.

:class:`FlagTampering` is the mitigation for what no kernel can stop (monkeypatching what the
tests rely on): it reads the submission's editable cells and marks every autograded item of a
suspicious notebook "needs manual grade" in the gradebook.
"""

from __future__ import annotations

import ast
import dataclasses
import math
import os
import shutil
import tempfile
import time
from typing import Any

import zmq
import zmq.asyncio
from jupyter_client.asynchronous.client import AsyncKernelClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Dict, Integer, Unicode

from mlcourse.exam import sandbox

#: Queue length (messages) of the grader's sockets: with the message cap it bounds queued bytes.
RECEIVE_QUEUE = 64
#: Slack for message headers over the output cap when sizing the largest accepted message.
HEADER_SLACK = 64 * 1024


class CappedKernelClient(AsyncKernelClient):
    """Kernel client whose ZeroMQ sockets refuse oversized messages and queue few of them."""

    max_message_bytes = Integer(1024 * 1024 + HEADER_SLACK)

    def _context_default(self) -> zmq.asyncio.Context:
        """A private context whose sockets carry the caps (set before they connect)."""
        self._created_context = True
        context = zmq.asyncio.Context()
        context.setsockopt(zmq.MAXMSGSIZE, self.max_message_bytes)
        context.setsockopt(zmq.RCVHWM, RECEIVE_QUEUE)
        return context


def _output_size(out: NotebookNode) -> int:
    """Approximate bytes an output holds (text, data bundle, traceback)."""
    size = len(out.get("text", "") or "")
    for value in (out.get("data") or {}).values():
        size += len(value) if isinstance(value, str) else len(str(value))
    size += sum(len(line) for line in out.get("traceback", []) or [])
    return size


def _error_output(ename: str, evalue: str) -> NotebookNode:
    """An error output as nbformat stores it (scores the cell 0 if it is a test cell)."""
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"{ename}: {evalue}"])


class SandboxedExecute(Execute):
    """nbgrader's Execute, run in the sandbox kernel with bounded memory and crash handling."""

    kernel_name = Unicode(sandbox.KERNEL_NAME, help="Kernel every submission runs in.").tag(config=True)
    limits = Dict({}, help="Overrides of mlcourse.exam.sandbox.Limits (e.g. {'memory_mb': 512}).").tag(config=True)

    #: Wall-clock seconds already used per (assignment, student) in this grading process.
    _spent: dict[tuple[str, str], float] = {}

    def _limits(self) -> sandbox.Limits:
        """The limits in force: defaults, then $MLCOURSE_SANDBOX_LIMITS, then this trait.

        ``wall_seconds`` is a budget for a whole submission: each notebook's kernel gets what
        the student's earlier notebooks left of it.
        """
        limits = sandbox.load_limits(self.limits)
        left = getattr(self, "_wall_left", None)
        if left is not None:
            limits = dataclasses.replace(limits, wall_seconds=max(1, math.ceil(left)))
        return limits

    # -- kernel start ----------------------------------------------------------------------
    def create_kernel_manager(self):
        """Stock manager, switched to ipc sockets in a private folder and to the capped client."""
        if self.kernel_name == sandbox.KERNEL_NAME:
            sandbox.ensure_kernel()
        km = super().create_kernel_manager()
        limits = self._limits()
        self._sockdir = tempfile.mkdtemp(prefix="mlcourse-ipc-")
        km.transport = "ipc"
        km.ip = os.path.join(self._sockdir, "kernel")
        cap = limits.output_kb * 1024 + HEADER_SLACK
        km.client_factory = type("CappedKernelClient", (CappedKernelClient,),
                                 {"max_message_bytes": Integer(cap)})
        return km

    async def async_start_new_kernel(self, **kwargs: Any) -> None:
        """Start the kernel with the limits in its environment."""
        env = dict(kwargs.pop("env", None) or os.environ)
        env[sandbox.LIMITS_ENV] = self._limits().to_json()
        await super().async_start_new_kernel(env=env, **kwargs)

    start_new_kernel = run_sync(async_start_new_kernel)  # nbclient binds the base version by name

    async def _async_cleanup_kernel(self) -> None:
        """Stop the kernel as usual, then remove the private socket folder."""
        try:
            await super()._async_cleanup_kernel()
        finally:
            sockdir = getattr(self, "_sockdir", None)
            if sockdir:
                shutil.rmtree(sockdir, ignore_errors=True)

    _cleanup_kernel = run_sync(_async_cleanup_kernel)

    # -- per-notebook state ----------------------------------------------------------------
    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None):
        """Execute the notebook with fresh output and crash bookkeeping, within the submission's time."""
        self._kept_bytes = 0
        self._truncated_cells: set[int] = set()
        self._dead: str | None = None
        self._wall_left = None
        info = (resources or {}).get("nbgrader") or {}
        key = (info.get("assignment", ""), info.get("student", "")) if info.get("student") else None
        if key is not None:
            self._wall_left = sandbox.load_limits(self.limits).wall_seconds - self._spent.get(key, 0.0)
        self._cap_bytes = self._limits().output_kb * 1024
        if self._wall_left is not None and self._wall_left < 1:
            self.log.warning("%s: submission wall-clock budget used up; %s not run", key[1],
                             info.get("notebook", "notebook"))
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.outputs = [_error_output("WallClockExceeded", "not run: the submission "
                                                  "used up its wall-clock time in earlier notebooks")]
            return nb, resources
        start = time.monotonic()
        try:
            return super().preprocess(nb, resources, km)
        finally:
            if key is not None:
                self._spent[key] = self._spent.get(key, 0.0) + time.monotonic() - start

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int):
        """Run one cell; after the kernel died, mark the remaining code cells as not run."""
        if cell.cell_type != "code":
            return super().preprocess_cell(cell, resources, index)
        if self._dead is not None:
            cell.outputs = [_error_output("KernelDied", f"not run: {self._dead}")]
            return cell, resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except CellTimeoutError as exc:
            # nbclient raises (instead of recording an error) when the reply came but the
            # output stream never went idle, e.g. after a flood; the kernel itself is usable.
            self.log.warning("cell %d timed out: %s", index, str(exc).splitlines()[0])
            cell.outputs = list(cell.get("outputs", [])) + [_error_output(
                "CellTimeoutError", f"no complete reply within {self.timeout} s")]
            return cell, resources
        except DeadKernelError as exc:
            self._dead = "the kernel died in an earlier cell"
            self.log.warning("kernel died in cell %d: %s", index, exc)
            cell.outputs = list(cell.get("outputs", [])) + [_error_output(
                "KernelDied", "the kernel died while running this cell (crash, os._exit, or a "
                "sandbox limit: memory, CPU time, processes, wall clock)")]
            return cell, resources

    # -- output cap ------------------------------------------------------------------------
    def output(self, outs: list, msg: dict, display_id: str, cell_index: int):
        """Keep outputs until the notebook's budget is spent; then drop them with one note."""
        content = msg.get("content", {})
        size = len(str(content.get("text", ""))) + sum(
            len(v) if isinstance(v, str) else len(str(v)) for v in (content.get("data") or {}).values())
        # errors and results are always kept: nbgrader scores them (a result can be partial
        # credit); each is one message per cell, bounded by the client's message-size cap
        if msg.get("msg_type") in ("error", "execute_result") or self._kept_bytes + size <= self._cap_bytes:
            self._kept_bytes += size
            return super().output(outs, msg, display_id, cell_index)
        room = self._cap_bytes - self._kept_bytes
        if msg.get("msg_type") == "stream" and room > 0:  # keep the head of the text that fits
            self._kept_bytes = self._cap_bytes
            trimmed = {**msg, "content": {**content, "text": str(content.get("text", ""))[:room]}}
            super().output(outs, trimmed, display_id, cell_index)
        if cell_index not in self._truncated_cells:
            self._truncated_cells.add(cell_index)
            # stdout, not stderr: nbgrader fails a test cell that wrote anything to stderr
            note = NotebookNode(output_type="stream", name="stdout",
                                text=f"\n[output truncated by the grader: over {self._cap_bytes // 1024} kB]\n")
            outs.append(note)
        return None


class RestoreCellMetadata(NbGraderPreprocessor):
    """Sanitize step: put back the nbgrader flags of every known cell from the gradebook.

    Stock nbgrader restores points and the locked flag but not the grade/solution/task flags, so a
    flipped flag makes the checksum check fail and the whole notebook errors out. Restoring them
    first means tampering with metadata changes nothing, and the untouched items still count.
    Runs before ``OverwriteCells`` (which still restores sources and reports what changed).
    """

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        """Overwrite grade, solution, task, locked and points of every known grade_id."""
        from nbgrader.api import Gradebook

        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            source = gb.find_notebook(info["notebook"], info["assignment"])
            grades = {c.name: c for c in source.grade_cells}
            solutions = {c.name for c in source.solution_cells}
            tasks = {c.name: c for c in source.task_cells}
            cells = {c.name: c for c in source.source_cells}
            for cell in nb.cells:
                meta = cell.metadata.get("nbgrader")
                grade_id = meta.get("grade_id") if meta else None
                if grade_id not in cells:
                    continue  # unknown ids are stripped by OverwriteCells
                want = {"grade": grade_id in grades, "solution": grade_id in solutions,
                        "task": grade_id in tasks, "locked": bool(cells[grade_id].locked)}
                changed = sorted(k for k, v in want.items() if bool(meta.get(k, False)) != v)
                meta.update(want)
                if grade_id in grades or grade_id in tasks:
                    points = (grades.get(grade_id) or tasks.get(grade_id)).max_score
                    if meta.get("points") != points:
                        changed.append("points")
                    meta["points"] = points
                else:
                    meta.pop("points", None)
                if changed:
                    self.log.warning("cell %s: restored nbgrader metadata %s from the gradebook",
                                     grade_id, ", ".join(changed))
        return nb, resources


# --------------------------------------------------------------------------------------------
# monkeypatching: flagged for a human, since no in-kernel defence can stop it
# --------------------------------------------------------------------------------------------

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


def configure(c: Any) -> None:
    """Point an nbgrader config at the sandbox: execute step, tampering flag, sandbox kernel."""
    from nbgrader.converters import Autograde

    steps = []
    for step in Autograde.class_traits()["autograde_preprocessors"].default():
        steps.append(SandboxedExecute if step is Execute else step)
        if getattr(step, "__name__", "") == "SaveAutoGrades":
            steps.append(FlagTampering)
    c.Autograde.autograde_preprocessors = steps
    sanitize = []
    for step in Autograde.class_traits()["sanitize_preprocessors"].default():
        if getattr(step, "__name__", "") == "OverwriteCells":
            sanitize.append(RestoreCellMetadata)
        sanitize.append(step)
    c.Autograde.sanitize_preprocessors = sanitize
    c.SandboxedExecute.kernel_name = sandbox.KERNEL_NAME
