"""``mlcourse grade``: class grading in parallel, with the same gradebook as ``nbgrader autograde``.

* :mod:`.cli`: options, summary table, exit status;
* :mod:`.scheduler`: ``grade_class`` and ``ClassGrader`` (workers, fork server, time limits);
* :mod:`.records`: what needs grading (a hash per submission), resume records;
* :mod:`.worker`: one worker process running nbgrader's own ``Autograde`` (grades written here);
* :mod:`.forkserver`, :mod:`.forkclient`, :mod:`.provisioner`: kernels forked from a warm process;
* :mod:`.preload`: what the fork server imports and computes first;
* :mod:`.protocol`: the typed messages between them; :mod:`.progress`: the tqdm bar.
"""
