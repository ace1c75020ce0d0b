"""An open action (`todo`, `doing` or `blocked`) is past its `due` date as of the check's
date (`--as-of`, default today). An action due on that very day is not yet overdue.

Why: one action, one owner, one date. A date that passes silently is how plans die in
a drawer: the customer stops seeing progress and the team stops trusting the dates.
An overdue action needs a decision: finish it, re-plan it, or drop it.

Fix: finish it (`cxplan done ACTION`), agree a new date with its owner and change
`due`, or set `status: dropped` when it is no longer worth doing.

Example:
    # checked with --as-of 2027-03-01
    actions:
      - id: a-edi-testing
        title: Complete the EDI test cycle
        owner: priya
        due: 2027-02-12         # 17 days overdue
        horizon: medium-term
        status: blocked
"""

from __future__ import annotations

from collections.abc import Iterator

from cxplan.analyse.tracking import days_late, is_overdue
from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit, item_hit

CODE = "CX503"
NAME = "overdue-action"
SEVERITY = "warning"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    for action in plan_file.plan.actions:
        if not is_overdue(action, context.as_of):
            continue
        yield item_hit(
            "rules.CX503.message", plan_file, "actions", action.id, "due",
            facts={
                "action": action.id,
                "status": action.status,
                "owner": action.owner,
                "days": days_late(action, context.as_of),
                "due": action.due,
            },
        )
