"""A buyer area has no value at any moment: no moment's `values` has the area's id.

Why: steps 2 and 3 of the method: find what the customer values at each moment of the
purchase and consumption sequence, and differentiate it by the area served there. An
area with no value anywhere has not been asked what it cares about, so nothing in the
plan can be aimed at it.

Fix: under the moments where the area takes part, add what the area values there:
`values: {AREA: "..."}`.

Example:
    areas:
      - id: it
        name: IT
    moments:
      - id: onboarding
        name: Onboarding
        phase: consumption
        values:
          operations: Training on every shift
          # missing: it: Single sign-on, not another password
"""

from __future__ import annotations

from collections.abc import Iterator

from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit, item_hit

CODE = "CX512"
NAME = "area-without-value"
SEVERITY = "info"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    valued = {area_id for moment in plan_file.plan.moments for area_id in moment.values}
    for area in plan_file.plan.areas:
        if area.id in valued:
            continue
        yield item_hit(
            "rules.CX512.message", plan_file, "areas", area.id,
            facts={"area": area.id, "name": area.name},
        )
