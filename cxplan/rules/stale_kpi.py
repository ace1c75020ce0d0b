"""A KPI has had no reading for more than `kpi_stale_days` days (plugin option, 90 by
default) as of the check's date. A KPI never measured is judged from the plan's
`start`: it is stale once the plan is older than that many days.

Why: what companies care about most is listening, measuring and assigning
responsibility. A KPI that nobody reads is not being measured: the plan cannot show the
customer what it achieved, and nobody notices when it drifts.

Fix: the KPI's `owner` adds the latest reading (`readings: - {date, value}`); if the
indicator can no longer be measured, replace it with one that can.

Example:
    # checked with --as-of 2027-06-01
    kpis:
      - id: k-disputes
        name: Disputed invoices per month
        owner: grace
        direction: down
        target: 1
        readings:
          - date: 2027-01-31     # 121 days ago
            value: 4
"""

from __future__ import annotations

from collections.abc import Iterator

from cxplan.analyse.tracking import kpi_latest
from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit, item_hit
from cxplan.rules.wording import Fact

CODE = "CX517"
NAME = "stale-kpi"
SEVERITY = "warning"
PAGE = "kpis.md"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    limit = context.config.kpi_stale_days
    start = plan_file.plan.plan.start
    for kpi in plan_file.plan.kpis:
        latest = kpi_latest(kpi)
        facts: dict[str, Fact] = {
            "kpi": kpi.id, "limit": limit, "owner": kpi.owner, "as_of": context.as_of,
        }
        if latest is None:
            age = (context.as_of - start).days
            if age <= limit:
                continue
            yield item_hit(
                "rules.CX517.message.never", plan_file, "kpis", kpi.id,
                facts={**facts, "days": age},
            )
            continue
        age = (context.as_of - latest.date).days
        if age <= limit:
            continue
        yield item_hit(
            "rules.CX517.message",
            plan_file, "kpis", kpi.id, "readings", len(kpi.readings) - 1, "date",
            facts={**facts, "days": age, "last": latest.date},
        )
