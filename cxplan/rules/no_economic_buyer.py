"""No stakeholder of the power map has `role: economic-buyer`.

Why: decisions in a business customer are slow until the top decision maker is
convinced. The economic buyer is the one person who releases the budget and signs the
renewal; a plan that has not named them does not know whose conviction it is working
towards, and cannot check that somebody owns that relationship.

Fix: find out who has the final say on the budget and the renewal, add them to
`stakeholders` if they are missing, and set `role: economic-buyer` on them.

Example:
    stakeholders:
      - id: d.whitfield
        name: Diane Whitfield
        title: Chief Operating Officer
        influence: 5
        support: neutral
        # missing: role: economic-buyer
"""

from __future__ import annotations

from collections.abc import Iterator

from cxplan.analyse.powermap import economic_buyers
from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit

CODE = "CX507"
NAME = "no-economic-buyer"
SEVERITY = "warning"
PAGE = "power-map.md"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    if economic_buyers(plan_file.plan):
        return
    plan = plan_file.plan
    section = "stakeholders" if plan.stakeholders else "plan"
    if not plan.stakeholders:
        yield Hit("rules.CX507.message", loc=(section,), key=True,
                  hint="rules.CX507.hint.no_stakeholders")
        return
    # The most influential stakeholder is the likeliest to have the final say.
    top = min(plan.stakeholders, key=lambda s: (-s.influence, s.id))
    yield Hit(
        "rules.CX507.message",
        loc=(section,),
        key=True,
        facts={"candidate": top.id, "influence": top.influence},
    )
