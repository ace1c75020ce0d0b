"""Say-do: how often we deliver by the date we first promised, read from git.

Built on the plan's history (`cxplan.analyse.history`), for the actions and the
commitments still in the plan:

- the **first promised date** is the due date in the first committed version where
  the item appeared: the `old` date of its first recorded move, or its due date when it
  never moved (in a shallow clone, "first" means the oldest version the clone holds);
- an action is **delivered** when it is `done`, on its `done_on`; a commitment when it
  has been measured (`perceived`), on the day of the commit that first wrote it;
- a promise **falls due** when it is delivered, or when its first promised date has
  passed (as of the day asked) while it is still open. Dropped actions are left out:
  dropping is a decision, not a broken word;
- **on time**: delivered on or before the first promised date; **after moves**:
  delivered with its due date moved one or more times; **days slipped**: the days from
  the first promised date to the delivery (or to the day asked, still open), 0 when on
  time, summed.

The figures are grouped by the month of the first promised date, so a trend shows, and
by owner; a plan outside git has no figures, only the reason (`state`, `reason`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cxplan.analyse.history import Change, PlanHistory
from cxplan.model.plan import Plan


@dataclass(frozen=True)
class Promise:
    """One action or commitment, as say-do counts it."""

    section: str
    id: str
    owner: str
    first_due: dt.date
    moves: int
    delivered_on: dt.date | None

    def delivered(self, as_of: dt.date) -> dt.date | None:
        """The delivery day, if it happened by `as_of` (figures as of an earlier day
        do not see later deliveries)."""
        if self.delivered_on is not None and self.delivered_on <= as_of:
            return self.delivered_on
        return None

    def falls_due(self, as_of: dt.date) -> bool:
        return self.delivered(as_of) is not None or self.first_due < as_of

    def on_time(self, as_of: dt.date) -> bool:
        delivered = self.delivered(as_of)
        return delivered is not None and delivered <= self.first_due

    def days_slipped(self, as_of: dt.date) -> int:
        delivered = self.delivered(as_of)
        end = delivered if delivered is not None else as_of
        return max(0, (end - self.first_due).days)


@dataclass(frozen=True)
class Tally:
    """Say-do figures over a set of promises that fell due."""

    due: int = 0
    delivered: int = 0
    on_time: int = 0
    after_moves: int = 0
    days_slipped: int = 0

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.due if self.due else None

    @property
    def after_moves_share(self) -> float | None:
        return self.after_moves / self.due if self.due else None

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.due + other.due, self.delivered + other.delivered,
                     self.on_time + other.on_time, self.after_moves + other.after_moves,
                     self.days_slipped + other.days_slipped)

    def as_dict(self) -> dict[str, int | float | None]:
        return {
            "due": self.due, "delivered": self.delivered, "on_time": self.on_time,
            "on_time_share": self.on_time_share, "after_moves": self.after_moves,
            "after_moves_share": self.after_moves_share, "days_slipped": self.days_slipped,
        }


def tally(promises: Iterable[Promise], as_of: dt.date) -> Tally:
    total = Tally()
    for p in promises:
        if not p.falls_due(as_of):
            continue
        delivered = p.delivered(as_of) is not None
        total = total + Tally(
            1, int(delivered), int(p.on_time(as_of)), int(delivered and p.moves > 0),
            p.days_slipped(as_of),
        )
    return total


@dataclass
class SayDo:
    plan_id: str
    state: str
    """`ok`, or why there is no history (`no-git`, `not-committed`)."""
    reason: str = ""
    shallow: bool = False
    promises: list[Promise] = field(default_factory=list)

    @property
    def has_history(self) -> bool:
        return self.state == "ok"

    def total(self, as_of: dt.date) -> Tally:
        return tally(self.promises, as_of)

    def by_month(self, as_of: dt.date) -> list[tuple[str, Tally]]:
        """(`YYYY-MM` of the first promised date, figures), oldest month first."""
        months: dict[str, list[Promise]] = {}
        for p in self.promises:
            months.setdefault(p.first_due.strftime("%Y-%m"), []).append(p)
        found = [(month, tally(items, as_of)) for month, items in sorted(months.items())]
        return [(month, t) for month, t in found if t.due]

    def by_owner(self, as_of: dt.date) -> dict[str, Tally]:
        owners: dict[str, list[Promise]] = {}
        for p in self.promises:
            owners.setdefault(p.owner, []).append(p)
        found = {owner: tally(items, as_of) for owner, items in sorted(owners.items())}
        return {owner: t for owner, t in found.items() if t.due}


def _first_moves(changes: Sequence[Change]) -> dict[tuple[str, str], list[Change]]:
    moves: dict[tuple[str, str], list[Change]] = {}
    for change in changes:
        if change.kind == "due-moved":
            moves.setdefault(("actions", change.item), []).append(change)
        elif change.kind == "commitment-changed" and change.field == "due":
            moves.setdefault(("commitments", change.item), []).append(change)
    return moves


def _measured_on(changes: Sequence[Change]) -> dict[str, dt.date]:
    """The day `perceived` was first written, per commitment (added measured, or
    measured later)."""
    found: dict[str, dt.date] = {}
    for change in changes:
        if change.kind == "commitment-changed" and change.field == "perceived" \
                and change.old is None and change.new is not None:
            found.setdefault(change.item, change.commit.day)
        elif change.kind in ("commitment-added", "created", "first-seen"):
            key = change.item or "*"
            found.setdefault(f"added:{key}", change.commit.day)
    return found


def say_do(plan_id: str, plan: Plan, history: PlanHistory) -> SayDo:
    """The say-do of one plan from its history (read without `since`)."""
    if history.state != "ok":
        return SayDo(plan_id, history.state, history.reason)
    moves = _first_moves(history.changes)
    measured = _measured_on(history.changes)
    created = measured.get("added:*")
    promises: list[Promise] = []
    for action in plan.actions:
        if action.status == "dropped":
            continue
        moved = moves.get(("actions", action.id), [])
        first = moved[0].old if moved and isinstance(moved[0].old, dt.date) else action.due
        delivered = action.done_on if action.status == "done" else None
        promises.append(Promise("actions", action.id, action.owner, first, len(moved),
                                delivered))
    for commitment in plan.commitments:
        moved = moves.get(("commitments", commitment.id), [])
        first = moved[0].old if moved and isinstance(moved[0].old, dt.date) \
            else commitment.due
        delivered = None
        if commitment.perceived is not None:
            # Measured in a commit, or (perceived written from the start) the day the
            # commitment was added; uncommitted, it counts from the day asked.
            delivered = measured.get(commitment.id) or measured.get(
                f"added:{commitment.id}") or created
        promises.append(Promise("commitments", commitment.id, commitment.owner, first,
                                len(moved), delivered))
    return SayDo(plan_id, "ok", shallow=history.shallow, promises=promises)


def portfolio(results: Sequence[SayDo], as_of: dt.date) -> Tally:
    total = Tally()
    for result in results:
        if result.has_history:
            total = total + result.total(as_of)
    return total


def owner_across(results: Sequence[SayDo], as_of: dt.date) -> dict[str, Tally]:
    """Each person's figures over every plan with history."""
    found: dict[str, Tally] = {}
    for result in results:
        for owner, figures in result.by_owner(as_of).items():
            found[owner] = found.get(owner, Tally()) + figures
    return dict(sorted(found.items()))
