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
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from cxplan.analyse.powermap import DEFAULT_STALE_DAYS, HIGH_INFLUENCE, is_decision_maker
from cxplan.i18n import label
from cxplan.model.plan import SUPPORT_LEVELS, Plan, Stakeholder
from cxplan.render.xmltext import xml_text

LinkFn = Callable[[str], str]


def default_link(stakeholder_id: str) -> str:
    """The stakeholder's anchor on the plan's power-map page."""
    return "#stakeholder-" + stakeholder_id


FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK = "#1f2328"
MUTED = "#57606a"
LINE = "#8c959f"
INFLUENCE_COLOUR = "#7b3fb5"
STAR_COLOUR = "#9a6700"
STALE_COLOUR = "#9a4a00"


@dataclass(frozen=True)
class SupportStyle:
    fill: str
    stroke: str
    cue: str
    dash: str | None
    shape: str  # "round", "soft", "square", "octagon"


# Blue for allies, grey for neutral, orange to red for opponents: a diverging scale that
# colour-blind readers can still tell apart; the cue and the shape say it again.
SUPPORT_STYLES: dict[str, SupportStyle] = {
    "champion": SupportStyle("#d4e5f7", "#0b5cad", "++", None, "round"),
    "supporter": SupportStyle("#eaf3fc", "#4a8fd4", "+", None, "round"),
    "neutral": SupportStyle("#f2f3f5", "#6e7781", "=", None, "soft"),
    "skeptic": SupportStyle("#fdf0df", "#c26a00", "\u2212", "6 3", "square"),
    "blocker": SupportStyle("#fbe2df", "#b42318", "\u2212\u2212", "2.5 2.5", "octagon"),
}


# --- small text helpers --------------------------------------------------------------

def esc(text: str) -> str:
    """Escape for XML text and attribute values; drop characters XML cannot hold."""
    text = xml_text(text)
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def one_line(text: str) -> str:
    return " ".join(text.split())


def num(value: float) -> str:
    """A coordinate with one decimal at most, the same on every machine."""
    text = f"{round(value, 1):.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


_NARROW = set("ijlI.,:;'!|()[]{}`")
_SEMI = set("frt-/ ")
_WIDE = set("mwMW@%")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """A generous estimate of the width of `text` in a sans-serif system font."""
    total = 0.0
    for char in text:
        if char in _NARROW:
            total += 0.3
        elif char in _SEMI:
            total += 0.4
        elif char in _WIDE:
            total += 0.9
        elif char.isupper():
            total += 0.7
        elif char.isdigit() or char.isascii():
            total += 0.58
        else:
            total += 0.65  # accented letters, symbols: assume wide
    return total * size * (1.08 if bold else 1.0)


