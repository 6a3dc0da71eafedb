"""Job-description checker (lecture 02, §Hiring ML engineers: the wrong way and the right way).

Input is structured: duties (each tied to one of the six roles) and requirements (kind, subject,
years). Three kinds of rule, all stated as data in ``content/hiring.yaml``:

1. **Role span**: the duties cover more than ``role_span.ok_up_to`` (= 2) distinct roles -> unrealistic;
   exactly two -> a note.
2. **Tool age**: years of experience asked with a tool compared with the tool's age on the posting
   date (months between first release and posting / 12). Asking more years than the tool has
   existed -> unrealistic; more than its age minus one year (only first-year adopters qualify) -> rare.
3. **Combinations**: a rule fires when every one of its conditions is met by some requirement
   (same kind, same subject if given, at least ``min_years`` if given).

The rewrite keeps the duties of the title's role, moves the others (and requirements that serve
those roles) to the roles they belong to, drops requirements the fired rules say to drop for the
title's role, removes impossible year counts, and adds what the slides' right way asks for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from mlcourse.hiring.model.data import Duty, Requirement, duties, parse_month, presets, raw, requirements, role_names, tools

SEVERITY_ORDER = ("unrealistic", "rare", "note")


@dataclass(frozen=True)
class JobDescription:
    """A job ad: the role its title names, its duties and requirements, and when it was posted."""

    title_role: str
    duties: tuple[Duty, ...]
    requirements: tuple[Requirement, ...]
    posted: tuple[int, int]

    @classmethod
    def build(cls, title_role: str, duty_items: Iterable[str | Duty], requirement_items: Iterable[str | Requirement],
              posted: str | tuple[int, int]) -> "JobDescription":
        """Make a description from catalogue ids or custom Duty/Requirement objects."""
        if title_role not in role_names():
            raise ValueError(f"unknown role {title_role!r}; choose from {list(role_names())}")
        d_cat, r_cat = duties(), requirements()
        ds = tuple(d_cat[d] if isinstance(d, str) else d for d in duty_items)
        rs = tuple(r_cat[r] if isinstance(r, str) else r for r in requirement_items)
        for d in ds:
            if d.role not in role_names():
                raise ValueError(f"duty {d.id!r} names unknown role {d.role!r}")
        when = parse_month(posted) if isinstance(posted, str) else tuple(posted)
        return cls(title_role, ds, rs, when)  # type: ignore[arg-type]

    @classmethod
    def preset(cls, preset_id: str) -> "JobDescription":
        """One of the example descriptions in the content file (``unicorn``, ``realistic_mle``, ...)."""
        p = presets()[preset_id]
        return cls.build(p["title_role"], p["duties"], p["requirements"], p["posted"])


@dataclass(frozen=True)
class Finding:
    """A rule that fired: how bad, which requirements it concerns, why, what to do, and the source."""

    rule: str
    severity: str
    requirement_ids: tuple[str, ...]
    reason: str
    advice: str
    source: str


@dataclass(frozen=True)
class ToolCheck:
    """Years of experience asked with a tool vs the tool's age on the posting date."""

    requirement_id: str
    tool: str
    years_asked: float
    age_years: float
    status: str  # "ok" | "rare" | "unrealistic"


@dataclass(frozen=True)
class Rewrite:
    """The suggested job description and what moved where."""

    title_role: str
    duties: tuple[Duty, ...]
    requirements: tuple[Requirement, ...]
    moved: dict[str, tuple[str, ...]] = field(default_factory=dict)  # role -> texts of duties/requirements
    dropped: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    advice: tuple[str, ...] = ()


@dataclass(frozen=True)
class JobCheck:
    """Result of :func:`check_job`."""

    job: JobDescription
    role_counts: dict[str, int]
    findings: tuple[Finding, ...]
    tool_checks: tuple[ToolCheck, ...]
    rewrite: Rewrite

    @property
    def roles_spanned(self) -> tuple[str, ...]:
        """Roles with at least one duty, in the standard role order."""
        return tuple(r for r, n in self.role_counts.items() if n > 0)

    def count(self, severity: str) -> int:
        """How many findings have this severity."""
        return sum(f.severity == severity for f in self.findings)


def _month_text(when: tuple[int, int]) -> str:
    return f"{when[0]}-{when[1]:02d}"


def tool_age_years(tool_key: str, posted: tuple[int, int]) -> float:
    """Age of a tool in years on a posting month: whole months since first release / 12."""
    ry, rm = tools()[tool_key].released
    py, pm = posted
    return ((py - ry) * 12 + (pm - rm)) / 12


def check_tool(req: Requirement, posted: tuple[int, int]) -> ToolCheck | None:
    """Compare a tool requirement's years with the tool's age; None if it is not a timed tool requirement."""
    if req.kind != "tool" or req.years is None or req.subject not in tools():
        return None
    age = tool_age_years(req.subject, posted)
    status = "unrealistic" if req.years > age else "rare" if req.years > age - 1 else "ok"
    return ToolCheck(req.id, tools()[req.subject].name, req.years, age, status)


def _matches(req: Requirement, cond: dict) -> bool:
    if req.kind != cond["kind"]:
        return False
    if "subject" in cond and req.subject != cond["subject"]:
        return False
    if "min_years" in cond and (req.years or 0) < cond["min_years"]:
        return False
    return True


