"""More than one stakeholder has `role: economic-buyer`.

Why: the economic buyer is the one person whose conviction ends a slow decision: the
final say on budget and renewal. Naming several usually means the plan has not found
out who really decides, and the team spreads its effort instead of building the path
to that person.

Fix: keep `role: economic-buyer` on the person with the final say; give the others the
role that fits (`technical-buyer`, `user-buyer`, `coach`) or none, and record their
weight with `influence` and `decides`.

Example:
    stakeholders:
      - id: coo
        influence: 5
        support: neutral
        role: economic-buyer
      - id: cfo
        influence: 4
        support: blocker
        role: economic-buyer       # a second one
"""

from __future__ import annotations

from collections.abc import Iterator

from cxplan.analyse.powermap import economic_buyers
from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit, item_index

CODE = "CX508"
NAME = "several-economic-buyers"
SEVERITY = "warning"
PAGE = "power-map.md"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    buyers = economic_buyers(plan_file.plan)
    if len(buyers) < 2:
        return
    # Point at the second one written: the first is usually the intended one.
    order = sorted(buyers, key=lambda b: item_index(plan_file, "stakeholders", b))
    second = item_index(plan_file, "stakeholders", order[1])
    yield Hit(
        "rules.CX508.message",
        loc=("stakeholders", second, "role"),
        facts={"count": len(buyers), "buyers": tuple(order)},
    )
