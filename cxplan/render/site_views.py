"""View models of the site: every fact a page shows, computed here, formatted by templates.

Templates receive plain values: text (escaped for Markdown when printed), numbers, and
`Markup` for what this module builds itself (sanitised HTML, SVG, link targets). A
link target is a source path of the site (`plans/acme/actions.md#action-a1`); the
template's `href` filter makes it relative to the page being rendered.

Page paths are the agreed ones (other parts of cxplan link to them): see `PAGES`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from markupsafe import Markup, escape

from cxplan import i18n
from cxplan.analyse import powermap, tracking
from cxplan.i18n import labels
from cxplan.model.audience import LeftOut
from cxplan.model.build import PlanFile
from cxplan.model.plan import Action, Commitment, Kpi, Plan, Stakeholder
from cxplan.render.site_env import format_number
from cxplan.render.text import md_to_safe_html
from cxplan.render.urls import (  # noqa: F401 - re-exported: the pages import them from here
    PEOPLE,
    PORTFOLIO,
    PORTFOLIO_QUICK_WINS,
    area_page,
    customer_page_url,
    item_anchor,
    item_target,
    person_calendar,
    person_page,
    plan_downloads,
    plan_page,
    plan_root,
    plan_target,
)

if TYPE_CHECKING:  # the rules are imported only by the builds that show findings
    from cxplan.rules import Finding

# Sub-pages of a plan, in menu order: (page name, label key).
PAGES: tuple[tuple[str, str], ...] = (
    ("index", "site.page.overview"),
    ("journey", "site.page.journey"),
    ("values", "site.page.values"),
    ("power-map", "site.page.power_map"),
    ("commitments", "site.page.commitments"),
    ("actions", "site.page.actions"),
    ("mutual", "mutual.page"),
    ("quick-wins", "site.page.quick_wins"),
    ("team", "site.page.team"),
    ("kpis", "site.page.kpis"),
    ("engagement", "site.page.engagement"),
    ("changes", "site.page.changes"),
    ("review", "review.page"),
)

INVOLVEMENTS = ("core", "collaborator", "ambassador")
STATUS_ORDER = ("blocked", "doing", "todo", "done", "dropped")
COMMITMENT_ORDER = ("broken", "overdue", "pending", "kept", "measured")
# A text mark next to every state, so no state is told by colour alone.
STATE_MARK = {
    "overdue": "⚠", "blocked": "⊘", "due-soon": "◷", "open": "○", "done": "✓", "dropped": "–",
    "broken": "✗", "pending": "○", "kept": "✓", "measured": "●",
}
# Without alerts (a customer edition in `plain` mode) no state judges: an overdue or
# due-soon action is shown open, a measured commitment as measured, kept or broken.
PLAIN_ACTION_STATE = {"overdue": "open", "due-soon": "open"}
PLAIN_COMMITMENT_STATE = {"overdue": "pending", "broken": "measured", "kept": "measured"}
NO_MARKUP = Markup("")
# Pages the customer edition never has (the team site badges their menu entries).
TEAM_ONLY_PAGES = frozenset({"power-map", "engagement", "changes"})
NINE_CS: tuple[tuple[str, tuple[str, str, str]], ...] = (
    ("people", ("culture", "community", "credibility")),
    ("delivery", ("channel", "content", "cadence")),
    ("timing", ("context", "catalysts", "currencies")),
)


def as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


@dataclass(frozen=True)
class Link:
    text: str
    target: Markup


def link(text: str, target: str) -> Link:
    # Targets are built from validated ids only ([A-Za-z0-9._-]), hence trusted.
    return Link(text, Markup(target))


@dataclass(frozen=True)
class ActionRow:
    id: str
    title: str
    anchor: Markup
    target: Markup
    plan: Link
    owner: Link
    due: dt.date
    state: str
    mark: str
    state_label: str
    status_label: str
    late_label: str
    horizon_label: str
    kind_label: str
    done_on: dt.date | None
    moments: list[Link]
    areas: list[Link]
    commitments: list[Link]
    stakeholders: list[Link]
    notes_text: str | None
    """The notes as written (`notes` is them as HTML)."""
    notes_anchor: Markup
    badge: Markup = NO_MARKUP
    """The "team only" badge when the customer edition leaves the action out."""
    id_chip: Markup = NO_MARKUP
    """The id, small and copyable (team site: `cxplan done ID` needs it)."""

    @cached_property
    def notes(self) -> Markup | None:
        """The notes as safe HTML, made when a page shows them (the portfolio's board
        and a person's page list many actions and show no notes)."""
        return md_to_safe_html(self.notes_text) if self.notes_text else None


@dataclass(frozen=True)
class CommitmentRow:
    id: str
    promise: str
    anchor: Markup
    target: Markup
    plan: Link
    to: Link | None
    moment: Link | None
    owner: Link
    due: dt.date
    expectation: int
    perceived: int | None
    gap: str
    state: str
    mark: str
    state_label: str
    late_label: str
    internal: bool
    actions: list[Link]
    badge: Markup = NO_MARKUP


@dataclass(frozen=True)
class KpiRow:
    id: str
    name: str
    anchor: Markup
    target: Markup
    plan: Link
    owner: Link
    area: Link | None
    unit: str
    direction_label: str
    baseline: str
    goal: str
    latest: str
    latest_date: dt.date | None
    on_track: bool | None
    mark: str
    on_track_label: str
    readings: list[tuple[dt.date, str]]
    chart: Markup | None


@dataclass(frozen=True)
class StakeholderRow:
    id: str
    name: str
    anchor: Markup
    target: Markup
    title: str
    area: Link | None
    influence: int
    support: str
    support_label: str
    role_label: str
    decides: list[str]
    reports_to: Link | None
    influences: list[Link]
    owner: Link | None
    last_contact: dt.date | None
    stale_label: str
    motivations: str
    actions: list[Link]


@dataclass(frozen=True)
class PortfolioRow:
    """One plan in the portfolio table."""

    plan: Link
    title: str
    owner: Link
    end: dt.date | None
    actions: str
    quick_wins: str
    bar: Markup
    overdue: int
    at_risk: int
    coverage: float | None
    kpis_off: int


@dataclass(frozen=True)
class Figure:
    """A headline figure on an overview or the portfolio: `value` big, `label` under it."""

    value: str
    label: str
    target: Markup
    alert: bool = False


@dataclass(frozen=True)
class HealthRow:
    """One row of the plan-health panel: a rule finding (`cxplan.rules.Finding`) as the
    plan's site shows it."""

    severity: str
    severity_label: str
    code: str
    title: str
    message: str
    hint: str
    line: int
    target: Markup | None


class PlanSite:
    """One plan as the site shows it: lookups, derived facts and row builders."""

    def __init__(
        self,
        plan_file: PlanFile,
        *,
        language: str,
        as_of: dt.date,
        audience: str,
        due_soon_days: int = tracking.DEFAULT_DUE_SOON_DAYS,
        stale_days: int = powermap.DEFAULT_STALE_DAYS,
        people_pages: bool = True,
        alerts: bool = True,
        left_out: LeftOut | Callable[[], LeftOut] | None = None,
        customer_site_url: str | None = None,
        customer_intro: str | None = None,
    ) -> None:
        self.file = plan_file
        self.people_pages = people_pages
        """False in a site of this account alone (a customer edition): a person then
        links to the plan's team page, there being no page of theirs."""
        self.id = plan_file.id
        self.plan: Plan = plan_file.plan
        self.language = language
        self.L = labels(language)
        self.as_of = as_of
        self.audience = audience
        self.due_soon_days = due_soon_days
        self.stale_days = stale_days
        self.has_changes = False
        """Set when the plan's git history is known (the changes page exists)."""
        self.has_review = False
        """Set when the plan has its "since the last review" page in this edition."""
        self.customer_has_review = False
        """Set when the customer edition has that page too (a review tag exists)."""
        self.review_summary = ""
        """That page in a line, for the overview's list of pages."""
        self.alerts = alerts
        """Overdue and broken marks and "needs attention" lists (`audience.shows_alerts`)."""
        self._left_out = left_out
        self.customer_site_url = customer_site_url
        """Where the customer editions are, when built alongside (team site only)."""
        self.customer_intro = customer_intro
        """The introduction the customer's home page opens with (Markdown): the plan's
        `customer_intro`, else the workspace's file; shown on both editions."""
        self._link_memo: dict[tuple[str, str], Link | None] = {}
        plan = self.plan
        self.team = {p.id: p for p in plan.team}
        self.areas = {a.id: a for a in plan.areas}
        self.moments = {m.id: m for m in plan.moments}
        self.stakeholders = {s.id: s for s in plan.stakeholders}
        self.commitments = {c.id: c for c in plan.commitments}
        self.actions = {a.id: a for a in plan.actions}
        self.delivering: dict[str, list[Action]] = {c.id: [] for c in plan.commitments}
        self.working_on: dict[str, list[Action]] = {s.id: [] for s in plan.stakeholders}
        for action in plan.actions:
            for commitment_id in action.commitments:
                self.delivering.setdefault(commitment_id, []).append(action)
            for stakeholder_id in action.stakeholders:
                self.working_on.setdefault(stakeholder_id, []).append(action)
        # Rows are immutable and an item shows on several pages: each is built once.
        self._action_rows: dict[str, ActionRow] = {}
        self._commitment_rows: dict[str, CommitmentRow] = {}
        self._kpi_rows: dict[str, KpiRow] = {}
        self._stakeholder_rows: dict[str, StakeholderRow] = {}

    def forget_rows(self) -> None:
        """Let go of the rows built so far (they are built again when asked for)."""
        self._action_rows.clear()
        self._commitment_rows.clear()
        self._kpi_rows.clear()
        self._stakeholder_rows.clear()

    # --- facts --------------------------------------------------------------------

    @cached_property
    def status(self) -> tracking.PlanStatus:
        return tracking.plan_status(self.plan, self.as_of, self.due_soon_days, plan_id=self.id)

    @cached_property
    def coverage(self) -> powermap.Coverage:
        """Apart from `analysis`: the portfolio shows each plan's coverage alone."""
        return powermap.coverage(self.plan)

    @cached_property
    def analysis(self) -> powermap.PowerMapAnalysis:
        """`powermap.analyse` without the influence rank: the site does not show it, and
        its PageRank loads scipy, which alone costs a third of a second per build."""
        plan, as_of, days = self.plan, self.as_of, self.stale_days
        return powermap.PowerMapAnalysis(
            as_of=as_of,
            stale_days=days,
            decision_makers=powermap.decision_makers(plan),
            influence_rank={},
            coverage=self.coverage,
            economic_buyers=powermap.economic_buyers(plan),
            single_threaded=powermap.single_threaded(plan),
            risks=powermap.risks(plan),
            champion_paths=powermap.champion_paths(plan),
            areas_without_stakeholders=powermap.areas_without_stakeholders(plan),
            relationships_by_person=powermap.relationships_by_person(plan),
            stale=powermap.stale_relationships(plan, as_of, days),
            never_contacted=powermap.never_contacted(plan),
        )

    @property
    def has_power_map(self) -> bool:
        """The team site always has the page (it says what is missing); the customer
        site never has one."""
        return self.audience == "team"

    @property
    def has_engagement(self) -> bool:
        return self.audience == "team"

    def page(self, name: str = "index") -> str:
        return plan_page(self.id, name)

    @property
    def title(self) -> str:
        return self.plan.plan.title

    @property
    def customer(self) -> str:
        return self.plan.plan.customer

    def self_link(self) -> Link:
        found = self._linked("plan", self.id, lambda: link(self.customer, self.page()))
        assert found is not None
        return found

    def _linked(self, kind: str, key: str, make: Callable[[], Link | None]) -> Link | None:
        """A link made once per site and shared by every row that names it (links are
        immutable): the portfolio's rows of 300 plans made 219,000 links, most alike."""
        memo = self._link_memo
        if (kind, key) not in memo:
            memo[kind, key] = make()
        return memo[kind, key]

    # --- the customer boundary -------------------------------------------------------

    def badge(self, section: str, item_id: str) -> Markup:
        """The "team only" badge of an item the customer edition leaves out, else ""."""
        if self.left_out is None or not self.left_out.has(section, item_id):
            return NO_MARKUP
        return team_only_badge(self.L, f"{section}:{item_id}")

    def page_badge(self, name: str) -> Markup:
        """The badge of a page the customer edition does not have (on the team site)."""
        if self.left_out is None:
            return NO_MARKUP
        if name not in TEAM_ONLY_PAGES and (name != "review" or self.customer_has_review):
            return NO_MARKUP
        return team_only_badge(self.L, f"page:{name}")

    def customer_view_link(self, current: str) -> Markup | None:
        """The same page of this account's customer edition, when the editions are built
        alongside and the edition has the page (team site only)."""
        if self.left_out is None or not self.customer_site_url or current in TEAM_ONLY_PAGES:
            return None
        if current == "review" and not self.customer_has_review:
            return None
        return Markup(customer_page_url(self.customer_site_url, self.id, current))

    def section_badge(self, name: str) -> Markup:
        """The badge of a part of a page only the team site has (`notes`, `plan-health`,
        `slipped-dates`, `stakeholders`, `relationships`)."""
        if self.left_out is None:
            return NO_MARKUP
        return team_only_badge(self.L, f"section:{name}")

    def tags(self) -> list[tuple[str, Markup]]:
        """(tag, badge) of every tag this site shows: customer tags, then the team's."""
        info = self.plan.plan
        shown = list(dict.fromkeys([*info.customer_tags, *info.tags]))
        # The badge names a tag by its place in `tags`: an attribute never holds plan text.
        return [(tag, team_only_badge(self.L, f"tags:{info.tags.index(tag)}")
                 if self.left_out is not None and tag in self.left_out.tags else NO_MARKUP)
                for tag in shown]

    def id_chip(self, item_id: str) -> Markup:
        """An id, small, selectable at one click and copyable with a button (Material's
        clipboard integration copies any `data-clipboard-text`); team site only."""
        if self.left_out is None:
            return NO_MARKUP
        shown, title = escape(item_id), escape(self.L["audience.copy_id"].format(id=item_id))
        return Markup(
            f'<span class="cx-id"><code>{shown}</code><button type="button" class="cx-copy" '
            f'data-clipboard-text="{shown}" title="{title}" aria-label="{title}">⧉</button></span>')

    # --- links ----------------------------------------------------------------------

    def person(self, person_id: str) -> Link:
        def make() -> Link:
            member = self.team.get(person_id)
            target = person_page(person_id) if self.people_pages else self.page("team")
            return link(member.name if member else person_id, target)

        found = self._linked("person", person_id, make)
        assert found is not None
        return found

    def area(self, area_id: str | None) -> Link | None:
        if area_id is None or area_id not in self.areas:
            return None
        return self._linked("area", area_id, lambda: link(
            self.areas[area_id].name, area_page(self.id, area_id)))

    def moment(self, moment_id: str | None) -> Link | None:
        if moment_id is None or moment_id not in self.moments:
            return None
        return self._linked("moment", moment_id, lambda: link(
            self.moments[moment_id].name, item_target(self.id, "moments", moment_id)))

    def stakeholder(self, stakeholder_id: str | None) -> Link | None:
        if stakeholder_id is None or stakeholder_id not in self.stakeholders:
            return None
        return self._linked("stakeholder", stakeholder_id, lambda: link(
            self.stakeholders[stakeholder_id].name,
            item_target(self.id, "stakeholders", stakeholder_id)))

    def receiver(self, commitment: Commitment) -> Link | None:
        """Who received a commitment: a buyer area or a stakeholder."""
        return self.area(commitment.to) or self.stakeholder(commitment.to)

    def commitment_link(self, commitment_id: str) -> Link | None:
        found = self.commitments.get(commitment_id)
        if found is None:
            return None
        return self._linked("commitment", commitment_id, lambda: link(
            found.promise, item_target(self.id, "commitments", commitment_id)))

    def action_link(self, action: Action) -> Link:
        return link(action.title, item_target(self.id, "actions", action.id))

    def kpi_link(self, kpi: Kpi) -> Link:
        return link(kpi.name, item_target(self.id, "kpis", kpi.id))

    def links(self, make: Callable[[str], Link | None], ids: Sequence[str]) -> list[Link]:
        return [found for found in (make(i) for i in ids) if found is not None]

    # --- rows -------------------------------------------------------------------------

    def action_row(self, action: Action) -> ActionRow:
        row = self._action_rows.get(action.id)
        if row is None:
            row = self._action_rows[action.id] = self._make_action_row(action)
        return row

    @cached_property
    def left_out(self) -> LeftOut | None:
        """What the customer edition leaves out (`audience.left_out`), on the team site;
        worked out when first asked (the portfolio asks of few plans)."""
        return self._left_out() if callable(self._left_out) else self._left_out

    def action_state(self, action: Action) -> str:
        """The action's state as this site shows it (no verdicts where alerts are off)."""
        state: str = tracking.action_state(action, self.as_of, self.due_soon_days)
        return state if self.alerts else PLAIN_ACTION_STATE.get(state, state)

    def _lateness(self, action: Action, state: str) -> str:
        L = self.L
        if state == "overdue":
            return L["site.overdue_by"].format(days=tracking.days_late(action, self.as_of))
        if state == "due-soon":
            days = tracking.days_left(action, self.as_of)
            return L["site.due_today"] if days == 0 else L["site.due_in"].format(days=days)
        if action.status == "done" and tracking.days_late(action, self.as_of) > 0:
            return L["site.done_late"].format(days=tracking.days_late(action, self.as_of))
        return ""

    def _make_action_row(self, action: Action) -> ActionRow:
        L = self.L
        state = self.action_state(action)
        # Where alerts are off, the facts (the date) without a verdict.
        late = self._lateness(action, state) if self.alerts else ""
        return ActionRow(
            id=action.id,
            title=action.title,
            anchor=Markup(item_anchor("actions", action.id)),
            target=Markup(item_target(self.id, "actions", action.id)),
            plan=self.self_link(),
            owner=self.person(action.owner),
            due=action.due,
            state=state,
            mark=STATE_MARK[state],
            state_label=L[f"site.state.{state}"],
            status_label=L[f"site.status.{action.status}"],
            late_label=late,
            horizon_label=L[f"site.horizon.{action.horizon}"],
            kind_label=L[f"site.kind.{action.kind}"] if action.kind else "",
            done_on=action.done_on,
            moments=self.links(self.moment, action.moments),
            areas=self.links(self.area, action.areas),
            commitments=self.links(self.commitment_link, action.commitments),
            stakeholders=self.links(self.stakeholder, action.stakeholders),
            notes_text=action.notes,
            notes_anchor=Markup(f"notes-{action.id}"),
            badge=self.badge("actions", action.id),
            id_chip=self.id_chip(action.id),
        )

    def commitment_row(self, commitment: Commitment) -> CommitmentRow:
        row = self._commitment_rows.get(commitment.id)
        if row is None:
            row = self._commitment_rows[commitment.id] = self._make_commitment_row(commitment)
        return row

    def _make_commitment_row(self, commitment: Commitment) -> CommitmentRow:
        L = self.L
        state: str = tracking.commitment_state(commitment, self.as_of)
        if not self.alerts:
            state = PLAIN_COMMITMENT_STATE.get(state, state)
        gap = tracking.satisfaction(commitment)
        late = tracking.commitment_days_late(commitment, self.as_of)
        delivering = self.delivering.get(commitment.id, [])
        return CommitmentRow(
            id=commitment.id,
            promise=commitment.promise,
            anchor=Markup(item_anchor("commitments", commitment.id)),
            target=Markup(item_target(self.id, "commitments", commitment.id)),
            plan=self.self_link(),
            to=self.receiver(commitment),
            moment=self.moment(commitment.moment),
            owner=self.person(commitment.owner),
            due=commitment.due,
            expectation=commitment.expectation,
            perceived=commitment.perceived,
            gap=signed(gap),
            state=state,
            mark=STATE_MARK[state],
            state_label=commitment_state_label(L, state),
            late_label=L["site.overdue_by"].format(days=late) if state == "overdue" else "",
            internal=commitment.internal,
            actions=[self.action_link(a) for a in delivering],
            badge=self.badge("commitments", commitment.id),
        )

    def kpi_row(self, kpi: Kpi, chart: Markup | None = None) -> KpiRow:
        if chart is not None:
            return self._make_kpi_row(kpi, chart)
        row = self._kpi_rows.get(kpi.id)
        if row is None:
            row = self._kpi_rows[kpi.id] = self._make_kpi_row(kpi, None)
        return row

    def _make_kpi_row(self, kpi: Kpi, chart: Markup | None) -> KpiRow:
        L = self.L
        latest = tracking.kpi_latest(kpi)
        on_track = tracking.kpi_on_track(kpi, self.plan.plan)
        unit = kpi.unit or ""
        mark_key = {True: "on", False: "off", None: "unknown"}[on_track]
        return KpiRow(
            id=kpi.id,
            name=kpi.name,
            anchor=Markup(item_anchor("kpis", kpi.id)),
            target=Markup(item_target(self.id, "kpis", kpi.id)),
            plan=self.self_link(),
            owner=self.person(kpi.owner),
            area=self.area(kpi.area),
            unit=unit,
            direction_label=L[f"site.direction.{kpi.direction}"],
            baseline=with_unit(kpi.baseline, unit),
            goal=with_unit(kpi.target, unit),
            latest=with_unit(latest.value if latest else None, unit),
            latest_date=latest.date if latest else None,
            on_track=on_track,
            mark={"on": "✓", "off": "⚠", "unknown": "?"}[mark_key],
            on_track_label=L[f"site.kpi.{mark_key}"],
            readings=[(r.date, with_unit(r.value, unit)) for r in kpi.readings],
            chart=chart,
        )

    def stakeholder_row(self, stakeholder: Stakeholder) -> StakeholderRow:
        row = self._stakeholder_rows.get(stakeholder.id)
        if row is None:
            row = self._stakeholder_rows[stakeholder.id] = self._make_stakeholder_row(stakeholder)
        return row

    @cached_property
    def _stale(self) -> dict[str, powermap.Stale]:
        return {s.stakeholder: s for s in self.analysis.stale}

    def _make_stakeholder_row(self, stakeholder: Stakeholder) -> StakeholderRow:
        L = self.L
        stale = self._stale.get(stakeholder.id)
        working = self.working_on.get(stakeholder.id, [])
        return StakeholderRow(
            id=stakeholder.id,
            name=stakeholder.name,
            anchor=Markup(item_anchor("stakeholders", stakeholder.id)),
            target=Markup(item_target(self.id, "stakeholders", stakeholder.id)),
            title=stakeholder.title or "",
            area=self.area(stakeholder.area),
            influence=stakeholder.influence,
            support=stakeholder.support,
            support_label=L[f"site.support.{stakeholder.support}"],
            role_label=L[f"site.role.{stakeholder.role}"] if stakeholder.role else "",
            decides=list(stakeholder.decides),
            reports_to=self.stakeholder(stakeholder.reports_to),
            influences=self.links(self.stakeholder, stakeholder.influences),
            owner=self.person(stakeholder.owner) if stakeholder.owner else None,
            last_contact=stakeholder.last_contact,
            stale_label=L["site.stale_days"].format(days=stale.days_since) if stale else "",
            motivations=stakeholder.motivations or "",
            actions=[self.action_link(a) for a in working],
        )

    # --- groups -----------------------------------------------------------------------

    def action_rows(self, actions: Sequence[Action]) -> list[ActionRow]:
        return [self.action_row(a) for a in actions]

    def sorted_actions(self, actions: Sequence[Action]) -> list[Action]:
        """Board order: overdue first (most late first), blocked, due soon, open, done,
        dropped."""
        return tracking.board_order(actions, self.as_of, self.due_soon_days)

    def commitment_rows(self, commitments: Sequence[Commitment]) -> list[CommitmentRow]:
        rows = [self.commitment_row(c) for c in commitments]
        return sorted(rows, key=lambda r: (COMMITMENT_ORDER.index(r.state), r.due, r.id))

    def figures(self) -> list[Figure]:
        """The headline figures of the overview and the portfolio."""
        L, status = self.L, self.status
        at_risk = len(status.commitments_broken) + len(status.commitments_overdue)
        judged = [
            Figure(
                str(len(status.overdue)),
                L["site.fig.overdue"],
                Markup(self.page("actions") + "#overdue"),
                alert=bool(status.overdue),
            ),
            Figure(
                str(at_risk),
                L["site.fig.commitments_at_risk"],
                Markup(self.page("commitments")),
                alert=bool(at_risk),
            ),
        ] if self.alerts else []
        items = [
            Figure(
                L["site.of"].format(done=status.actions_done, total=status.actions_total),
                L["site.fig.actions_done"],
                Markup(self.page("actions")),
            ),
            Figure(
                L["site.of"].format(done=status.quick_wins_done, total=status.quick_wins_total),
                L["site.fig.quick_wins_done"],
                Markup(self.page("quick-wins")),
            ),
            *judged,
        ]
        if self.has_power_map:
            cov = self.analysis.coverage
            share = "—" if cov.share is None else i18n.percent(cov.share, self.language)
            items.append(
                Figure(
                    share,
                    L["site.fig.coverage"].format(covered=cov.covered, total=cov.total),
                    Markup(self.page("power-map")),
                    alert=cov.share is not None and cov.share < 1,
                )
            )
        kpis = len(self.plan.kpis)
        if kpis:
            items.append(
                Figure(
                    L["site.of"].format(done=kpis - len(status.kpis_off_track)
                                        - len(status.kpis_unknown), total=kpis),
                    L["site.fig.kpis_on_track"],
                    Markup(self.page("kpis")),
                    alert=bool(status.kpis_off_track),
                )
            )
        return items

    def menu(self, current: str) -> list[tuple[str, Markup, bool, Markup]]:
        """The plan's local menu: (label, target, is the current page, team-only badge)."""
        items = []
        for name, key in PAGES:
            if name == "power-map" and not self.has_power_map:
                continue
            if name == "engagement" and not self.has_engagement:
                continue
            if name == "changes" and not self.has_changes:
                continue
            if name == "review" and not self.has_review:
                continue
            items.append((self.L[key], Markup(self.page(name)), name == current,
                          self.page_badge(name)))
        return items

    def area_menu(self, current: str | None) -> list[tuple[str, Markup, bool]]:
        return [
            (a.name, Markup(area_page(self.id, a.id)), a.id == current) for a in self.plan.areas
        ]

    def intro_html(self) -> Markup | None:
        intro = self.customer_intro
        return md_to_safe_html(intro) if intro and intro.strip() else None

    def summary_html(self) -> Markup | None:
        summary = self.plan.plan.summary
        return md_to_safe_html(summary) if summary else None

    def findings(self, found: Sequence[Finding]) -> list[HealthRow]:
        """Rule findings (`cxplan.rules.Finding`) as rows of the plan-health panel."""
        rows = []
        for item in found:
            diagnostic = item.diagnostic
            severity = str(diagnostic.severity)
            target = None
            if item.page or item.anchor:
                target = Markup(plan_target(self.id, item.page, item.anchor))
            rows.append(
                HealthRow(
                    severity=severity,
                    severity_label=self.L.get(f"rules.severity.{severity}", severity),
                    code=diagnostic.code,
                    title=self.L.get(f"rule.{diagnostic.code}", item.rule.title),
                    # The rule's facts in the plan's language (validate prints the workspace's).
                    message=item.message_in(self.language),
                    hint=item.hint_in(self.language),
                    line=diagnostic.line,
                    target=target,
                )
            )
        return rows


def commitment_state_label(L: Mapping[str, str], state: str) -> str:
    return L["audience.commitment.measured" if state == "measured" else f"site.commitment.{state}"]


def team_only_badge(L: Mapping[str, str], item: str) -> Markup:
    """The visible "team only" mark: a lock and the words (never colour alone), with
    what it means as a tooltip; `item` ("actions:a1", "page:power-map") names what it
    marks, for readers and tests alike."""
    return Markup(
        ' <span class="cx-team-only" data-cx-team-only="{item}" title="{hint}">'
        '🔒 {text}</span>'
    ).format(item=item, hint=L["audience.team_only_hint"], text=L["audience.team_only"])


def signed(value: int | None) -> str:
    """+1, 0, −2 (a true minus sign), or a dash when unknown."""
    if value is None:
        return "—"
    return f"+{value}" if value > 0 else ("0" if value == 0 else f"−{-value}")


def meter(done: int, total: int, caption: str) -> Markup:
    """A small progress bar for table cells, drawn with CSS (an inline SVG would be
    heavier, and a table row must stay on one line). The figure itself is printed
    next to it by the template."""
    width = round(100 * done / total) if total else 0
    return Markup(
        '<span class="cx-meter" role="img" aria-label="{caption}">'
        '<span style="width: {width}%"></span></span>'
    ).format(caption=caption, width=width)


def with_unit(value: float | int | None, unit: str) -> str:
    if value is None:
        return "—"
    number = format_number(value)
    if not unit:
        return number
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}"


