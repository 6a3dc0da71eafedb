"""The progress bar of ``mlcourse grade`` (tqdm), with a count per status."""

from __future__ import annotations

from typing import Any, TextIO

from tqdm import tqdm

from mlcourse.exam.grade.protocol import Status


class Progress:
    """A one-line tqdm bar on a terminal: done/total, counts per status, elapsed and left (silent when ``stream`` is None)."""

    def __init__(self, total: int, stream: TextIO | None = None, width: int = 30) -> None:
        self.total, self.stream = total, stream
        self.done = 0
        self.counts: dict[Status, int] = {s: 0 for s in Status}
        self.bar: Any = tqdm(total=total, file=stream, disable=stream is None, ncols=None, unit="submission",
                             bar_format="{l_bar}{bar:" + str(width) + "}| {n_fmt}/{total_fmt} "
                                        "[{elapsed} elapsed, ~{remaining} left] {postfix}",
                             dynamic_ncols=False, leave=True)

    def update(self, status: Status | str) -> None:
        """Count one finished submission and redraw."""
        status = Status(status)
        self.done += 1
        self.counts[status] = self.counts.get(status, 0) + 1
        self.bar.set_postfix_str(self.postfix(), refresh=False)
        self.bar.update(1)

    def postfix(self) -> str:
        """Counts shown after the bar."""
        return (f"graded {self.counts[Status.GRADED]}  timed out {self.counts[Status.TIMED_OUT]}  "
                f"failed {self.counts[Status.FAILED]}")

    def draw(self) -> None:
        """Redraw the bar now."""
        self.bar.set_postfix_str(self.postfix(), refresh=False)
        self.bar.refresh()

    def close(self) -> None:
        """End the bar's line."""
        self.bar.close()
