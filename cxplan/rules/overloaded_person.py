"""A person owns more open actions (`todo`, `doing`, `blocked`) than `max_open_actions`
(plugin option, 8 by default). The same person id in several plans is the same person,
so `cxplan validate` counts their open actions across every plan it checks and reports
it on their `team` entry in each plan where they own open actions.

Why: one action, one owner, one date only works when the owner can actually do it.
Piling actions on one person dilutes responsibility as surely as sharing them: the
actions stall together and the dates stop meaning anything.

Fix: hand some actions to other members of the team (change their `owner`), spread the
due dates, or drop what no longer matters.

Example:
    # with max_open_actions: 2
    actions:
      - {id: a1, title: Dock windows, owner: mara, due: 2027-02-01, horizon: quick-win}
      - {id: a2, title: Price review, owner: mara, due: 2027-03-01, horizon: medium-term}
      - {id: a3, title: QBR, owner: mara, due: 2027-04-01, horizon: medium-term}
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from cxplan.analyse.tracking import is_open
from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit, item_hit

CODE = "CX518"
NAME = "overloaded-person"
SEVERITY = "warning"
PAGE = "team.md"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    here = Counter(a.owner for a in plan_file.plan.actions if is_open(a))
    limit = context.config.max_open_actions
    for person in plan_file.plan.team:
        if not here[person.id]:
            continue
        total = max(context.open_actions.get(person.id, 0), here[person.id])
        if total <= limit:
            continue
        yield item_hit(
            "rules.CX518.message" if total == here[person.id]
            else "rules.CX518.message.across_plans",
            plan_file, "team", person.id,
            facts={
                "person": person.id,
                "name": person.name,
                "total": total,
                "here": here[person.id],
                "plans": context.plans_by_person.get(person.id, 1),
                "limit": limit,
            },
        )
