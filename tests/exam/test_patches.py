"""mlcourse.exam.patches: the nbgrader speed-ups change no result (same errors, same gradebook
behaviour), and every patch takes its path where tested and steps aside where not."""

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
    monkeypatch.setattr(nbgrader.api, "get_alembic_version", nbgrader.api.get_alembic_version)


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


# --- every patch of mlcourse.exam.patches: its path is taken, and it steps aside when untested ---

def test_speed_ups_report_what_they_did():
    states = speedups.speed_up_nbgrader()
    assert set(states.values()) <= {speedups.PatchState.APPLIED, speedups.PatchState.ALREADY_APPLIED}
    again = speedups.speed_up_nbgrader()
    assert set(again.values()) == {speedups.PatchState.ALREADY_APPLIED}
    import nbgrader.api

    assert nbgrader.api.create_engine is speedups.shared_engine


def test_alembic_head_is_asked_once(monkeypatch):
    import nbgrader.api as nbapi

    calls = []
    monkeypatch.setattr(nbapi, "get_alembic_version", lambda: calls.append(1) or "head-1")
    assert speedups.cache_alembic_head() is speedups.PatchState.APPLIED
    assert speedups.cache_alembic_head() is speedups.PatchState.ALREADY_APPLIED
    assert [nbapi.get_alembic_version() for _ in range(3)] == ["head-1"] * 3
    assert calls == [1]


def test_kernel_output_is_capped_per_cell(monkeypatch):
    from ipykernel.iostream import OutStream

    written = []
    monkeypatch.setattr(OutStream, "write", lambda self, text: written.append(text) or len(text))
    assert speedups.cap_kernel_output(10) is speedups.PatchState.APPLIED
    assert speedups.cap_kernel_output(10) is speedups.PatchState.ALREADY_APPLIED

    class Stream:
        parent_header = {"msg_id": "cell-1"}

    stream = Stream()
    assert OutStream.write(stream, "x" * 25) == 25
    assert written[0] == "x" * 10 and "output truncated by the sandbox" in written[1]
    OutStream.write(stream, "more")  # the cell's allowance is spent
    assert len(written) == 2
    stream.parent_header = {"msg_id": "cell-2"}  # a new cell: a fresh allowance
    OutStream.write(stream, "y")
    assert written[2] == "y"


def test_capped_client_refuses_big_messages():
    import zmq
    from jupyter_client.asynchronous.client import AsyncKernelClient

    cls = speedups.capped_client_class(5000, 7)
    assert issubclass(cls, AsyncKernelClient) and cls is not AsyncKernelClient
    assert speedups.STATES["jupyter_client-capped-context"] is speedups.PatchState.APPLIED
    client = cls()
    try:
        assert client.context.getsockopt(zmq.MAXMSGSIZE) == 5000
        assert client.context.getsockopt(zmq.RCVHWM) == 7
    finally:
        client.context.term()


def test_quick_ready_wraps_async_clients_only():
    from jupyter_client.asynchronous.client import AsyncKernelClient
    from jupyter_client.blocking.client import BlockingKernelClient

    quick = speedups.quick_ready(AsyncKernelClient)
    assert issubclass(quick, speedups.QuickReadyClientMixin) and issubclass(quick, AsyncKernelClient)
    assert speedups.quick_ready(quick) is quick
    assert speedups.quick_ready(BlockingKernelClient) is BlockingKernelClient


def test_every_patch_steps_aside_outside_the_tested_versions(monkeypatch, caplog):
    import logging

    import nbgrader.api
    from ipykernel.iostream import OutStream
    from jupyter_client.asynchronous.client import AsyncKernelClient
    from nbgrader.nbgraderformat import common

    for library in speedups.TESTED:
        monkeypatch.setitem(speedups.TESTED, library, "<0.0.1")
    engine, schema_module, write = nbgrader.api.create_engine, common.jsonschema, OutStream.write
    alembic = nbgrader.api.get_alembic_version
    with caplog.at_level(logging.WARNING, logger="mlcourse.exam.patches"):
        assert set(speedups.speed_up_nbgrader().values()) == {speedups.PatchState.STEPPED_ASIDE}
        assert speedups.cache_alembic_head() is speedups.PatchState.STEPPED_ASIDE
        assert speedups.cap_kernel_output(10) is speedups.PatchState.STEPPED_ASIDE
        assert speedups.capped_client_class(5000, 7) is AsyncKernelClient
        assert speedups.quick_ready(AsyncKernelClient) is AsyncKernelClient
    assert (nbgrader.api.create_engine, common.jsonschema, OutStream.write, nbgrader.api.get_alembic_version) == (
        engine, schema_module, write, alembic)
    assert sum("steps aside" in r.getMessage() for r in caplog.records) == 6
    assert speedups.STATES["jupyter_client-quick-ready"] is speedups.PatchState.STEPPED_ASIDE


def test_version_check():
    from packaging.version import Version

    assert speedups.tested("nbgrader", Version("0.9.6")) and not speedups.tested("nbgrader", Version("0.10.0"))
    assert set(speedups.TESTED) == {"nbgrader", "jupyter_client", "nbclient", "ipykernel"}
