"""Every action is owned by people of one single department of ours (the owners'
`team[].department`, compared without regard to case). Dropped actions do not count,
and a plan with fewer than two actions is not judged.

Why: silos are the first way CX implementations fail: each unit runs its own piece
with no common plan. The method asks for a multidisciplinary team whose members carry
the plan into their departments; a plan whose every action sits in one department is
that department's project, and the others will not change anything for it.

Fix: give actions to the people of the other departments that have to change
something (operations, finance, IT, training...), and add them to `team` if they are
not there yet.

Example:
    team:
      - id: mara
        department: Key Accounts
      - id: tom
        department: Key Accounts
    actions:                     # both owned by Key Accounts
      - id: a-kickoff
        owner: mara
      - id: a-qbr
        owner: tom
"""

from __future__ import annotations

from collections.abc import Iterator

from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit

CODE = "CX514"
NAME = "silo"
SEVERITY = "warning"
PAGE = "team.md"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    plan = plan_file.plan
    actions = [a for a in plan.actions if a.status != "dropped"]
    if len(actions) < 2:
        return
    department = {person.id: person.department for person in plan.team}
    owning = {department[a.owner].strip().casefold() for a in actions}
    if len(owning) != 1:
        return
    yield Hit(
        "rules.CX514.message",
        loc=("actions",),
        key=True,
        facts={"count": len(actions), "department": department[actions[0].owner].strip()},
    )
