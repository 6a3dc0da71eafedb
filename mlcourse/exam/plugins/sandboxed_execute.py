"""nbgrader plug-in: the execute step of autograde, run in the sandbox kernel (where a submission runs).

:class:`SandboxedExecute` replaces nbgrader's ``Execute`` preprocessor (``exam/nbgrader_config.py``
does it through :func:`mlcourse.exam.plugins.configure.configure`). Compared with the stock step it

* always runs the ``mlcourse-sandbox`` kernel, whatever kernelspec the submission names, and hands
  it the limits of :mod:`mlcourse.exam.sandbox.limits` through the kernel's environment;
* talks to the kernel over ipc sockets in a private folder, so the kernel can live in a network
  namespace of its own;
* caps what it keeps in memory: at most ``Limits.output_kb`` of outputs per notebook (the rest is
  dropped and a note added), no single ZeroMQ message above that size (the connection is dropped
  instead of the message being read) and a short receive queue;
* survives the kernel dying (segfault, ``os._exit``, a limit hit, the wall clock): the cell that
  was running and every code cell after it get an error output, so their tests score 0 while the
  items already graded keep their points, instead of the whole notebook failing;
* never runs an autograder test cell in the kernel: :mod:`mlcourse.exam.verdict` runs it in the
  grader on the candidate's answers as data, so no code of the submission can forge a verdict;
* sends the kernel's own stdout/stderr (file descriptors 1 and 2) to a capped file, not the
  grader's terminal and log; drops outputs too deep to store and survives messages it cannot
  read, so such an output costs only its own cell.

The kernel it starts is :mod:`mlcourse.exam.sandbox.kernel` (the kernelspec's launcher).
"""

from __future__ import annotations

import dataclasses
import math
import os
import shutil
import tempfile
import time
from typing import Any

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Dict, Unicode

from mlcourse.exam import patches
from mlcourse.exam.plugins.output_shape import malformed_output
from mlcourse.exam.sandbox import kernelspec
from mlcourse.exam.sandbox.limits import KERNEL_NAME, LIMITS_ENV, Limits, load_limits
from mlcourse.exam.verdict.judge import Judge
from mlcourse.exam.verdict.link import KernelLink

#: Queue length (messages) of the grader's sockets: with the message cap it bounds queued bytes.
RECEIVE_QUEUE = 64
#: Slack for message headers over the output cap when sizing the largest accepted message.
HEADER_SLACK = 64 * 1024
#: File (in the private socket folder) that receives the kernel's own stdout and stderr.
KERNEL_OUTPUT_FILE = "kernel-output.log"
#: Bytes of it read back, sandbox notes logged at most, other bytes that go unmentioned.
KERNEL_OUTPUT_READ, KERNEL_NOTES_KEPT, KERNEL_OUTPUT_QUIET = 16 * 1024, 3, 4 * 1024


def is_autograder_test(cell: NotebookNode) -> bool:
    """A code cell nbgrader scores from its outputs: grade, not solution (flags restored by then)."""
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def _error_output(ename: str, evalue: str) -> NotebookNode:
    """An error output as nbformat stores it (scores the cell 0 if it is a test cell)."""
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"{ename}: {evalue}"])


