"""Building a typed plan from a loaded file: format, reference and format-rule errors.

`load_plan` is the one way every later stage gets a plan. It returns the `PlanFile`
(the typed plan with its source positions) when the plan has no error, and always the
diagnostics found on the way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from cxplan.diagnostics import Diagnostic, Severity
from cxplan.load import Loc, Source, load_file
from cxplan.model.messages import SECTION_NOUN, did_you_mean, translate_all
from cxplan.model.plan import PLAN_ID_PATTERN, Plan


@dataclass(frozen=True)
class PlanFile:
    """A valid plan, its id (the file name) and where each of its values was written."""

    id: str
    plan: Plan
    source: Source

    @property
    def path(self) -> str:
        return self.source.path

    def position(self, *loc: str | int) -> tuple[int, int]:
        return self.source.position(tuple(loc))

    def item_position(self, section: str, item_id: str, key: str | None = None) -> tuple[int, int]:
        for index, item in enumerate(getattr(self.plan, section)):
            if item.id == item_id:
                return self.position(section, index, *((key,) if key else ()))
        return 1, 1

    def diagnostic(
        self, loc: Loc, severity: Severity, code: str, message: str, hint: str = ""
    ) -> Diagnostic:
        line, column = self.source.position(loc)
        return Diagnostic(self.path, line, column, severity, code, message, hint)


class _Reporter:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.found: list[Diagnostic] = []

    def error(self, loc: Loc, code: str, message: str, hint: str = "") -> None:
        line, column = self.source.position(loc)
        self.found.append(
            Diagnostic(self.source.path, line, column, Severity.ERROR, code, message, hint)
        )


def plan_id_from_path(path: Path) -> str:
    return path.stem


def _check_ids(plan: Plan, report: _Reporter) -> None:
    for section in SECTION_NOUN:
        seen: dict[str, int] = {}
        folded: dict[str, str] = {}
        for index, item in enumerate(getattr(plan, section)):
            noun = SECTION_NOUN[section]
            if item.id in seen:
                report.error(
                    (section, index, "id"),
                    "CX301",
                    f"duplicate {noun} id '{item.id}' (also {noun} #{seen[item.id] + 1})",
                    f"ids are unique within '{section}'; rename one of them",
                )
                continue
            other = folded.get(item.id.lower())
            if other is not None:
                report.error(
                    (section, index, "id"),
                    "CX302",
                    f"{noun} id '{item.id}' differs from '{other}' only by letter case",
                    "ids that differ only by case collide as file names; rename one",
                )
            seen[item.id] = index
            folded[item.id.lower()] = item.id


def _references(plan: Plan) -> Iterator[tuple[Loc, str, str | None, str]]:
    """Every reference in the plan: (loc, target section, id, what the key holds)."""
    yield ("plan", "owner"), "team", plan.plan.owner, "owner"
    for i, area in enumerate(plan.areas):
        yield ("areas", i, "head"), "stakeholders", area.head, "head"
    for i, moment in enumerate(plan.moments):
        for area_id in moment.values:
            yield ("moments", i, "values", area_id), "areas", area_id, "values"
    for i, person in enumerate(plan.stakeholders):
        yield ("stakeholders", i, "area"), "areas", person.area, "area"
        yield ("stakeholders", i, "reports_to"), "stakeholders", person.reports_to, "reports_to"
        yield ("stakeholders", i, "owner"), "team", person.owner, "owner"
        for j, other in enumerate(person.influences):
            yield ("stakeholders", i, "influences", j), "stakeholders", other, "influences"
    for i, commitment in enumerate(plan.commitments):
        yield ("commitments", i, "to"), "areas|stakeholders", commitment.to, "to"
        yield ("commitments", i, "moment"), "moments", commitment.moment, "moment"
        yield ("commitments", i, "owner"), "team", commitment.owner, "owner"
    for i, action in enumerate(plan.actions):
        yield ("actions", i, "owner"), "team", action.owner, "owner"
        for section in ("moments", "areas", "commitments", "stakeholders"):
            for j, ref in enumerate(getattr(action, section)):
                yield ("actions", i, section, j), section, ref, section
    for i, kpi in enumerate(plan.kpis):
        yield ("kpis", i, "owner"), "team", kpi.owner, "owner"
        yield ("kpis", i, "area"), "areas", kpi.area, "area"


def _check_references(plan: Plan, report: _Reporter) -> None:
    ids = {section: [item.id for item in getattr(plan, section)] for section in SECTION_NOUN}
    for loc, target, ref, key in _references(plan):
        if ref is None:
            continue
        sections = target.split("|")
        known = [i for section in sections for i in ids[section]]
        if ref in known:
            continue
        nouns = " or ".join(SECTION_NOUN[s] for s in sections)
        hint = did_you_mean(ref, known)
        if not hint:
            listed = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
            hint = f"known {nouns} ids: {listed}" if known else f"the plan has no {nouns} yet"
        if loc[0] == "moments":
            # A key of `values`: point at the key itself.
            line, column = report.source.position(loc, key=True)
            report.found.append(
                Diagnostic(
                    report.source.path, line, column, Severity.ERROR, "CX300",
                    f"unknown area '{ref}' in the values of moment '{plan.moments[int(loc[1])].id}'",
                    hint,
                )
            )
            continue
        report.error(loc, "CX300", f"unknown {nouns} '{ref}' in '{key}'", hint)


def _check_reporting_cycles(plan: Plan, report: _Reporter) -> None:
    manager = {s.id: s.reports_to for s in plan.stakeholders if s.reports_to}
    index = {s.id: i for i, s in enumerate(plan.stakeholders)}
    reported: set[str] = set()
    for start in manager:
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in path and node in index:
            path.append(node)
            node = manager.get(node)
        if node is None or node not in path:
            continue
        cycle = path[path.index(node):]
        if reported.intersection(cycle):
            continue
        reported.update(cycle)
        first = min(cycle, key=index.__getitem__)
        ring = cycle[cycle.index(first):] + cycle[: cycle.index(first)] + [first]
        report.error(
            ("stakeholders", index[first], "reports_to"),
            "CX303",
            "reporting lines form a loop: " + " -> ".join(ring),
            "somebody in the loop reports to nobody in it; fix or remove one 'reports_to'",
        )


def _check_format_rules(plan: Plan, report: _Reporter) -> None:
    info = plan.plan
    if info.end is not None and info.end < info.start:
        report.error(
            ("plan", "end"), "CX403",
            f"the plan ends ({info.end}) before it starts ({info.start})",
            "swap the dates or correct the one that is wrong",
        )
    seen_consumption: str | None = None
    for i, moment in enumerate(plan.moments):
        if moment.phase == "consumption" and seen_consumption is None:
            seen_consumption = moment.id
        elif moment.phase == "purchase" and seen_consumption is not None:
            report.error(
                ("moments", i, "phase"), "CX401",
                f"purchase moment '{moment.id}' comes after consumption moment "
                f"'{seen_consumption}'",
                "list the moments in sequence: every purchase moment before the consumption ones",
            )
    for i, action in enumerate(plan.actions):
        if action.status == "done" and action.done_on is None:
            report.error(
                ("actions", i, "status"), "CX400",
                f"action '{action.id}' is done but has no 'done_on' date",
                "add 'done_on: YYYY-MM-DD' with the day it was finished",
            )
        elif action.status != "done" and action.done_on is not None:
            report.error(
                ("actions", i, "done_on"), "CX400",
                f"action '{action.id}' has 'done_on' but its status is '{action.status}'",
                "set 'status: done', or remove 'done_on'",
            )
    for i, kpi in enumerate(plan.kpis):
        for j in range(1, len(kpi.readings)):
            if kpi.readings[j].date <= kpi.readings[j - 1].date:
                report.error(
                    ("kpis", i, "readings", j, "date"), "CX402",
                    f"reading {kpi.readings[j].date} of KPI '{kpi.id}' is not after the one "
                    f"before it ({kpi.readings[j - 1].date})",
                    "list readings oldest first, one per date",
                )


def build_plan(source: Source, plan_id: str) -> tuple[PlanFile | None, list[Diagnostic]]:
    """Validate loaded data into a `PlanFile`; `None` when there is any error."""
    report = _Reporter(source)
    if not re.match(PLAN_ID_PATTERN, plan_id):
        report.error(
            (), "CX404", f"'{plan_id}' is not a valid plan id (the file name)",
            "rename the file: lowercase letters, digits and '-', e.g. acme-industrial.yaml",
        )
    try:
        plan = Plan.model_validate(source.data)
    except ValidationError as exc:
        return None, report.found + translate_all(exc, source)
    _check_ids(plan, report)
    _check_references(plan, report)
    _check_reporting_cycles(plan, report)
    _check_format_rules(plan, report)
    if report.found:
        return None, report.found
    return PlanFile(id=plan_id, plan=plan, source=source), []


def load_plan(path: Path, display: str | None = None) -> tuple[PlanFile | None, list[Diagnostic]]:
    """Load and build one plan file; the diagnostics are sorted."""
    source, problems = load_file(path, display)
    if problems and source.data is None:
        return None, sorted(problems)
    plan_file, found = build_plan(source, plan_id_from_path(path))
    problems = problems + found
    if problems:
        return None, sorted(problems)
    return plan_file, []


PLAN_SUFFIXES = (".yaml", ".yml")


def find_plan_files(paths: Iterable[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """Expand files and folders into plan files, sorted; a missing path is a diagnostic."""
    found: list[Path] = []
    problems: list[Diagnostic] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.iterdir() if p.suffix in PLAN_SUFFIXES and p.is_file())
            )
        elif path.is_file():
            found.append(path)
        else:
            problems.append(
                Diagnostic(str(path), 1, 1, Severity.ERROR, "CX100", "no such file or folder")
            )
    return found, problems
