"""A workspace: every plan file under the given paths, loaded and built."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cxplan.diagnostics import Diagnostic, Severity
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
            workspace.diagnostics.append(
                Diagnostic(
                    str(path), 1, 1, Severity.ERROR, "CX404",
                    f"plan id '{plan_file.id}' is already used by {owners[plan_file.id]}",
                    "plan ids come from file names and must be unique in a workspace",
                )
            )
            continue
        owners[plan_file.id] = str(path)
        workspace.plans.append(plan_file)
    workspace.diagnostics.sort()
    return workspace
