"""Quick-win and action tracking: the derived facts of a plan as of a date.

Pure functions over the model; nothing here reads the clock (the caller passes
`as_of`, which defaults to `cxplan.config.today()` in the CLI and the site).

The facts, as the plan format defines them:

- An action is **open** while its status is `todo`, `doing` or `blocked`.
- An action is **overdue** as of a date when it is open and its `due` date is *before*
  that date. Due today is not overdue; `done` and `dropped` actions never are.
- A commitment's **satisfaction** is `perceived - expectation` once measured. Below 0
  the commitment is **broken**, 0 or more **kept**; unmeasured and past due it is
  **overdue**; otherwise **pending**.
- A KPI is **on track** or **off track** by the rule documented on `kpi_on_track`;
  a KPI with no reading is unknown (`None`).

Counts of "done of total" leave dropped actions out of the total: dropping an action is
a decision, not a failure, and must not hold a progress bar below 100 % forever.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from cxplan import defaults
from cxplan.model.build import PlanFile
from cxplan.model.plan import OPEN_STATUSES, Action, Commitment, Kpi, Plan, PlanInfo, Reading

CommitmentState = Literal["kept", "broken", "overdue", "pending"]
ActionState = Literal["overdue", "blocked", "due-soon", "open", "done", "dropped"]

DEFAULT_DUE_SOON_DAYS = defaults.DUE_SOON_DAYS


class Scheduled(Protocol):
    """What the action functions read: an action, or a step the customer owns
    (`cxplan.analyse.mutual`), which has the same status and dates."""

    @property
    def status(self) -> str: ...
    @property
    def due(self) -> dt.date: ...
    @property
    def done_on(self) -> dt.date | None: ...


# --- actions -----------------------------------------------------------------------


def is_open(action: Scheduled) -> bool:
    """True while the action is still to be finished (todo, doing or blocked)."""
    return action.status in OPEN_STATUSES


def is_overdue(action: Scheduled, as_of: dt.date) -> bool:
    """Open and due before `as_of` (an action due on `as_of` itself is not overdue)."""
    return is_open(action) and action.due < as_of


def days_late(action: Scheduled, as_of: dt.date) -> int:
    """How many days late the action is, never negative.

    Open: days from `due` to `as_of` (0 when not overdue). Done: days from `due` to
    `done_on` (how late it was finished; 0 when on time). Dropped: 0.
    """
    if is_open(action):
        return max(0, (as_of - action.due).days)
    if action.status == "done" and action.done_on is not None:
        return max(0, (action.done_on - action.due).days)
    return 0


def days_left(action: Scheduled, as_of: dt.date) -> int:
    """Days from `as_of` until `due` (0 on the due date, negative once overdue)."""
    return (action.due - as_of).days


def is_due_soon(action: Scheduled, as_of: dt.date, days: int = DEFAULT_DUE_SOON_DAYS) -> bool:
    """Open and due between `as_of` (included) and `as_of + days` (included)."""
    return is_open(action) and 0 <= days_left(action, as_of) <= days


def action_state(
    action: Scheduled, as_of: dt.date, due_soon_days: int = DEFAULT_DUE_SOON_DAYS
) -> ActionState:
    """One word for boards and badges; the first that applies, in this order:
    done, dropped, overdue, blocked, due-soon, open."""
    if action.status == "done":
        return "done"
    if action.status == "dropped":
        return "dropped"
    if is_overdue(action, as_of):
        return "overdue"
    if action.status == "blocked":
        return "blocked"
    if is_due_soon(action, as_of, due_soon_days):
        return "due-soon"
    return "open"


def is_quick_win(action: Action) -> bool:
    return action.horizon == "quick-win"


# --- commitments -------------------------------------------------------------------


def satisfaction(commitment: Commitment) -> int | None:
    """`perceived - expectation`, or None while the commitment is not measured."""
    if commitment.perceived is None:
        return None
    return commitment.perceived - commitment.expectation


def commitment_state(commitment: Commitment, as_of: dt.date) -> CommitmentState:
    """kept (satisfaction >= 0), broken (< 0), overdue (unmeasured, due before
    `as_of`) or pending (unmeasured, due on or after `as_of`)."""
    score = satisfaction(commitment)
    if score is not None:
        return "kept" if score >= 0 else "broken"
    return "overdue" if commitment.due < as_of else "pending"


def commitment_days_late(commitment: Commitment, as_of: dt.date) -> int:
    """Days past due of an unmeasured commitment; 0 once measured or not yet due."""
    if commitment.perceived is not None:
        return 0
    return max(0, (as_of - commitment.due).days)


# --- KPIs --------------------------------------------------------------------------


def kpi_latest(kpi: Kpi) -> Reading | None:
    """The most recent reading, or None when the KPI has never been measured."""
    if not kpi.readings:
        return None
    return max(kpi.readings, key=lambda reading: reading.date)


def _better_or_equal(kpi: Kpi, value: float, than: float) -> bool:
    return value >= than if kpi.direction == "up" else value <= than


def kpi_reached_target(kpi: Kpi) -> bool | None:
    latest = kpi_latest(kpi)
    if latest is None:
        return None
    return _better_or_equal(kpi, latest.value, kpi.target)


def kpi_reference(kpi: Kpi, period: PlanInfo | None = None) -> tuple[dt.date | None, float] | None:
    """Where progress is measured from: the baseline (at the plan's start, when known),
    else the first reading (at its date). None with neither."""
    if kpi.baseline is not None:
        return (period.start if period is not None else None), kpi.baseline
    if kpi.readings:
        first = min(kpi.readings, key=lambda reading: reading.date)
        return first.date, first.value
    return None


def kpi_expected(kpi: Kpi, period: PlanInfo, on: dt.date) -> float | None:
    """The value the straight line from the reference to the target at `period.end`
    reaches on `on`; None without a plan end or a reference.

    Before the reference date the line stays at the reference; after the end, at the
    target. This is the "pace" `kpi_on_track` compares against.
    """
    reference = kpi_reference(kpi, period)
    if reference is None or period.end is None:
        return None
    start, value = reference
    start = start if start is not None else period.start
    if period.end <= start:
        return float(kpi.target)
    share = (on - start).days / (period.end - start).days
    share = min(1.0, max(0.0, share))
    return value + (kpi.target - value) * share


def kpi_on_track(kpi: Kpi, period: PlanInfo | None = None) -> bool | None:
    """Is the KPI on track? One rule, judged at the date of its latest reading:

    1. No reading: unknown (None).
    2. The latest reading has reached the target (at or above it for `direction: up`,
       at or below it for `down`): on track.
    3. The reference is the baseline, else the first reading. With neither a baseline
       nor a second reading there is nothing to compare against: unknown (None).
    4. The latest reading is not strictly better than the reference (no improvement):
       off track.
    5. When `period` (the plan's `plan` section) is given and the plan has an `end`,
       the latest reading must also be at least as good as the straight line from the
       reference (baseline at the plan's start, or first reading at its date) to the
       target at the plan's end, evaluated on the latest reading's date: behind that
       pace is off track.
    6. Otherwise: on track.

    Pass `period=plan.plan` whenever the plan is at hand: that is what `plan_status`,
    the site and the rules do, so they agree.
    """
    latest = kpi_latest(kpi)
    if latest is None:
        return None
    if _better_or_equal(kpi, latest.value, kpi.target):
        return True
    if kpi.baseline is None and len(kpi.readings) < 2:
        return None
    reference = kpi_reference(kpi, period)
    assert reference is not None  # a baseline or at least two readings
    improved = (
        latest.value > reference[1] if kpi.direction == "up" else latest.value < reference[1]
    )
    if not improved:
        return False
    if period is not None:
        expected = kpi_expected(kpi, period, latest.date)
        if expected is not None and not _better_or_equal(kpi, latest.value, expected):
            return False
    return True


# --- a plan's status ---------------------------------------------------------------


@dataclass(frozen=True)
class LateAction:
    action: Action
    days_late: int


@dataclass(frozen=True)
class LateCommitment:
    commitment: Commitment
    days_late: int


@dataclass(frozen=True)
class PlanStatus:
    """Every tracking figure of one plan as of a date (optionally for one owner)."""

    plan_id: str
    title: str
    customer: str
    language: str
    as_of: dt.date
    owner: str | None
    quick_wins_done: int
    quick_wins_total: int
    """Quick wins of the plan, dropped ones left out."""
    actions_done: int
    actions_total: int
    """Actions of the plan, dropped ones left out."""
    overdue: list[LateAction]
    """Open actions due before `as_of`, most days late first."""
    due_soon: list[Action]
    """Open actions due from `as_of` to `as_of + due_soon_days`, soonest first."""
    blocked: list[Action]
    """Blocked actions (overdue or not), by due date."""
    commitments_broken: list[Commitment]
    """Measured commitments perceived below expectation, worst first."""
    commitments_overdue: list[LateCommitment]
    """Unmeasured commitments past due, most days late first."""
    kpis_off_track: list[Kpi]
    kpis_unknown: list[Kpi] = field(default_factory=list)
    """KPIs whose state cannot be judged (no reading, or nothing to compare with)."""
    quick_wins: list[Action] = field(default_factory=list)
    """Every quick win (dropped included), board order: see `board_order`."""

    @property
    def quick_win_share(self) -> float:
        return self.quick_wins_done / self.quick_wins_total if self.quick_wins_total else 0.0

    @property
    def action_share(self) -> float:
        return self.actions_done / self.actions_total if self.actions_total else 0.0

    @property
    def has_overdue(self) -> bool:
        return bool(self.overdue)


_BOARD_RANK: dict[ActionState, int] = {
    "overdue": 0, "blocked": 1, "due-soon": 2, "open": 3, "done": 4, "dropped": 5,
}


def _board_key(action: Action, as_of: dt.date, due_soon_days: int) -> tuple[int, int]:
    state = action_state(action, as_of, due_soon_days)
    if state == "overdue":
        second = -days_late(action, as_of)
    elif state == "done" and action.done_on is not None:
        second = -action.done_on.toordinal()
    else:
        second = action.due.toordinal()
    return _BOARD_RANK[state], second


def board_order(
    actions: Iterable[Action], as_of: dt.date, due_soon_days: int = DEFAULT_DUE_SOON_DAYS
) -> list[Action]:
    """Overdue first (most days late first), then blocked, due soon, other open (each
    by due date), then done (most recently finished first), then dropped; ties by id."""
    return sorted(actions, key=lambda a: (*_board_key(a, as_of, due_soon_days), a.id))


def plan_status(
    plan_file: PlanFile | Plan,
    as_of: dt.date,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
    *,
    owner: str | None = None,
    plan_id: str | None = None,
) -> PlanStatus:
    """The tracking figures of one plan as of `as_of`.

    With `owner`, only that person's actions, commitments and KPIs count (quick-win
    and action totals included). Accepts a `PlanFile` or a bare `Plan` (then give
    `plan_id`, e.g. for the customer view of a plan).
    """
    if isinstance(plan_file, PlanFile):
        plan, pid = plan_file.plan, plan_file.id
    else:
        plan, pid = plan_file, plan_id or ""

    def mine(owned_by: str) -> bool:
        return owner is None or owned_by == owner

    actions = [a for a in plan.actions if mine(a.owner)]
    counted = [a for a in actions if a.status != "dropped"]
    quick = [a for a in actions if is_quick_win(a)]
    quick_counted = [a for a in quick if a.status != "dropped"]
    overdue = sorted(
        (LateAction(a, days_late(a, as_of)) for a in actions if is_overdue(a, as_of)),
        key=lambda late: (-late.days_late, late.action.id),
    )
    due_soon = sorted(
        (a for a in actions if is_due_soon(a, as_of, due_soon_days)),
        key=lambda a: (a.due, a.id),
    )
    blocked = sorted((a for a in actions if a.status == "blocked"), key=lambda a: (a.due, a.id))
    commitments = [c for c in plan.commitments if mine(c.owner)]
    broken = sorted(
        (c for c in commitments if commitment_state(c, as_of) == "broken"),
        key=lambda c: (satisfaction(c) or 0, c.due, c.id),
    )
    late_commitments = sorted(
        (
            LateCommitment(c, commitment_days_late(c, as_of))
            for c in commitments
            if commitment_state(c, as_of) == "overdue"
        ),
        key=lambda late: (-late.days_late, late.commitment.id),
    )
    kpis = [k for k in plan.kpis if mine(k.owner)]
    judged = {k.id: kpi_on_track(k, plan.plan) for k in kpis}
    return PlanStatus(
        plan_id=pid,
        title=plan.plan.title,
        customer=plan.plan.customer,
        language=plan.plan.language or "en",
        as_of=as_of,
        owner=owner,
        quick_wins_done=sum(a.status == "done" for a in quick_counted),
        quick_wins_total=len(quick_counted),
        actions_done=sum(a.status == "done" for a in counted),
        actions_total=len(counted),
        overdue=overdue,
        due_soon=due_soon,
        blocked=blocked,
        commitments_broken=broken,
        commitments_overdue=late_commitments,
        kpis_off_track=[k for k in kpis if judged[k.id] is False],
        kpis_unknown=[k for k in kpis if judged[k.id] is None],
        quick_wins=board_order(quick, as_of, due_soon_days),
    )


# --- the portfolio quick-win board ------------------------------------------------


@dataclass(frozen=True)
class BoardEntry:
    """One quick win on the portfolio board."""

    plan_id: str
    plan_title: str
    action: Action
    state: ActionState
    days_late: int
    days_left: int


def quick_win_board(
    plan_files: Sequence[PlanFile],
    as_of: dt.date,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> list[BoardEntry]:
    """Every quick win of every plan, in `board_order` across plans (overdue first,
    most days late first); ties broken by plan id then action id."""
    entries = []
    for plan_file in plan_files:
        for action in plan_file.plan.actions:
            if is_quick_win(action):
                entries.append(
                    BoardEntry(
                        plan_id=plan_file.id,
                        plan_title=plan_file.plan.plan.title,
                        action=action,
                        state=action_state(action, as_of, due_soon_days),
                        days_late=days_late(action, as_of),
                        days_left=days_left(action, as_of),
                    )
                )
    return sorted(
        entries,
        key=lambda e: (*_board_key(e.action, as_of, due_soon_days), e.plan_id, e.action.id),
    )


def portfolio_status(
    plan_files: Sequence[PlanFile],
    as_of: dt.date,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
    *,
    owner: str | None = None,
) -> list[PlanStatus]:
    """The status of every plan, plans with overdue actions first (most overdue
    actions first), then by plan id."""
    statuses = [plan_status(p, as_of, due_soon_days, owner=owner) for p in plan_files]
    return sorted(statuses, key=lambda s: (-len(s.overdue), s.plan_id))


# --- burn-up -------------------------------------------------------------------------


@dataclass(frozen=True)
class BurnupPoint:
    date: dt.date
    done: int
    """Actions finished on or before this date (by `done_on`)."""
    due: int
    """Actions (dropped left out) due on or before this date."""


def burnup_series(plan: Plan, as_of: dt.date) -> list[BurnupPoint]:
    """Cumulative done and due counts at every date where either changes, plus the
    plan's start, `as_of` and the plan's end when known; sorted by date.

    Dropped actions are left out of both lines (they were never going to be done).
    `done` counts only finishes on or before `as_of` (a `done_on` in the future is a
    typo the chart does not trust yet).
    """
    counted = [a for a in plan.actions if a.status != "dropped"]
    finishes = sorted(
        a.done_on for a in counted if a.done_on is not None and a.done_on <= as_of
    )
    dues = sorted(a.due for a in counted)
    dates = {plan.plan.start, as_of, *finishes, *dues}
    if plan.plan.end is not None:
        dates.add(plan.plan.end)
    points = []
    for day in sorted(dates):
        points.append(
            BurnupPoint(
                date=day,
                done=sum(1 for d in finishes if d <= day),
                due=sum(1 for d in dues if d <= day),
            )
        )
    return points
