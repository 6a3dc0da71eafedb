"""Load the interview-practice bank: six category files checked against ``schemas/bank.json``."""

from __future__ import annotations

import enum
import functools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from mlcourse.content import CONTENT_DIR, ContentError, load_file

BANK_DIR = CONTENT_DIR / "bank"


class Category(str, enum.Enum):
    """The six categories: the five of the exam outline plus ML teams and projects."""

    PROBLEM_SETUP = "problem_setup"
    ALGORITHM_KNOWLEDGE = "algorithm_knowledge"
    COMMON_CONVENTIONS = "common_conventions"
    ML_THEORY = "ml_theory"
    ML_DEBUGGING = "ml_debugging"
    TEAMS_AND_PROJECTS = "teams_and_projects"


class Difficulty(str, enum.Enum):
    """How hard an item is; also sets its time budget in a mock session."""

    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class Kind(str, enum.Enum):
    """The answer format of an item."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    NUMERIC = "numeric"
    ORDERING = "ordering"
    MATCH = "match"
    TEXT = "text"
    CODE = "code"


#: Kinds whose variants change with the seed (option order, distractors, parameters, test inputs).
TEMPLATE_KINDS = frozenset({Kind.SINGLE, Kind.MULTIPLE, Kind.NUMERIC, Kind.ORDERING, Kind.MATCH, Kind.CODE})


@dataclass(frozen=True)
class Item:
    """One bank item, as data (the YAML mapping is kept in ``data``)."""

    id: str
    category: Category
    kind: Kind
    difficulty: Difficulty
    data: dict = field(repr=False, compare=False, hash=False)

    @property
    def prompt(self) -> str:
        """The prompt template (Jinja2 placeholders for templated items)."""
        return self.data["prompt"]

    @property
    def explanation(self) -> str:
        """Why the key is right and the common mistakes wrong."""
        return self.data["explanation"]

    @property
    def teaches(self) -> str:
        """Where to study it: a lecture section or a named public reference, as one line."""
        t = self.data["teaches"]
        if "notebook" in t:
            return f"{t['notebook']}, section \"{t['section']}\""
        return f"{t['title']} ({t['author']})"

    @property
    def is_template(self) -> bool:
        """True when variants differ by seed."""
        return self.kind in TEMPLATE_KINDS

    def get(self, key: str, default: Any = None) -> Any:
        """A field of the item's data."""
        return self.data.get(key, default)


def _check(items: list[Item], category: Category) -> None:
    """Rules a schema cannot express: ids belong to their file and are unique."""
    seen: set[str] = set()
    for item in items:
        if item.id.split(".")[0] != category.value:
            raise ContentError(f"bank/{category.value}.yaml: item {item.id!r} does not start with {category.value}.")
        if item.id in seen:
            raise ContentError(f"bank/{category.value}.yaml: duplicate item id {item.id!r}")
        seen.add(item.id)


def load_category(category: Category) -> list[Item]:
    """Read and validate one category file."""
    data = load_file(BANK_DIR / f"{category.value}.yaml", "bank")
    if data["category"] != category.value:
        raise ContentError(f"bank/{category.value}.yaml says category {data['category']!r}")
    items = [Item(d["id"], category, Kind(d["kind"]), Difficulty(d["difficulty"]), d) for d in data["items"]]
    _check(items, category)
    return items


@functools.cache
def load_bank() -> dict[str, Item]:
    """Every item of the bank by id, in category then file order."""
    return {item.id: item for category in Category for item in load_category(category)}


def items() -> list[Item]:
    """Every item, in bank order."""
    return list(load_bank().values())


def item(item_id: str) -> Item:
    """One item by id; KeyError names the unknown id."""
    try:
        return load_bank()[item_id]
    except KeyError:
        raise KeyError(f"no bank item {item_id!r}") from None


def counts() -> dict[Category, Counter]:
    """Per category, how many items of each difficulty."""
    out = {c: Counter() for c in Category}
    for it in items():
        out[it.category][it.difficulty] += 1
    return out


def counts_table() -> str:
    """The table ``mlcourse bank`` prints: rows are categories, columns difficulties and total."""
    header = f"{'category':<22} {'easy':>5} {'medium':>6} {'hard':>5} {'total':>6}"
    rows = [header]
    totals = Counter()
    for category, c in counts().items():
        n = sum(c.values())
        totals.update(c)
        rows.append(f"{category.value:<22} {c[Difficulty.EASY]:>5} {c[Difficulty.MEDIUM]:>6} {c[Difficulty.HARD]:>5} {n:>6}")
    rows.append(f"{'all':<22} {totals[Difficulty.EASY]:>5} {totals[Difficulty.MEDIUM]:>6} "
                f"{totals[Difficulty.HARD]:>5} {sum(totals.values()):>6}")
    return "\n".join(rows)
