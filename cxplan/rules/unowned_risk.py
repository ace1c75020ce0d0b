"""A high-influence stakeholder (`influence` 4 or 5) who is a `blocker` or a `skeptic` has
no relationship `owner` on our side, or no action lists them in its `stakeholders`.

Why: a blocker with the final say that nobody owns is how renewals are lost without
warning. The method shares the customer's interlocutors out inside the team so each
one has a person responsible for the relationship, and expects the plan to act on the
people who can stop it.

Fix: set `owner` on the stakeholder (a team member who will build the relationship),
and list them in the `stakeholders` of the actions meant to win them over.

Example:
    stakeholders:
      - id: a.brennan
        name: Aidan Brennan
        title: Chief Financial Officer
        influence: 4
        support: blocker
        # missing: owner: lena
    # and no action has stakeholders: [a.brennan]
"""

from __future__ import annotations

from collections.abc import Iterator

from cxplan.analyse.powermap import risks
from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit, ItemRef, item_index

CODE = "CX509"
NAME = "unowned-risk"
SEVERITY = "warning"
TITLE = "Blocker or skeptic nobody handles"
HINT = "give the stakeholder an owner and an action that lists them"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    by_id = {s.id: s for s in plan_file.plan.stakeholders}
    for risk in risks(plan_file.plan):
        person = by_id[risk.stakeholder]
        gaps = []
        fixes = []
        if "no-owner" in risk.reasons:
            gaps.append("no owner")
            fixes.append("set 'owner' to the team member who will build the relationship")
        if "no-action" in risk.reasons:
            gaps.append("no open action")
            fixes.append(
                f"list '{person.id}' in the 'stakeholders' of an open action aimed at them"
            )
        index = item_index(plan_file, "stakeholders", person.id)
        yield Hit(
            f"{person.support} '{person.id}' (influence {person.influence}) has "
            + " and ".join(gaps),
            loc=("stakeholders", index, "support"),
            item=ItemRef("stakeholders", person.id),
            hint="; ".join(fixes),
        )
