"""The renewal: how many days are left and what puts it at risk.

A plan may name its contract's `renewal` date. From 180 days before it, and again from
90 days before it, the rules list what would make a renewal conversation hard
(`risks`); the portfolio lists renewals by quarter with the same risks.

The risks, each judged on the stakeholders still in place (someone `gone` no longer
counts for anything):

- `buyer`: no economic buyer who is a supporter or champion;
- `single`: the account is single-threaded (one owner holds every relationship);
- `broken`: a commitment measured as broken (perceived below expectation);
- `kpi`: a KPI off track;
- `champion`: no champion any more, or none contacted within `stale_days`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from cxplan import defaults
from cxplan.analyse import moves, powermap, tracking
from cxplan.model.plan import Plan

RiskKind = Literal["buyer", "single", "broken", "kpi", "champion"]
RISK_KINDS: tuple[RiskKind, ...] = ("buyer", "single", "broken", "kpi", "champion")
WINDOWS = defaults.RENEWAL_WINDOWS
"""Days before the renewal at which the rules speak (the wider window first)."""


@dataclass(frozen=True)
class Risk:
    kind: RiskKind
    items: tuple[str, ...]
    """The ids involved (the economic buyers, the owner, the commitments, the KPIs,
    the champions); may be empty (no economic buyer, no champion at all)."""


def days_left(plan: Plan, as_of: dt.date) -> int | None:
    """Days from `as_of` to the renewal (0 on the day); None without a renewal date."""
    if plan.plan.renewal is None:
        return None
    return (plan.plan.renewal - as_of).days


def window(plan: Plan, as_of: dt.date) -> int | None:
    """The narrowest window (180 or 90) the renewal is in, or None outside them and
    once the renewal date has passed. Exactly 180 (or 90) days before is inside."""
    left = days_left(plan, as_of)
    if left is None or left < 0:
        return None
    inside = [w for w in WINDOWS if left <= w]
    return min(inside) if inside else None


def risks(plan: Plan, as_of: dt.date, stale_days: int = powermap.DEFAULT_STALE_DAYS) -> list[Risk]:
    """What puts the renewal at risk, in `RISK_KINDS` order."""
    people = moves.present(plan)
    view = plan.model_copy(update={"stakeholders": people})
    found: list[Risk] = []
    buyers = [s for s in people if s.role == "economic-buyer"]
    if not any(s.support in powermap.ALLY_SUPPORT for s in buyers):
        found.append(Risk("buyer", tuple(s.id for s in buyers)))
    thread = powermap.single_threaded(view)
    if thread.is_single:
        found.append(Risk("single", tuple(thread.owners)))
    broken = [c.id for c in plan.commitments if tracking.commitment_state(c, as_of) == "broken"]
    if broken:
        found.append(Risk("broken", tuple(broken)))
    off = [k.id for k in plan.kpis if tracking.kpi_on_track(k, plan.plan) is False]
    if off:
        found.append(Risk("kpi", tuple(off)))
    champions = [s for s in people if s.support == "champion"]
    fresh = [
        s for s in champions
        if s.last_contact is not None and (as_of - s.last_contact).days <= stale_days
    ]
    if not fresh:
        found.append(Risk("champion", tuple(s.id for s in champions)))
    return found


def quarter(day: dt.date) -> str:
    """`2027-Q3`: the calendar quarter a renewal falls in."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
