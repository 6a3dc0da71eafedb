"""The nbgrader plug-ins that ``exam/nbgrader_config.py`` names, one per file (as nbgrader's own).

* :mod:`.sandboxed_execute`: ``SandboxedExecute``, autograde's execute step in the sandbox kernel;
* :mod:`.restore_cell_metadata`: ``RestoreCellMetadata``, sanitize step against flipped flags;
* :mod:`.flag_tampering`: ``FlagTampering``, marks suspicious submissions for a human;
* :mod:`.teaching_feedback`: ``TeachingFeedback``, feedback without hidden tests, with explanations;
* :mod:`.configure`: ``configure(c)``, puts the autograde plug-ins into a course config.

Grader side only: these import nbgrader and run in nbgrader's process, never in a kernel.
"""
