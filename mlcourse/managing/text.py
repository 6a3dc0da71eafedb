"""Markdown tables of lecture 04's facts, drawn from ``content/managing.yaml``.

Used in 04_managing for every list the lecture shows (challenges, what helps, PM types, TDSP and
CRISP-DM stages, tech debt, sprints, the experiment log's fields, motivation, disagreements), so
the notebook holds prose and the facts live in one validated data file.
"""

from __future__ import annotations

import html
import json
from typing import Sequence

from mlcourse.content import load
from mlcourse.display import Markdown, markdown_table
from mlcourse.managing.model.explog import Experiment


def _data() -> dict:
    """The validated content of ``managing.yaml``."""
    return load("managing")


def _cite(ids: list[str]) -> str:
    """Short source labels, e.g. 'FSDL 2019, newsletter'."""
    short = {"fsdl2019": "FSDL 2019", "fsdl2021": "FSDL 2021", "fsdl2022": "FSDL 2022", "newsletter": "newsletter",
             "biewald": "Biewald", "crispdm": "CRISP-DM 1.0", "tdsp": "Microsoft TDSP"}
    return ", ".join(short[i] for i in ids)


def sources_table() -> Markdown:
    """Every source the lecture draws on, with its full citation."""
    return markdown_table(((s["id"], s["cite"]) for s in _data()["sources"]), ("key", "source"))


def challenges_table() -> Markdown:
    """The four reasons managing ML teams is hard."""
    rows = ((c["name"], c["summary"] + " " + " ".join(c["details"]), _cite(c["sources"])) for c in _data()["challenges"])
    return markdown_table(rows, ("challenge", "what it means", "sources"))


def helps_table() -> Markdown:
    """The six practices that make ML teams easier to manage."""
    rows = ((h["name"], h["summary"], f"`{h['demo']}()`" if "demo" in h else "", _cite(h["sources"]))
            for h in _data()["what_helps"])
    return markdown_table(rows, ("practice", "why", "demo", "sources"))


def status_updates_table() -> Markdown:
    """A hype status update beside a realistic one."""
    updates = _data()["status_updates"]
    rows = ((u["label"], u["example"], "; ".join(u["points"])) for u in updates["examples"])
    return markdown_table(rows, ("kind", "example", "what it does"))


def exec_resources_table() -> Markdown:
    """Reading to share with leadership."""
    rows = ((f"[{r['name']}]({r['url']})", _cite(r["sources"])) for r in _data()["exec_resources"])
    return markdown_table(rows, ("resource", "recommended in"))


def pm_types_table() -> Markdown:
    """Task vs platform ML product managers."""
    return markdown_table(((p["name"], p["summary"]) for p in _data()["pm_types"]), ("kind", "what they do"))


def stages_table(framework: str) -> Markdown:
    """The stages of TDSP (``"tdsp"``) or CRISP-DM (``"crisp_dm"``), with goal and outputs."""
    found = {f["id"]: f for f in _data()["agile_frameworks"]}
    if framework not in found:
        raise KeyError(f"unknown framework {framework!r}; choose from {sorted(found)}")
    rows = ((i, s["name"], s["goal"], s["outputs"]) for i, s in enumerate(found[framework]["stages"], start=1))
    return markdown_table(rows, ("#", "stage", "goal", "typical outputs"))


def frameworks_table() -> Markdown:
    """TDSP and CRISP-DM side by side, with FSDL 2022's advice on when to use them."""
    data = _data()
    rows = [(f["name"], f["full_name"], f["character"], len(f["stages"])) for f in data["agile_frameworks"]]
    advice = data["agile_advice"]
    table = markdown_table(rows, ("framework", "full name", "character", "stages"))
    return Markdown(f"{table}\n\n**Both:** {advice['shared']} **Use them when** {advice['use_when'][0].lower()}"
                    f"{advice['use_when'][1:]} **{advice['avoid_when']}**")


def tech_debt_table() -> Markdown:
    """Forms of ML tech debt named in the newsletter."""
    return markdown_table(((i, f["name"]) for i, f in enumerate(_data()["tech_debt"]["forms"], start=1)),
                          ("#", "form of tech debt"))


def iterative_table() -> Markdown:
    """The newsletter's iterative process, step by step."""
    steps = _data()["iterative_process"]["steps"]
    return markdown_table(((i, s["name"], s["detail"]) for i, s in enumerate(steps, start=1)), ("#", "step", "detail"))


def sprints_table() -> Markdown:
    """The newsletter's sprint rules as a two-column table."""
    s = _data()["sprints"]
    lo, hi = s["length_weeks"]
    rows = [
        ("Do sprints fit ML?", s["verdict"]),
        ("Length", f"{lo}-{hi} weeks. {s['length_note']}"),
        ("Why box the work", s["boxing"]),
        ("Definition of done", s["definition_of_done"]),
        ("End of sprint", s["publish_internally"]),
        ("First version", f"At most {s['first_version_max_sprints']} sprints. {s['first_version_note']}"),
    ]
    return markdown_table(rows, ("question", "newsletter's answer"))


def log_fields_table() -> Markdown:
    """The experiment log's eight fields and the column each maps to in :mod:`mlcourse.managing.model.explog`."""
    rows = ((f["label"], f"`{f['key']}`", f["meaning"]) for f in _data()["productivity"]["log_fields"])
    return markdown_table(rows, ("newsletter field", "column", "meaning"))


def motivation_table() -> Markdown:
    """What demotivates ML scientists and what keeps them motivated."""
    m = _data()["motivation"]
    n = max(len(m["demotivators"]), len(m["pointers"]))
    pad = lambda xs: xs + [""] * (n - len(xs))  # noqa: E731
    return markdown_table(zip(pad(m["demotivators"]), pad(m["pointers"])), ("demotivators", "what helps"))


def disagreements_table() -> Markdown:
    """Where the sources pull in different directions, and what the course does about it."""
    rows = []
    for d in _data()["disagreements"]:
        said = " / ".join(f"*{_cite([p['source']])}*: {p['says']}" for p in d["positions"])
        rows.append((d["topic"], said, d["course_choice"]))
    return markdown_table(rows, ("topic", "what the sources say", "what this course does"))


def experiments_html(rows: Sequence[Experiment], limit: int = 8) -> str:
    """A small HTML table of experiments (the explorer shows it under the bars)."""

    head = "".join(f"<th>{h}</th>" for h in ("id", "rolled out at", "name", "base", "outcome", "offline", "online",
                                               "comments"))
    body = []
    for e in rows[:limit]:
        cells = (e.id, f"{e.timestamp:%Y-%m-%d %H:%M}", e.name, e.base_experiment or "", e.outcome,
                 json.dumps(dict(e.offline_metrics)), json.dumps(dict(e.online_performance or {})), e.comments)
        body.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    more = f"<p>{len(rows) - limit} more not shown.</p>" if len(rows) > limit else ""
    return f"<table><tr>{head}</tr>{''.join(body)}</table>{more}"
