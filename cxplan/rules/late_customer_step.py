"""A step the customer owns (`customer_steps`) is still open past its `due` date as of
the check's date. It is the customer's delay, reported with their contact and the
member of our team who follows it up; it is never counted as our overdue action.

Why: a mutual plan only moves when both sides move. A step the customer owes that
passes silently stalls our own actions that wait on it, and the delay ends up blamed
on us at the next review. Naming it early, with the contact and the date, keeps the
conversation factual.

Fix: the `follow_up` owner talks to the customer contact and agrees a new date
(change `due`), or the step is marked `done` (with `done_on`) or `dropped`.

Example:
    # checked with --as-of 2026-11-25
    customer_steps:
      - id: s-sftp-credentials
        title: IT provides the test SFTP credentials
        owner: k.osei            # the customer's IT director
        follow_up: priya
        due: 2026-11-06          # 19 days late, on the customer's side
"""

from __future__ import annotations

from collections.abc import Iterator

from cxplan.analyse import mutual
from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit, ItemRef

CODE = "CX530"
NAME = "late-customer-step"
SEVERITY = "warning"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    for index, step in enumerate(plan_file.plan.customer_steps):
        if not mutual.is_late(step, context.as_of):
            continue
        yield Hit(
            "rules.CX530.message",
            loc=("customer_steps", index, "due"),
            facts={
                "step": step.id,
                "contact": step.owner,
                "follow_up": step.follow_up,
                "days": mutual.days_late(step, context.as_of),
                "due": step.due,
            },
            item=ItemRef("customer_steps", step.id),
        )
