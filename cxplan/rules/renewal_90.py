"""The plan's `renewal` date is 90 days away or less, and something puts
the renewal at risk: the economic buyer is not a supporter, the account is
single-threaded, a commitment is broken, a KPI is off track, or no champion is left or
none was contacted within `stale_days`. One finding per risk, with the days left.


Why: a renewal is decided long before its date. Three months out there is just time to change
a stance, add a thread or repair a broken promise; the week before, there is not.

Fix: work the risk named: meet the economic buyer, give other stakeholders owners,
deliver and re-measure the broken commitment, put the KPI back on pace, find or call the
champion. Each is an action with one owner and one date.

Example:
    # checked with --as-of 2027-04-01
    plan:
      renewal: 2027-06-30          # 90 days left
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
from cxplan.rules.renewal_180 import hits_in_window

CODE = "CX536"
NAME = "renewal-in-90-days"
SEVERITY = "warning"
PAGE = "index.md"
WINDOW = renewal.WINDOWS[1]


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    return hits_in_window(
        plan_file, context, WINDOW, message="rules.CX536.message", hint="rules.CX536.hint"
    )
