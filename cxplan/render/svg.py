"""SVG primitives shared by the pictures: escaping, numbers, text widths and fitting, boxes."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from cxplan.render.xmltext import xml_text

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


def ray_exit(box: Box, tx: float, ty: float, pad: float = 0.0) -> tuple[float, float]:
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


def segments_cross(
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


