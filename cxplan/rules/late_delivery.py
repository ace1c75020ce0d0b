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
from cxplan.rules.base import Context, Hit, ItemRef, quoted

CODE = "CX505"
NAME = "late-delivery"
SEVERITY = "warning"
TITLE = "Commitment delivered too late"
HINT = "bring the action's due date before the commitment's, or renegotiate the commitment"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    plan = plan_file.plan
    for index, commitment in enumerate(plan.commitments):
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
        if len(late) == 1:
            which = f"its delivering action '{late[0].id}' is due {late[0].due}"
        else:
            last = max(late, key=lambda a: (a.due, a.id))
            which = (
                f"its delivering actions {quoted([a.id for a in late])} are due later "
                f"(the last on {last.due})"
            )
        yield Hit(
            f"commitment '{commitment.id}' is due {commitment.due} but {which}",
            loc=("commitments", index, "due"),
            item=ItemRef("commitments", commitment.id),
            hint=(
                f"move the due date of {quoted([a.id for a in late])} to {commitment.due} "
                "or earlier, or agree a new date with the customer"
            ),
        )
