"""A commitment that is not yet measured (no `perceived`) has no action that delivers
it: no action that is not dropped lists it in its `commitments`.

Why: a promise creates an expectation in whoever receives it, and satisfaction is what
is perceived minus what was expected. A commitment with no action behind it is a
promise nobody tracks: nobody owns the work and nobody sees it slip until the customer
is dissatisfied.

Fix: add the commitment's id to the `commitments` of the action that delivers it, or
add such an action (one owner, one date, due on or before the commitment).

Example:
    commitments:
      - id: c-dock-windows
        promise: Every delivery inside the booked dock window
        to: operations
        owner: jon
        due: 2027-02-15
        expectation: 5
    actions:
      - id: a-dock-booking
        title: Book every delivery in the customer's dock system
        owner: jon
        due: 2027-01-29
        horizon: quick-win
        # missing: commitments: [c-dock-windows]
"""

from __future__ import annotations

from collections.abc import Iterator

from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit, item_hit

CODE = "CX504"
NAME = "undelivered-commitment"
SEVERITY = "warning"
PAGE = "commitments.md"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    delivered = {
        commitment_id
        for action in plan_file.plan.actions
        if action.status != "dropped"
        for commitment_id in action.commitments
    }
    for commitment in plan_file.plan.commitments:
        if commitment.perceived is not None or commitment.id in delivered:
            continue
        yield item_hit(
            "rules.CX504.message", plan_file, "commitments", commitment.id,
            facts={
                "commitment": commitment.id,
                "due": commitment.due,
                "owner": commitment.owner,
            },
        )
