"""The course's facts as data files, validated against a JSON schema when loaded.

``load("roles")`` reads ``content/roles.yaml`` and, if ``content/schemas/roles.json`` exists,
checks it; a bad file raises :class:`ContentError` naming the file, the item and the problem.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import yaml

CONTENT_DIR = Path(__file__).resolve().parent
SCHEMA_DIR = CONTENT_DIR / "schemas"


class ContentError(ValueError):
    """A content file is missing, unparseable or does not match its schema."""


def read_yaml(path: Path) -> Any:
    """Parse one YAML file, turning parser errors into a ContentError that names the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ContentError(f"{path}: cannot read content file ({exc.strerror})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: not valid YAML: {exc}") from None


def _location(error: jsonschema.ValidationError, data: Any) -> str:
    """Describe where a schema error sits, naming the item's ``id`` when it has one."""
    path = list(error.absolute_path)
    where = "/".join(str(p) for p in path) or "(top level)"
    node = data
    item_id = None
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and "id" in node:
            item_id = node["id"]
    return f"item {item_id!r} at {where}" if item_id is not None else f"at {where}"


def validate(data: Any, schema: dict, source: str) -> None:
    """Check ``data`` against ``schema``; raise ContentError listing every problem found."""
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"{source}: {len(errors)} problem(s) with this content file:"]
        lines += [f"  - {_location(e, data)}: {e.message}" for e in errors[:20]]
        raise ContentError("\n".join(lines))


def load_schema(name: str) -> dict:
    """Return the JSON schema ``schemas/<name>.json``."""
    return json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))


def load_file(path: Path, schema_name: str | None = None) -> Any:
    """Read and (when a schema is named) validate one YAML content file."""
    data = read_yaml(path)
    if schema_name is not None:
        validate(data, load_schema(schema_name), str(path))
    return data


@functools.cache
def load(name: str) -> Any:
    """Load ``content/<name>.yaml``, validated by ``schemas/<name>.json`` when that exists."""
    path = CONTENT_DIR / f"{name}.yaml"
    schema = name if (SCHEMA_DIR / f"{name}.json").exists() else None
    return load_file(path, schema)