@dataclass
class PersonEntry:
    """One person across the portfolio: who they are and what they own where."""

    id: str
    name: str
    departments: list[str] = field(default_factory=list)
    email: str = ""
    plans: list[tuple[Link, str]] = field(default_factory=list)
    """(plan, involvement label) for every plan they are on."""
    owns_plans: list[Link] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)
    commitments: list[CommitmentRow] = field(default_factory=list)
    kpis: list[KpiRow] = field(default_factory=list)
    relationships: list[tuple[Link, Link, str]] = field(default_factory=list)
    """(plan, stakeholder, support label). The four row lists are filled for one
    person's page at a time (`person_rows`)."""
    open_actions: int = 0
    overdue: int = 0
    """Counted for everyone by `people_across` (the people index shows them)."""

    @property
    def page(self) -> Markup:
        return Markup(person_page(self.id))

    @property
    def plan_links(self) -> list[Link]:
        return [plan for plan, _involvement in self.plans]



def people_across(sites: Sequence[PlanSite], language: str) -> dict[str, PersonEntry]:
    """Everyone on any plan's team, by id, with their plans and counts (what the people
    index shows); names come from the first plan (by id). The rows of a person's page
    are `person_rows`."""
    L = labels(language)
    people: dict[str, PersonEntry] = {}
    for site in sorted(sites, key=lambda s: s.id):
        for member in site.plan.team:
            entry = people.setdefault(member.id, PersonEntry(member.id, member.name))
            if member.department not in entry.departments:
                entry.departments.append(member.department)
            if member.email and not entry.email:
                entry.email = member.email
            entry.plans.append((site.self_link(), L[f"site.involvement.{member.involvement}"]))
            if site.plan.plan.owner == member.id:
                entry.owns_plans.append(site.self_link())
        for action in site.plan.actions:
            state = site.action_state(action)
            entry = people[action.owner]
            entry.open_actions += state not in ("done", "dropped")
            entry.overdue += state == "overdue"
    return dict(sorted(people.items(), key=lambda item: (item[1].name.casefold(), item[0])))


