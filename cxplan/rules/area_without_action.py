"""A buyer area has no action: no action that is not dropped lists it in its `areas`.

Why: a business customer is several areas, each measured on different things, and the
plan must satisfy every one of them. An area nobody acts for is the silo mistake seen
from the customer's side: its needs are written down and then left to nobody, and its
people will weigh in on the renewal with nothing to show.

Fix: add the area's id to the `areas` of the actions that serve it, or add an action
for it (one owner, one date).

Example:
    areas:
      - id: finance
        name: Finance
    actions:
      - id: a-edi
        title: Switch orders to EDI
        owner: priya
        due: 2027-03-12
        horizon: medium-term
        areas: [it, operations]     # nothing lists finance
"""

from __future__ import annotations

from collections.abc import Iterator

from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit, item_hit

CODE = "CX511"
NAME = "area-without-action"
SEVERITY = "warning"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    served = {
        area_id
        for action in plan_file.plan.actions
        if action.status != "dropped"
        for area_id in action.areas
    }
    for area in plan_file.plan.areas:
        if area.id in served:
            continue
        yield item_hit(
            "rules.CX511.message", plan_file, "areas", area.id,
            facts={"area": area.id, "name": area.name},
        )
