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
from cxplan.rules.base import Context, Hit, ItemRef

CODE = "CX517"
NAME = "stale-kpi"
SEVERITY = "warning"
TITLE = "KPI not measured recently"
HINT = "the KPI's owner adds the latest reading"
PAGE = "kpis.md"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    limit = context.config.kpi_stale_days
    start = plan_file.plan.plan.start
    for index, kpi in enumerate(plan_file.plan.kpis):
        latest = kpi_latest(kpi)
        hint = f"'{kpi.owner}' adds a reading (readings: - date: {context.as_of}, value: ...)"
        if latest is None:
            age = (context.as_of - start).days
            if age <= limit:
                continue
            yield Hit(
                f"KPI '{kpi.id}' has never been measured, {age} days into the plan "
                f"(limit {limit} days)",
                loc=("kpis", index, "id"),
                item=ItemRef("kpis", kpi.id),
                hint=hint,
            )
            continue
        age = (context.as_of - latest.date).days
        if age <= limit:
            continue
        last = len(kpi.readings) - 1
        yield Hit(
            f"KPI '{kpi.id}' was last measured {latest.date}, {age} days ago "
            f"(limit {limit} days)",
            loc=("kpis", index, "readings", last, "date"),
            item=ItemRef("kpis", kpi.id),
            hint=hint,
        )
