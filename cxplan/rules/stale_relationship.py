"""A stakeholder's `last_contact` is more than `stale_days` days (plugin option, 90 by
default) before the check's date: the relationship is going stale. Stakeholders with
no `last_contact` are not judged.

Why: the power map is only as good as the relationships behind it. A person nobody
has spoken to for a quarter has changed priorities, heard someone else's version, or
left; an influential one can swing a decision the team will only learn about
afterwards.

Fix: the stakeholder's `owner` gets in touch (a visit, a call, a review) and updates
`last_contact`; add an action that lists the stakeholder if a real reason to meet is
needed.

Example:
    # checked with --as-of 2026-11-25
    stakeholders:
      - id: montero
        name: Dr. Javier Montero
        influence: 4
        support: neutral
        owner: elena
        last_contact: 2026-07-02      # 146 days ago
"""

from __future__ import annotations

from collections.abc import Iterator

from cxplan.analyse.powermap import stale_relationships
from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit, item_hit

CODE = "CX521"
NAME = "stale-relationship"
SEVERITY = "warning"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    by_id = {s.id: s for s in plan_file.plan.stakeholders}
    limit = context.config.stale_days
    for stale in stale_relationships(plan_file.plan, context.as_of, limit):
        person = by_id[stale.stakeholder]
        variant = "" if person.owner else ".no_owner"
        yield item_hit(
            "rules.CX521.message" + variant, plan_file, "stakeholders", person.id, "last_contact",
            facts={
                "stakeholder": person.id,
                "influence": person.influence,
                "owner": person.owner or "",
                "last_contact": stale.last_contact,
                "days": stale.days_since,
                "limit": limit,
            },
            hint="rules.CX521.hint" + variant,
        )
