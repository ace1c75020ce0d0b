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
from cxplan.rules.base import Context, Hit, item_hit

CODE = "CX509"
NAME = "unowned-risk"
SEVERITY = "warning"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    by_id = {s.id: s for s in plan_file.plan.stakeholders}
    for risk in risks(plan_file.plan):
        person = by_id[risk.stakeholder]
        no_owner = "no-owner" in risk.reasons
        no_action = "no-action" in risk.reasons
        # One template per combination: each language joins the two gaps its own way.
        variant = "" if no_owner and no_action else (".no_owner" if no_owner else ".no_action")
        yield item_hit(
            "rules.CX509.message" + variant, plan_file, "stakeholders", person.id, "support",
            facts={
                "support": person.support,
                "stakeholder": person.id,
                "influence": person.influence,
            },
            hint="rules.CX509.hint" + variant,
        )
