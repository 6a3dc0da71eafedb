"""The judge's line to the candidate's kernel: one expression at a time, bounded in time.

Each request is a silent execute request with no code and one ``user_expressions`` entry, the
public way the kernel protocol offers to evaluate an expression without touching the cell
history; its text/plain value comes back in the reply. A kernel that does not answer within the
cell's time is interrupted; one that died ends the notebook (the executor marks later cells).
"""

from __future__ import annotations

import queue
import time
from typing import Any

from nbclient.util import run_sync

from mlcourse.exam.verdict.judge import JudgeAbort


class KernelLink:
    """Evaluate bridge expressions in the kernel of a running nbclient executor."""

    def __init__(self, executor: Any, timeout: float) -> None:
        self.executor, self.timeout = executor, timeout
        self.deadline = time.monotonic() + timeout
        #: Why the kernel is unusable, once it died during a request (None while it lives).
        self.dead: str | None = None

    def restart_clock(self) -> None:
        """Give the next test cell the full cell timeout."""
        self.deadline = time.monotonic() + self.timeout

    def evaluate(self, expression: str) -> str:
        """:class:`mlcourse.exam.verdict.judge.KernelLink`: the text/plain value of ``expression``."""
        return run_sync(self._evaluate)(expression)

    async def _evaluate(self, expression: str) -> str:
        kc, km = self.executor.kc, self.executor.km
        msg_id = kc.execute("", silent=True, store_history=False, allow_stdin=False,
                            user_expressions={"value": expression})
        while True:
            left = self.deadline - time.monotonic()
            if left <= 0:
                await self._interrupt(msg_id)
                raise JudgeAbort("CellTimeoutError", f"no answer from the kernel within {self.timeout:g} s")
            try:
                msg = await kc.shell_channel.get_msg(timeout=min(left, 1.0))
            except queue.Empty:
                if not await km.is_alive():
                    self.dead = "the kernel died in an earlier cell"
                    raise JudgeAbort("KernelDied", "the kernel died while a test called the submission's "
                                     "code (crash, os._exit, or a sandbox limit)") from None
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue  # a stale reply (e.g. of an interrupted request)
            content = msg.get("content", {})
            result = (content.get("user_expressions") or {}).get("value") or {}
            if content.get("status") != "ok" or result.get("status") != "ok":
                why = result.get("ename") or content.get("ename") or "no result"
                raise JudgeAbort("BridgeError", f"the kernel could not hand over the answer ({str(why)[:80]})")
            return (result.get("data") or {}).get("text/plain")

    async def _interrupt(self, msg_id: str) -> None:
        """Interrupt a kernel stuck in the submission's code and wait briefly for its reply."""
        self.executor.log.warning("a test's call into the submission timed out: interrupting the kernel")
        await self.executor.km.interrupt_kernel()
        end = time.monotonic() + 5
        while time.monotonic() < end:
            try:
                msg = await self.executor.kc.shell_channel.get_msg(timeout=max(0.1, end - time.monotonic()))
            except queue.Empty:
                return
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                return