def combination_findings(reqs: Sequence[Requirement]) -> list[tuple[dict, tuple[Requirement, ...]]]:
    """Combination rules whose every condition some requirement meets, with the requirements involved."""
    fired = []
    for rule in raw()["combination_rules"]:
        involved: list[Requirement] = []
        for cond in rule["when"]:
            hits = [r for r in reqs if _matches(r, cond)]
            if not hits:
                break
            involved += [h for h in hits if h not in involved]
        else:
            fired.append((rule, tuple(involved)))
    return fired


def role_counts(job_duties: Sequence[Duty]) -> dict[str, int]:
    """Number of duties per role, for all six roles in the standard order."""
    counts = {r: 0 for r in role_names()}
    for d in job_duties:
        counts[d.role] += 1
    return counts


def check_job(job: JobDescription) -> JobCheck:
    """Apply the role-span, tool-age and combination rules; build the rewrite. Used in 02_hiring."""
    data = raw()
    names = role_names()
    counts = role_counts(job.duties)
    spanned = [r for r, n in counts.items() if n > 0]
    findings: list[Finding] = []

    span = data["role_span"]
    listed = ", ".join(names[r] for r in spanned)
    if len(spanned) > span["ok_up_to"]:
        findings.append(Finding("role_span", span["severity"], (), span["reason"].format(n=len(spanned), roles=listed),
                                "Split the duties by role (see the rewrite).", span["source"]))
    elif len(spanned) == span["note_at"]:
        findings.append(Finding("role_span", "note", (), span["note_reason"].format(roles=listed),
                                "Name the main role in the title and the duties.", span["source"]))

    age_rule = data["tool_age"]
    checks = [c for c in (check_tool(r, job.posted) for r in job.requirements) if c is not None]
    for c in checks:
        if c.status == "ok":
            continue
        tool = tools()[next(r.subject for r in job.requirements if r.id == c.requirement_id)]
        fmt = dict(tool=c.tool, released=_month_text(tool.released), posted=_month_text(job.posted),
                   age=c.age_years, years=c.years_asked)
        text = age_rule["reason"] if c.status == "unrealistic" else age_rule["rare_reason"]
        findings.append(Finding("tool_age", c.status, (c.requirement_id,), " ".join(text.format(**fmt).split()),
                                age_rule["advice"].format(**fmt), age_rule["source"]))

    fired = combination_findings(job.requirements)
    for rule, involved in fired:
        findings.append(Finding(rule["id"], rule["severity"], tuple(r.id for r in involved),
                                " ".join(rule["reason"].split()), rule["advice"], rule["source"]))

    findings.sort(key=lambda f: SEVERITY_ORDER.index(f.severity))
    rewrite = _rewrite(job, counts, checks, fired)
    return JobCheck(job, counts, tuple(findings), tuple(checks), rewrite)


def _rewrite(job: JobDescription, counts: dict[str, int], checks: Sequence[ToolCheck],
             fired: Sequence[tuple[dict, tuple[Requirement, ...]]]) -> Rewrite:
    names = role_names()
    title = job.title_role
    keep_role = title if counts[title] > 0 else max(counts, key=lambda r: counts[r])  # ties: first in role order
    advice: list[str] = []
    if keep_role != title and any(counts.values()):
        advice.append(f"No duty belongs to the title's role ({names[title]}); most belong to "
                      f"{names[keep_role]}, so retitle the job or rewrite the duties.")
    kept_duties = tuple(d for d in job.duties if d.role == keep_role)
    moved: dict[str, list[str]] = {}
    for d in job.duties:
        if d.role != keep_role:
            moved.setdefault(d.role, []).append(d.text)

    drop: dict[str, str] = {}
    for rule, involved in fired:
        kinds = rule["drop_for"].get(keep_role, [])
        for r in involved:
            if r.kind in kinds and r.id not in drop:
                drop[r.id] = rule["id"]
    timed = {c.requirement_id: c for c in checks if c.status != "ok"}

    kept_reqs: list[Requirement] = []
    dropped: list[str] = []
    for r in job.requirements:
        if r.id in drop:
            dropped.append(r.text)
        elif r.serves_role and r.serves_role != keep_role and r.serves_role in moved:
            moved[r.serves_role].append(r.text)
        elif r.id in timed:
            tool = timed[r.id].tool
            kept_reqs.append(Requirement(r.id, f"Experience with {tool} or a similar framework", r.kind, r.subject,
                                         None, r.serves_role))
            advice.append(f"Dropped the year count on {tool}: asked {timed[r.id].years_asked:g}, "
                          f"the tool was {timed[r.id].age_years:.1f} years old.")
        else:
            kept_reqs.append(r)
    have = {r.id for r in kept_reqs}
    added = [requirements()[a] for a in raw()["add_for_role"].get(keep_role, []) if a not in have]
    kept_reqs += added
    if moved:
        advice.append("Hire for the other duties separately, or leave them to teammates in those roles.")
    if added:
        advice.append("Added, following the slides' right way: " + "; ".join(a.text for a in added) + ".")
    return Rewrite(keep_role, kept_duties, tuple(kept_reqs), {k: tuple(v) for k, v in moved.items()},
                   tuple(dropped), tuple(a.text for a in added), tuple(advice))
