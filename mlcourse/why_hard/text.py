"""Text layer for 00_why_hard: the challenge lists, the pairing and coverage tables, the course map."""

from __future__ import annotations

from mlcourse.display import markdown_table
from mlcourse.why_hard.model import GENERAL, ML, challenge, challenges, content, course_map, coverage


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
