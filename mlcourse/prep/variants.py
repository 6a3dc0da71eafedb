"""Render an item's variant for a seed: parameters, prompt, option order, distractors and key.

The same (item, seed) always gives the same variant (``random.Random`` seeded by a string is
stable across runs and platforms), so a saved answer can be regraded later from its seed alone.
"""

from __future__ import annotations

import functools
import random
import string
from dataclasses import dataclass, field
from typing import Any

from mlcourse.prep import templates
from mlcourse.prep.bank import Item, Kind

LABELS = string.ascii_lowercase


@dataclass(frozen=True)
class Variant:
    """One seeded rendering of an item; ``key`` is what the grader compares against."""

    item: Item
    seed: int
    prompt: str
    params: dict = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)   # label -> text (choice, ordering, match)
    lefts: tuple[str, ...] = ()                                 # match: the numbered items
    key: Any = None
    cases: tuple = ()                                           # code: argument tuples to check

    @property
    def signature(self) -> tuple:
        """What makes two variants different for the candidate (prompt, options, test inputs)."""
        return (self.prompt, tuple(self.options.items()), self.lefts, repr(self.cases))


def rng_for(item_id: str, seed: int) -> random.Random:
    """The variant's random stream (stable: string seeds hash with SHA-512)."""
    return random.Random(f"mlcourse.prep:{item_id}:{seed}")


def draw_params(spec: dict, rng: random.Random) -> dict:
    """Draw each parameter: ``choices`` picks one; ``low``/``high``/``step`` picks on the grid."""
    out: dict[str, Any] = {}
    for name, p in spec.items():
        if "choices" in p:
            out[name] = rng.choice(p["choices"])
            continue
        step = p.get("step", 1)
        n = int(round((p["high"] - p["low"]) / step))
        value = p["low"] + step * rng.randint(0, n)
        out[name] = int(value) if all(float(v).is_integer() for v in (p["low"], step)) else round(value, 10)
    return out


@functools.lru_cache(maxsize=1024)
def _template(text: str) -> Any:
    import jinja2

    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)
    return env.from_string(text)


def render_text(text: str, params: dict) -> str:
    """Fill ``{{ placeholders }}`` with Jinja2 (undefined names are an error, not blanks)."""
    if "{{" not in text and "{%" not in text:
        return text
    return _template(text).render(**params)


def _option_lines(options: dict[str, str]) -> str:
    return "\n".join(f"- **{label}.** {text}" for label, text in options.items())


def _single(item: Item, rng: random.Random, prompt: str) -> Variant:
    o = item.get("options")
    n = min(o.get("n_options", 4), 1 + len(o["distractors"]))
    right = rng.choice(o["correct"])
    texts = [right] + rng.sample(o["distractors"], n - 1)
    rng.shuffle(texts)
    options = dict(zip(LABELS, texts))
    key = next(label for label, t in options.items() if t == right)
    return Variant(item, 0, f"{prompt}\n\n{_option_lines(options)}", options=options, key=key)


def _multiple(item: Item, rng: random.Random, prompt: str) -> Variant:
    o = item.get("options")
    k = min(o.get("n_correct", len(o["correct"])), len(o["correct"]))
    rights = rng.sample(o["correct"], k)
    n = min(o.get("n_options", k + 2), k + len(o["distractors"]))
    texts = rights + rng.sample(o["distractors"], n - k)
    rng.shuffle(texts)
    options = dict(zip(LABELS, texts))
    key = frozenset(label for label, t in options.items() if t in rights)
    return Variant(item, 0, f"{prompt}\n\n{_option_lines(options)}", options=options, key=key)


def _ordering(item: Item, rng: random.Random, prompt: str) -> Variant:
    steps = list(item.get("steps"))
    shown = steps[:]
    while shown == steps:
        rng.shuffle(shown)
    options = dict(zip(LABELS, shown))
    by_text = {t: label for label, t in options.items()}
    return Variant(item, 0, f"{prompt}\n\n{_option_lines(options)}", options=options,
                   key=tuple(by_text[s] for s in steps))


def _match(item: Item, rng: random.Random, prompt: str) -> Variant:
    pairs = [tuple(p) for p in item.get("pairs")]
    rng.shuffle(pairs)
    rights = [r for _, r in pairs]
    rng.shuffle(rights)
    options = dict(zip(LABELS, rights))
    by_text = {t: label for label, t in options.items()}
    lefts = tuple(left for left, _ in pairs)
    listing = "\n".join(f"{i}. {left}" for i, left in enumerate(lefts, 1))
    text = f"{prompt}\n\n{listing}\n\nOptions:\n\n{_option_lines(options)}"
    return Variant(item, 0, text, options=options, lefts=lefts, key=tuple(by_text[r] for _, r in pairs))


def render(item: Item, seed: int) -> Variant:
    """The variant of ``item`` for ``seed``."""
    rng = rng_for(item.id, seed)
    params = draw_params(item.get("params", {}), rng)
    prompt = render_text(item.prompt, params)
    kind = item.kind
    if kind is Kind.SINGLE:
        v = _single(item, rng, prompt)
    elif kind is Kind.MULTIPLE:
        v = _multiple(item, rng, prompt)
    elif kind is Kind.ORDERING:
        v = _ordering(item, rng, prompt)
    elif kind is Kind.MATCH:
        v = _match(item, rng, prompt)
    elif kind is Kind.NUMERIC:
        v = Variant(item, 0, prompt, key=templates.numeric_key(item.id, params))
    elif kind is Kind.CODE:
        fixed = tuple(tuple(c) for c in item.get("cases"))
        drawn = tuple(tuple(c) for c in templates.code_cases(item.id, params, rng))
        v = Variant(item, 0, prompt, cases=fixed + drawn)
    else:
        v = Variant(item, 0, prompt, key=frozenset(item.get("answers")))
    return Variant(item, seed, v.prompt, params, v.options, v.lefts, v.key, v.cases)
