"""nbgrader config for a course of thousands (see docs/scaling.md): shared services, no shared disk.

Used in three places, all reading the same file: the instructor's formgrader server on
JupyterHub, each student's server (only the exchange part matters there), and every grading
machine that runs `mlcourse grade interview_prep --shard K/N`.

* Gradebook: PostgreSQL, URL from $MLCOURSE_EXAM_DB_URL (a Kubernetes Secret in the hub's pods,
  an environment file on grading machines), never a SQLite file on a shared volume.
* Exchange: ngshare (a JupyterHub service that stores releases and submissions in its own
  database and serves them over the hub's REST API), so no NFS mount is needed.
* Course files (source/, release/, submitted/, autograded/) live in the course root given by
  $MLCOURSE_COURSE_ROOT: the instructor's home volume on the hub, a local folder on a grader.
"""

import os

c = get_config()  # noqa: F821  (provided by traitlets when this file is loaded)

c.CourseDirectory.course_id = "mlcourse-interview-prep"
c.CourseDirectory.root = os.environ.get("MLCOURSE_COURSE_ROOT", os.getcwd())
c.CourseDirectory.db_url = os.environ["MLCOURSE_EXAM_DB_URL"]

# Exchange without a shared filesystem (pip package `ngshare_exchange`; the hub runs `ngshare`).
from ngshare_exchange import configureExchange  # noqa: E402

configureExchange(c, "http://proxy-public/services/ngshare")

# Same grading settings as exam/nbgrader_config.py (cell time limit, sandboxed kernel).
c.Execute.timeout = 60
