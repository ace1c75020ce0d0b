"""The power map as two self-contained SVG pictures: the map and the grid.

Both are plain SVG text: no script, no event attribute, no style sheet (an inline
`<style>` would leak into the page that embeds the picture), no external font, image
or link other than the `link()` given for each stakeholder. Every text taken from the
plan is escaped. Output is byte-identical for the same plan: everything is placed in a
fixed order and every number is printed with one decimal at most.

The **map** follows the reporting lines: people who report to nobody on top, each
layer one level further down. Subtrees stay together, so reporting lines never cross;
within that, siblings are ordered by the barycentre of their informal-influence
neighbours, keeping the order with the fewest crossings. People with no reporting line
at all are grouped in a framed block on the right. Influence is drawn as dashed,
curved arrows, bent to avoid running under other people; reporting lines are solid
right-angled lines without arrowheads.

Support is shown three ways, never by colour alone: a blue (allies) to orange/red
(opponents) scale that stays distinct for colour-blind readers, a text cue
(`++ champion`, `−− blocker`) and the shape of the box (rounded for allies, square and
dashed for skeptics, an octagon for blockers).

The **grid** places everyone by influence (rows, 5 on top) and support (columns) in
four named quadrants. The labels of one cell are stacked, and a row grows to fit its
fullest cell, so labels never overlap (`grid_layout` exposes the boxes a test checks).

Text widths are estimated from character classes, on the generous side; a name that
would still not fit its box is squeezed with `textLength` rather than cut.

This module draws; the parts it draws from are modules of their own: the SVG
primitives shared with the charts (`svg`: escaping, numbers, text fitting, boxes), the
look (`powermap_style`), where everyone goes (`powermap_layout`), how lines run
(`powermap_routing`) and what the picture says in words (`powermap_description`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from cxplan.analyse.powermap import DEFAULT_STALE_DAYS, is_decision_maker
from cxplan.i18n import label
from cxplan.model.plan import SUPPORT_LEVELS, Plan, Stakeholder
from cxplan.render.powermap_description import grid_desc, map_desc, support_label, tooltip_text
from cxplan.render.powermap_layout import (
    CELL_PAD,
    HEADER_H,
    LABEL_PAD,
    LABEL_SIZE,
    LABEL_STAR,
    LEGEND_ROW,
    LINE_STEP,
    MARGIN,
    NAME_LEFT,
    NAME_RIGHT,
    NAME_SIZE,
    NAME_SIZE_SMALL,
    grid_layout,
    map_layout,
)
from cxplan.render.powermap_routing import influence_arrow, reporting_line
from cxplan.render.powermap_style import (
    FONT,
    INFLUENCE_COLOUR,
    INK,
    LINE,
    MUTED,
    STALE_COLOUR,
    STAR_COLOUR,
    SUPPORT_STYLES,
    SupportStyle,
)
from cxplan.render.svg import Box, esc, initials, num, one_line, text_width, truncate
from cxplan.render.urls import item_anchor

LinkFn = Callable[[str], str]


def default_link(stakeholder_id: str) -> str:
    """The stakeholder's anchor on the plan's power-map page."""
    return "#" + item_anchor("stakeholders", stakeholder_id)


def _text(
    x: float, y: float, content: str, *, size: float, fill: str = INK, bold: bool = False,
    anchor: str = "start", fit: float | None = None, extra: str = "",
) -> str:
    """A one-line `<text>`; squeezed to `fit` pixels when it would be wider."""
    attrs = f'x="{num(x)}" y="{num(y)}" font-size="{num(size)}" fill="{fill}"'
    if bold:
        attrs += ' font-weight="600"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if fit is not None and text_width(content, size, bold) > fit:
        attrs += f' textLength="{num(fit)}" lengthAdjust="spacingAndGlyphs"'
    return f"<text {attrs}{extra}>{esc(content)}</text>"


def _id_prefix(plan: Plan, picture: str) -> str:
    """Ids unique to this plan and picture, so that two inline SVGs never clash."""
    digest = hashlib.sha256(f"{plan.plan.customer}\n{plan.plan.title}".encode()).hexdigest()
    return f"cxpm-{picture}-{digest[:8]}"


def _open_svg(width: float, height: float, prefix: str, title: str, desc: str) -> list[str]:
    return [
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{num(width)}" height="{num(height)}" viewBox="0 0 {num(width)} {num(height)}" '
        f'role="img" aria-labelledby="{prefix}-title {prefix}-desc" font-family="{FONT}">',
        f'<title id="{prefix}-title">{esc(title)}</title>',
        f'<desc id="{prefix}-desc">{esc(desc)}</desc>',
        f'<rect width="{num(width)}" height="{num(height)}" fill="#ffffff"/>',
    ]


def _link_open(href: str) -> str:
    href = esc(href)
    return f'<a href="{href}" xlink:href="{href}">'


# --- the map: drawing ----------------------------------------------------------------


def _shape(box: Box, style: SupportStyle, stroke_width: float) -> str:
    common = f'fill="{style.fill}" stroke="{style.stroke}" stroke-width="{num(stroke_width)}"'
    if style.dash:
        common += f' stroke-dasharray="{style.dash}"'
    if style.shape == "octagon":
        c = min(16.0, box.h / 4)
        points = [
            (box.x + c, box.y), (box.right - c, box.y), (box.right, box.y + c),
            (box.right, box.bottom - c), (box.right - c, box.bottom), (box.x + c, box.bottom),
            (box.x, box.bottom - c), (box.x, box.y + c),
        ]
        return f'<polygon points="{" ".join(f"{num(a)},{num(b)}" for a, b in points)}" {common}/>'
    radius = {"round": 14, "soft": 5, "square": 0}[style.shape]
    rect = (
        f'<rect x="{num(box.x)}" y="{num(box.y)}" width="{num(box.w)}" height="{num(box.h)}" '
        f'rx="{radius}" {common}/>'
    )
    if style.shape == "round" and style.cue == "++":
        # Champions get a double border.
        inner = Box(box.x + 4, box.y + 4, box.w - 8, box.h - 8)
        rect += (
            f'<rect x="{num(inner.x)}" y="{num(inner.y)}" width="{num(inner.w)}" '
            f'height="{num(inner.h)}" rx="10" fill="none" stroke="{style.stroke}" '
            'stroke-width="1"/>'
        )
    return rect


def _stroke_width(influence: int) -> float:
    return 1.0 + (influence - 1) * 0.75


def _dots(influence: int) -> str:
    return "\u25cf" * influence + "\u25cb" * (5 - influence)


def _lines_text(
    x: float, y: float, lines: list[str], *, size: float, step: float, fit: float,
    bold: bool = False, fill: str = INK,
) -> str:
    """One `<text>` holding the lines as `<tspan>`s, so the whole text reads as one."""
    if len(lines) == 1:
        return _text(x, y, lines[0], size=size, bold=bold, fill=fill, fit=fit)
    attrs = f'x="{num(x)}" y="{num(y)}" font-size="{num(size)}" fill="{fill}"'
    if bold:
        attrs += ' font-weight="600"'
    spans = []
    for index, line in enumerate(lines):
        span = f'x="{num(x)}" y="{num(y + index * step)}"'
        if text_width(line.rstrip(), size, bold) > fit:
            span += f' textLength="{num(fit)}" lengthAdjust="spacingAndGlyphs"'
        spans.append(f"<tspan {span}>{esc(line)}</tspan>")
    return f"<text {attrs}>{''.join(spans)}</text>"


def _node(
    s: Stakeholder, box: Box, name_lines: list[str], language: str, href: str, tooltip: str,
    owner_name: str | None, stale: int | None, never: bool,
) -> list[str]:
    style = SUPPORT_STYLES[s.support]
    out = [_link_open(href), f"<title>{esc(tooltip)}</title>", "<g>"]
    out.append(_shape(box, style, _stroke_width(s.influence)))
    left = box.x + 12
    name_x = left
    first = box.y + (24 if len(name_lines) == 1 else 22)
    if is_decision_maker(s):
        out.append(_text(left, first, "\u2605", size=15, fill=STAR_COLOUR))
        name_x = left + 17
    fits = text_width(one_line(s.name), NAME_SIZE, True) <= box.w - NAME_LEFT - NAME_RIGHT
    size = NAME_SIZE if fits else NAME_SIZE_SMALL  # as chosen by `_node_size`
    out.append(
        _lines_text(name_x, first, name_lines, size=size, step=15, bold=True,
                    fit=box.right - NAME_RIGHT - name_x)
    )
    y = first + 15 * (len(name_lines) - 1) + 18
    if s.title:
        out.append(
            _text(left, y, truncate(one_line(s.title), 12, box.w - 24), size=12, fill=MUTED)
        )
    y += 18
    cue = support_label(language, s.support)
    out.append(_text(left, y, cue, size=12, fill=style.stroke, bold=True))
    out.append(
        _text(box.right - 12, y, _dots(s.influence), size=10, fill=INK, anchor="end")
    )
    if stale is not None or never:
        note = (
            label(language, "powermap.stale").format(days=stale)
            if stale is not None
            else label(language, "powermap.never_contacted")
        )
        out.append(
            _text(left, y + 14, "\u25d4 " + note, size=10.5, fill=STALE_COLOUR, fit=box.w - 24)
        )
    out.extend(_badge(box.right - 6, box.y + 2, owner_name))
    out.append("</g></a>")
    return out


def _badge(cx: float, cy: float, owner_name: str | None) -> list[str]:
    """The owner's initials in a round badge; a dashed red badge with a dash if none."""
    if owner_name is None:
        return [
            f'<circle cx="{num(cx)}" cy="{num(cy)}" r="13" fill="#ffffff" stroke="#b42318" '
            'stroke-width="1.5" stroke-dasharray="3 2"/>',
            _text(cx, cy + 4.5, "\u2014", size=12, fill="#b42318", bold=True, anchor="middle"),
        ]
    return [
        f'<circle cx="{num(cx)}" cy="{num(cy)}" r="13" fill="#ffffff" stroke="{INK}" '
        'stroke-width="1.2"/>',
        _text(cx, cy + 4, initials(owner_name), size=10.5, fill=INK, bold=True,
              anchor="middle", fit=21),
    ]


