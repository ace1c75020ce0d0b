"""Every champion of the plan, or every economic buyer, is marked `gone` (left the
company or the role): the role is now a gap in the power map.

Why: champion loss precedes churn in about half of the accounts that lose one. The
person who sold us inside the account is no longer there to do it, and an economic
buyer who left takes the budget decision with them: the next person owes us nothing.

Fix: ask who holds the role now and add them to the power map with an owner; meet
them before the next decision. Keep the person who left on the map (with `gone`): if
they join another account of ours, that plan will say so.

Example:
    stakeholders:
      - id: r.castillo
        support: champion
        gone:
          on: 2027-01-15
          why: left-company      # the plan's only champion
"""

from __future__ import annotations

from collections.abc import Iterator

from cxplan.analyse import moves
from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit, ItemRef, item_index

CODE = "CX531"
NAME = "role-left"
SEVERITY = "warning"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    plan = plan_file.plan
    for gap in moves.gaps(plan):
        first = gap.left[0]
        yield Hit(
            "rules.CX531.message",
            loc=("stakeholders", item_index(plan_file, "stakeholders", first), "gone"),
            facts={
                "role": gap.role,
                "stakeholders": ", ".join(f"'{i}'" for i in gap.left),
                "stakeholder": first,
            },
            item=ItemRef("stakeholders", first),
        )
