"""The mutual plan: the steps the customer owns, beside the actions we own.

A customer step has one owner on the customer's side (a stakeholder), one date and the
team member who follows it up. Its states are the actions' (`tracking.action_state`
applies, as a step has the same status and dates), but a late step is *the customer's*:
it is reported as waiting on them and on its follow-up owner, never counted among our
overdue actions (`tracking` does not read `customer_steps` at all).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cxplan.analyse import tracking
from cxplan.model.plan import CustomerStep, Plan

# A step has an action's status and dates: the actions' own functions judge it.
is_open = tracking.is_open
is_late = tracking.is_overdue
days_late = tracking.days_late


def step_state(
    step: CustomerStep, as_of: dt.date, due_soon_days: int = tracking.DEFAULT_DUE_SOON_DAYS
) -> tracking.ActionState:
    """One word, as for actions: done, dropped, overdue, blocked, due-soon, open."""
    return tracking.action_state(step, as_of, due_soon_days)


@dataclass(frozen=True)
class LateStep:
    step: CustomerStep
    days: int


def late_steps(plan: Plan, as_of: dt.date) -> list[LateStep]:
    """The customer's late steps, most late first."""
    found = [LateStep(s, days_late(s, as_of)) for s in plan.customer_steps if is_late(s, as_of)]
    return sorted(found, key=lambda late: (-late.days, late.step.due, late.step.id))


def board_order(steps: list[CustomerStep], as_of: dt.date) -> list[CustomerStep]:
    """Late first (most late first), then open by date, then done and dropped."""
    rank = {"overdue": 0, "blocked": 1, "due-soon": 2, "open": 3, "done": 4, "dropped": 5}
    return sorted(
        steps,
        key=lambda s: (rank[step_state(s, as_of)], -days_late(s, as_of), s.due, s.id),
    )