def _markers(prefix: str) -> str:
    return (
        f'<defs><marker id="{prefix}-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto" markerUnits="strokeWidth">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{INFLUENCE_COLOUR}"/></marker></defs>'
    )


@dataclass
class _Flow:
    """Legend items laid out left to right, wrapping at `width`."""

    left: float
    top: float
    width: float
    x: float = 0.0
    row: int = 0
    parts: list[str] = field(default_factory=list)

    def item(self, draw: Callable[[float, float], list[str]], icon_w: float, text: str) -> None:
        needed = icon_w + 6 + text_width(text, 12) + 22
        if self.x and self.x + needed > self.width:
            self.x = 0.0
            self.row += 1
        x = self.left + self.x
        y = self.top + self.row * LEGEND_ROW
        # One group per item: its icon, then its words (what the 400 px browser test
        # measures for overlap).
        self.parts.append('<g class="cx-legend-item">')
        self.parts.extend(draw(x, y))
        self.parts.append(_text(x + icon_w + 6, y + 4, text, size=12, fill=INK))
        self.parts.append("</g>")
        self.x += needed

    @property
    def bottom(self) -> float:
        return self.top + (self.row + 1) * LEGEND_ROW


def _legend(language: str, left: float, top: float, width: float, stale_days: int) -> _Flow:
    flow = _Flow(left, top + 26, width)
    flow.parts.append(
        _text(left, top + 6, label(language, "powermap.legend"), size=13, bold=True)
    )
    for level in reversed(SUPPORT_LEVELS):
        style = SUPPORT_STYLES[level]

        def swatch(x: float, y: float, style: SupportStyle = style) -> list[str]:
            return [_shape(Box(x, y - 9, 30, 18), style, 1.5)]

        flow.item(swatch, 30, support_label(language, level))

    def reporting(x: float, y: float) -> list[str]:
        return [f'<path d="M{num(x)},{num(y + 8)} V{num(y)} H{num(x + 30)}" fill="none" '
                f'stroke="{LINE}" stroke-width="1.6"/>']

    def influence(x: float, y: float) -> list[str]:
        return [f'<path d="M{num(x)},{num(y + 4)} Q{num(x + 15)},{num(y - 8)} {num(x + 28)},'
                f'{num(y)}" fill="none" stroke="{INFLUENCE_COLOUR}" stroke-width="1.6" '
                'stroke-dasharray="6 4"/>',
                f'<path d="M{num(x + 24)},{num(y - 5)} L{num(x + 31)},{num(y + 1)} '
                f'L{num(x + 22)},{num(y + 3)} z" fill="{INFLUENCE_COLOUR}"/>']

    def star(x: float, y: float) -> list[str]:
        return [_text(x + 2, y + 5, "\u2605", size=15, fill=STAR_COLOUR)]

    def badge(x: float, y: float) -> list[str]:
        return _badge(x + 13, y, "Ana Ruiz")

    def no_badge(x: float, y: float) -> list[str]:
        return _badge(x + 13, y, None)

    def stale(x: float, y: float) -> list[str]:
        return [_text(x + 4, y + 5, "\u25d4", size=14, fill=STALE_COLOUR)]

    def dots(x: float, y: float) -> list[str]:
        return [_text(x, y + 4, _dots(3), size=10, fill=INK)]

    flow.item(reporting, 30, label(language, "powermap.legend.reporting"))
    flow.item(influence, 32, label(language, "powermap.legend.influence"))
    flow.item(star, 18, label(language, "powermap.decision_maker"))
    flow.item(badge, 26, label(language, "powermap.legend.owner"))
    flow.item(no_badge, 26, label(language, "powermap.no_owner"))
    flow.item(stale, 18, label(language, "powermap.legend.stale").format(days=stale_days))
    # Fonts draw the dots up to 1 em wide each, far wider than a letter: room for that.
    flow.item(dots, 5 * 10.0, label(language, "powermap.legend.weight"))
    return flow