_ACTION_ORDER = {"overdue": 0, "blocked": 1, "due-soon": 2, "open": 3, "done": 4, "dropped": 5}


def person_rows(entry: PersonEntry, sites: Sequence[PlanSite]) -> PersonEntry:
    """`entry` with the rows of the person's page (actions, commitments, KPIs,
    relationships) from `sites`, the plans they are on. One person at a time: the
    rows of everyone at once are every item of the portfolio, held together."""
    person = entry.id
    filled = dataclasses.replace(entry, actions=[], commitments=[], kpis=[], relationships=[])
    for site in sorted(sites, key=lambda s: s.id):
        filled.actions += [site.action_row(a) for a in site.sorted_actions(
            [a for a in site.plan.actions if a.owner == person])]
        filled.commitments += site.commitment_rows(
            [c for c in site.plan.commitments if c.owner == person])
        filled.kpis += [site.kpi_row(k) for k in site.plan.kpis if k.owner == person]
        if site.has_power_map:
            for stakeholder in site.plan.stakeholders:
                if stakeholder.owner == person:
                    target = site.stakeholder(stakeholder.id)
                    assert target is not None
                    filled.relationships.append(
                        (site.self_link(), target, site.L[f"site.support.{stakeholder.support}"]))
    filled.actions.sort(key=lambda r: (_ACTION_ORDER[r.state], r.due, r.plan.text, r.id))
    return filled


_Row = TypeVar("_Row")


def by_group(rows: Sequence[_Row], key: Callable[[_Row], str],
             order: Sequence[str]) -> list[tuple[str, list[_Row]]]:
    """Rows grouped by `key`, groups in `order`, empty groups left out."""
    groups: dict[str, list[_Row]] = {name: [] for name in order}
    for row in rows:
        groups[key(row)].append(row)
    return [(name, items) for name, items in groups.items() if items]


def values_at(plan: Plan, area_id: str) -> list[tuple[str, str, list[str]]]:
    """(moment id, moment name, values) for every moment where `area_id` values something."""
    return [
        (m.id, m.name, as_list(m.values.get(area_id)))
        for m in plan.moments
        if as_list(m.values.get(area_id))
    ]