class SandboxedExecute(Execute):
    """nbgrader's Execute, run in the sandbox kernel with bounded memory and crash handling."""

    kernel_name = Unicode(KERNEL_NAME, help="Kernel every submission runs in.").tag(config=True)
    limits = Dict({}, help="Overrides of mlcourse.exam.sandbox.limits.Limits (e.g. {'memory_mb': 512}).").tag(config=True)

    #: Wall-clock budget use per (assignment, student) in this process: the notebooks counted in
    #: the current grading of that submission and the seconds they took. Seeing a counted notebook
    #: again means a new grading of the submission (a regrade, e.g. from the formgrader, which
    #: grades inside the long-lived Jupyter server), which starts with the full budget.
    spent: dict[tuple[str, str], tuple[frozenset[str], float]] = {}

    def limits_in_force(self) -> Limits:
        """The limits in force: defaults, then $MLCOURSE_SANDBOX_LIMITS, then this trait.

        ``wall_seconds`` is a budget for a whole submission: each notebook's kernel gets what
        the student's earlier notebooks left of it.
        """
        limits = load_limits(self.limits)
        left = getattr(self, "wall_left", None)
        if left is not None:
            limits = dataclasses.replace(limits, wall_seconds=max(1, math.ceil(left)))
        return limits

    # -- kernel start ----------------------------------------------------------------------
    def create_kernel_manager(self):
        """Stock manager, switched to ipc sockets in a private folder and to the capped client."""
        if self.kernel_name == KERNEL_NAME:
            kernelspec.ensure_kernel()
        km = super().create_kernel_manager()
        limits = self.limits_in_force()
        self.remove_socket_folder()  # a retry's previous kernel is gone by now
        self.sockdir = tempfile.mkdtemp(prefix="mlcourse-ipc-")
        km.transport = "ipc"
        km.ip = os.path.join(self.sockdir, "kernel")
        km.client_factory = patches.capped_client_class(limits.output_kb * 1024 + HEADER_SLACK, RECEIVE_QUEUE)
        return km

    async def async_start_new_kernel(self, **kwargs: Any) -> None:
        """Start the kernel with the limits in its environment and its own stdout/stderr captured.

        File descriptors 1 and 2 of the kernel (which code can write to past ``sys.stdout``) go
        to a file in the private socket folder, bounded by the sandbox's file-size limit.
        """
        env = dict(kwargs.pop("env", None) or os.environ)
        env[LIMITS_ENV] = self.limits_in_force().to_json()
        self.kernel_log = os.path.join(self.sockdir, KERNEL_OUTPUT_FILE)
        log = open(self.kernel_log, "ab")  # noqa: SIM115 - the kernel keeps its own copy
        try:
            await super().async_start_new_kernel(env=env, stdout=log, stderr=log, **kwargs)
        finally:
            log.close()

    start_new_kernel = run_sync(async_start_new_kernel)  # nbclient binds the base version by name

    def remove_socket_folder(self) -> None:
        """Remove the private ipc socket folder once the notebook's kernel is gone."""
        self.report_kernel_output()
        sockdir = getattr(self, "sockdir", None)
        if sockdir:
            shutil.rmtree(sockdir, ignore_errors=True)
            self.sockdir = None

    def report_kernel_output(self) -> None:
        """Log the sandbox's own notes and at most one line about anything else the kernel wrote."""
        path, self.kernel_log = getattr(self, "kernel_log", None), None
        if not path:
            return
        try:
            size = os.path.getsize(path)
            with open(path, "rb") as fh:
                head = fh.read(KERNEL_OUTPUT_READ).decode("utf-8", "replace")
        except OSError:
            return
        notes = [ln[:200] for ln in head.splitlines() if ln.startswith("[mlcourse-sandbox]")]
        for note in notes[:KERNEL_NOTES_KEPT]:
            self.log.warning("%s", note)
        if size - sum(len(n.encode()) + 1 for n in notes) > KERNEL_OUTPUT_QUIET:
            self.log.warning("the kernel wrote %d bytes to its own stdout/stderr (not kept)", size)

    # -- per-notebook state ----------------------------------------------------------------
    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None):
        """Execute the notebook with fresh output and crash bookkeeping, within the submission's time."""
        self.kept_bytes = 0
        self.truncated_cells: set[int] = set()
        self.dead: str | None = None
        self.wall_left = None
        self.judge = None
        info = (resources or {}).get("nbgrader") or {}
        key = (info.get("assignment", ""), info.get("student", "")) if info.get("student") else None
        notebook = str(info.get("notebook", ""))
        if key is not None:
            counted, seconds = self.spent.get(key, (frozenset(), 0.0))
            if notebook in counted:  # this submission is being graded again: a fresh budget
                counted, seconds = frozenset(), 0.0
            self.spent[key] = (counted | {notebook}, seconds)
            self.wall_left = load_limits(self.limits).wall_seconds - seconds
        self.cap_bytes = self.limits_in_force().output_kb * 1024
        if self.wall_left is not None and self.wall_left < 1:
            self.log.warning("%s: submission wall-clock budget used up; %s not run", key[1],
                             info.get("notebook", "notebook"))
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.outputs = [_error_output("WallClockExceeded", "not run: the submission "
                                                  "used up its wall-clock time in earlier notebooks")]
            return nb, resources
        start = time.monotonic()
        try:
            return super().preprocess(nb, resources, km)  # nbclient stops the kernel before returning
        finally:
            self.remove_socket_folder()
            if key is not None:
                counted, seconds = self.spent[key]
                self.spent[key] = (counted, seconds + time.monotonic() - start)

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int):
        """Run one cell; after the kernel died, mark the remaining code cells as not run."""
        if cell.cell_type != "code":
            return super().preprocess_cell(cell, resources, index)
        if self.dead is not None:
            cell.outputs = [_error_output("KernelDied", f"not run: {self.dead}")]
            return cell, resources
        try:
            if is_autograder_test(cell):
                return self.judge_cell(cell, index), resources
            return super().preprocess_cell(cell, resources, index)
        except CellTimeoutError as exc:
            # nbclient raises (instead of recording an error) when the reply came but the
            # output stream never went idle, e.g. after a flood; the kernel itself is usable.
            self.log.warning("cell %d timed out: %s", index, str(exc).splitlines()[0])
            cell.outputs = list(cell.get("outputs", [])) + [_error_output(
                "CellTimeoutError", f"no complete reply within {self.timeout} s")]
            return cell, resources
        except (RecursionError, ValueError, TypeError, KeyError, UnicodeError) as exc:
            # A message the grader could not read (e.g. JSON nested past the parser's depth, sent
            # raw over the kernel's own session): this cell scores 0, the notebook goes on.
            self.log.warning("cell %d: output unreadable (%s); cell scored 0", index, type(exc).__name__)
            cell.outputs = [_error_output("UnreadableOutput", "the grader could not read this cell's "
                                          f"output ({type(exc).__name__}); the cell was not graded")]
            return cell, resources
        except DeadKernelError as exc:
            self.dead = "the kernel died in an earlier cell"
            self.log.warning("kernel died in cell %d: %s", index, exc)
            cell.outputs = list(cell.get("outputs", [])) + [_error_output(
                "KernelDied", "the kernel died while running this cell (crash, os._exit, or a "
                "sandbox limit: memory, CPU time, processes, wall clock)")]
            return cell, resources

    # -- verdicts outside the kernel (mlcourse.exam.verdict) --------------------------------
    def judge_cell(self, cell: NotebookNode, index: int) -> NotebookNode:
        """Run an autograder test cell in the grader on the kernel's answers; never in the kernel."""
        if not cell.source.strip():
            cell.outputs = []
            return cell
        if self.judge is None:
            self.link = KernelLink(self, timeout=float(self.timeout or 3600))
            self.judge = Judge(self.link, budget_bytes=self.cap_bytes // 2)
        self.link.restart_clock()
        label = f"<test {cell.metadata.get('nbgrader', {}).get('grade_id', index)}>"
        cell.outputs = [NotebookNode(o) for o in self.judge.run(cell.source, label)]
        if self.link.dead:
            self.dead = self.link.dead
        return cell

    # -- output cap ------------------------------------------------------------------------
    def output(self, outs: list, msg: dict, display_id: str, cell_index: int):
        """Keep well-formed outputs until the notebook's budget is spent; then drop them with one note."""
        content = msg.get("content", {})
        problem = malformed_output(content)
        if problem:
            outs.append(NotebookNode(output_type="stream", name="stdout",
                                     text=f"[output removed by the grader: {problem}]\n"))
            return None
        size = len(str(content.get("text", ""))) + sum(
            len(v) if isinstance(v, str) else len(str(v)) for v in (content.get("data") or {}).values())
        # errors and results are always kept: nbgrader scores them (a result can be partial
        # credit); each is one message per cell, bounded by the client's message-size cap
        if msg.get("msg_type") in ("error", "execute_result") or self.kept_bytes + size <= self.cap_bytes:
            self.kept_bytes += size
            return super().output(outs, msg, display_id, cell_index)
        room = self.cap_bytes - self.kept_bytes
        if msg.get("msg_type") == "stream" and room > 0:  # keep the head of the text that fits
            self.kept_bytes = self.cap_bytes
            trimmed = {**msg, "content": {**content, "text": str(content.get("text", ""))[:room]}}
            super().output(outs, trimmed, display_id, cell_index)
        if cell_index not in self.truncated_cells:
            self.truncated_cells.add(cell_index)
            # stdout, not stderr: nbgrader fails a test cell that wrote anything to stderr
            note = NotebookNode(output_type="stream", name="stdout",
                                text=f"\n[output truncated by the grader: over {self.cap_bytes // 1024} kB]\n")
            outs.append(note)
        return None
