"""The plan's `renewal` date is 180 days away or less (and more than 90), and something puts
the renewal at risk: the economic buyer is not a supporter, the account is
single-threaded, a commitment is broken, a KPI is off track, or no champion is left or
none was contacted within `stale_days`. One finding per risk, with the days left.
From 90 days on, CX536 speaks instead, as a warning.

Why: a renewal is decided long before its date. Six months out there is time to change
a stance, add a thread or repair a broken promise; the week before, there is not.

Fix: work the risk named: meet the economic buyer, give other stakeholders owners,
deliver and re-measure the broken commitment, put the KPI back on pace, find or call the
champion. Each is an action with one owner and one date.

Example:
    # checked with --as-of 2027-01-01
    plan:
      renewal: 2027-06-30          # 180 days left
    stakeholders:
      - id: cfo
        role: economic-buyer
        support: neutral           # not a supporter
"""

from __future__ import annotations

from collections.abc import Iterator

from cxplan.analyse import renewal
from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit

CODE = "CX535"
NAME = "renewal-in-180-days"
SEVERITY = "info"
PAGE = "index.md"
WINDOW = renewal.WINDOWS[0]


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    return hits_in_window(
        plan_file, context, WINDOW, message="rules.CX535.message", hint="rules.CX535.hint"
    )


def hits_in_window(
    plan_file: PlanFile, context: Context, window: int, *, message: str, hint: str
) -> Iterator[Hit]:
    """One hit per renewal risk when the renewal is in `window` (CX535 and CX536)."""
    plan = plan_file.plan
    if renewal.window(plan, context.as_of) != window or plan.plan.renewal is None:
        return
    days = renewal.days_left(plan, context.as_of)
    for risk in renewal.risks(plan, context.as_of, context.config.stale_days):
        yield Hit(
            message,
            loc=("plan", "renewal"),
            facts={
                "renewal": plan.plan.renewal,
                "days": days or 0,
                "risk": risk.kind,
                "items": ", ".join(f"'{i}'" for i in risk.items) or "-",
            },
            hint=hint,
        )
