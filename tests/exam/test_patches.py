"""The worker-side nbgrader speed-ups change no result: same errors, same gradebook behaviour."""

from __future__ import annotations

import jsonschema
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from mlcourse.exam import patches as speedups


@pytest.fixture(autouse=True)
def _restore_nbgrader(monkeypatch):
    """Undo :func:`speedups.speed_up_nbgrader` after each test: other tests run stock nbgrader in-process."""
    import nbgrader.api
    from nbgrader.nbgraderformat import common

    monkeypatch.setattr(common, "jsonschema", common.jsonschema)
    monkeypatch.setattr(nbgrader.api, "create_engine", nbgrader.api.create_engine)


def _nbgrader_schema() -> dict:
    from nbgrader.nbgraderformat.v3 import MetadataValidatorV3

    return MetadataValidatorV3().schema


def _error(call) -> tuple[str, str, tuple] | None:
    """What a validation call raised: (type, message, path) or None."""
    try:
        call()
    except jsonschema.exceptions.ValidationError as exc:
        return type(exc).__name__, exc.message, tuple(exc.absolute_path)
    return None


GOOD = {"grade": True, "grade_id": "q1", "locked": False, "points": 2, "schema_version": 3,
        "solution": True, "task": False}
BAD = [
    {**GOOD, "points": "two"},  # wrong type
    {**GOOD, "surprise": 1},  # extra key
    {key: value for key, value in GOOD.items() if key != "grade_id"},  # missing key
    [],  # not an object
]


def test_same_verdicts_as_jsonschema_validate():
    schema = _nbgrader_schema()
    for instance in [GOOD, *BAD]:
        stock = _error(lambda: jsonschema.validate(instance, schema))
        ours = _error(lambda: speedups.validate_against(instance, schema))
        assert ours == stock, instance
    assert _error(lambda: speedups.validate_against(BAD[0], schema)) is not None


def test_a_broken_schema_is_still_rejected_every_time():
    broken = {"type": "object", "properties": {"x": {"type": 12}}}
    for _ in range(2):
        with pytest.raises(jsonschema.exceptions.SchemaError):
            speedups.validate_against({"x": 1}, broken)


def test_equal_schemas_share_one_checked_validator(monkeypatch):
    schema = _nbgrader_schema()
    speedups.validate_against(GOOD, schema)
    calls = []
    cls = jsonschema.validators.validator_for(schema)
    monkeypatch.setattr(cls, "check_schema", classmethod(lambda c, s: calls.append(s)))
    speedups.validate_against(GOOD, _nbgrader_schema())  # a new but equal dict, as nbgrader loads it
    assert calls == []


def test_engine_shared_per_url_and_survives_gradebook_close(tmp_path, monkeypatch):
    import os
    import sys

    # a new gradebook is stamped by running `alembic`, which lives next to this interpreter
    monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    speedups.speed_up_nbgrader()
    from nbgrader.api import Gradebook

    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as gb:
        gb.add_student("ada")
        first = gb.engine
    with Gradebook(url) as gb:  # the engine was disposed on close and is used again
        assert gb.engine is first
        assert [s.id for s in gb.students] == ["ada"]
    other = f"sqlite:///{tmp_path / 'other.db'}"
    with Gradebook(other) as gb:
        assert gb.engine is not first
        assert gb.students == []


def test_install_is_idempotent_and_nbgrader_still_validates():
    speedups.speed_up_nbgrader()
    speedups.speed_up_nbgrader()
    from nbgrader.nbgraderformat import common
    from nbgrader.nbgraderformat.v3 import MetadataValidatorV3

    assert isinstance(common.jsonschema, speedups.JsonschemaWithCachedChecks)
    assert common.jsonschema.ValidationError is jsonschema.ValidationError
    cell = new_code_cell("x = 1", metadata={"nbgrader": {**GOOD, "points": "two"}})
    with pytest.raises(jsonschema.ValidationError):
        MetadataValidatorV3().validate_nb(new_notebook(cells=[cell]))
