"""The grading sandbox: where a submission runs (see docs/threat-model.md).

* :mod:`.limits`: ``Limits`` (every limit and its default) and ``load_limits``;
* :mod:`.kernel`: the ``mlcourse-sandbox`` kernel's launcher (supervisor, PID namespace, wall
  clock), run as ``python -m mlcourse.exam.sandbox.kernel -f {connection_file}``;
* :mod:`.confine`: what the launcher does to the kernel process before student code runs
  (namespaces, hidden folders, rlimits, scrubbed environment, private uid);
* :mod:`.cgroup`: one memory cap for all of a kernel's processes;
* :mod:`.linux`: the libc calls it is built from;
* :mod:`.kernelspec`: installing the kernelspec (``python -m mlcourse.exam.sandbox install-kernel``).

Runs in the kernel's process (never imports nbgrader); the grader's side is
:mod:`mlcourse.exam.plugins.sandboxed_execute`.
"""