def truncate(text: str, size: float, width: float, bold: bool = False) -> str:
    """`text` cut with an ellipsis so that it fits `width`."""
    if text_width(text, size, bold) <= width:
        return text
    while text and text_width(text + "…", size, bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap_name(name: str, size: float, width: float, bold: bool = False) -> list[str]:
    """`name` on one line, or split in two that each fit `width` when possible.

    The pieces joined give back the name exactly (a split at a space keeps the space
    at the end of the first piece), so the name stays searchable text in the SVG.
    A piece that still does not fit is squeezed by `textLength` when drawn.
    """
    if text_width(name, size, bold) <= width:
        return [name]
    best: list[str] | None = None
    best_width = math.inf
    for index, char in enumerate(name):
        if char == " " and 0 < index < len(name) - 1:
            first, second = name[: index + 1], name[index + 1:]
            widest = max(text_width(first.rstrip(), size, bold), text_width(second, size, bold))
            if widest < best_width:
                best, best_width = [first, second], widest
    if best is not None and best_width <= width:
        return best
    # No space to split at that works: cut where the first line is full.
    cut = 1
    while cut < len(name) - 1 and text_width(name[: cut + 1], size, bold) <= width:
        cut += 1
    return [name[:cut], name[cut:]]


def initials(name: str) -> str:
    words = [w for w in re.split(r"[\s.\-]+", name) if w and w[0].isalnum()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][0].upper()
    return (words[0][0] + words[-1][0]).upper()


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


# --- geometry ------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def intersects(self, other: Box) -> bool:
        """True when the two boxes share any area (touching edges do not count)."""
        return (
            self.x < other.right and other.x < self.right
            and self.y < other.bottom and other.y < self.bottom
        )

    def contains(self, px: float, py: float, margin: float = 0.0) -> bool:
        return (
            self.x - margin <= px <= self.right + margin
            and self.y - margin <= py <= self.bottom + margin
        )

    def within(self, other: Box) -> bool:
        return (
            self.x >= other.x and self.y >= other.y
            and self.right <= other.right and self.bottom <= other.bottom
        )


def _ray_exit(box: Box, tx: float, ty: float, pad: float = 0.0) -> tuple[float, float]:
    """Where the ray from the box centre towards (tx, ty) leaves the box (grown by pad)."""
    dx, dy = tx - box.cx, ty - box.cy
    half_w, half_h = box.w / 2 + pad, box.h / 2 + pad
    if dx == 0 and dy == 0:
        return box.cx, box.y - pad
    scale = min(
        half_w / abs(dx) if dx else math.inf,
        half_h / abs(dy) if dy else math.inf,
    )
    return box.cx + dx * scale, box.cy + dy * scale


def _segments_cross(
    a: tuple[float, float], b: tuple[float, float], c: tuple[float, float],
    d: tuple[float, float],
) -> bool:
    """Proper crossing of segments ab and cd (sharing an end point is not a crossing)."""
    if a in (c, d) or b in (c, d):
        return False
    if (
        max(a[0], b[0]) < min(c[0], d[0]) or max(c[0], d[0]) < min(a[0], b[0])
        or max(a[1], b[1]) < min(c[1], d[1]) or max(c[1], d[1]) < min(a[1], b[1])
    ):
        return False

    def orient(p: tuple[float, float], q: tuple[float, float], r: tuple[float, float]) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    o1, o2, o3, o4 = orient(a, b, c), orient(a, b, d), orient(c, d, a), orient(c, d, b)
    return o1 * o2 < 0 and o3 * o4 < 0


# --- the map: layout ---------------------------------------------------------------

NODE_W = 214.0
"""Smallest node width; nodes grow (up to NODE_MAX_W) to fit the longest name."""
NODE_MAX_W = 300.0
NODE_H = 80.0
NODE_H_TWO_LINES = 96.0
NAME_SIZE = 14.0
NAME_SIZE_SMALL = 12.5
NAME_LEFT = 12.0 + 17.0  # padding and the decision maker's star
NAME_RIGHT = 22.0  # room for the owner badge
H_GAP = 40.0
LAYER_GAP = 74.0
MARGIN = 32.0
TREE_GAP = 0.35
"""Extra space between two reporting trees, in slots."""
HEADER_H = 44.0
GROUP_BAND = 30.0
GROUP_GAP = 56.0
LEGEND_ROW = 26.0


@dataclass(frozen=True)
class MapLayout:
    """Where each stakeholder's box goes; the picture is drawn from this alone."""

    width: float
    height: float
    nodes: dict[str, Box]
    depth: dict[str, int]
    """Reporting depth of people in the hierarchy (0 = reports to nobody)."""
    unattached: list[str]
    """People with no reporting line at all, drawn in the side group."""
    group: Box | None
    legend_top: float
    crossings: int
    """Crossings between straight-line stand-ins of the lines (what the order minimised)."""
    name_lines: dict[str, list[str]]
    """Each name as drawn: one line, or two when it is too long for the box."""


@dataclass
class _Forest:
    roots: list[str]
    children: dict[str, list[str]]
    influence: list[tuple[str, str]]
    subtree: dict[str, set[str]] = field(default_factory=dict)


def _slots(forest: _Forest) -> tuple[dict[str, float], dict[str, int]]:
    """Tidy-tree positions in slot units: leaves side by side, parents centred above."""
    x: dict[str, float] = {}
    depth: dict[str, int] = {}
    next_slot = 0.0

    def place(node: str, level: int) -> None:
        nonlocal next_slot
        depth[node] = level
        kids = forest.children[node]
        if not kids:
            x[node] = next_slot
            next_slot += 1
            return
        for kid in kids:
            place(kid, level + 1)
        x[node] = (x[kids[0]] + x[kids[-1]]) / 2

    for index, root in enumerate(forest.roots):
        if index:
            next_slot += TREE_GAP  # separate organisations read as separate
        place(root, 0)
    return x, depth


def _crossings(
    forest: _Forest, pos: dict[str, tuple[float, float]], reporting: list[tuple[str, str]]
) -> int:
    segments = [
        (pos[a], pos[b]) for a, b in reporting + forest.influence if a in pos and b in pos
    ]
    count = 0
    for i, (a, b) in enumerate(segments):
        for c, d in segments[i + 1:]:
            if _segments_cross(a, b, c, d):
                count += 1
    return count


def _barycentre_order(
    nodes: list[str], forest: _Forest, pos: dict[str, tuple[float, float]]
) -> list[str]:
    """Sort sibling subtrees by the mean x of their influence partners outside them."""

    def key(node: str) -> tuple[float, float]:
        inside = forest.subtree[node]
        partners = [
            pos[b if a in inside else a][0]
            for a, b in forest.influence
            if (a in inside) != (b in inside)
        ]
        own = pos[node][0]
        return (sum(partners) / len(partners) if partners else own, own)

    return sorted(nodes, key=key)


def map_layout(plan: Plan) -> MapLayout:
    people = plan.stakeholders
    order = {s.id: i for i, s in enumerate(people)}
    influence_of = {s.id: s.influence for s in people}
    manager = {
        s.id: s.reports_to
        for s in people
        if s.reports_to is not None and s.reports_to in order and s.reports_to != s.id
    }
    children: dict[str, list[str]] = {s.id: [] for s in people}
    for s in people:
        if s.id in manager:
            children[manager[s.id]].append(s.id)
    roots = [s.id for s in people if s.id not in manager and children[s.id]]
    forest = _Forest(
        roots=roots,
        children=children,
        influence=sorted(
            {(s.id, t) for s in people for t in s.influences if t in order and t != s.id}
        ),
    )
    reached: set[str] = set()

    def collect(node: str) -> set[str]:
        nodes = {node}
        reached.add(node)
        for kid in children[node]:
            nodes |= collect(kid)
        forest.subtree[node] = nodes
        return nodes

    for root in roots:
        collect(root)
    # Everyone not in a reporting tree (including, defensively, people caught in a
    # reporting loop that a valid plan cannot have) goes to the side group.
    unattached = sorted(
        (s.id for s in people if s.id not in reached),
        key=lambda sid: (-influence_of[sid], order[sid]),
    )
    reporting = sorted((a, b) for a, b in manager.items() if a in reached)

    def positions() -> tuple[dict[str, tuple[float, float]], dict[str, int]]:
        x, depth = _slots(forest)
        slots = max(x.values()) + 1 if x else 0.0
        layers = max(depth.values()) + 1 if depth else 0
        pos = {node: (x[node], float(depth[node])) for node in x}
        rows = _side_rows(len(unattached), layers)
        for i, node in enumerate(unattached):
            pos[node] = (slots + 0.5 + i // rows, float(i % rows))
        return pos, depth

    # Barycentre sweeps, one level of sibling groups at a time (the roots, then the
    # reports of each layer), re-measuring after each; the best order seen is kept.
    pos, depth = positions()
    best = (_crossings(forest, pos, reporting), list(forest.roots),
            {k: list(v) for k, v in forest.children.items()})
    levels = max(depth.values()) + 1 if depth else 0
    for _ in range(3):
        if best[0] == 0:
            break
        before = best[0]
        for level in range(-1, levels - 1):
            if level < 0:
                forest.roots = _barycentre_order(forest.roots, forest, pos)
            else:
                for node in sorted(n for n, d in depth.items() if d == level):
                    forest.children[node] = _barycentre_order(forest.children[node], forest, pos)
            pos, depth = positions()
            score = _crossings(forest, pos, reporting)
            if score < best[0]:
                best = (score, list(forest.roots),
                        {k: list(v) for k, v in forest.children.items()})
        if best[0] == before:
            break  # a whole sweep gained nothing
    crossings, forest.roots, forest.children = best
    x, depth = _slots(forest)
    slots = max(x.values()) + 1 if x else 0.0
    layers = max(depth.values()) + 1 if depth else 0

    node_w, node_h, name_lines = _node_size(people)
    top = MARGIN + HEADER_H + GROUP_BAND
    step_x, step_y = node_w + H_GAP, node_h + LAYER_GAP
    nodes: dict[str, Box] = {}
    for node in sorted(x, key=order.__getitem__):
        nodes[node] = Box(MARGIN + x[node] * step_x, top + depth[node] * step_y, node_w, node_h)
    right = MARGIN + slots * step_x - H_GAP if slots else MARGIN
    bottom = top + layers * step_y - LAYER_GAP if layers else top
    group: Box | None = None
    if unattached:
        rows = _side_rows(len(unattached), layers)
        left = right + GROUP_GAP if slots else MARGIN + 12
        for i, node in enumerate(unattached):
            nodes[node] = Box(left + (i // rows) * step_x, top + (i % rows) * step_y, node_w,
                              node_h)
        columns = math.ceil(len(unattached) / rows)
        group = Box(left - 12, top - GROUP_BAND, columns * step_x - H_GAP + 24,
                    GROUP_BAND + rows * step_y - LAYER_GAP + 12)
        right = group.right
        bottom = max(bottom, group.bottom)
    width = max(right + MARGIN, 640.0)
    legend_top = bottom + 40
    return MapLayout(
        width=width,
        height=legend_top,  # the legend's height is added when it is drawn
        nodes=nodes,
        depth=depth,
        unattached=unattached,
        group=group,
        legend_top=legend_top,
        crossings=crossings,
        name_lines=name_lines,
    )


def _node_size(people: list[Stakeholder]) -> tuple[float, float, dict[str, list[str]]]:
    """One width and height for every box, and each name's lines at that width."""
    longest = max(
        (text_width(one_line(s.name), NAME_SIZE, True) for s in people), default=0.0
    )
    node_w = min(max(NODE_W, longest + NAME_LEFT + NAME_RIGHT), NODE_MAX_W)
    room = node_w - NAME_LEFT - NAME_RIGHT
    lines = {
        s.id: wrap_name(one_line(s.name), NAME_SIZE_SMALL, room, True)
        if text_width(one_line(s.name), NAME_SIZE, True) > room
        else [one_line(s.name)]
        for s in people
    }
    two = any(len(parts) > 1 for parts in lines.values())
    return node_w, NODE_H_TWO_LINES if two else NODE_H, lines


def _side_rows(count: int, layers: int) -> int:
    """Rows of the side group: as tall as the hierarchy, else a squarish block."""
    if count == 0:
        return 1
    if layers:
        return max(layers, math.ceil(count / 3))
    columns = min(4, math.ceil(math.sqrt(count)))
    return math.ceil(count / columns)


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


def _support_label(language: str, support: str) -> str:
    return f"{SUPPORT_STYLES[support].cue} {label(language, 'powermap.support.' + support)}"


def _tooltip(
    s: Stakeholder, language: str, names: dict[str, str], team: dict[str, str],
    stale_days: int | None, as_of: dt.date | None,
) -> str:
    lines = [one_line(s.name) + (f" — {one_line(s.title)}" if s.title else "")]
    facts = [
        _support_label(language, s.support),
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
    cue = _support_label(language, s.support)
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


def _reporting_line(child: Box, parent: Box) -> str:
    mid = parent.bottom + LAYER_GAP / 2
    return (
        f'<path d="M{num(child.cx)},{num(child.y)} V{num(mid)} H{num(parent.cx)} '
        f'V{num(parent.bottom)}" fill="none" stroke="{LINE}" stroke-width="1.6"/>'
    )


def _curve_points(
    start: tuple[float, float], control: tuple[float, float], end: tuple[float, float]
) -> Iterable[tuple[float, float]]:
    for i in range(1, 20):
        t = i / 20
        yield (
            (1 - t) ** 2 * start[0] + 2 * (1 - t) * t * control[0] + t ** 2 * end[0],
            (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t ** 2 * end[1],
        )


def _influence_arrow(
    source: Box, target: Box, others: list[Box], bounds: Box, marker: str
) -> str:
    """A dashed arrow from source to target that does not run under another person.

    First choice: a gentle curve, bent to one side or the other. When every bend would
    pass under somebody's box or leave the picture, the arrow takes the empty bands
    between layers and a channel between columns: out of the source's top (or bottom)
    into the band beside its layer, along to a channel, up or down the channel to the
    band beside the target's layer, then into the target. The channels just outside
    the outermost boxes are always empty, so a clear route always exists; among the
    clear ones the shortest wins.
    """
    curve = _simple_curve(source, target, others, bounds)
    d = curve if curve is not None else _channel_route(source, target, others, bounds)
    return (
        f'<path d="{d}" fill="none" stroke="{INFLUENCE_COLOUR}" stroke-width="1.6" '
        f'stroke-dasharray="6 4" marker-end="url(#{marker})"/>'
    )


def _hits(points: Iterable[tuple[float, float]], others: list[Box], bounds: Box) -> int:
    """Points on (or within 4 px of) a box, plus points outside the picture."""
    points = list(points)
    if not points:
        return 0
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    near = Box(min(xs) - 5, min(ys) - 5, max(xs) - min(xs) + 10, max(ys) - min(ys) + 10)
    candidates = [box for box in others if box.intersects(near)]
    return sum(
        1 for point in points for box in candidates if box.contains(*point, margin=4)
    ) + sum(1 for point in points if not bounds.contains(*point))


MAX_BEND = 110.0
"""Largest sideways offset of a curve's control point, in pixels."""


def _simple_curve(source: Box, target: Box, others: list[Box], bounds: Box) -> str | None:
    dx, dy = target.cx - source.cx, target.cy - source.cy
    length = math.hypot(dx, dy) or 1.0
    nx_, ny_ = -dy / length, dx / length  # left of the direction of travel
    mid = ((source.cx + target.cx) / 2, (source.cy + target.cy) / 2)
    for bend in (0.2, -0.2, 0.38, -0.38):
        offset = math.copysign(min(abs(bend) * length, MAX_BEND), bend)
        control = (mid[0] + nx_ * offset, mid[1] + ny_ * offset)
        start = _ray_exit(source, *control, pad=1)
        end = _ray_exit(target, *control, pad=3)
        if _hits(_curve_points(start, control, end), others, bounds) == 0:
            return (
                f"M{num(start[0])},{num(start[1])} Q{num(control[0])},{num(control[1])} "
                f"{num(end[0])},{num(end[1])}"
            )
    return None


def _channel_route(source: Box, target: Box, others: list[Box], bounds: Box) -> str:
    quarter_s, quarter_t = source.w * 0.25, target.w * 0.25
    if target.bottom < source.y:  # target higher up: leave by the top, enter from below
        start = (source.cx + quarter_s, source.y - 1)
        source_band = source.y - LAYER_GAP * 0.3
        target_band, entry_y = target.bottom + LAYER_GAP * 0.3, target.bottom + 3
    elif target.y > source.bottom:  # lower down: leave by the bottom, enter from above
        start = (source.cx + quarter_s, source.bottom + 1)
        source_band = source.bottom + LAYER_GAP * 0.3
        target_band, entry_y = target.y - LAYER_GAP * 0.3, target.y - 3
    else:  # same layer: along the band below it
        start = (source.cx + quarter_s, source.bottom + 1)
        source_band = target_band = source.bottom + LAYER_GAP * 0.3
        entry_y = target.bottom + 3
    lefts = [box.x for box in others] + [source.x, target.x]
    rights = [box.right for box in others] + [source.right, target.right]
    channels = [
        source.right + H_GAP / 2, source.x - H_GAP / 2,
        min(lefts) - H_GAP / 2, max(rights) + H_GAP / 2,
    ]
    best: tuple[int, float, list[tuple[float, float]]] | None = None
    for channel in channels:
        entry_x = target.cx - quarter_t if channel < target.cx else target.cx + quarter_t
        points = _dedupe([
            start, (start[0], source_band), (channel, source_band), (channel, target_band),
            (entry_x, target_band), (entry_x, entry_y),
        ])
        samples = [
            (a[0] + (b[0] - a[0]) * t / 12, a[1] + (b[1] - a[1]) * t / 12)
            for a, b in pairwise(points)
            for t in range(13)
        ]
        hits = _hits(samples[1:-1], others, bounds)
        length = sum(math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in pairwise(points))
        if best is None or (hits, length) < best[:2]:
            best = (hits, length, points)
    assert best is not None
    return _rounded_polyline(best[2], radius=14)


def _dedupe(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Drop repeated points and middle points of straight runs."""
    kept: list[tuple[float, float]] = []
    for point in points:
        if kept and point == kept[-1]:
            continue
        if len(kept) >= 2:
            a, b = kept[-2], kept[-1]
            if (a[0] == b[0] == point[0]) or (a[1] == b[1] == point[1]):
                kept[-1] = point
                continue
        kept.append(point)
    return kept


def _rounded_polyline(points: list[tuple[float, float]], radius: float) -> str:
    """A path through the points with each corner rounded by a quadratic curve."""
    parts = [f"M{num(points[0][0])},{num(points[0][1])}"]
    for prev, corner, nxt in zip(points, points[1:], points[2:], strict=False):
        before = _towards(corner, prev, radius)
        after = _towards(corner, nxt, radius)
        parts.append(
            f"L{num(before[0])},{num(before[1])} Q{num(corner[0])},{num(corner[1])} "
            f"{num(after[0])},{num(after[1])}"
        )
    parts.append(f"L{num(points[-1][0])},{num(points[-1][1])}")
    return " ".join(parts)


def _towards(
    point: tuple[float, float], other: tuple[float, float], distance: float
) -> tuple[float, float]:
    dx, dy = other[0] - point[0], other[1] - point[1]
    length = math.hypot(dx, dy)
    if length == 0:
        return point
    step = min(distance, length / 2)
    return point[0] + dx / length * step, point[1] + dy / length * step


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
        self.parts.extend(draw(x, y))
        self.parts.append(_text(x + icon_w + 6, y + 4, text, size=12, fill=INK))
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

        flow.item(swatch, 30, _support_label(language, level))

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
    flow.item(dots, text_width(_dots(3), 10), label(language, "powermap.legend.weight"))
    return flow


def _map_desc(plan: Plan, language: str, names: dict[str, str], team: dict[str, str]) -> str:
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

    out = _open_svg(width, height, prefix, title, _map_desc(plan, language, names, team))
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
            out.append(_reporting_line(nodes[s.id], nodes[s.reports_to]))
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
                _influence_arrow(nodes[s.id], nodes[target], others, bounds, f"{prefix}-arrow")
            )
    for s in plan.stakeholders:
        stale = None
        if s.last_contact is not None and (as_of - s.last_contact).days > stale_days:
            stale = (as_of - s.last_contact).days
        out.extend(
            _node(
                s, nodes[s.id], layout.name_lines[s.id], language, link(s.id),
                _tooltip(s, language, names, team, stale_days, as_of),
                team.get(s.owner, s.owner) if s.owner else None,
                stale, s.last_contact is None,
            )
        )
    out.extend(legend.parts)
    out.append("</svg>")
    return "\n".join(out) + "\n"


# --- the grid --------------------------------------------------------------------------

GRID_LEFT = MARGIN + 64.0
LABEL_H = 20.0
LABEL_SIZE = 12.5
LABEL_PAD = 6.0
LABEL_STAR = 15.0
LINE_STEP = 15.0
LABEL_GAP = 4.0
CELL_PAD = 8.0
QUADRANT_BAND = 24.0
MIN_ROW_H = 44.0
AXIS_H = 58.0


@dataclass(frozen=True)
class Quadrant:
    key: str
    box: Box
    fill: str
    ink: str


@dataclass(frozen=True)
class GridLayout:
    width: float
    height: float
    columns: dict[str, Box]
    """Each support level's column (full height of the grid)."""
    rows: dict[int, Box]
    """Each influence level's row (full width of the grid)."""
    cells: dict[tuple[int, str], Box]
    labels: dict[str, Box]
    """Each stakeholder's label box."""
    quadrants: list[Quadrant]
    grid: Box
    name_lines: dict[str, list[str]]


ALLY_COLUMNS = ("supporter", "champion")


def grid_layout(plan: Plan) -> GridLayout:
    people = sorted(plan.stakeholders, key=lambda s: (one_line(s.name).casefold(), s.id))
    by_cell: dict[tuple[int, str], list[Stakeholder]] = {}
    for s in people:
        by_cell.setdefault((s.influence, s.support), []).append(s)
    def star(s: Stakeholder) -> float:
        return LABEL_STAR if is_decision_maker(s) else 0.0

    widest = max(
        (text_width(one_line(s.name), LABEL_SIZE) + star(s) for s in people), default=0.0
    )
    column_w = min(max(widest + 2 * CELL_PAD + 2 * LABEL_PAD + 2, 150.0), 230.0)
    name_lines = {
        s.id: wrap_name(
            one_line(s.name), LABEL_SIZE, column_w - 2 * CELL_PAD - 2 * LABEL_PAD - star(s)
        )
        for s in people
    }

    def label_h(s: Stakeholder) -> float:
        return LABEL_H + LINE_STEP * (len(name_lines[s.id]) - 1)

    top = MARGIN + HEADER_H
    columns: dict[str, Box] = {}
    rows: dict[int, Box] = {}
    cells: dict[tuple[int, str], Box] = {}
    labels: dict[str, Box] = {}
    y = top
    for influence in (5, 4, 3, 2, 1):
        band = QUADRANT_BAND if influence in (5, HIGH_INFLUENCE - 1) else 0.0
        stack = max(
            (
                sum(label_h(s) for s in group) + LABEL_GAP * (len(group) - 1)
                for level in SUPPORT_LEVELS
                if (group := by_cell.get((influence, level), []))
            ),
            default=0.0,
        )
        height = max(MIN_ROW_H, band + 2 * CELL_PAD + stack)
        rows[influence] = Box(GRID_LEFT, y, column_w * len(SUPPORT_LEVELS), height)
        for index, level in enumerate(SUPPORT_LEVELS):
            cell = Box(GRID_LEFT + index * column_w, y, column_w, height)
            cells[(influence, level)] = cell
            next_y = y + band + CELL_PAD
            for s in by_cell.get((influence, level), []):
                labels[s.id] = Box(cell.x + CELL_PAD, next_y, column_w - 2 * CELL_PAD, label_h(s))
                next_y += label_h(s) + LABEL_GAP
        y += height
    grid = Box(GRID_LEFT, top, column_w * len(SUPPORT_LEVELS), y - top)
    for index, level in enumerate(SUPPORT_LEVELS):
        columns[level] = Box(GRID_LEFT + index * column_w, top, column_w, grid.h)
    split_x = GRID_LEFT + SUPPORT_LEVELS.index(ALLY_COLUMNS[0]) * column_w
    split_y = rows[HIGH_INFLUENCE - 1].y
    quadrants = [
        Quadrant("win-over", Box(grid.x, grid.y, split_x - grid.x, split_y - grid.y),
                 "#fdf3e6", "#8a4b00"),
        Quadrant("key-allies", Box(split_x, grid.y, grid.right - split_x, split_y - grid.y),
                 "#e8f1fb", "#0b4f94"),
        Quadrant("monitor", Box(grid.x, split_y, split_x - grid.x, grid.bottom - split_y),
                 "#f4f5f7", "#57606a"),
        Quadrant("keep-informed",
                 Box(split_x, split_y, grid.right - split_x, grid.bottom - split_y),
                 "#f0f6f9", "#2f5f7a"),
    ]
    return GridLayout(
        width=grid.right + MARGIN,
        height=grid.bottom + AXIS_H + MARGIN,
        columns=columns,
        rows=rows,
        cells=cells,
        labels=labels,
        quadrants=quadrants,
        grid=grid,
        name_lines=name_lines,
    )


def _grid_desc(plan: Plan, language: str, layout: GridLayout) -> str:
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
    out = _open_svg(width, layout.height, prefix, title, _grid_desc(plan, language, layout))
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
            _text(column.cx, grid.bottom + 20, _support_label(language, level), size=12,
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
        tooltip = _tooltip(s, language, names, team, None, None)
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
