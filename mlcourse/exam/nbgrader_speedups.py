"""Remove work nbgrader repeats for every notebook, without changing any result (grading workers only).

Profiling ``mlcourse grade`` on the real exam showed two costs inside stock nbgrader that come from
doing the same thing again and again, not from grading:

* ``CheckCellMetadata`` validates every cell's ``nbgrader`` metadata with ``jsonschema.validate``,
  which first re-checks the *schema itself* against the JSON Schema meta-schema: about a fifth of
  a worker's CPU time. :func:`validate_against` checks each distinct schema once per process and
  reuses the validator; the errors raised for a bad cell are the same ones.
* every ``Gradebook(...)`` (several per notebook) makes a new SQLAlchemy engine, so each query is
  compiled to SQL again. :func:`shared_engine` keeps one engine per URL per process; nbgrader
  still opens, commits and closes a session exactly as before (``close`` still disposes the pool).

:func:`install` applies both to the imported nbgrader modules. Nothing else is touched; the
gradebooks written with and without it are compared value by value in ``tests/test_grading.py``.
"""

from __future__ import annotations

import json
from typing import Any

_validators: dict[str, Any] = {}
_engines: dict[tuple, Any] = {}


def validate_against(instance: Any, schema: dict) -> None:
    """``jsonschema.validate(instance, schema)``, with the schema itself checked once per process.

    Raises exactly what ``jsonschema.validate`` raises: ``SchemaError`` for a bad schema (and that
    schema is not cached), the best-matching ``ValidationError`` for a bad instance.
    """
    from jsonschema import exceptions, validators

    key = json.dumps(schema, sort_keys=True, default=repr)
    validator = _validators.get(key)
    if validator is None:
        cls = validators.validator_for(schema)
        cls.check_schema(schema)
        validator = _validators[key] = cls(schema)
    error = exceptions.best_match(validator.iter_errors(instance))
    if error is not None:
        raise error


def shared_engine(url: Any, **kwargs: Any):
    """``sqlalchemy.create_engine(url, **kwargs)``, made once per (URL, options) in this process."""
    import sqlalchemy

    key = (str(url), tuple(sorted((k, repr(v)) for k, v in kwargs.items())))
    engine = _engines.get(key)
    if engine is None:
        engine = _engines[key] = sqlalchemy.create_engine(url, **kwargs)
    return engine


class _JsonschemaWithCachedChecks:
    """Stands in for the ``jsonschema`` module inside nbgrader's metadata validator."""

    def __init__(self, module: Any) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)

    @staticmethod
    def validate(instance: Any, schema: dict, *args: Any, **kwargs: Any) -> None:
        """Cached when called as nbgrader does (two arguments), stock otherwise."""
        if args or kwargs:
            import jsonschema

            return jsonschema.validate(instance, schema, *args, **kwargs)
        return validate_against(instance, schema)


def install() -> None:
    """Apply both speed-ups to nbgrader in this process (idempotent)."""
    import nbgrader.api
    from nbgrader.nbgraderformat import common

    if not isinstance(common.jsonschema, _JsonschemaWithCachedChecks):
        common.jsonschema = _JsonschemaWithCachedChecks(common.jsonschema)
    nbgrader.api.create_engine = shared_engine
