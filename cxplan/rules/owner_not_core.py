"""The plan's `owner` is not in the core team: their `team` entry does not say
`involvement: core`.

Why: the method builds the plan around a multidisciplinary team with levels of
involvement: a core team that drives it, collaborators who help where they are
specialists, ambassadors who spread it. The person accountable for the whole plan
belongs in the core team; an owner who is only a collaborator is accountable for
something they are not driving.

Fix: set `involvement: core` on the owner's `team` entry, or make a core-team member
the plan's `owner`.

Example:
    plan:
      owner: sofia
    team:
      - id: sofia
        name: Sofia Lind
        department: Marketing
        involvement: ambassador     # the owner should be core
"""

from __future__ import annotations

from collections.abc import Iterator

from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit

CODE = "CX519"
NAME = "owner-not-core"
SEVERITY = "warning"
PAGE = "team.md"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    owner_id = plan_file.plan.plan.owner
    owner = next((p for p in plan_file.plan.team if p.id == owner_id), None)
    if owner is None or owner.involvement == "core":
        return
    yield Hit(
        "rules.CX519.message",
        loc=("plan", "owner"),
        facts={"owner": owner_id, "involvement": owner.involvement},
    )
