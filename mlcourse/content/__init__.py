"""The course's facts as data files, validated against a JSON schema when loaded.

``load("roles")`` reads ``content/roles.yaml`` and, if ``content/schemas/roles.json`` exists,
checks it; a bad file raises :class:`ContentError` naming the file, the item and the problem.

Importing jsonschema costs about a second of CPU (its optional IRI checker compiles a grammar;
python-jsonschema/jsonschema#1428), which every lecture's first cell would pay. So a file that
passed is remembered by a hash of its bytes, its schema's bytes and the jsonschema version, in
the user's cache folder (``$MLCOURSE_CACHE`` names another folder, or ``off``): the same bytes
are then not checked again, and any change to either file is checked in full.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    import jsonschema

CONTENT_DIR = Path(__file__).resolve().parent
SCHEMA_DIR = CONTENT_DIR / "schemas"


class ContentError(ValueError):
    """A content file is missing, unparseable or does not match its schema."""


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ContentError(f"{path}: cannot read content file ({exc.strerror})") from None


def _parse_yaml(raw: bytes, path: Path) -> Any:
    try:
        return yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ContentError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: not valid YAML: {exc}") from None


def read_yaml(path: Path) -> Any:
    """Parse one YAML file, turning parser errors into a ContentError that names the file."""
    return _parse_yaml(_read_bytes(path), path)


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
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"{source}: {len(errors)} problem(s) with this content file:"]
        lines += [f"  - {_location(e, data)}: {e.message}" for e in errors[:20]]
        raise ContentError("\n".join(lines))


def load_schema(name: str) -> dict:
    """Return the JSON schema ``schemas/<name>.json``."""
    return json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))


def _passed_marker(raw: bytes, schema_raw: bytes) -> Path | None:
    """Where the note "these bytes passed this schema" lives (None: remembering is off)."""
    setting = os.environ.get("MLCOURSE_CACHE", "")
    if setting.lower() == "off":
        return None
    try:
        from importlib.metadata import version

        import platformdirs

        base = Path(setting) if setting else Path(platformdirs.user_cache_dir("mlcourse", appauthor=False))
        tag = f"jsonschema {version('jsonschema')} draft 2020-12\0".encode()
    except Exception:  # no cache folder or no version to key on: just validate
        return None
    digest = hashlib.sha256(tag + hashlib.sha256(raw).digest() + hashlib.sha256(schema_raw).digest())
    return base / "content-passed" / digest.hexdigest()


def load_file(path: Path, schema_name: str | None = None) -> Any:
    """Read and (when a schema is named) validate one YAML content file."""
    raw = _read_bytes(path)
    data = _parse_yaml(raw, path)
    if schema_name is None:
        return data
    schema_raw = (SCHEMA_DIR / f"{schema_name}.json").read_bytes()
    marker = _passed_marker(raw, schema_raw)
    if marker is not None and marker.exists():
        return data
    validate(data, json.loads(schema_raw), str(path))
    if marker is not None:
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError:
            pass  # read-only home: the check simply runs again next time
    return data


@functools.cache
def load(name: str) -> Any:
    """Load ``content/<name>.yaml``, validated by ``schemas/<name>.json`` when that exists."""
    path = CONTENT_DIR / f"{name}.yaml"
    schema = name if (SCHEMA_DIR / f"{name}.json").exists() else None
    return load_file(path, schema)
