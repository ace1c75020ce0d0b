"""What the MkDocs plugin and `cxplan render` share: the inputs of a site and its pages.

Both publish the same pages from the same settings; the plugin hands them to MkDocs in
memory, `cxplan render` writes them to a folder.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cxplan.analyse.history import GitError, PlanHistory, plan_histories
from cxplan.analyse.moves import Move
from cxplan.analyse.review import (
    Since,
    SiteReview,
    last_review_tag,
    plans_before,
    site_review,
)
from cxplan.config import WorkspaceConfig, read_customer_intro
from cxplan.i18n import labels, languages
from cxplan.model.build import PlanFile
from cxplan.render.pages import RenderOptions, SiteFiles, render_plan, render_site, stylesheet
from cxplan.render.site_views import PEOPLE, PORTFOLIO, plan_page
from cxplan.render.text import page_title
from cxplan.render.urls import CSS_PATH, plan_root
from cxplan.rules import Finding
from cxplan.rules.run import portfolio_findings


@dataclass(frozen=True)
class SiteInputs:
    """Everything a site depends on besides the plans."""

    root: Path
    """The workspace: the folder of mkdocs.yml."""
    plans_dir: Path
    templates_dir: Path
    language: str
    """Labels of pages that belong to no plan (and of plans that set no language)."""
    as_of: dt.date
    audience: str
    settings: WorkspaceConfig
    customer_intro: str | None = None
    """The text of the workspace's `customer_intro` file (Markdown), when it names one:
    the introduction of every plan without its own `plan.customer_intro`."""


def site_inputs(
    root: Path,
    settings: WorkspaceConfig,
    *,
    theme_language: object,
    as_of: dt.date,
    audience: str | None = None,
) -> SiteInputs:
    """The inputs from the plugin's settings: the language is the `language` option,
    else the theme's language when cxplan has labels for it, else English.

    Raises `cxplan.config.IntroUnreadable` when the `customer_intro` file is missing."""
    fallback = theme_language if theme_language in languages() else "en"
    return SiteInputs(
        root=root,
        plans_dir=root / settings.plans_dir,
        templates_dir=root / settings.templates_dir,
        language=settings.language or str(fallback),
        as_of=as_of,
        audience=audience or settings.audience,
        settings=settings,
        customer_intro=read_customer_intro(root, settings),
    )


def generated_pages(
    plan_files: Sequence[PlanFile],
    inputs: SiteInputs,
    *,
    findings: Mapping[str, Sequence[Finding]] | None = None,
    home: bool = False,
) -> SiteFiles:
    """Every generated page of the site. The team site also gets each plan's rule
    findings (the plan-health panel; computed unless given) and, when the `history`
    option is on, its git history (the changes page)."""
    settings = inputs.settings
    team = inputs.audience == "team"
    if team and findings is None:
        findings = portfolio_findings(plan_files, settings, inputs.as_of)
    if not team:
        findings = None
    history = read_history(plan_files) if team and settings.history else None
    reviews = read_reviews(plan_files, history, inputs.as_of) if settings.history else None
    return render_site(
        plan_files,
        language_default=inputs.language,
        as_of=inputs.as_of,
        audience=inputs.audience,
        templates_dir=inputs.templates_dir,
        history=history,
        findings=findings,
        due_soon_days=settings.due_soon_days,
        customer_status=settings.customer_status,
        customer_site_url=settings.customer_site_url,
        customer_intro=inputs.customer_intro,
        stale_days=settings.stale_days,
        home=home,
        reviews=reviews,
    )


def render_options(inputs: SiteInputs, *, one_site_per_account: bool) -> RenderOptions:
    """How pages are made for these inputs; `one_site_per_account` is `cxplan build`'s
    layout (links between sites; a customer edition has no people pages)."""
    settings = inputs.settings
    team = inputs.audience == "team"
    return RenderOptions(
        language_default=inputs.language, as_of=inputs.as_of, audience=inputs.audience,
        templates_dir=inputs.templates_dir, due_soon_days=settings.due_soon_days,
        stale_days=settings.stale_days, split_sites=one_site_per_account and team,
        people_pages=team or not one_site_per_account,
        customer_status=settings.customer_status,
        customer_site_url=settings.customer_site_url,
        customer_intro=inputs.customer_intro,
    )


def account_pages(
    plan_file: PlanFile, inputs: SiteInputs, *, history: PlanHistory | None = None,
    findings: Sequence[Finding] | None = None, review: SiteReview | None = None,
    moves: Sequence[Move] = (),
) -> SiteFiles:
    """One account's own site: the plan's pages with paths relative to the site's root
    (`index.md`, `actions.md`, `areas/<id>.md`, the downloads) and the stylesheet.
    `moves`: people who left this plan or came from another (team site only)."""
    prefix = plan_root(plan_file.id)
    team = inputs.audience == "team"
    options = dataclasses.replace(render_options(inputs, one_site_per_account=True),
                                  moves=tuple(moves) if team else ())
    pages = render_plan(plan_file, options,
                        history=history, findings=findings if team else None,
                        review=review)
    out: SiteFiles = {path[len(prefix):]: content for path, content in pages.items()}
    out[CSS_PATH] = stylesheet(inputs.templates_dir)
    return dict(sorted(out.items()))


def read_history(plan_files: Sequence[PlanFile]) -> dict[str, PlanHistory]:
    """The git history of each plan that has one (plans outside git have none).

    The plans of one repository are read together: one `git log` and one `git
    cat-file` for all of them (and one question to git per folder outside git). A
    repository git cannot read leaves its plans without a changes page rather than
    failing the build.
    """
    try:
        histories = plan_histories([Path(p.path) for p in plan_files])
    except GitError:
        return {}
    return {p.id: h for p, h in zip(plan_files, histories, strict=True) if h.state == "ok"}


def read_reviews(
    plan_files: Sequence[PlanFile], history: Mapping[str, PlanHistory] | None, as_of: dt.date,
) -> dict[str, SiteReview]:
    """Each plan's "since the last review" pack (the team's; the customer edition takes
    its own form of it when rendering). `history` is what `read_history` returned for
    the team site; None for a customer build, which then reads the history of the plans
    that have a review tag only (an edition without a tag has no review page)."""
    tags: dict[Path, Since | None] = {}
    for plan_file in plan_files:
        folder = Path(plan_file.path).parent
        if folder not in tags:  # the tags are the repository's: one question per folder
            tags[folder] = last_review_tag(Path(plan_file.path))
    if history is None:
        history = read_history([p for p in plan_files if tags[Path(p.path).parent]])
    since = {p.id: tags[Path(p.path).parent] for p in plan_files}
    # The plans as they were before their review, read together (one git log and one
    # cat-file per repository).
    then = plans_before([(Path(p.path), p.id, day.day) for p in plan_files
                         if p.id in history and (day := since[p.id]) is not None])
    return {p.id: site_review(Path(p.path), p.id, p.plan, as_of, history.get(p.id),
                              since[p.id], then.get(p.id))
            for p in plan_files}


def plan_nav(plan_files: Sequence[PlanFile], language: str, *, home: bool) -> list[Any]:
    """The navigation entries of the generated pages: the portfolio with one entry per
    plan (by customer name), then the people index. Titles are HTML-escaped: themes
    print navigation titles as they are."""
    L = labels(language)
    plans: list[Any] = [PORTFOLIO]
    for plan_file in sorted(plan_files, key=lambda p: (p.plan.plan.customer.casefold(), p.id)):
        plans.append({page_title(plan_file.plan.plan.customer): plan_page(plan_file.id)})
    nav: list[Any] = ["index.md"] if home else []
    nav += [{page_title(L["site.plans"]): plans}, {page_title(L["site.people"]): PEOPLE}]
    return nav


def nav_paths(nav: Sequence[Any]) -> set[str]:
    """Every page path named in a navigation structure."""
    found: set[str] = set()
    for entry in nav:
        if isinstance(entry, str):
            found.add(entry)
        elif isinstance(entry, dict):
            for value in entry.values():
                found |= nav_paths(value if isinstance(value, list) else [value])
    return found
