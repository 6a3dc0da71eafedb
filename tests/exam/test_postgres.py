"""`mlcourse grade` against a real PostgreSQL gradebook, two grader processes writing at once.

The test starts a throwaway cluster (``initdb`` in a temp dir, unix socket only, no TCP), makes
the gradebook there, and runs two `mlcourse grade --shard K/2 -j 2` processes side by side: four
nbgrader workers writing one database, as grading machines sharing a gradebook would
(docs/scaling.md). Needs Debian's ``postgresql`` package; skipped when its binaries are absent,
unless ``MLCOURSE_REQUIRE_POSTGRES=1`` (CI sets it) turns the skip into a failure.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import grading_fixtures as gf
from mlcourse.exam.grade import records, scheduler

pytestmark = pytest.mark.slow


def _pg_bin(name: str) -> str | None:
    """Path of a PostgreSQL server binary (PATH first, then Debian's versioned folders)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _as_server_user(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the `postgres` account when we are root."""
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


@pytest.fixture(scope="module")
def pg_url():
    """A running throwaway PostgreSQL cluster with an empty `gradebook` database; its SQLAlchemy URL."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not (initdb and pg_ctl) or (os.geteuid() == 0 and shutil.which("runuser") is None):
        if os.environ.get("MLCOURSE_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL server binaries not found (install Debian's `postgresql`)")
        pytest.skip("PostgreSQL server binaries not found (install Debian's `postgresql`)")
    base = Path(tempfile.mkdtemp(prefix="mlcourse-pg-"))  # not under pytest's root-only tmp dirs
    if os.geteuid() == 0:
        shutil.chown(base, user="postgres")
    data = base / "data"
    subprocess.run(_as_server_user([initdb, "-D", str(data), "--auth=trust", "-U", "postgres", "-E", "UTF8",
                                    "--no-instructions"]), check=True, capture_output=True)
    subprocess.run(_as_server_user([pg_ctl, "-D", str(data), "-l", str(base / "server.log"), "-w",
                                    "-o", f"-k {base} -c listen_addresses='' -F", "start"]),
                   check=True, capture_output=True)
    try:
        import psycopg2

        conn = psycopg2.connect(dbname="postgres", user="postgres", host=str(base))
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("CREATE DATABASE gradebook")
        conn.close()
        yield f"postgresql+psycopg2://postgres@/gradebook?host={base}"
    finally:
        subprocess.run(_as_server_user([pg_ctl, "-D", str(data), "-w", "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def _course(root: Path, db_url: str, students: dict) -> Path:
    """The fixture course with its gradebook in PostgreSQL."""
    gf.make_course(root, {}, db_url=db_url)
    gf.add_submissions(root, students)
    return root


def test_two_grader_processes_share_one_postgres_gradebook(tmp_path, pg_url):
    students = {"correct": {}, "partial": gf.SUBMISSIONS["partial"], "blank": None,
                "hostile": gf.SUBMISSIONS["hostile"], "second": {}}
    root = _course(tmp_path / "course", pg_url, students)
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    cmd = [sys.executable, "-m", "mlcourse.cli", "grade", gf.ASSIGNMENT, "--course-dir", str(root),
           "--db", pg_url, "-j", "2", "--no-progress"]
    procs = [subprocess.Popen(cmd + ["--shard", f"{k}/2"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for k in (1, 2)]
    outs = [p.communicate(timeout=900) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, out + err[-3000:]

    from nbgrader.api import Gradebook

    with Gradebook(pg_url) as gb:
        totals = {s.student.id: s.score for s in gb.assignment_submissions(gf.ASSIGNMENT)}
        cells = sum(len(nb.grades) for s in gb.assignment_submissions(gf.ASSIGNMENT) for nb in s.notebooks)
    # hand-computed totals (grading_fixtures table); "second" hands in the model answer too
    assert totals == {"correct": 4.0, "partial": 2.0, "blank": 1.0, "hostile": 3.0, "second": 4.0}
    assert cells == 5 * 3  # three graded cells per submission, none duplicated by the two writers
    shard_of = {s: 1 if records.in_shard(s, (1, 2)) else 2 for s in students}
    for k, (out, _) in zip((1, 2), outs):  # each process graded exactly its own shard
        mine = sorted(s for s, shard in shard_of.items() if shard == k)
        assert f"graded     {len(mine):>5}" in out

    # a re-run of either shard against the shared gradebook finds nothing to do
    run = scheduler.grade_class(root, gf.ASSIGNMENT, db_url=pg_url, shard=(1, 2))
    assert {o.status for o in run.outcomes} == {"skipped"}


def test_scaling_configs_load(monkeypatch, tmp_path):
    """The multi-machine config in docs/scaling/ loads and points nbgrader at the shared services."""
    import types

    import yaml
    from traitlets.config.loader import PyFileConfigLoader

    docs = Path(__file__).resolve().parents[2] / "docs" / "scaling"
    calls = []
    fake = types.ModuleType("ngshare_exchange")
    fake.configureExchange = lambda c, url: calls.append(url)  # records what the config asks for
    monkeypatch.setitem(sys.modules, "ngshare_exchange", fake)
    monkeypatch.setenv("MLCOURSE_EXAM_DB_URL", "postgresql+psycopg2://grader@db.internal/gradebook")
    monkeypatch.setenv("MLCOURSE_COURSE_ROOT", str(tmp_path))
    config = PyFileConfigLoader("nbgrader_config.py", path=str(docs)).load_config()
    assert config.CourseDirectory.db_url == "postgresql+psycopg2://grader@db.internal/gradebook"
    assert config.CourseDirectory.root == str(tmp_path)
    assert calls == ["http://proxy-public/services/ngshare"]

    values = yaml.safe_load((docs / "z2jh-values.yaml").read_text())
    services = values["hub"]["services"]
    assert "ngshare" in services and "grader-interview-prep" in services
    assert values["singleuser"]["image"]["name"]
    assert values["hub"]["db"]["type"] == "postgres"