def _empty_svg(plan: Plan, language: str, picture: str, title: str) -> str:
    prefix = _id_prefix(plan, picture)
    message = label(language, "powermap.empty")
    width = max(420.0, text_width(title, 16, True) + 2 * MARGIN)
    out = _open_svg(width, 100, prefix, title, message)
    out.append(_text(MARGIN, MARGIN + 18, title, size=16, bold=True))
    out.append(_text(MARGIN, MARGIN + 50, message, size=13, fill=MUTED))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def map_svg(
    plan: Plan,
    language: str,
    *,
    as_of: dt.date,
    link: LinkFn = default_link,
    stale_days: int = DEFAULT_STALE_DAYS,
) -> str:
    """The power map picture (see the module docstring); `as_of` marks stale contacts."""
    title = label(language, "powermap.map.title").format(customer=one_line(plan.plan.customer))
    if not plan.stakeholders:
        return _empty_svg(plan, language, "map", title)
    prefix = _id_prefix(plan, "map")
    layout = map_layout(plan)
    names = {s.id: one_line(s.name) for s in plan.stakeholders}
    team = {p.id: one_line(p.name) for p in plan.team}
    content_width = layout.width - 2 * MARGIN
    legend = _legend(language, MARGIN, layout.legend_top, content_width, stale_days)
    height = legend.bottom + MARGIN
    width = max(layout.width, text_width(title, 16, True) + 2 * MARGIN)

    out = _open_svg(width, height, prefix, title, map_desc(plan, language, names, team))
    out.append(_markers(prefix))
    out.append(_text(MARGIN, MARGIN + 18, title, size=16, bold=True))
    if layout.group is not None:
        g = layout.group
        out.append(
            f'<rect x="{num(g.x)}" y="{num(g.y)}" width="{num(g.w)}" height="{num(g.h)}" rx="8" '
            f'fill="#fafbfc" stroke="{LINE}" stroke-width="1" stroke-dasharray="4 3"/>'
        )
        out.append(
            _text(g.x + 12, g.y + 19, label(language, "powermap.unattached"), size=12,
                  fill=MUTED, bold=True, fit=g.w - 24)
        )
    nodes = layout.nodes
    out.append('<g fill="none">')
    for s in plan.stakeholders:
        if s.reports_to in nodes and s.id in layout.depth and s.reports_to in layout.depth:
            out.append(reporting_line(nodes[s.id], nodes[s.reports_to]))
    out.append("</g>")
    ordered = sorted(nodes)
    # Arrows stay below the title and above the legend.
    below_title = MARGIN + HEADER_H - 4
    bounds = Box(4, below_title, width - 8, layout.legend_top - 12 - below_title)
    for s in sorted(plan.stakeholders, key=lambda s: s.id):
        for target in sorted(set(s.influences)):
            if target == s.id or target not in nodes:
                continue
            others = [nodes[o] for o in ordered if o not in (s.id, target)]
            out.append(
                influence_arrow(nodes[s.id], nodes[target], others, bounds, f"{prefix}-arrow")
            )
    for s in plan.stakeholders:
        stale = None
        if s.last_contact is not None and (as_of - s.last_contact).days > stale_days:
            stale = (as_of - s.last_contact).days
        out.extend(
            _node(
                s, nodes[s.id], layout.name_lines[s.id], language, link(s.id),
                tooltip_text(s, language, names, team, stale_days, as_of),
                team.get(s.owner, s.owner) if s.owner else None,
                stale, s.last_contact is None,
            )
        )
    out.extend(legend.parts)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def grid_svg(plan: Plan, language: str, *, link: LinkFn = default_link) -> str:
    """Influence (rows) against support (columns), quadrants named, labels never overlap."""
    title = label(language, "powermap.grid.title").format(customer=one_line(plan.plan.customer))
    if not plan.stakeholders:
        return _empty_svg(plan, language, "grid", title)
    prefix = _id_prefix(plan, "grid")
    layout = grid_layout(plan)
    grid = layout.grid
    team = {p.id: one_line(p.name) for p in plan.team}
    names = {s.id: one_line(s.name) for s in plan.stakeholders}
    width = max(layout.width, text_width(title, 16, True) + 2 * MARGIN)
    out = _open_svg(width, layout.height, prefix, title, grid_desc(plan, language, layout))
    out.append(_text(MARGIN, MARGIN + 18, title, size=16, bold=True))
    for q in layout.quadrants:
        out.append(
            f'<rect x="{num(q.box.x)}" y="{num(q.box.y)}" width="{num(q.box.w)}" '
            f'height="{num(q.box.h)}" fill="{q.fill}"/>'
        )
    for influence, row in layout.rows.items():
        if influence != 5:
            out.append(
                f'<path d="M{num(row.x)},{num(row.y)} H{num(row.right)}" stroke="#d0d7de" '
                'stroke-width="1"/>'
            )
        out.append(
            _text(grid.x - 10, row.cy + 5, str(influence), size=13, fill=INK, bold=True,
                  anchor="end")
        )
    for level, column in layout.columns.items():
        if column.x > grid.x:
            out.append(
                f'<path d="M{num(column.x)},{num(column.y)} V{num(column.bottom)}" '
                'stroke="#d0d7de" stroke-width="1"/>'
            )
        style = SUPPORT_STYLES[level]
        out.append(
            _text(column.cx, grid.bottom + 20, support_label(language, level), size=12,
                  fill=style.stroke, bold=True, anchor="middle", fit=column.w - 8)
        )
    for q in layout.quadrants:
        out.append(
            f'<rect x="{num(q.box.x)}" y="{num(q.box.y)}" width="{num(q.box.w)}" '
            f'height="{num(q.box.h)}" fill="none" stroke="{q.ink}" stroke-width="1.5"/>'
        )
        out.append(
            _text(q.box.x + CELL_PAD, q.box.y + 17,
                  label(language, "powermap.quadrant." + q.key), size=12.5, fill=q.ink,
                  bold=True, fit=q.box.w - 2 * CELL_PAD)
        )
    # Axis titles.
    out.append(
        _text(grid.cx, grid.bottom + 46, label(language, "powermap.axis.support") + " \u2192",
              size=13, fill=INK, bold=True, anchor="middle")
    )
    out.append(
        _text(grid.right, grid.bottom + 46,
              "\u2605 " + label(language, "powermap.decision_maker"), size=12, fill=MUTED,
              anchor="end")
    )
    axis_y = grid.cy
    axis_x = MARGIN + 14
    influence_title = (
        f"{label(language, 'powermap.axis.influence')} \u2192 "
        f"(1 {label(language, 'powermap.influence.low')} \u2013 5 "
        f"{label(language, 'powermap.influence.high')})"
    )
    out.append(
        _text(axis_x, axis_y, influence_title, size=12, fill=INK, bold=True, anchor="middle",
              fit=grid.h - 8, extra=f' transform="rotate(-90 {num(axis_x)} {num(axis_y)})"')
    )
    for s in sorted(plan.stakeholders, key=lambda s: s.id):
        box = layout.labels[s.id]
        style = SUPPORT_STYLES[s.support]
        tooltip = tooltip_text(s, language, names, team, None, None)
        out.append(_link_open(link(s.id)))
        out.append(f"<title>{esc(tooltip)}</title>")
        out.append(
            f'<rect x="{num(box.x)}" y="{num(box.y)}" width="{num(box.w)}" height="{num(box.h)}" '
            f'rx="4" fill="#ffffff" stroke="{style.stroke}" stroke-width="1"/>'
        )
        text_x = box.x + LABEL_PAD
        if is_decision_maker(s):
            out.append(_text(text_x, box.y + 14.5, "\u2605", size=LABEL_SIZE, fill=STAR_COLOUR))
            text_x += LABEL_STAR
        out.append(
            _lines_text(text_x, box.y + 14.5, layout.name_lines[s.id], size=LABEL_SIZE,
                        step=LINE_STEP, fit=box.right - LABEL_PAD - text_x)
        )
        out.append("</a>")
    out.append("</svg>")
    return "\n".join(out) + "\n"
