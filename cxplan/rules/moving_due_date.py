"""The due date of an open action moved more times than the workspace allows
(`max_due_moves` in the cxplan plugin options, default 2), counted over the plan's git
history: every commit that changed the action's `due` is one move. The rule needs the
history, so it only runs on a plan that is committed in a git repository (and not when
the `history` option is off).

Why: one action, one owner, one date. A date that quietly moves every few weeks is a
date nobody believes: the customer stops expecting the change and the team stops
planning around it. An action register should show that a date slipped, and how often.

Fix: talk to the action's owner about why it keeps slipping: split it into a first
step that can be done soon, remove what blocks it, give it to someone with time, or
set `status: dropped` when it is no longer wanted. Then agree one realistic date.

Example:
    # plans/acme.yaml as committed three times since November
    actions:
      - id: a-cfo-reset
        title: Reset meeting with the CFO on the invoice root cause
        owner: mara
        due: 2027-01-29   # was 2026-11-20, then 2026-12-11, then 2027-01-15
        horizon: medium-term
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cxplan.analyse.tracking import is_open
from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit, item_hit

CODE = "CX522"
NAME = "due-date-keeps-moving"
SEVERITY = "warning"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    if not context.config.history:
        return
    history = context.history.of(Path(plan_file.path))
    if history.state != "ok":
        return
    slips = {slip.action: slip for slip in history.slips}
    limit = context.config.max_due_moves
    for action in plan_file.plan.actions:
        slip = slips.get(action.id)
        if slip is None or slip.move_count <= limit or not is_open(action):
            continue
        last = slip.moves[-1].commit
        yield item_hit(
            "rules.CX522.message", plan_file, "actions", action.id, "due",
            facts={
                "action": action.id,
                "moves": slip.move_count,
                "limit": limit,
                "first_due": slip.first_due,
                "current_due": slip.current_due,
                "days": slip.days_slipped,
                "author": last.author,
                "day": last.day,
                "commit": last.short,
                "owner": action.owner,
            },
        )
