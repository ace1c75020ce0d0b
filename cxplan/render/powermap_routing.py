"""The power map's lines: reporting lines and influence arrows routed around boxes."""

from __future__ import annotations

import math
from collections.abc import Iterable
from itertools import pairwise

from cxplan.render.powermap_layout import H_GAP, LAYER_GAP
from cxplan.render.powermap_style import INFLUENCE_COLOUR, LINE
from cxplan.render.svg import Box, num, ray_exit


def reporting_line(child: Box, parent: Box) -> str:
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


def influence_arrow(
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
        start = ray_exit(source, *control, pad=1)
        end = ray_exit(target, *control, pad=3)
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


