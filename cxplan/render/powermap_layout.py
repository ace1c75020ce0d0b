"""Where the power map puts each person: the map's tidy tree and the grid's cells."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from cxplan.analyse.powermap import HIGH_INFLUENCE, is_decision_maker, reporting_forest
from cxplan.model.plan import SUPPORT_LEVELS, Plan, Stakeholder
from cxplan.render.svg import Box, one_line, segments_cross, text_width, wrap_name

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
    """The reporting forest as the layout reorders it (roots and reports are sorted to
    cross fewer lines), with the influence lines the order is judged by."""

    roots: list[str]
    children: dict[str, list[str]]
    influence: list[tuple[str, str]]
    subtree: dict[str, frozenset[str]] = field(default_factory=dict)


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
            if segments_cross(a, b, c, d):
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
    trees = reporting_forest(plan)  # the analysis's; reordered here, never rebuilt
    forest = _Forest(
        roots=list(trees.roots),
        children={node: list(kids) for node, kids in trees.children.items()},
        influence=sorted(
            {(s.id, t) for s in people for t in s.influences if t in order and t != s.id}
        ),
        subtree=dict(trees.subtree),
    )
    reached = trees.in_trees
    # Everyone not in a reporting tree (including, defensively, people caught in a
    # reporting loop that a valid plan cannot have) goes to the side group.
    unattached = sorted(
        (s.id for s in people if s.id not in reached),
        key=lambda sid: (-influence_of[sid], order[sid]),
    )
    reporting = sorted((a, b) for a, b in trees.manager.items() if a in reached)

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


