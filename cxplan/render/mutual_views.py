"""View models of the mutual plan page and of the power map's people who moved.

The mutual plan page (`plans/<id>/mutual.md`, both editions) puts the steps the
customer owns ("what we need from you") beside the actions we own ("what we do").
A customer step's owner is named by name and job title, found in the power map on
the team site and in the plan's `contacts` on the customer site (the customer view
holds nothing else of the person: `cxplan.model.audience`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from cxplan import i18n
from cxplan.analyse import moves, mutual, renewal
from cxplan.model.plan import CustomerStep
from cxplan.render.site_views import PLAIN_ACTION_STATE, STATE_MARK, Link, PlanSite
from cxplan.render.text import md_to_safe_html
from cxplan.render.urls import item_anchor, item_target

MUTUAL_PAGE = "mutual"


@dataclass(frozen=True)
class StepRow:
    id: str
    title: str
    anchor: Markup
    target: Markup
    contact: str
    contact_title: str
    follow_up: Link
    due: dt.date
    state: str
    mark: str
    state_label: str
    late_label: str
    done_on: dt.date | None
    waits: list[Link]
    notes: Markup | None
    notes_anchor: Markup


def contact_name(site: PlanSite, person_id: str) -> tuple[str, str]:
    """(name, job title) of a customer contact, from the power map or `contacts`."""
    person = site.stakeholders.get(person_id)
    if person is not None:
        return person.name, person.title or ""
    for contact in site.plan.contacts:
        if contact.id == person_id:
            return contact.name, contact.title or ""
    return person_id, ""


def step_row(site: PlanSite, step: CustomerStep) -> StepRow:
    L = site.L
    state: str = mutual.step_state(step, site.as_of, site.due_soon_days)
    late = ""
    if not site.alerts:
        # A `plain` customer edition: the step's due date, no "late (customer)" verdict.
        state = PLAIN_ACTION_STATE.get(state, state)
    elif state == "overdue":
        late = i18n.text(site.language, "mutual.late_by", days=mutual.days_late(step, site.as_of))
    elif state == "done" and mutual.days_late(step, site.as_of) > 0:
        late = L["site.done_late"].format(days=mutual.days_late(step, site.as_of))
    name, title = contact_name(site, step.owner)
    waits = site.links(site.commitment_link, step.commitments) + [
        site.action_link(site.actions[a]) for a in step.actions if a in site.actions
    ]
    return StepRow(
        id=step.id,
        title=step.title,
        anchor=Markup(item_anchor("customer_steps", step.id)),
        target=Markup(item_target(site.id, "customer_steps", step.id)),
        contact=name,
        contact_title=title,
        follow_up=site.person(step.follow_up),
        due=step.due,
        state=state,
        mark=STATE_MARK[state],
        state_label=L[f"mutual.state.{state}"],
        late_label=late,
        done_on=step.done_on,
        waits=waits,
        notes=md_to_safe_html(step.notes) if step.notes else None,
        notes_anchor=Markup(f"step-notes-{step.id}"),
    )


def step_rows(site: PlanSite, steps: Sequence[CustomerStep]) -> list[StepRow]:
    return [step_row(site, s) for s in mutual.board_order(list(steps), site.as_of)]


def late_step_rows(site: PlanSite) -> list[StepRow]:
    """The customer's late steps, most late first (the overview's "waiting on" list)."""
    return [step_row(site, late.step) for late in mutual.late_steps(site.plan, site.as_of)]


def mutual_view(site: PlanSite) -> dict[str, object]:
    """The mutual plan page: their steps, then our open and finished actions."""
    plan = site.plan
    ours = site.action_rows(site.sorted_actions(list(plan.actions)))
    theirs = step_rows(site, plan.customer_steps)
    return {
        "theirs": theirs,
        "ours": [r for r in ours if r.state not in ("done", "dropped")],
        "ours_done": [r for r in ours if r.state == "done"],
        "step_notes": [r for r in theirs if r.notes],
        "late": [r for r in theirs if r.state == "overdue"],
        "late_count": i18n.text(site.language, "mutual.late_count",
                                n=sum(1 for r in theirs if r.state == "overdue")),
        "ours_late": [r for r in ours if r.state == "overdue"],
    }


# --- the power map: who moved ---------------------------------------------------------


@dataclass(frozen=True)
class GoneRow:
    id: str
    name: str
    anchor: Markup
    why_label: str
    on: dt.date
    now: str
    roles: str
    elsewhere: list[Link]


@dataclass(frozen=True)
class TouchRow:
    stakeholder: Link
    on: dt.date
    by: Link
    channel_label: str
    note: str


def _other_plan_link(plan_id: str, stakeholder_id: str, name: str) -> Link:
    return Link(name, Markup(item_target(plan_id, "stakeholders", stakeholder_id)))


def moves_view(site: PlanSite, portfolio_moves: Sequence[moves.Move]) -> dict[str, object]:
    """The power map's gaps, the people who left, who moved in from elsewhere, and the
    contact log (all team-only: the page exists on the team site only)."""
    L = site.L
    plan = site.plan
    left_here, came_here = moves.moves_of(site.id, portfolio_moves)
    gone = []
    for person in plan.stakeholders:
        if person.gone is None:
            continue
        roles = [L[f"site.support.{person.support}"]] + (
            [L[f"site.role.{person.role}"]] if person.role else [])
        gone.append(GoneRow(
            id=person.id,
            name=person.name,
            anchor=Markup(f"gone-{person.id}"),
            why_label=L[f"moves.why.{person.gone.why}"],
            on=person.gone.on,
            now=person.gone.now or "",
            roles=", ".join(roles),
            elsewhere=[_other_plan_link(m.to_plan, m.to_id, m.to_plan)
                       for m in left_here if m.from_id == person.id],
        ))
    arrivals = [
        (site.stakeholder(m.to_id), _other_plan_link(m.from_plan, m.from_id, m.from_plan))
        for m in came_here
    ]
    log = [
        TouchRow(
            stakeholder=site.stakeholder(person.id) or Link(person.name, Markup("")),
            on=touch.on,
            by=site.person(touch.by),
            channel_label=L[f"moves.channel.{touch.channel}"],
            note=touch.note or "",
        )
        for person in plan.stakeholders
        for touch in person.contact_log
    ]
    keys = [
        (site.stakeholder(p.id), p.email or "", p.person or "")
        for p in plan.stakeholders if p.email or p.person
    ]
    return {
        "gaps": [(L[f"moves.gap.{gap.role}"], site.links(site.stakeholder, gap.left))
                 for gap in moves.gaps(plan)],
        "gone": gone,
        "arrivals": arrivals,
        "log": sorted(log, key=lambda t: (t.on, t.stakeholder.text), reverse=True),
        "identities": keys,
    }


# --- the portfolio: renewals by quarter -------------------------------------------------


@dataclass(frozen=True)
class RenewalRow:
    plan: Link
    renewal: dt.date
    days_left: int
    window: int | None
    risks: list[str]


def renewals_by_quarter(
    sites: Sequence[PlanSite], as_of: dt.date, language: str
) -> list[tuple[str, list[RenewalRow]]]:
    """Renewals still to come, by calendar quarter (`2027-Q2`), soonest first, each with
    what puts it at risk (team site only: the risks read the power map)."""
    rows: dict[str, list[RenewalRow]] = {}
    for site in sites:
        day = site.plan.plan.renewal
        left = renewal.days_left(site.plan, as_of)
        if day is None or left is None or left < 0:
            continue
        found = renewal.risks(site.plan, as_of, site.stale_days)
        rows.setdefault(renewal.quarter(day), []).append(RenewalRow(
            plan=site.self_link(),
            renewal=day,
            days_left=left,
            window=renewal.window(site.plan, as_of),
            risks=[i18n.text(language, f"renewal.risk.{r.kind}") for r in found],
        ))
    return [(quarter, sorted(rows[quarter], key=lambda r: (r.renewal, r.plan.text)))
            for quarter in sorted(rows)]
