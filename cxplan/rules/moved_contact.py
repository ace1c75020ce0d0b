"""A stakeholder marked `gone` in one plan appears in another plan of the portfolio:
the same `person` key in both, or the same name and the same e-mail. Both plans say
so: the one they left, and the one where they are now.

Why: a champion who moved is a new door. They know how we work and what we did for
their old company; at their new account they can vouch for us, and in the old one the
team should know where the relationship went.

Fix: nothing is wrong. The owner of the relationship in the other plan talks to the
owner in this one; update `support` and `owner` there with what you know.

Example:
    # plans/northwind.yaml
    stakeholders:
      - id: j.ferreira
        name: Julia Ferreira
        email: julia@example.com
        gone: {on: 2027-02-01, why: left-company}
    # plans/contoso.yaml
    stakeholders:
      - id: julia
        name: Julia Ferreira
        email: julia@example.com   # the same person: a new door
"""

from __future__ import annotations

from collections.abc import Iterator

from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit, ItemRef, item_index

CODE = "CX532"
NAME = "moved-contact"
SEVERITY = "info"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    for move in context.moves:
        if move.from_plan == plan_file.id:
            here, there, variant = move.from_id, move.to_id, ""
            other = move.to_plan
        elif move.to_plan == plan_file.id:
            here, there, variant = move.to_id, move.from_id, ".arrived"
            other = move.from_plan
        else:
            continue
        yield Hit(
            "rules.CX532.message" + variant,
            loc=("stakeholders", item_index(plan_file, "stakeholders", here)),
            facts={"stakeholder": here, "other": there, "plan": other},
            item=ItemRef("stakeholders", here),
        )
