"""The mutual plan and the renewal in `cxplan status --format json`.

Added to each plan of the status document (`cxplan.render.status_report`), and only
ever added to:

    "waiting_on_customer": [                    # the customer's late steps, most late first
      {"id", "title", "contact", "contact_name", "follow_up", "follow_up_name", "due",
       "days_late", "status"}
    ],
    "renewal": null | {"date", "days_left", "window": null | 180 | 90,
                       "risks": [{"kind": "buyer|single|broken|kpi|champion", "items": [ids]}]}

    "say_do": {"state": "ok", "shallow", "due", "delivered", "on_time", "on_time_share",
               "after_moves", "after_moves_share", "days_slipped",
               "by_month": [{"month": "YYYY-MM", ...the same figures}],
               "by_owner": {"person-id": {...the same figures}}}
            | {"state": "no-git" | "not-committed", "reason"}   # no history, no figure

and to the summary: `"waiting_on_customer"` (their count) and `"say_do"` (the
portfolio's figures). With `--owner`, a step is listed for the person who follows it
up. Say-do is defined in `cxplan.analyse.saydo`; shares are fractions (0.25).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from cxplan.analyse import mutual, renewal, saydo
from cxplan.analyse.history import HistoryBook
from cxplan.model.build import PlanFile


def _contact_name(plan_file: PlanFile, person_id: str) -> str | None:
    names = {s.id: s.name for s in plan_file.plan.stakeholders}
    names.update((c.id, c.name) for c in plan_file.plan.contacts)
    return names.get(person_id)


def mutual_entry(plan_file: PlanFile, as_of: dt.date, owner: str | None) -> dict[str, Any]:
    plan = plan_file.plan
    team = {p.id: p.name for p in plan.team}
    waiting = [
        {
            "id": late.step.id,
            "title": late.step.title,
            "contact": late.step.owner,
            "contact_name": _contact_name(plan_file, late.step.owner),
            "follow_up": late.step.follow_up,
            "follow_up_name": team.get(late.step.follow_up),
            "due": late.step.due.isoformat(),
            "days_late": late.days,
            "status": late.step.status,
        }
        for late in mutual.late_steps(plan, as_of)
        if owner is None or late.step.follow_up == owner
    ]
    left = renewal.days_left(plan, as_of)
    renewal_entry = None
    if plan.plan.renewal is not None and left is not None:
        renewal_entry = {
            "date": plan.plan.renewal.isoformat(),
            "days_left": left,
            "window": renewal.window(plan, as_of),
            "risks": [{"kind": r.kind, "items": list(r.items)}
                      for r in renewal.risks(plan, as_of)] if left >= 0 else [],
        }
    return {"waiting_on_customer": waiting, "renewal": renewal_entry}


def say_do_entry(result: saydo.SayDo, as_of: dt.date) -> dict[str, Any]:
    if not result.has_history:
        return {"state": result.state, "reason": result.reason}
    return {
        "state": "ok",
        "shallow": result.shallow,
        **result.total(as_of).as_dict(),
        "by_month": [{"month": month, **figures.as_dict()}
                     for month, figures in result.by_month(as_of)],
        "by_owner": {owner: figures.as_dict()
                     for owner, figures in result.by_owner(as_of).items()},
    }


def add_mutual_status(
    document: dict[str, Any], plan_files: Sequence[PlanFile], as_of: dt.date,
    owner: str | None = None,
) -> dict[str, Any]:
    """`document` with the keys of the module docstring added (in place, and returned)."""
    by_id = {p.id: p for p in plan_files}
    book = HistoryBook([p.path for p in plan_files])
    results = []
    for entry in document["plans"]:
        plan_file = by_id[entry["id"]]
        entry.update(mutual_entry(plan_file, as_of, owner))
        result = saydo.say_do(plan_file.id, plan_file.plan, book.of(plan_file.path))
        if owner is not None:
            result.promises = [p for p in result.promises if p.owner == owner]
        results.append(result)
        entry["say_do"] = say_do_entry(result, as_of)
    document["summary"]["waiting_on_customer"] = sum(
        len(entry["waiting_on_customer"]) for entry in document["plans"])
    document["summary"]["say_do"] = saydo.portfolio(results, as_of).as_dict()
    return document
