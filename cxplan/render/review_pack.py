"""The review pack as Markdown, in the plan's language: `cxplan review` prints it, and
the plan's site shows the same text as its "since the last review" page.

Every action, commitment, stakeholder and KPI the pack names goes through a `Linker`:
on the site, a link to the item's entry on its page (addresses from
`cxplan.render.urls`); in the CLI, the id as a code span, or a link into the published
site when `--site-url` is given. An item the plan no longer holds (a removed action)
stays a code span: there is no entry to link to.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from cxplan import i18n
from cxplan.analyse.history import Change
from cxplan.analyse.review import ReviewPack
from cxplan.analyse.saydo import Tally
from cxplan.model.plan import Plan
from cxplan.render import urls
from cxplan.render.site_env import relative_path
from cxplan.render.status_report import md_escape

Linker = Callable[[str, str], str]
"""(kind of item: `actions`, `commitments`, `stakeholders`, `kpis`; its id) -> the
Markdown that names it."""


def code_ids(_kind: str, item_id: str) -> str:
    return f"`{item_id}`"


def known_ids(plan: Plan) -> dict[str, frozenset[str]]:
    """The ids each kind of item has in `plan` (the ones a page entry exists for)."""
    return {kind: frozenset(item.id for item in getattr(plan, kind))
            for kind in ("actions", "commitments", "stakeholders", "kpis")}


def _linker(known: Mapping[str, Collection[str]], href: Callable[[str, str], str]) -> Linker:
    def link(kind: str, item_id: str) -> str:
        if item_id not in known.get(kind, ()):
            return code_ids(kind, item_id)
        return f"[`{item_id}`]({href(kind, item_id)})"

    return link


def page_linker(plan_id: str, page: str, known: Mapping[str, Collection[str]]) -> Linker:
    """Links from the site page `page` (a source path) to the items' entries."""

    def href(kind: str, item_id: str) -> str:
        path, _, anchor = urls.item_target(plan_id, kind, item_id).partition("#")
        return f"{relative_path(path, page)}#{anchor}"

    return _linker(known, href)


def site_url_linker(base: str, plan_id: str, audience: str,
                    known: Mapping[str, Collection[str]]) -> Linker:
    """Links into the published site at `base` (`cxplan review --site-url`): the team
    site's plan pages (`<base>plans/<id>/...`) or the customer edition's
    (`<base><id>/...`), with MkDocs' directory URLs."""
    base = base if base.endswith("/") else base + "/"

    def href(kind: str, item_id: str) -> str:
        path, _, anchor = urls.item_target(plan_id, kind, item_id).partition("#")
        if audience == "customer":
            name = path[len(urls.plan_root(plan_id)):-3]
            return urls.customer_page_url(base, plan_id, name) + f"#{anchor}"
        return base + urls.page_url(path, True) + f"#{anchor}"

    return _linker(known, href)


def _share(share: float | None, language: str) -> str:
    if share is None:
        return "—"
    return i18n.text(language, "saydo.share", share=share)


def _tally_share(tally: Tally, language: str) -> str:
    return _share(tally.on_time_share, language)


def review_markdown(pack: ReviewPack, customer: str, language: str,
                    link: Linker = code_ids) -> str:
    """The whole pack: its title, then `review_body`."""
    title = i18n.text(language, "review.title", customer=md_escape(customer))
    return f"# {title}\n\n" + review_body(pack, language, link)


def review_body(pack: ReviewPack, language: str, link: Linker = code_ids,
                heading: str = "##") -> str:
    """The pack under its title; `heading` is the level of its sections."""
    def t(key: str, **params: object) -> str:
        return i18n.text(language, key, **params)

    sub = heading + "#"

    def items(changes: list[Change], kind: str) -> list[str]:
        if not changes:
            return [f"- {t('review.none')}"]
        return [f"- {link(kind, c.item)} {md_escape(c.label)} ({c.commit.day})"
                for c in changes]

    def ids(found: list[str], kind: str) -> str:
        return ", ".join(link(kind, item) for item in found) or "—"

    team = pack.audience == "team"
    lines = [t("review.since", ref=md_escape(pack.since.ref), day=pack.since.day,
               as_of=pack.as_of), ""]
    if pack.history_state != "ok":
        lines += [md_escape(pack.history_reason), ""]
    elif pack.shallow_from is not None:
        lines += [t("review.shallow", day=pack.shallow_from), ""]
    lines += [f"{heading} {t('review.actions')}", "", f"{sub} {t('review.done')}", "",
              *items(pack.done, "actions"), "", f"{sub} {t('review.slipped')}", ""]
    if pack.slipped:
        lines += [f"- {link('actions', c.item)} {md_escape(c.label)}: {c.old} → {c.new} "
                  f"({t('review.days', days=days)})" for c, days in pack.slipped]
    else:
        lines.append(f"- {t('review.none')}")
    lines += ["", f"{sub} {t('review.added')}", "", *items(pack.added, "actions"), "",
              f"{sub} {t('review.dropped')}", "", *items(pack.dropped, "actions"), "",
              f"{heading} {t('review.commitments')}", ""]
    if pack.verdicts:
        lines += [f"- {t('review.kept')}: {ids(pack.kept, 'commitments')}",
                  f"- {t('review.broken')}: {ids(pack.broken, 'commitments')}"]
    else:
        lines.append(f"- {t('review.measured')}: {ids(pack.measured, 'commitments')}")
    lines += [f"- {t('review.new')}: "
              f"{ids([c.item for c in pack.new_commitments], 'commitments')}", ""]
    if team:
        lines += [f"{heading} {t('review.stakeholders')}", "",
                  f"- {t('review.new')}: "
                  f"{ids([c.item for c in pack.new_people], 'stakeholders')}",
                  f"- {t('review.gone')}: {ids(pack.gone, 'stakeholders')}",
                  f"- {t('review.moved')}: " + ("" if pack.moved else "—")]
        for move in pack.moved:
            parts = []
            if move.support is not None:
                old, new = (t(f"site.support.{s}") for s in move.support)
                parts.append(t("review.support_moved", old=old, new=new))
            if move.influence is not None:
                parts.append(t("review.influence_moved", old=move.influence[0],
                               new=move.influence[1]))
            lines.append(f"    - {link('stakeholders', move.id)} {md_escape(move.name)}: "
                         f"{'; '.join(parts)}")
        lines.append("")
        lines += [f"{heading} {t('review.coverage_heading')}", "",
                  t("review.coverage",
                    then=_share(pack.coverage_then, language) if pack.has_then else "—",
                    now=_share(pack.coverage_now, language)), ""]
    lines += [f"{heading} {t('review.kpis')}", ""]
    if pack.readings:
        lines += [f"| KPI | {t('review.col.date')} | {t('review.col.value')} | "
                  f"{t('review.col.target')} |", "|---|---|--:|--:|"]
        lines += [f"| {link('kpis', r.kpi)} {md_escape(r.name)} | {r.day} | {r.value:g} | "
                  f"{r.target:g}{' ✓' if r.on_target else ''} |" for r in pack.readings]
    else:
        lines.append(f"- {t('review.none')}")
    lines.append("")
    if team:
        lines += [f"{heading} {t('saydo.heading')}", ""]
        if pack.has_say_do:
            lines.append(t("review.saydo", then=_tally_share(pack.say_do_then, language),
                           now=_tally_share(pack.say_do_now, language),
                           due=pack.say_do_now.due))
        else:
            lines.append(t("saydo.no_history"))
        lines.append("")
    return "\n".join(lines)
