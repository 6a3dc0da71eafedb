"""The interview-prep exam, split by where code runs and which command owns it (docs/architecture.md).

    candidate/   in the candidate's kernel: checks, figures, grade_here, the judge's bridge (no nbgrader)
    verdict/     where a verdict is decided: test cells run in the grader on answers as data
    plugins/     nbgrader plug-ins named by exam/nbgrader_config.py, one per file
    sandbox/     the grading kernel: limits, launcher, confinement, memory cgroup
    grade/       `mlcourse grade`: scheduler, workers, fork server, provisioner
    practice/    `mlcourse practice`;  report/  `mlcourse report`
    pipeline.py  nbgrader's API step by step;  demo.py  `make exam-demo`
    patches.py   every use of nbgrader/jupyter_client/nbclient/ipykernel internals

Where does a submission run in the sandbox?
    nbgrader Autograde -> plugins/sandboxed_execute.SandboxedExecute (kernel "mlcourse-sandbox",
    limits in $MLCOURSE_SANDBOX_LIMITS) -> jupyter_client starts ``python -m
    mlcourse.exam.sandbox.kernel`` (with ``mlcourse grade``: grade/provisioner.ForkProvisioner asks
    grade/forkserver for a fork that runs the same launcher) -> sandbox/kernel.supervise (PID
    namespace, wall clock, memory cgroup) -> sandbox/confine.apply_in_child -> ipykernel runs the
    candidate's cells. Autograder test cells never go there: SandboxedExecute.judge_cell.

Where is a grade written?
    verdict/judge.Judge runs each test cell in the grader, on values the kernel hands over as data
    (candidate/bridge.py); plugins/sandboxed_execute stores its outputs and turns a dead kernel or
    a timeout into error outputs; nbgrader's own SaveAutoGrades writes the scores to the gradebook
    (in the ``nbgrader autograde`` process, or in grade/worker.grade_one for ``mlcourse grade``);
    plugins/inert_outputs makes the stored notebook inert and plugins/flag_tampering marks
    suspicious notebooks for a hand grade there. Only then does grade/scheduler write its resume
    record (grade/records.write_record).

Importing this package imports nothing else, so ``mlcourse.exam.candidate`` stays light.
"""
