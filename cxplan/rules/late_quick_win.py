"""A quick win is due later than `plan.quick_win_days` after the plan's `start`.

Open, done and dropped quick wins are all checked: the horizon is a promise about
*when*, and a quick win planned for month four is a medium-term action under another
name.

Why: quick wins exist to show results early, while the customer still remembers why
the plan started. The plan declares what "early" means for this account in
`quick_win_days`; a "quick win" due after that window dilutes the short-term horizon
and hides that there is, in fact, no early result.

Fix: bring the due date inside the window, split the action so that a first visible
part lands inside it, or mark it `horizon: medium-term`.

Example:
    plan:
      start: 2027-01-04
      quick_win_days: 30        # quick wins due by 2027-02-03
    actions:
      - id: a-portal
        title: Co-branded ordering portal
        owner: priya
        due: 2027-03-15         # 70 days after start
        horizon: quick-win
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit, item_hit

CODE = "CX502"
NAME = "late-quick-win"
SEVERITY = "warning"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    info = plan_file.plan.plan
    limit = info.start + dt.timedelta(days=info.quick_win_days)
    for action in plan_file.plan.actions:
        if action.horizon != "quick-win" or action.due <= limit:
            continue
        yield item_hit(
            "rules.CX502.message", plan_file, "actions", action.id, "due",
            facts={
                "action": action.id,
                "due": action.due,
                "days": (action.due - info.start).days,
                "window": info.quick_win_days,
                "limit": limit,
            },
        )
