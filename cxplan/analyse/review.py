"""The account review: what changed in a plan since the last review, from git.

The convention (documented in docs/method.md): after each review meeting, tag the
commit the team reviewed with `review/<date>` (`git tag review/2027-03-01`). The pack
then covers what was authored after that commit's day; `--since` takes another tag, a
commit, or a date instead.

What the pack holds, from the plan's history (`cxplan.analyse.history`) and the plan
as it is now: actions done, slipped (with the days), added and dropped; commitments
kept, broken and new; stakeholders new and gone; KPI readings taken since, against
target; and say-do then and now.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from cxplan.analyse import saydo, tracking
from cxplan.analyse.git import _git, repository_of
from cxplan.analyse.history import Change, PlanHistory, plan_history
from cxplan.model.plan import Plan

REVIEW_TAGS = "review/*"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class SinceError(Exception):
    """`--since` names nothing git knows; the message lists what exists."""


@dataclass(frozen=True)
class Since:
    day: dt.date
    ref: str
    """The tag or commit named (or the date itself)."""


def _refs(folder: Path) -> list[str]:
    done = _git(folder, "for-each-ref", "--format=%(refname:short)", "refs/tags", "refs/heads")
    return done.stdout.decode("utf-8", "replace").split()


def resolve_since(path: Path, since: str | None) -> Since:
    """The day the pack starts from: a date, a tag or commit, or the last review tag."""
    if since is not None and _DATE.match(since):
        try:
            return Since(dt.date.fromisoformat(since), since)
        except ValueError as exc:
            raise SinceError(f"'{since}' is not a real date ({exc})") from None
    repo = repository_of(path)
    if isinstance(repo, str):
        raise SinceError(f"{repo}; give --since a date (YYYY-MM-DD)")
    if since is None:
        done = _git(repo.root, "tag", "--list", REVIEW_TAGS, "--sort=-creatordate")
        tags = done.stdout.decode("utf-8", "replace").split()
        if not tags:
            raise SinceError(
                f"no review tag ({REVIEW_TAGS}) yet: tag the reviewed commit "
                "(git tag review/YYYY-MM-DD) or give --since REF|DATE")
        since = tags[0]
    done = _git(repo.root, "log", "-1", "--format=%aI", f"{since}^{{commit}}", "--")
    if done.returncode != 0 or not done.stdout.strip():
        known = _refs(repo.root)
        listed = ", ".join(known[:20]) + (", ..." if len(known) > 20 else "") or "none"
        raise SinceError(f"'{since}' names no commit or tag; refs that exist: {listed}")
    stamp = dt.datetime.fromisoformat(done.stdout.decode().strip())
    return Since(stamp.date(), since)


@dataclass
class ReviewPack:
    plan_id: str
    since: Since
    as_of: dt.date
    history: PlanHistory
    done: list[Change] = field(default_factory=list)
    slipped: list[tuple[Change, int]] = field(default_factory=list)
    added: list[Change] = field(default_factory=list)
    dropped: list[Change] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    new_commitments: list[Change] = field(default_factory=list)
    new_people: list[Change] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    readings: list[tuple[str, dt.date, float, float, bool | None]] = field(default_factory=list)
    say_do_then: saydo.Tally = field(default_factory=saydo.Tally)
    say_do_now: saydo.Tally = field(default_factory=saydo.Tally)


def review_pack(path: Path, plan_id: str, plan: Plan, since: Since, as_of: dt.date) -> ReviewPack:
    full = plan_history(path)
    recent = [c for c in full.changes if c.commit.day >= since.day]
    pack = ReviewPack(plan_id, since, as_of, full)
    for change in recent:
        if change.kind == "status-changed" and change.new == "done":
            pack.done.append(change)
        elif change.kind == "status-changed" and change.new == "dropped":
            pack.dropped.append(change)
        elif change.kind == "action-removed":
            pack.dropped.append(change)
        elif change.kind == "due-moved" and isinstance(change.old, dt.date) \
                and isinstance(change.new, dt.date):
            pack.slipped.append((change, (change.new - change.old).days))
        elif change.kind == "action-added":
            pack.added.append(change)
        elif change.kind == "commitment-added":
            pack.new_commitments.append(change)
        elif change.kind == "stakeholder-added":
            pack.new_people.append(change)
    measured = {c.item for c in recent
                if c.kind == "commitment-changed" and c.field == "perceived"}
    for commitment in plan.commitments:
        if commitment.id in measured:
            state = tracking.commitment_state(commitment, as_of)
            (pack.kept if state == "kept" else pack.broken).append(commitment.id)
    pack.gone = [s.id for s in plan.stakeholders
                 if s.gone is not None and s.gone.on >= since.day]
    for kpi in plan.kpis:
        for reading in kpi.readings:
            if reading.date >= since.day:
                on_target = reading.value >= kpi.target if kpi.direction == "up" \
                    else reading.value <= kpi.target
                pack.readings.append((kpi.id, reading.date, reading.value, kpi.target,
                                      on_target))
    result = saydo.say_do(plan_id, plan, full)
    if result.has_history:
        pack.say_do_then = result.total(since.day)
        pack.say_do_now = result.total(as_of)
    return pack
