"""The power map in words: tooltips and the pictures' descriptions, localised."""

from __future__ import annotations

import datetime as dt

from cxplan.i18n import label
from cxplan.model.plan import Plan, Stakeholder
from cxplan.render.powermap_layout import GridLayout
from cxplan.render.powermap_style import SUPPORT_STYLES
from cxplan.render.svg import one_line


def support_label(language: str, support: str) -> str:
    return f"{SUPPORT_STYLES[support].cue} {label(language, 'powermap.support.' + support)}"


def tooltip_text(
    s: Stakeholder, language: str, names: dict[str, str], team: dict[str, str],
    stale_days: int | None, as_of: dt.date | None,
) -> str:
    lines = [one_line(s.name) + (f" — {one_line(s.title)}" if s.title else "")]
    facts = [
        support_label(language, s.support),
        label(language, "powermap.influence").format(value=s.influence),
    ]
    if s.role:
        facts.append(label(language, "powermap.role." + s.role))
    lines.append(" · ".join(facts))
    if s.decides:
        lines.append(label(language, "powermap.decides").format(topics=", ".join(s.decides)))
    if s.owner:
        lines.append(
            label(language, "powermap.owner").format(name=team.get(s.owner, s.owner))
        )
    else:
        lines.append(label(language, "powermap.no_owner"))
    if s.reports_to and s.reports_to in names:
        lines.append(label(language, "powermap.reports_to").format(name=names[s.reports_to]))
    targets = [names[t] for t in s.influences if t in names and t != s.id]
    if targets:
        lines.append(label(language, "powermap.influences").format(names=", ".join(targets)))
    if s.last_contact is not None:
        contact = label(language, "powermap.last_contact").format(
            date=s.last_contact.isoformat()
        )
        if as_of is not None and stale_days is not None:
            days = (as_of - s.last_contact).days
            if days > stale_days:
                contact += " (" + label(language, "powermap.stale").format(days=days) + ")"
        lines.append(contact)
    elif as_of is not None:
        lines.append(label(language, "powermap.never_contacted"))
    return "\n".join(lines)


def map_desc(plan: Plan, language: str, names: dict[str, str], team: dict[str, str]) -> str:
    parts = [label(language, "powermap.map.summary").format(count=len(plan.stakeholders))]
    for s in plan.stakeholders:
        facts = [
            label(language, "powermap.support." + s.support),
            label(language, "powermap.influence").format(value=s.influence),
        ]
        if s.role:
            facts.append(label(language, "powermap.role." + s.role))
        if s.decides:
            facts.append(label(language, "powermap.decides").format(topics=", ".join(s.decides)))
        facts.append(
            label(language, "powermap.owner").format(name=team.get(s.owner, s.owner))
            if s.owner else label(language, "powermap.no_owner")
        )
        if s.reports_to and s.reports_to in names:
            facts.append(label(language, "powermap.reports_to").format(name=names[s.reports_to]))
        targets = [names[t] for t in s.influences if t in names and t != s.id]
        if targets:
            facts.append(label(language, "powermap.influences").format(names=", ".join(targets)))
        who = one_line(s.name) + (f" ({one_line(s.title)})" if s.title else "")
        parts.append(f"{who}: {', '.join(facts)}.")
    return " ".join(parts)


def grid_desc(plan: Plan, language: str, layout: GridLayout) -> str:
    parts = [label(language, "powermap.grid.summary").format(count=len(plan.stakeholders))]
    for quadrant in layout.quadrants:
        inside = [
            one_line(s.name) for s in plan.stakeholders
            if layout.labels[s.id].within(quadrant.box)
        ]
        if inside:
            parts.append(
                f"{label(language, 'powermap.quadrant.' + quadrant.key)}: {', '.join(inside)}."
            )
    return " ".join(parts)


