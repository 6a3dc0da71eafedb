"""Lecture 00 (Why running ML teams is hard): the challenges as data, compared across sources.

Reads ``mlcourse/content/why_hard.yaml``. The model layer pairs each thing ML adds with the
general team challenge it sharpens and counts which source lists what; the text layer renders
those as Markdown tables and renders the course map. Used in 00_why_hard.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from mlcourse.content import ContentError, load
from mlcourse.display import markdown_table

GENERAL, ML = "general", "ml"


@dataclass(frozen=True)
class Challenge:
    """One challenge of running a team: general (any team) or added by ML."""

    id: str
    kind: str
    text: str
    sources: tuple[str, ...]
    makes_harder: str = ""
    lecture: str = ""
    note: str = ""


@cache
def content() -> dict[str, Any]:
    """The validated raw content of why_hard.yaml, with cross-references checked."""
    data = load("why_hard")
    general = {g["id"] for g in data["general"]}
    notebooks = {c["notebook"].removesuffix(".ipynb") for c in data["course_map"]}
    for m in data["ml_adds"]:
        if m["makes_harder"] not in general:
            raise ContentError(f"why_hard.yaml: {m['id']!r} sharpens unknown challenge {m['makes_harder']!r}")
        if m["lecture"] not in notebooks:
            raise ContentError(f"why_hard.yaml: {m['id']!r} points to {m['lecture']!r}, not in the course map")
    cited = {s for part in ("general", "ml_adds", "goals") for item in data[part] for s in item["sources"]}
    if not cited <= set(data["sources"]):
        raise ContentError(f"why_hard.yaml: unknown sources {sorted(cited - set(data['sources']))}")
    return data


def challenges(kind: str | None = None) -> tuple[Challenge, ...]:
    """All challenges (general first, then ML's additions), or only one ``kind``."""
    data = content()
    items = [Challenge(g["id"], GENERAL, g["text"], tuple(g["sources"])) for g in data["general"]]
    items += [
        Challenge(m["id"], ML, m["text"], tuple(m["sources"]), m["makes_harder"], m["lecture"],
                  m.get("note", ""))
        for m in data["ml_adds"]
    ]
    return tuple(c for c in items if kind is None or c.kind == kind)


def challenge(challenge_id: str) -> Challenge:
    """Look one challenge up by id."""
    for c in challenges():
        if c.id == challenge_id:
            return c
    raise KeyError(f"unknown challenge {challenge_id!r}")


def coverage() -> dict[str, dict[str, int]]:
    """How many general and ML-specific challenges each source lists: {source: {kind: count}}."""
    counts = {s: {GENERAL: 0, ML: 0} for s in content()["sources"]}
    for c in challenges():
        for s in c.sources:
            counts[s][c.kind] += 1
    return counts


def only_in(source: str) -> tuple[str, ...]:
    """Ids of the challenges that ``source`` lists and no other source does."""
    return tuple(c.id for c in challenges() if c.sources == (source,))


def _years(sources: tuple[str, ...]) -> str:
    """Short label for which sources list an item, e.g. "2022 only" or "all 3 sources"."""
    if len(sources) == len(content()["sources"]):
        return f"all {len(sources)} sources"
    years = [s.removeprefix("fsdl") for s in sources]
    return " and ".join(years) + (" only" if len(years) == 1 else "")


def challenge_list(kind: str) -> str:
    """Markdown bullets of one kind of challenge, each tagged with the sources that list it."""
    lines = []
    for c in challenges(kind):
        note = f" {c.note}" if c.note else ""
        lines.append(f"- {c.text} *({_years(c.sources)}).{note}*")
    return "\n".join(lines)


def pairing_table() -> str:
    """Markdown table: what ML adds, the general challenge it sharpens, and where the course goes on."""
    rows = [(c.text, challenge(c.makes_harder).text, f"[{c.lecture}]({c.lecture}.ipynb)") for c in challenges(ML)]
    return str(markdown_table(rows, ["What ML adds", "Sharpens this general challenge", "Taken up in"]))


def coverage_table() -> str:
    """Markdown table: per source, how many challenges of each kind it lists and what it leaves out."""
    everything = {c.id: c for c in challenges()}
    rows = []
    for key, name in content()["sources"].items():
        counts = coverage()[key]
        missing = [c.text for c in everything.values() if key not in c.sources]
        rows.append((name, counts[GENERAL], counts[ML], "; ".join(missing) or "nothing"))
    return str(markdown_table(rows, ["Source", "General", "Added by ML", "Leaves out"]))


def debt_reference_markdown() -> str:
    """The paper the 2022 notes link for the credit-card phrase, as a Markdown citation."""
    ref = content()["debt_reference"]
    return f"{ref['authors']}. [*{ref['title']}*]({ref['url']}). {ref['venue']}."


def course_map() -> tuple[dict[str, str], ...]:
    """The lecture notebooks in reading order: {notebook, title, covers}."""
    return tuple(dict(c) for c in content()["course_map"])


def course_map_markdown() -> str:
    """The course map as a Markdown list with relative links, plus the exam and practice mode."""
    exam = content()["exam"]
    lines = [f"- [{c['notebook'][:2]} {c['title']}]({c['notebook']}): {c['covers']}" for c in course_map()]
    lines += [
        f"- [The interview-prep exam]({exam['readme']}): how it is organised and graded.",
        f"- Practice mode: `{exam['practice_start']}` sets up a practice copy of the exam in DIR, "
        f"and `{exam['practice_grade']}` grades what you wrote there.",
    ]
    return "\n".join(lines)
