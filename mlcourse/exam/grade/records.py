"""What to grade: one record per graded student, so a re-run grades only what is new or changed.

A record (``<course>/.mlcourse/grade/<assignment>/<student>.json``) holds a hash of the
submission, the source and the config; it is written only after nbgrader committed that
student's grades, so a crash or Ctrl-C loses no grade already written.
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from pathlib import Path
from typing import Any, Iterable

#: Where per-student grading records live, relative to the course root.
RECORD_DIR = Path(".mlcourse") / "grade"


def _tree_digest(digest: Any, folder: Path) -> None:
    """Feed every file under ``folder`` (name and bytes, sorted) into ``digest``."""
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if ".ipynb_checkpoints" in rel or "__pycache__" in rel:
            continue
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")


def submission_key(root: Path, assignment: str, student: str, db_url: str) -> str:
    """Hash of everything a grade depends on: the submission, the source, the config, the gradebook."""
    digest = hashlib.sha256()
    _tree_digest(digest, root / "submitted" / student / assignment)
    digest.update(b"--source--")
    _tree_digest(digest, root / "source" / assignment)
    for name in ("nbgrader_config.py",):
        if (root / name).is_file():
            digest.update((root / name).read_bytes())
    digest.update(db_url.encode())
    return digest.hexdigest()


def record_path(root: Path, assignment: str, student: str) -> Path:
    """File holding the grading record of one student."""
    return root / RECORD_DIR / assignment / f"{student}.json"


def write_record(root: Path, assignment: str, student: str, record: dict) -> None:
    """Write a record atomically (temp file + rename), so a crash never leaves half a record."""
    path = record_path(root, assignment, student)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, indent=1))
    os.replace(tmp, path)


def read_record(root: Path, assignment: str, student: str) -> dict | None:
    """The stored record of one student, or None."""
    try:
        return json.loads(record_path(root, assignment, student).read_text())
    except (OSError, ValueError):
        return None


def in_shard(student: str, shard: tuple[int, int] | None) -> bool:
    """True when ``student`` belongs to shard ``(k, n)`` (1-based): stable across runs and machines."""
    if shard is None:
        return True
    k, n = shard
    return zlib.crc32(student.encode()) % n == k - 1


def submitted_students(root: Path, assignment: str) -> list[str]:
    """Students with a submission folder for ``assignment`` (sorted)."""
    base = root / "submitted"
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / assignment).is_dir())


def plan(root: Path, assignment: str, db_url: str, *, force: bool = False,
         students: Iterable[str] | None = None, shard: tuple[int, int] | None = None,
         graded_in_db: set[str] | None = None) -> tuple[list[str], list[str], dict[str, str]]:
    """Split the class into (to grade, up to date) and return each student's current key."""
    wanted = set(students) if students is not None else None
    todo, skip, keys = [], [], {}
    for student in submitted_students(root, assignment):
        if wanted is not None and student not in wanted:
            continue
        if not in_shard(student, shard):
            continue
        key = submission_key(root, assignment, student, db_url)
        keys[student] = key
        record = read_record(root, assignment, student)
        fresh = (record is not None and record.get("key") == key
                 and (root / "autograded" / student / assignment).is_dir()
                 and (graded_in_db is None or student in graded_in_db))
        (skip if fresh and not force else todo).append(student)
    return todo, skip, keys


def graded_in_gradebook(db_url: str, assignment: str) -> set[str]:
    """Students that have a submission of ``assignment`` in the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gb:
        try:
            return {s.student.id for s in gb.assignment_submissions(assignment)}
        except MissingEntry:
            return set()
