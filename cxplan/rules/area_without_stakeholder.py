"""A buyer area has no stakeholder: nobody in the power map has `area` set to it.

Why: each buyer area has its own objectives and motivations, and decisions need
progress with every area. An area without a known person is an area the team talks to
through nobody: its needs are guessed, and its voice in the decision is unknown.

Fix: add the area's people to `stakeholders` with `area:` set to the area's id (at
least the head of the area, who can also be named in the area's `head`).

Example:
    areas:
      - id: it
        name: IT
    stakeholders:
      - id: d.whitfield
        area: operations
        influence: 5
        support: neutral
      # nobody with area: it
"""

from __future__ import annotations

from collections.abc import Iterator

from cxplan.analyse.powermap import areas_without_stakeholders
from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit, item_hit

CODE = "CX510"
NAME = "area-without-stakeholder"
SEVERITY = "warning"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    names = {area.id: area.name for area in plan_file.plan.areas}
    for area_id in areas_without_stakeholders(plan_file.plan):
        yield item_hit(
            "rules.CX510.message", plan_file, "areas", area_id,
            facts={"area": area_id, "name": names[area_id]},
        )
