"""Planted answers: the accepted and rejected forms an item's data names, for one variant.

An ``accept``/``reject`` entry is a literal (``{value: ...}``) or a rule (``{rule: name}``)
that computes answers from the variant, so templated items defend their key for every seed:

* ``key_label`` every spelling of the right label ("b", " B ", "b.", "(b)");
  ``other_labels`` every wrong label.
* ``key_set`` the right labels as list, reversed list, tuple, set, string and array;
  ``set_missing_one`` / ``set_plus_one`` one right label dropped / one wrong label added.
* ``key_order`` the right sequence as list, tuple, strings, array (and a dict for matches);
  ``swap_adjacent`` each neighbouring pair swapped; ``reversed`` the whole sequence reversed.
* ``key_number`` the key, rounded at the stated precision, as text, as numpy, and at both bounds;
  ``outside_bound`` just past the bound either side.
* ``key_text`` each accepted text in upper case, padded, with a full stop.
* ``mistake:<name>`` a named wrong answer computed by :mod:`mlcourse.prep.templates`.

Literal strings of templated items are Jinja2 templates too (``{{ k }}`` in planted code).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from mlcourse.prep import templates
from mlcourse.prep.variants import Variant, render_text


def _key_label(v: Variant) -> list:
    k = v.key
    return [k, k.upper(), f" {k.upper()} ", f"{k}.", f"({k})", [k]]


def _other_labels(v: Variant) -> list:
    return [label for label in v.options if label != v.key]


def _key_set(v: Variant) -> list:
    ks = sorted(v.key)
    return [ks, ks[::-1], tuple(ks), set(ks), frozenset(ks), ", ".join(ks), " ".join(k.upper() for k in ks),
            np.array(ks)]


def _set_missing_one(v: Variant) -> list:
    return [sorted(v.key - {k}) for k in sorted(v.key) if len(v.key) > 1] or [[]]


def _set_plus_one(v: Variant) -> list:
    return [sorted(v.key | {x}) for x in v.options if x not in v.key]


def _key_order(v: Variant) -> list:
    k = list(v.key)
    out = [k, tuple(k), ",".join(k), " ".join(x.upper() for x in k), "".join(k), np.array(k)]
    if v.lefts:
        out.append({i: x for i, x in enumerate(k, 1)})
        out.append({str(i): x.upper() for i, x in enumerate(k, 1)})
    return out


def _swap_adjacent(v: Variant) -> list:
    k = list(v.key)
    out = []
    for i in range(len(k) - 1):
        s = k[:]
        s[i], s[i + 1] = s[i + 1], s[i]
        out.append(s)
    return out


def _tol(v: Variant) -> float:
    return 0.5 * 10.0 ** -v.item.get("precision")


def _key_number(v: Variant) -> list:
    p, k, t = v.item.get("precision"), v.key, _tol(v)
    out = [k, round(k, p), f"{round(k, p):.{p}f}", np.float64(k), k + t * 0.999, k - t * 0.999]
    if float(k).is_integer():
        out.append(int(k))
    return out


def _outside_bound(v: Variant) -> list:
    t = _tol(v)
    return [v.key + 2.2 * t, v.key - 2.2 * t]


def _key_text(v: Variant) -> list:
    out = []
    for a in sorted(v.key):
        out += [a, a.upper(), f"  {a} ", f"{a}."]
    return out


RULES: dict[str, Callable[[Variant], list]] = {
    "key_label": _key_label, "other_labels": _other_labels, "key_set": _key_set,
    "set_missing_one": _set_missing_one, "set_plus_one": _set_plus_one, "key_order": _key_order,
    "swap_adjacent": _swap_adjacent, "reversed": lambda v: [list(v.key)[::-1]],
    "key_number": _key_number, "outside_bound": _outside_bound, "key_text": _key_text,
}


def expand(entry: dict, v: Variant) -> list[Any]:
    """The answers one ``accept``/``reject`` entry stands for, in variant ``v``."""
    if "value" in entry:
        value = entry["value"]
        return [render_text(value, v.params) if isinstance(value, str) and v.params else value]
    name = entry["rule"]
    if name.startswith("mistake:"):
        return [templates.numeric_mistake(v.item.id, name.split(":", 1)[1], v.params)]
    try:
        return RULES[name](v)
    except KeyError:
        raise KeyError(f"{v.item.id}: unknown answer rule {name!r}") from None


def planted(v: Variant, which: str) -> list[Any]:
    """Every answer the item's ``accept`` (or ``reject``) list names, for variant ``v``."""
    return [a for entry in v.item.get(which) for a in expand(entry, v)]
