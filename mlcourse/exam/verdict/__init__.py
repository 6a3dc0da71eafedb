"""Where a verdict is decided: autograder test cells run in the grader, on answers as plain data.

* :mod:`.judge` runs a test cell's source in the grader with the candidate's values fetched as
  data and their functions as call-back proxies; its outputs are what nbgrader scores.
* :mod:`.link` carries the judge's requests to the candidate's kernel over the kernel protocol
  (``user_expressions`` of silent execute requests), with the cell's timeout and death checks.
* The kernel side is :mod:`mlcourse.exam.candidate.bridge`; the wire format, shared by both,
  :mod:`mlcourse.exam.candidate.valuecodec`.

:class:`mlcourse.exam.plugins.sandboxed_execute.SandboxedExecute` hands every autograder test cell
to the judge instead of the kernel; why, and what it costs: ``docs/threat-model.md``.
"""
