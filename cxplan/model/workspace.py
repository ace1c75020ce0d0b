"""A workspace: every plan file under the given paths, loaded and built."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cxplan.diagnostics import Diagnostic, Severity
from cxplan.i18n import Text
from cxplan.model.build import PlanFile, find_plan_files, load_plan


@dataclass
class Workspace:
    plans: list[PlanFile] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0

    def plan(self, plan_id: str) -> PlanFile | None:
        return next((p for p in self.plans if p.id == plan_id), None)


def load_workspace(paths: Sequence[Path], *, follow_outside_links: bool = False) -> Workspace:
    """Load every plan; a plan with errors is left out of `plans` and reported."""
    files, problems = find_plan_files(paths, follow_outside_links=follow_outside_links)
    workspace = Workspace(diagnostics=problems, files=len(files))
    owners: dict[str, str] = {}
    for path in files:
        plan_file, found = load_plan(path, display=str(path))
        workspace.diagnostics.extend(found)
        if plan_file is None:
            continue
        if plan_file.id in owners:
            workspace.diagnostics.append(Diagnostic.said(
                str(path), (1, 1), Severity.ERROR, "CX404",
                Text.of("model.workspace.duplicate_plan", id=plan_file.id,
                        path=owners[plan_file.id]),
                Text.of("model.workspace.duplicate_plan.hint")))
            continue
        owners[plan_file.id] = str(path)
        workspace.plans.append(plan_file)
    workspace.diagnostics.extend(case_collisions(workspace.plans))
    workspace.diagnostics.sort()
    return workspace


def case_collisions(plans: Sequence[PlanFile]) -> list[Diagnostic]:
    """Team member ids of different plans that differ only by letter case.

    Each becomes `people/<id>.md`: on a case-blind disk (macOS, Windows) the two pages
    are one file, and one person's page silently replaces the other's. (The same id in
    several plans is the same person, one page; within one plan CX302 reports it; plan
    ids are lowercase by their pattern.) An error at the second one, naming the first.
    """
    first: dict[str, tuple[str, PlanFile, int]] = {}
    found: list[Diagnostic] = []
    for plan_file in plans:
        for index, member in enumerate(plan_file.plan.team):
            folded = member.id.casefold()
            seen = first.get(folded)
            if seen is None:
                first[folded] = (member.id, plan_file, index)
                continue
            other_id, other_plan, other_index = seen
            if other_id == member.id:
                continue
            line, column = plan_file.source.position(("team", index, "id"))
            other_line, other_column = other_plan.source.position(("team", other_index, "id"))
            found.append(Diagnostic.said(
                plan_file.path, (line, column), Severity.ERROR, "CX304",
                Text.of("model.workspace.case", id=member.id, other=other_id,
                        where=f"{other_plan.path}:{other_line}:{other_column}"),
                Text.of("model.workspace.case.hint")))
    return found
