"""A commitment that is not yet measured is delivered by an open action due *after* the
commitment's own `due` date.

Why: a promise kept late is perceived below the expectation it created, however good
the result: the plan already shows the commitment will be broken. Seen now, the date
can still be negotiated with the customer; seen on the due date, it is a broken
promise.

Fix: bring the action's `due` on or before the commitment's, or agree a new date with
the customer and change the commitment's `due` (the expectation moves with it).

Example:
    commitments:
      - id: c-edi-live
        promise: EDI orders live in production
        to: it
        owner: priya
        due: 2027-03-15
        expectation: 4
    actions:
      - id: a-edi-golive
        title: Switch orders to EDI
        owner: priya
        due: 2027-04-02          # after the commitment's due date
        horizon: medium-term
        commitments: [c-edi-live]
"""

from __future__ import annotations

from collections.abc import Iterator

from cxplan.analyse.tracking import is_open
from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit, item_hit

CODE = "CX505"
NAME = "late-delivery"
SEVERITY = "warning"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    plan = plan_file.plan
    for commitment in plan.commitments:
        if commitment.perceived is not None:
            continue
        late = [
            action
            for action in plan.actions
            if commitment.id in action.commitments
            and is_open(action)
            and action.due > commitment.due
        ]
        if not late:
            continue
        last = max(late, key=lambda a: (a.due, a.id))
        yield item_hit(
            "rules.CX505.message" if len(late) == 1 else "rules.CX505.message.several",
            plan_file, "commitments", commitment.id, "due",
            facts={
                "commitment": commitment.id,
                "due": commitment.due,
                "action": late[0].id,
                "action_due": late[0].due,
                "actions": tuple(a.id for a in late),
                "last_due": last.due,
            },
        )
