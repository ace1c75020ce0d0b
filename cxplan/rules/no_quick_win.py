"""The plan has no quick win: no action with `horizon: quick-win` (dropped ones do not count).

Why: the method asks for quick wins in the short term and harder goals in the medium
term. Early, visible results keep the customer's areas and our own team believing in
the plan while the slow changes take shape; a plan made only of medium-term work shows
nothing for months and loses its sponsors.

Fix: add one or more small actions the team can finish within `plan.quick_win_days`
of `start` (30 by default) and mark them `horizon: quick-win`.

Example:
    plan:
      start: 2027-01-04
      quick_win_days: 30
    actions:          # every action is medium-term: no quick win
      - id: a-edi
        title: Switch orders to EDI
        owner: priya
        due: 2027-05-28
        horizon: medium-term
"""

from __future__ import annotations

from collections.abc import Iterator

from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit

CODE = "CX501"
NAME = "no-quick-win"
SEVERITY = "warning"
PAGE = "quick-wins.md"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    actions = plan_file.plan.actions
    if any(a.horizon == "quick-win" and a.status != "dropped" for a in actions):
        return
    dropped = any(a.horizon == "quick-win" for a in actions)
    message = "rules.CX501.message.all_dropped" if dropped else "rules.CX501.message"
    yield Hit(message, loc=("actions",), key=True)
