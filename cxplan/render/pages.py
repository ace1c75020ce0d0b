"""The published site as a plain function: plans in, `{path: Markdown or file}` out.

`render_site` knows nothing about MkDocs: the plugin adds what it returns to the
build, and `cxplan render --out DIR` writes the same pages to disk for other
generators. Each page is one Jinja2 template of `site_templates/` (a workspace's own
folder overrides any of them by name) filled with view models from
`cxplan.render.site_views`; the templates only format.

Paths (other parts of cxplan link to them): the portfolio `plans/index.md`, per plan
`plans/<id>/index.md` and its sub-pages (`journey.md`, `values.md`,
`areas/<area>.md`, `power-map.md`, `commitments.md`, `actions.md`, `quick-wins.md`,
`team.md`, `kpis.md`, `engagement.md`, `changes.md`), people `people/<id>.md`, and the
downloads `plans/<id>/<id>.ics`, `plans/<id>/<id>.csv`, `people/<id>.ics`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from cxplan import defaults
from cxplan.analyse import moves, tracking
from cxplan.analyse.review import SiteReview
from cxplan.i18n import labels
from cxplan.model.audience import DEFAULT_CUSTOMER_STATUS, for_audience, kept_left_out, shows_alerts
from cxplan.model.build import PlanFile
from cxplan.model.plan import CustomerStatus
from cxplan.render import charts, exports
from cxplan.render.changes_views import changes_view
from cxplan.render.mutual_views import (
    late_step_rows,
    moves_view,
    mutual_view,
    renewals_by_quarter,
)
from cxplan.render.review_views import REVIEW_PAGE, review_view
from cxplan.render.saydo_views import people_saydo, portfolio_saydo, saydo_panel
from cxplan.render.site_env import make_environment
from cxplan.render.site_views import (
    COMMITMENT_ORDER,
    INVOLVEMENTS,
    NINE_CS,
    PEOPLE,
    PORTFOLIO,
    PORTFOLIO_QUICK_WINS,
    STATE_MARK,
    STATUS_ORDER,
    PersonEntry,
    PlanSite,
    PortfolioRow,
    area_page,
    as_list,
    by_group,
    commitment_state_label,
    meter,
    people_across,
    person_calendar,
    person_page,
    person_rows,
    plan_downloads,
    team_only_badge,
    values_at,
)
from cxplan.render.text import inert_svg
from cxplan.render.urls import CSS_PATH, HOME

SiteFiles = dict[str, str | bytes]
Made = Callable[[], str | bytes]
"""A page or file made when it is written, not held from the start (a person's page)."""
LazySiteFiles = dict[str, str | bytes | Made]


def render_site(
    plan_files: Sequence[PlanFile],
    *,
    language_default: str | None,
    as_of: dt.date,
    audience: str = "team",
    templates_dir: Path | None = None,
    history: Mapping[str, Any] | None = None,
    findings: Mapping[str, Sequence[Any]] | None = None,
    due_soon_days: int = tracking.DEFAULT_DUE_SOON_DAYS,
    stale_days: int = defaults.STALE_DAYS,
    home: bool = False,
    customer_status: CustomerStatus = DEFAULT_CUSTOMER_STATUS,
    customer_site_url: str | None = None,
    reviews: Mapping[str, SiteReview] | None = None,
    customer_intro: str | None = None,
) -> SiteFiles:
    """Every generated page and download of the site, as one site.

    `plan_files` are the full plans; for `audience="customer"` each is replaced by its
    customer view here, so no caller can forget to. `findings` (plan id -> rule
    findings, `cxplan.rules.Finding`) fills the plan-health panel and `history` (plan
    id -> `cxplan.analyse.history.PlanHistory`) the changes page and the slipped-dates
    panel; both are team-only. `home` adds a copy of the portfolio as the site's home
    page `index.md` (for docs without one). `customer_status` is the workspace's choice
    of what a customer edition shows of status (`audience.shows_alerts`).
    `customer_site_url` is where the customer editions are published, for the team
    site's "as the customer sees it" links. `customer_intro` is the workspace's
    introduction (Markdown) for plans without their own. The result's keys are sorted.

    The same pages as `render_plan` for each plan and `render_portfolio` together.
    """
    options = RenderOptions(
        language_default=language_default, as_of=as_of, audience=audience,
        templates_dir=templates_dir, due_soon_days=due_soon_days, stale_days=stale_days,
        # People who left one plan and appear in another: the team's power maps say so.
        moves=tuple(moves.moved(plan_files)) if audience == "team" else (),
        customer_status=customer_status, customer_site_url=customer_site_url,
        customer_intro=customer_intro,
    )
    out: SiteFiles = {}
    for plan_file in sorted(plan_files, key=lambda p: p.id):
        out.update(render_plan(
            plan_file, options,
            history=(history or {}).get(plan_file.id),
            findings=(findings or {}).get(plan_file.id),
            review=(reviews or {}).get(plan_file.id),
        ))
    out.update(render_portfolio(plan_files, options, home=home, history=history))
    return dict(sorted(out.items()))


@dataclass(frozen=True)
class RenderOptions:
    """What every page of a build shares besides the plans."""

    language_default: str | None
    as_of: dt.date
    audience: str = "team"
    templates_dir: Path | None = None
    due_soon_days: int = tracking.DEFAULT_DUE_SOON_DAYS
    stale_days: int = defaults.STALE_DAYS
    split_sites: bool = False
    """Each account is its own MkDocs site: links between sites are `cxsite:` links
    (`cxplan.render.urls`) the plugin resolves."""
    people_pages: bool = True
    """False for an account's site on its own (a customer edition): no people pages."""
    moves: tuple[moves.Move, ...] = ()
    """People gone from one plan and seen in another (team only), for the power maps."""
    customer_status: CustomerStatus = DEFAULT_CUSTOMER_STATUS
    """What a customer edition shows of status (`audience.shows_alerts`)."""
    customer_site_url: str | None = None
    """Where the customer editions are published (the team site links to them)."""
    customer_intro: str | None = None
    """The workspace's introduction (Markdown) of the plans without `plan.customer_intro`."""

    @property
    def language(self) -> str:
        return self.language_default or "en"


def _plan_site(plan_file: PlanFile, options: RenderOptions) -> PlanSite:
    visible = for_audience(plan_file, options.audience)
    team_only = options.audience == "team"
    return PlanSite(
        visible,
        language=visible.plan.plan.language or options.language,
        as_of=options.as_of,
        audience=options.audience,
        due_soon_days=options.due_soon_days,
        stale_days=options.stale_days,
        people_pages=options.people_pages,
        alerts=shows_alerts(plan_file.plan, options.audience, options.customer_status),
        left_out=(lambda: kept_left_out(plan_file)) if team_only else None,
        customer_site_url=options.customer_site_url if team_only else None,
        # The plan's own wins; an empty one means none for this plan.
        customer_intro=options.customer_intro if visible.plan.plan.customer_intro is None
        else visible.plan.plan.customer_intro,
    )


def render_plan(
    plan_file: PlanFile,
    options: RenderOptions,
    *,
    history: Any = None,
    findings: Sequence[Any] | None = None,
    review: SiteReview | None = None,
) -> SiteFiles:
    """One plan's pages and downloads (paths under `plans/<id>/`), sorted.

    `plan_file` is the full plan (its audience's view is taken here); `findings` and
    `history` are used on the team site only; `review` (the team's
    `cxplan.analyse.review.SiteReview`) makes the review page of either edition."""
    env = make_environment(options.templates_dir)
    site = _plan_site(plan_file, options)
    team_only = options.audience == "team"
    changes = history if team_only else None
    site.has_changes = changes is not None
    found = findings if team_only else None
    # Say-do reads the history; a plan without one (outside git) has no panel on the site.
    said = saydo_panel(site, changes) if changes is not None else None
    reviewed = review_view(site, review) if review is not None else None
    site.has_review = reviewed is not None
    site.customer_has_review = review is not None and review.pack is not None
    site.review_summary = str(reviewed["summary"]) if reviewed is not None else ""
    out = _plan_pages(env, site, found, changes, split_sites=options.split_sites,
                      portfolio_moves=options.moves, said=said, reviewed=reviewed)
    return dict(sorted(out.items()))


def render_portfolio(
    plan_files: Sequence[PlanFile], options: RenderOptions, *, home: bool = False,
    history: Mapping[str, Any] | None = None, skip_people: Collection[str] = (),
) -> SiteFiles:
    """The pages across plans (portfolio, quick-win board, people) and the stylesheet.

    The page and calendar of each person in `skip_people` are left out (a rebuild
    reuses them from the previous site: see `cxplan.publish.accounts`)."""
    made = portfolio_pages(plan_files, options, home=home, history=history,
                           skip_people=skip_people)
    return {path: content() if callable(content) else content
            for path, content in made.items()}


def portfolio_pages(
    plan_files: Sequence[PlanFile], options: RenderOptions, *, home: bool = False,
    history: Mapping[str, Any] | None = None, skip_people: Collection[str] = (),
) -> LazySiteFiles:
    """`render_portfolio`, each person's page and calendar made when it is asked for.

    Together the people's pages list every item of the portfolio once per person on
    it: made up front, they are the largest part of a large portfolio held at once."""
    env = make_environment(options.templates_dir)
    ordered = sorted(plan_files, key=lambda p: p.id)
    sites = [_plan_site(p, options) for p in ordered]
    visible = [s.file for s in sites]
    team = options.audience == "team"
    out, people_pages = _portfolio_pages(
        env, sites, visible, options.language, options.as_of, options.audience, home,
        split_sites=options.split_sites, skip_people=frozenset(skip_people),
        saydo_line=portfolio_saydo(sites, history if team else None, options.as_of,
                                   options.language),
        saydo_people=people_saydo(sites, history if team else None, options.as_of,
                                  options.language))
    pages: LazySiteFiles = {**out, **people_pages, CSS_PATH: stylesheet(options.templates_dir)}
    return dict(sorted(pages.items()))


def stylesheet(templates_dir: Path | None) -> str:
    """The site's stylesheet: a file, not a template, read as it is."""
    env = make_environment(templates_dir)
    assert env.loader is not None
    return env.loader.get_source(env, "cxplan.css")[0]


def _render(env: jinja2.Environment, template: str, path: str, **context: Any) -> str:
    text = env.get_template(template).render(page_path=path, **context)
    return text.rstrip() + "\n"


# --- one plan ------------------------------------------------------------------------


def _plan_pages(
    env: jinja2.Environment, site: PlanSite, found: Sequence[Any] | None, changes: Any,
    *, split_sites: bool,
    portfolio_moves: Sequence[moves.Move] = (),
    said: Mapping[str, Any] | None = None,
    reviewed: Mapping[str, Any] | None = None,
) -> SiteFiles:
    L = site.L
    plan = site.plan
    base = {"L": L, "site": site, "as_of": site.as_of, "split_sites": split_sites}
    out: SiteFiles = {}

    def page(name: str, template: str, **context: Any) -> None:
        path = site.page(name)
        out[path] = _render(env, template, path, current=name, **base, **context)

    status = site.status
    overdue_rows = site.action_rows([late.action for late in status.overdue])
    blocked = [a for a in status.blocked if not tracking.is_overdue(a, site.as_of)]
    ics, csv = plan_downloads(site.id)
    at_risk = [site.commitment_row(c) for c in status.commitments_broken] + [
        site.commitment_row(late.commitment) for late in status.commitments_overdue
    ]
    page(
        "index", "plan-overview.md.j2",
        title=site.title,
        owner=site.person(plan.plan.owner),
        start=plan.plan.start, end=plan.plan.end, tags=site.tags(),
        show_attention=site.alerts,
        figures=site.figures(),
        quick_win_bar=_svg(charts.progress_bar_svg(
            status.quick_wins_done, status.quick_wins_total, site.language)),
        summary=site.summary_html(),
        overdue=overdue_rows,
        waiting=late_step_rows(site),
        blocked=site.action_rows(blocked),
        due_soon=site.action_rows(status.due_soon),
        at_risk=at_risk,
        findings=site.findings(found) if found is not None else None,
        show_findings=found is not None,
        counts=_counts(site),
        areas=[site.area(a.id) for a in plan.areas],
        ics=Markup(ics), csv=Markup(csv),
        slips=changes_view(site, changes).slips if changes is not None else [],
        saydo=said,
    )

    moments = []
    for number, moment in enumerate(plan.moments, start=1):
        moments.append({
            "number": number,
            "id": Markup(moment.id),
            "name": moment.name,
            "phase": moment.phase,
            "description": moment.description or "",
            "area_values": [
                (site.area(area_id), as_list(value)) for area_id, value in moment.values.items()
                if area_id in site.areas
            ],
            "commitments": site.commitment_rows(
                [c for c in plan.commitments if c.moment == moment.id]),
            "actions": site.action_rows(
                site.sorted_actions([a for a in plan.actions if moment.id in a.moments])),
        })
    page("journey", "plan-journey.md.j2", title=L["site.page.journey"],
         phases=by_group(moments, lambda m: m["phase"], ("purchase", "consumption")))

    matrix = [
        {
            "moment": site.moment(m.id),
            "phase": L[f"site.phase.{m.phase}"],
            "cells": [as_list(m.values.get(a.id)) for a in plan.areas],
        }
        for m in plan.moments
    ]
    page("values", "plan-values.md.j2", title=L["site.page.values"],
         areas=[site.area(a.id) for a in plan.areas], matrix=matrix)

    for area in plan.areas:
        path = area_page(site.id, area.id)
        people = [s for s in plan.stakeholders if s.area == area.id]
        if area.head and area.head in site.stakeholders and all(p.id != area.head for p in people):
            people.insert(0, site.stakeholders[area.head])
        to_area = [
            c for c in plan.commitments
            if c.to == area.id or (c.to in site.stakeholders
                                   and site.stakeholders[c.to].area == area.id)
        ]
        out[path] = _render(
            env, "plan-area.md.j2", path, current=f"areas/{area.id}", **base,
            title=area.name,
            area=area,
            area_id=area.id,
            head=site.stakeholder(area.head),
            stakeholders=[site.stakeholder_row(s) for s in people] if site.has_power_map else [],
            values=[(site.moment(mid), items) for mid, _name, items in values_at(plan, area.id)],
            commitments=site.commitment_rows(to_area),
            actions=site.action_rows(
                site.sorted_actions([a for a in plan.actions if area.id in a.areas])),
            kpis=[site.kpi_row(k) for k in plan.kpis if k.area == area.id],
        )

    if site.has_power_map:
        # Imported here: the drawing is the team's alone, and a customer edition's
        # build need not load it (16 ms of a one-plan build).
        from cxplan.render import powermap_svg

        analysis = site.analysis
        stakeholders = sorted(plan.stakeholders, key=lambda s: (-s.influence, s.name, s.id))
        page(
            "power-map", "plan-power-map.md.j2",
            title=L["site.page.power_map"],
            analysis=_power_map_findings(site),
            coverage=analysis.coverage,
            map_svg=_svg(powermap_svg.map_svg(plan, site.language, as_of=site.as_of))
            if plan.stakeholders else None,
            grid_svg=_svg(powermap_svg.grid_svg(plan, site.language))
            if plan.stakeholders else None,
            stakeholders=[site.stakeholder_row(s) for s in stakeholders],
            moved=moves_view(site, portfolio_moves),
        )

    commitment_rows = site.commitment_rows(plan.commitments)
    page("commitments", "plan-commitments.md.j2", title=L["site.page.commitments"],
         commitments=commitment_rows,
         counts=[(STATE_MARK[state], commitment_state_label(L, state), len(rows))
                 for state, rows in by_group(commitment_rows, lambda r: r.state,
                                             COMMITMENT_ORDER)])

    horizons = []
    for horizon in ("quick-win", "medium-term"):
        actions = [a for a in plan.actions if a.horizon == horizon]
        groups = by_group(
            site.action_rows(site.sorted_actions(actions)),
            lambda r: site.actions[r.id].status, STATUS_ORDER,
        )
        horizons.append((horizon, L[f"site.horizon.{horizon}.plural"], groups))
    page("actions", "plan-actions.md.j2", title=L["site.page.actions"],
         overdue=overdue_rows, horizons=horizons,
         notes=[r for r in site.action_rows(plan.actions) if r.notes])

    page("mutual", "plan-mutual.md.j2", title=L["mutual.page"], **mutual_view(site))

    quick = site.action_rows(status.quick_wins)
    page(
        "quick-wins", "plan-quick-wins.md.j2", title=L["site.page.quick_wins"],
        done=status.quick_wins_done, total=status.quick_wins_total,
        bar=_svg(charts.progress_bar_svg(
            status.quick_wins_done, status.quick_wins_total, site.language)),
        burnup=_svg(charts.burnup_svg(plan, site.language, site.as_of)),
        columns=by_group(quick, _board_column, ("overdue", "open", "done", "dropped")),
        window_end=plan.plan.start + dt.timedelta(days=plan.plan.quick_win_days),
    )

    page("team", "plan-team.md.j2", title=L["site.page.team"],
         groups=_team_groups(site))

    page("kpis", "plan-kpis.md.j2", title=L["site.page.kpis"],
         kpis=[site.kpi_row(k, _svg(charts.kpi_svg(k, site.language, period=plan.plan)))
               for k in plan.kpis])

    if site.has_engagement:
        engagement = plan.engagement
        grid = [
            (L[f"site.nine.{group}"], [
                (L[f"site.nine.{c}"], as_list(getattr(engagement, c) if engagement else None))
                for c in cs
            ])
            for group, cs in NINE_CS
        ]
        page("engagement", "plan-engagement.md.j2", title=L["site.page.engagement"],
             grid=grid, empty=engagement is None)

    if changes is not None:
        page("changes", "plan-changes.md.j2", title=L["site.page.changes"],
             **changes_view(site, changes).context())

    if reviewed is not None:
        page(REVIEW_PAGE, "plan-review.md.j2", title=L["review.page"],
             note=reviewed["note"], body=reviewed["body"])

    out[ics] = exports.actions_ics([site.file], what="all", language=site.language)
    out[csv] = exports.csv_bytes(exports.items_csv(
        [site.file], what="all", as_of=site.as_of, judged=site.alerts))
    return out


def _svg(svg: str) -> Markup:
    return inert_svg(svg)


def _board_column(row: Any) -> str:
    return {"overdue": "overdue", "done": "done", "dropped": "dropped"}.get(row.state, "open")


def _counts(site: PlanSite) -> dict[str, int]:
    plan = site.plan
    return {
        "moments": len(plan.moments),
        "purchase": sum(1 for m in plan.moments if m.phase == "purchase"),
        "consumption": sum(1 for m in plan.moments if m.phase == "consumption"),
        "areas": len(plan.areas),
        "stakeholders": len(plan.stakeholders),
        "commitments": len(plan.commitments),
        "actions": len(plan.actions),
        "kpis": len(plan.kpis),
        "team": len(plan.team),
    }


def _team_groups(site: PlanSite) -> list[tuple[str, list[dict[str, Any]]]]:
    plan = site.plan
    groups = []
    for level in INVOLVEMENTS:
        members = []
        for member in plan.team:
            if member.involvement != level:
                continue
            mine = [a for a in plan.actions if a.owner == member.id]
            open_rows = site.action_rows(
                site.sorted_actions([a for a in mine if tracking.is_open(a)]))
            members.append({
                "person": site.person(member.id),
                "department": member.department,
                "owns_plan": plan.plan.owner == member.id,
                "open": open_rows,
                "done": sum(1 for a in mine if a.status == "done"),
                "total": len(mine),
                "overdue": sum(1 for r in open_rows if r.state == "overdue"),
                "relationships": [
                    site.stakeholder(s.id) for s in plan.stakeholders if s.owner == member.id
                ] if site.has_power_map else [],
                "commitments": [site.commitment_link(c.id) for c in plan.commitments
                                if c.owner == member.id],
                "kpis": [site.kpi_link(k) for k in plan.kpis if k.owner == member.id],
            })
        if members:
            groups.append((site.L[f"site.involvement.{level}.plural"], members))
    return groups


def _power_map_findings(site: PlanSite) -> list[dict[str, Any]]:
    """The power map analysis as short statements, each with the people it names."""
    L, analysis = site.L, site.analysis
    plan = site.plan
    if not plan.stakeholders:
        return []
    found: list[dict[str, Any]] = []

    def say(key: str, people: Sequence[str] = (), alert: bool = False, path: bool = False,
            **values: Any) -> None:
        found.append({
            "text": L[key].format(**values),
            "people": [site.stakeholder(p) for p in people if site.stakeholder(p)],
            "separator": Markup(" → " if path else ", "),
            "alert": alert,
        })

    buyers = analysis.economic_buyers
    if len(buyers) == 1:
        say("site.pm.economic_buyer", buyers)
    elif not buyers:
        say("site.pm.no_economic_buyer", alert=True)
    else:
        say("site.pm.several_economic_buyers", buyers, alert=True)
    cov = analysis.coverage
    say("site.pm.coverage", analysis.coverage.uncovered, alert=bool(cov.uncovered),
        covered=cov.covered, total=cov.total, high_covered=cov.high_covered,
        high_total=cov.high_total)
    single = analysis.single_threaded
    if single.is_single:
        owner = site.team.get(single.owners[0])
        say("site.pm.single_threaded", alert=True,
            owner=owner.name if owner else single.owners[0])
    for risk in analysis.risks:
        reasons = ", ".join(L[f"site.pm.reason.{r}"] for r in risk.reasons)
        say("site.pm.risk", [risk.stakeholder], alert=True,
            support=L[f"site.support.{risk.support}"], influence=risk.influence, reasons=reasons)
    for dm, path in analysis.champion_paths.items():
        name = site.stakeholders[dm].name
        if path is None:
            say("site.pm.no_path", [dm], alert=True)
        elif len(path) > 1:
            say("site.pm.path", path, path=True, name=name)
    for area_id in analysis.areas_without_stakeholders:
        say("site.pm.area_without_people", alert=True, area=site.areas[area_id].name)
    for stale in analysis.stale:
        say("site.pm.stale", [stale.stakeholder], alert=True, days=stale.days_since,
            date=stale.last_contact.isoformat())
    if analysis.never_contacted:
        say("site.pm.never_contacted", analysis.never_contacted)
    return found


# --- across plans ----------------------------------------------------------------------


def _portfolio_pages(
    env: jinja2.Environment,
    sites: Sequence[PlanSite],
    visible: Sequence[PlanFile],
    language: str,
    as_of: dt.date,
    audience: str,
    home: bool,
    *,
    split_sites: bool,
    saydo_line: str = "",
    skip_people: frozenset[str] = frozenset(),
    saydo_people: Mapping[str, str] | None = None,
) -> tuple[SiteFiles, dict[str, Made]]:
    """The portfolio's pages, and the people's pages and calendars to be made."""
    L = labels(language)
    base = {
        "L": L, "as_of": as_of, "team_only": audience == "team", "split_sites": split_sites,
        # Cross-plan overdue and at-risk counts only when every plan shows them.
        "alerts": all(s.alerts for s in sites),
        "relationships_badge": team_only_badge(L, "section:relationships")
        if audience == "team" else Markup(""),
    }
    out: SiteFiles = {}
    people_pages: dict[str, Made] = {}
    rows = []
    for site in sorted(sites, key=lambda s: (s.customer.casefold(), s.id)):
        status = site.status
        coverage = site.coverage.share if site.has_power_map else None
        quick_wins = L["site.of"].format(
            done=status.quick_wins_done, total=status.quick_wins_total)
        rows.append(PortfolioRow(
            plan=site.self_link(),
            title=site.title,
            owner=site.person(site.plan.plan.owner),
            end=site.plan.plan.end,
            actions=L["site.of"].format(done=status.actions_done, total=status.actions_total),
            quick_wins=quick_wins,
            bar=meter(status.quick_wins_done, status.quick_wins_total, quick_wins),
            overdue=len(status.overdue),
            at_risk=len(status.commitments_broken) + len(status.commitments_overdue),
            coverage=coverage,
            kpis_off=len(status.kpis_off_track),
        ))
    totals = {
        "plans": len(sites),
        "overdue": sum(r.overdue for r in rows),
        "at_risk": sum(r.at_risk for r in rows),
        "quick_wins": L["site.of"].format(
            done=sum(s.status.quick_wins_done for s in sites),
            total=sum(s.status.quick_wins_total for s in sites)),
        "actions": L["site.of"].format(
            done=sum(s.status.actions_done for s in sites),
            total=sum(s.status.actions_total for s in sites)),
    }
    for path in [PORTFOLIO, HOME] if home else [PORTFOLIO]:
        # The home copy is left out of search: the portfolio itself is found already.
        out[path] = _render(env, "portfolio.md.j2", path, **base, title=L["site.portfolio"],
                            rows=rows, totals=totals, language=language,
                            search_exclude=path == HOME, saydo_line=saydo_line,
                            renewals=renewals_by_quarter(sites, as_of, language)
                            if audience == "team" else [])

    board = tracking.quick_win_board(visible, as_of)
    by_id = {s.id: s for s in sites}
    board_rows = [by_id[e.plan_id].action_row(e.action) for e in board]
    plan_bars = sorted(rows, key=lambda r: -r.overdue)
    out[PORTFOLIO_QUICK_WINS] = _render(
        env, "portfolio-quick-wins.md.j2", PORTFOLIO_QUICK_WINS, **base,
        title=L["site.portfolio_quick_wins"], plans=plan_bars,
        columns=by_group(board_rows, _board_column, ("overdue", "open", "done", "dropped")),
    )

    people = people_across(sites, language)
    out[PEOPLE] = _render(env, "people.md.j2", PEOPLE, **base, title=L["site.people"],
                          people=list(people.values()))
    # Only the plans the person is on, found once: a scan of every plan per person
    # would make the portfolio's cost grow with people times plans.
    sites_of: dict[str, list[PlanSite]] = {}
    for site in sites:
        for person_id in site.team:
            sites_of.setdefault(person_id, []).append(site)
    for person_id, entry in people.items():
        if person_id in skip_people:
            continue
        theirs = sites_of[person_id]
        path = person_page(person_id)
        people_pages[path] = partial(
            _person_page, env, base, entry, theirs, path,
            saydo=(saydo_people or {}).get(person_id, ""))
        people_pages[person_calendar(person_id)] = partial(
            exports.actions_ics, [s.file for s in theirs], person=person_id, what="all",
            language=language)
    return out, people_pages


def _person_page(env: jinja2.Environment, base: Mapping[str, Any], entry: PersonEntry,
                 theirs: Sequence[PlanSite], path: str, *, saydo: str) -> str:
    page = _render(env, "person.md.j2", path, **base, title=entry.name,
                   person=person_rows(entry, theirs),
                   calendar=Markup(person_calendar(entry.id)), saydo=saydo)
    # A person's rows are wanted by their page alone, and every plan of theirs
    # shares its people: holding the rows until the end holds the whole portfolio.
    for site in theirs:
        site.forget_rows()
    return page
