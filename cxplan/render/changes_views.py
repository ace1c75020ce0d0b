"""The changes page (team site only): what each commit changed in a plan, in the plan's
language, and the actions whose due date moved (also shown on the overview). Read from
the plan's git history (`cxplan.analyse.history`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cxplan.analyse.history import Change, PlanHistory, Value
from cxplan.render.site_views import Link, PlanSite, link


@dataclass(frozen=True)
class CommitView:
    """One commit of the changes page and what it changed: (text, the item's link)."""

    sha: str
    day: dt.date
    author: str
    subject: str
    changes: list[tuple[str, Link | None]]


@dataclass(frozen=True)
class SlipView:
    """An action whose due date moved, as the changes page and the overview show it."""

    action: Link
    first_due: dt.date
    current_due: dt.date
    moves: int
    days: int


@dataclass(frozen=True)
class ChangesView:
    """The changes page: commits newest first, the slipped dates, and whether the clone
    is shallow (older history not here)."""

    commits: list[CommitView]
    slips: list[SlipView]
    shallow: bool

    def context(self) -> dict[str, object]:
        """The page template's variables."""
        return {"commits": self.commits, "slips": self.slips, "shallow": self.shallow}


def _change_text(site: PlanSite, change: Change) -> tuple[str, Link | None]:
    """What a change says, in the plan's language, and the item it is about."""
    L = site.L
    kind = change.kind
    target: Link | None = None
    if kind.startswith("action") or kind in ("due-moved", "status-changed"):
        action = site.actions.get(change.item)
        target = site.action_link(action) if action else None
    elif kind.startswith("commitment"):
        target = site.commitment_link(change.item)
    elif kind.startswith("stakeholder") and site.has_power_map:
        target = site.stakeholder(change.item)

    def show(value: Value) -> str:
        if value is None:
            return "—"
        if kind == "status-changed":
            return L.get(f"site.status.{value}", str(value))
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    text = L[f"site.change.{kind}"].format(
        label=change.label or change.item,
        field=L.get(f"site.change.field.{change.field}", change.field),
        old=show(change.old),
        new=show(change.new),
        message=change.message_in(site.language),
    )
    return text, target


def changes_view(site: PlanSite, history: PlanHistory) -> ChangesView:
    """The changes page: commits newest first with what each changed, and the actions
    whose due date moved."""
    commits: list[CommitView] = []
    for change in history.newest_first:
        commit = change.commit
        if not commits or commits[-1].sha != commit.short:
            commits.append(
                CommitView(commit.short, commit.day, commit.author, commit.subject, [])
            )
        commits[-1].changes.append(_change_text(site, change))
    slips = []
    for slip in history.slips:
        action = site.actions.get(slip.action)
        slips.append(SlipView(
            action=site.action_link(action) if action else link(slip.title, site.page()),
            first_due=slip.first_due,
            current_due=slip.current_due,
            moves=slip.move_count,
            days=slip.days_slipped,
        ))
    return ChangesView(commits, slips, history.shallow)
