"""The account review: what changed in a plan since the last review, from git.

The convention (documented in docs/method.md): after each review meeting, tag the
commit the team reviewed with `review/<date>` (`git tag review/2027-03-01`). The pack
then covers what was authored after that commit's day; `--since` takes another tag, a
commit, or a date instead.

What the pack holds, from the plan's history (`cxplan.analyse.history`) and the plan
as it is now: actions done, slipped (with the days), added and dropped; commitments
kept, broken and new; stakeholders new, gone and whose support or influence moved;
KPI readings taken since, against target; coverage and say-do then and now. What
history does not record item by item (a stakeholder's support and influence, the power
map's coverage) is read from the plan as it was committed last before the pack's first
day, compared with the plan now.

Two audiences read the pack (`customer_pack`): the team's holds everything; the
customer's holds only what the customer edition shows (`cxplan.model.audience`): the
actions and commitments of the customer view, no power-map fact (no stakeholders, no
coverage), no say-do, and, unless the plan's status is `flagged`, no verdict (kept,
broken, on target): only what was measured, with the dates.

The team site has the pack as a page (`site_review`): from the last review tag, or a
note saying there is none yet, or that the plan has no history.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from cxplan.analyse import powermap, saydo, tracking
from cxplan.analyse.git import (
    NO_BLOB,
    GitError,
    PlanLog,
    _git,
    by_repository,
    read_blobs,
    read_logs,
    repository_of,
)
from cxplan.analyse.history import Change, PlanHistory, plan_history
from cxplan.i18n import Said, Text
from cxplan.load import LoadError, decode, parse
from cxplan.model.build import build_plan
from cxplan.model.plan import Plan

REVIEW_TAGS = "review/*"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class SinceError(Said):
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
            raise SinceError(Text.of("review.since.not_a_date", since=since,
                                     reason=str(exc))) from None
    repo = repository_of(path)
    if isinstance(repo, str):
        raise SinceError(Text.of("review.since.no_git", reason=repo))
    if since is None:
        done = _git(repo.root, "tag", "--list", REVIEW_TAGS, "--sort=-creatordate")
        tags = done.stdout.decode("utf-8", "replace").split()
        if not tags:
            raise SinceError(Text.of("review.since.no_tag", tags=REVIEW_TAGS))
        since = tags[0]
    done = _git(repo.root, "log", "-1", "--format=%aI", f"{since}^{{commit}}", "--")
    if done.returncode != 0 or not done.stdout.strip():
        known = _refs(repo.root)
        listed = ", ".join(known[:20]) + (", ..." if len(known) > 20 else "")
        raise SinceError(Text.of("review.since.unknown_ref", since=since,
                                 refs=listed or Text.of("cli.none")))
    stamp = dt.datetime.fromisoformat(done.stdout.decode().strip())
    return Since(stamp.date(), since)


@dataclass(frozen=True)
class StakeholderMove:
    """A stakeholder whose support or influence moved since the review (old -> new)."""

    id: str
    name: str
    support: tuple[str, str] | None
    influence: tuple[int, int] | None


@dataclass(frozen=True)
class Reading:
    """One KPI reading taken since; `on_target` is None where no verdict is shown."""

    kpi: str
    name: str
    day: dt.date
    value: float
    target: float
    on_target: bool | None


@dataclass
class ReviewPack:
    plan_id: str
    since: Since
    as_of: dt.date
    history_state: str = "ok"
    history_reason: str = ""
    shallow_from: dt.date | None = None
    """In a shallow clone, the day of the oldest commit it holds (history starts there)."""
    audience: str = "team"
    verdicts: bool = True
    """Kept/broken and on-target verdicts are shown (false: a `plain` customer edition)."""
    done: list[Change] = field(default_factory=list)
    slipped: list[tuple[Change, int]] = field(default_factory=list)
    added: list[Change] = field(default_factory=list)
    dropped: list[Change] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    measured: list[str] = field(default_factory=list)
    """Commitments measured since (kept and broken together, where no verdict shows)."""
    new_commitments: list[Change] = field(default_factory=list)
    new_people: list[Change] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    moved: list[StakeholderMove] = field(default_factory=list)
    coverage_then: float | None = None
    coverage_now: float | None = None
    has_then: bool = False
    """The plan as it was before the first day was found in git (coverage then, moves)."""
    readings: list[Reading] = field(default_factory=list)
    say_do_then: saydo.Tally = field(default_factory=saydo.Tally)
    say_do_now: saydo.Tally = field(default_factory=saydo.Tally)
    has_say_do: bool = False


def plans_before(wanted: Sequence[tuple[Path, str, dt.date]]) -> dict[str, Plan | None]:
    """For each (plan path, plan id, day): the plan as committed last before that day
    (its author date), or None when git has no such version or it does not validate.

    Read together: one `git log` and one `git cat-file` per repository, whatever the
    number of plans (as `cxplan.analyse.history` reads them)."""
    found: dict[str, Plan | None] = {plan_id: None for _path, plan_id, _day in wanted}
    if not wanted:
        return found
    try:
        logs = read_logs([path for path, _id, _day in wanted])
        chosen: dict[str, tuple[PlanLog, str]] = {}
        for log, (_path, plan_id, day) in zip(logs, wanted, strict=True):
            earlier = [s for s in log.steps if s.commit.day < day and s.new != NO_BLOB]
            if log.repo is not None and earlier:
                chosen[plan_id] = (log, earlier[-1].new)
        blobs: dict[str, bytes] = {}
        for repo, repo_logs in by_repository([log for log, _blob in chosen.values()]):
            mine = {id(log) for log in repo_logs}
            blobs.update(read_blobs(repo, [blob for log, blob in chosen.values()
                                           if id(log) in mine]))
    except (GitError, OSError):
        return found
    for plan_id, (log, blob) in chosen.items():
        raw = blobs.get(blob)
        if raw is not None:
            found[plan_id] = _plan_of(str(log.path), plan_id, raw)
    return found


def _plan_of(path: str, plan_id: str, raw: bytes) -> Plan | None:
    try:
        text = decode(raw)
    except LoadError:
        return None
    source, problems = parse(path, text)
    if problems:
        return None
    built, _problems = build_plan(source, plan_id)
    return built.plan if built is not None else None


def _moves(then: Plan, now: Plan) -> list[StakeholderMove]:
    before = {s.id: s for s in then.stakeholders}
    found = []
    for person in now.stakeholders:
        old = before.get(person.id)
        if old is None:
            continue
        support = (old.support, person.support) if old.support != person.support else None
        influence = (old.influence, person.influence) \
            if old.influence != person.influence else None
        if support or influence:
            found.append(StakeholderMove(person.id, person.name, support, influence))
    return found


def review_pack(
    path: Path, plan_id: str, plan: Plan, since: Since, as_of: dt.date,
    history: PlanHistory | None = None, then: Plan | Literal["read"] | None = "read",
) -> ReviewPack:
    """The team's pack. `history` (the plan's) and `then` (the plan before the first
    day, `plans_before`) are read here unless the caller has read them already."""
    full = history if history is not None else plan_history(path)
    recent = [c for c in full.changes if c.commit.day >= since.day]
    pack = ReviewPack(plan_id, since, as_of, history_state=full.state,
                      history_reason=full.reason,
                      shallow_from=full.oldest.day if full.shallow and full.oldest else None)
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
            pack.measured.append(commitment.id)
    pack.gone = [s.id for s in plan.stakeholders
                 if s.gone is not None and s.gone.on >= since.day]
    for kpi in plan.kpis:
        for reading in kpi.readings:
            if reading.date >= since.day:
                on_target = reading.value >= kpi.target if kpi.direction == "up" \
                    else reading.value <= kpi.target
                pack.readings.append(Reading(kpi.id, kpi.name, reading.date, reading.value,
                                              kpi.target, on_target))
    pack.coverage_now = powermap.coverage(plan).share
    if full.state == "ok":
        if then == "read":
            then = plans_before([(path, plan_id, since.day)])[plan_id]
        if then is not None:
            pack.has_then = True
            pack.coverage_then = powermap.coverage(then).share
            pack.moved = _moves(then, plan)
    result = saydo.say_do(plan_id, plan, full)
    if result.has_history:
        pack.has_say_do = True
        pack.say_do_then = result.total(since.day)
        pack.say_do_now = result.total(as_of)
    return pack


def customer_pack(pack: ReviewPack, view: Plan, verdicts: bool) -> ReviewPack:
    """The customer-safe form of the team's `pack`, for the customer view `view` of the
    plan (`cxplan.model.audience.customer_view`): only its actions, commitments and
    KPIs; nothing of the power map or say-do; verdicts only when `verdicts`
    (`audience.shows_alerts`); the first day by its date, not by the tag's name. An
    action removed from the plan since is left out: the plan no longer says whether
    the customer could see it."""
    actions = {a.id for a in view.actions}
    commitments = {c.id for c in view.commitments}
    kpis = {k.id for k in view.kpis}
    titles = {a.id: a.title for a in view.actions}
    promises = {c.id: c.promise for c in view.commitments}

    def mine(changes: list[Change], ids: set[str], labels: dict[str, str]) -> list[Change]:
        # The label as the customer view has it (history read the team's version).
        return [dataclasses.replace(c, label=labels.get(c.item, c.label))
                for c in changes if c.item in ids]

    # The day only: a tag's name is the team's to choose, and may say anything.
    since = Since(pack.since.day, pack.since.day.isoformat())
    return ReviewPack(
        pack.plan_id, since, pack.as_of, history_state=pack.history_state,
        history_reason=pack.history_reason, shallow_from=pack.shallow_from,
        audience="customer", verdicts=verdicts,
        done=mine(pack.done, actions, titles),
        slipped=[(dataclasses.replace(c, label=titles[c.item]), days)
                 for c, days in pack.slipped if c.item in actions],
        added=mine(pack.added, actions, titles),
        dropped=mine(pack.dropped, actions, titles),
        kept=[c for c in pack.kept if c in commitments] if verdicts else [],
        broken=[c for c in pack.broken if c in commitments] if verdicts else [],
        measured=[c for c in pack.measured if c in commitments],
        new_commitments=mine(pack.new_commitments, commitments, promises),
        readings=[dataclasses.replace(r, on_target=r.on_target if verdicts else None)
                  for r in pack.readings if r.kpi in kpis],
    )


@dataclass(frozen=True)
class SiteReview:
    """What the plan's "since the last review" page shows: a pack, or why there is none
    (`no-tag`: no review tag yet; `no-history`: the plan is outside git)."""

    state: str
    pack: ReviewPack | None = None


def last_review_tag(path: Path) -> Since | None:
    """The last `review/*` tag of the plan's repository, or None (none, or no git)."""
    try:
        return resolve_since(path, None)
    except SinceError:
        return None


def site_review(
    path: Path, plan_id: str, plan: Plan, as_of: dt.date, history: PlanHistory | None,
    since: Since | None, then: Plan | Literal["read"] | None = "read",
) -> SiteReview:
    """The team's pack since `since` (the last review tag, `last_review_tag`), for the
    plan's site (`then`: as for `review_pack`)."""
    if history is None or history.state != "ok":
        return SiteReview("no-history")
    if since is None:
        return SiteReview("no-tag")
    return SiteReview("ok", review_pack(path, plan_id, plan, since, as_of, history, then))
