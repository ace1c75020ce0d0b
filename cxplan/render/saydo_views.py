"""Say-do on the site: the overview's panel (figures, a month table and a chart) and the
portfolio's line. Team site only: it is read from the plans' git history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from cxplan import i18n
from cxplan.analyse import saydo
from cxplan.render.charts import _open, _prefix
from cxplan.render.site_views import PlanSite
from cxplan.render.svg import esc as _esc
from cxplan.render.svg import num as _n
from cxplan.render.text import inert_svg

BAR_COLOUR = "#2e7d32"
LATE_COLOUR = "#c62828"
TRACK_COLOUR = "#e0e0e0"


@dataclass(frozen=True)
class MonthRow:
    month: str
    due: int
    on_time: int
    share: str
    after_moves: int
    days_slipped: int


def _share(share: float | None, language: str) -> str:
    return "—" if share is None else i18n.text(language, "saydo.share", share=share)


def saydo_svg(months: Sequence[tuple[str, saydo.Tally]], language: str) -> str:
    """One bar per month: its height the share delivered by the first promised date,
    the rest of the column in red; the figures spoken in `<title>`/`<desc>`."""
    width, height, top, bottom, left = 48 * max(1, len(months)) + 40, 160, 12, 28, 32
    prefix = _prefix("saydo", tuple((m, t.due, t.on_time) for m, t in months), language)
    title = i18n.text(language, "saydo.chart.title")
    desc = "; ".join(
        i18n.text(language, "saydo.chart.month", month=m, on_time=t.on_time, due=t.due)
        for m, t in months)
    lines = _open(width, height, prefix, title, desc or title)
    span = height - top - bottom
    for number, (month, figures) in enumerate(months):
        x = left + 48 * number
        share = figures.on_time_share or 0.0
        lines.append(f'<rect x="{x}" y="{top}" width="32" height="{span}" '
                     f'fill="{LATE_COLOUR if figures.due else TRACK_COLOUR}"/>')
        filled = span * share
        lines.append(f'<rect x="{x}" y="{_n(top + span - filled)}" width="32" '
                     f'height="{_n(filled)}" fill="{BAR_COLOUR}"/>')
        lines.append(f'<text x="{x + 16}" y="{height - 10}" font-size="10" '
                     f'text-anchor="middle">{_esc(month)}</text>')
    lines.append(f'<text x="4" y="{top + 8}" font-size="10">100%</text>')
    lines.append(f'<text x="4" y="{top + span}" font-size="10">0%</text>')
    lines.append("</svg>")
    return "\n".join(lines)


def saydo_panel(site: PlanSite, history: Any) -> dict[str, Any] | None:
    """The overview's say-do panel, or None on the customer site. Outside git, the
    panel says there is no history instead of showing a figure."""
    if site.audience != "team":
        return None
    language = site.language
    if history is None:
        return {"has_history": False, "reason": i18n.text(language, "saydo.no_history")}
    result = saydo.say_do(site.id, site.plan, history)
    if not result.has_history:
        return {"has_history": False, "reason": i18n.text(language, "saydo.no_history")}
    total = result.total(site.as_of)
    months = result.by_month(site.as_of)
    return {
        "has_history": True,
        "shallow": result.shallow,
        "headline": i18n.text(language, "saydo.headline", share=_share(total.on_time_share,
                              language), on_time=total.on_time, due=total.due,
                              after=total.after_moves, days=total.days_slipped),
        "months": [MonthRow(m, t.due, t.on_time, _share(t.on_time_share, language),
                            t.after_moves, t.days_slipped) for m, t in months],
        "owners": [(site.person(o), t.on_time, t.due, _share(t.on_time_share, language))
                   for o, t in result.by_owner(site.as_of).items()],
        "chart": inert_svg(saydo_svg(months, language)) if months else Markup(""),
    }


def portfolio_saydo(
    sites: Sequence[PlanSite], history: Mapping[str, Any] | None, as_of: dt.date,
    language: str,
) -> str:
    """The portfolio's say-do in one line ('' on the customer site or without history)."""
    if not history or not sites or sites[0].audience != "team":
        return ""
    results = [saydo.say_do(s.id, s.plan, history[s.id]) for s in sites if s.id in history]
    total = saydo.portfolio(results, as_of)
    if not total.due:
        return ""
    return i18n.text(language, "saydo.headline", share=_share(total.on_time_share, language),
                     on_time=total.on_time, due=total.due, after=total.after_moves,
                     days=total.days_slipped)


def people_saydo(
    sites: Sequence[PlanSite], history: Mapping[str, Any] | None, as_of: dt.date,
    language: str,
) -> dict[str, str]:
    """Each person's say-do over the plans with history, in one line, by person id (the
    promises they own: actions and commitments). Empty on the customer site."""
    if not history or not sites or sites[0].audience != "team":
        return {}
    results = [saydo.say_do(s.id, s.plan, history[s.id]) for s in sites if s.id in history]
    return {
        person: i18n.text(language, "saydo.headline",
                          share=_share(figures.on_time_share, language),
                          on_time=figures.on_time, due=figures.due, after=figures.after_moves,
                          days=figures.days_slipped)
        for person, figures in saydo.owner_across(results, as_of).items()
    }
