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
TITLE = "No economic buyer"
HINT = "set 'role: economic-buyer' on the stakeholder with the final say on the budget"
PAGE = "power-map.md"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    if economic_buyers(plan_file.plan):
        return
    plan = plan_file.plan
    top = sorted(plan.stakeholders, key=lambda s: (-s.influence, s.id))[:1]
    hint = HINT
    if top:
        hint = f"who has the final say on budget and renewal? e.g. '{top[0].id}' " \
            f"(influence {top[0].influence}): set 'role: economic-buyer' on them"
    section = "stakeholders" if plan.stakeholders else "plan"
    yield Hit("the power map names no economic buyer", loc=(section,), key=True, hint=hint)
