"""Tracking charts as small, self-contained SVG documents.

Every chart is deterministic (same input, same bytes: no clock, no random ids, fixed
number formatting), self-contained (no script, no external reference, no web font)
and accessible (`role="img"`, a `<title>` and a `<desc>` stating the figures in
words, in the plan's language). All text is XML-escaped. Text and axes use
`currentColor`, so an SVG inlined in a page follows the theme's light or dark text
colour; the data colours are mid-tones readable on both.

Element ids are prefixed (`id_prefix`, by default a short hash of what the chart
shows) so several charts can be inlined in one page without clashing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Sequence

from cxplan.analyse.tracking import burnup_series, kpi_expected, kpi_latest
from cxplan.i18n import labels
from cxplan.model.plan import Kpi, Plan, PlanInfo
from cxplan.render.svg import esc, num

DONE_COLOUR = "#2e7d32"
DUE_COLOUR = "#8a8a8a"
TARGET_COLOUR = "#2e7d32"
BASELINE_COLOUR = "#8a8a8a"
READING_COLOUR = "#1565c0"
AS_OF_COLOUR = "#c62828"
TRACK_COLOUR = "#d9d9d9"
FONT = 'font-family="sans-serif" font-size="11"'


def number(value: float | int) -> str:
    """A reading as people write it: 96, 3.8, 0.25 (at most two decimals)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return str(value)
    return f"{value:.2f}".rstrip("0").rstrip(".")


def with_unit(value: float | int, unit: str | None) -> str:
    if not unit:
        return number(value)
    return f"{number(value)}{unit}" if unit == "%" else f"{number(value)} {unit}"


def _prefix(kind: str, *parts: object) -> str:
    digest = hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()[:8]
    return f"cx-{kind}-{digest}"


def _open(width: int, height: int, prefix: str, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" class="cxplan-chart">',
        f'<title id="{prefix}-title">{esc(title)}</title>',
        f'<desc id="{prefix}-desc">{esc(desc)}</desc>',
    ]


def _nice_step(span: float, ticks: int = 5) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about `ticks` ticks."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return float(factor * power)
    return float(10 * power)


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    months = []
    day = dt.date(first.year, first.month, 1)
    if day < first:
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    while day <= last:
        months.append(day)
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


def _date_ticks(first: dt.date, last: dt.date, most: int = 8) -> list[dt.date]:
    months = _month_starts(first, last)
    if not months:
        return [first, last] if first != last else [first]
    step = max(1, math.ceil(len(months) / most))
    return months[::step]


def _message_svg(width: int, height: int, prefix: str, title: str, desc: str, text: str) -> str:
    lines = _open(width, height, prefix, title, desc)
    lines.append(
        f'<text x="{width // 2}" y="{height // 2}" text-anchor="middle" {FONT} '
        f'fill="currentColor">{esc(text)}</text>'
    )
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


# --- burn-up --------------------------------------------------------------------------


def burnup_svg(
    plan: Plan,
    language: str,
    as_of: dt.date,
    *,
    width: int = 640,
    height: int = 260,
    id_prefix: str | None = None,
) -> str:
    """Cumulative actions done (by `done_on`, up to `as_of`) against the cumulative
    count due by each date, from the plan's start to its end (or the last due date),
    with a marker at `as_of`. Dropped actions are left out of both lines."""
    text = labels(language)
    points = burnup_series(plan, as_of)
    total = sum(1 for a in plan.actions if a.status != "dropped")
    title = text["tracking.burnup.title"]
    latest = [p for p in points if p.date <= as_of]
    done_now = latest[-1].done if latest else 0
    due_now = latest[-1].due if latest else 0
    desc = text["tracking.burnup.desc"].format(
        done=done_now, total=total, date=as_of.isoformat(), due=due_now
    )
    prefix = id_prefix or _prefix(
        "burnup", plan.plan.title, as_of, [(p.date, p.done, p.due) for p in points]
    )
    if total == 0:
        return _message_svg(width, height, prefix, title, desc, text["tracking.burnup.empty"])

    left, right, top, bottom = 40, 16, 36, 36
    first = min(p.date for p in points)
    last = max(p.date for p in points)
    if last == first:
        last = first + dt.timedelta(days=1)
    span_days = (last - first).days
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(day: dt.date) -> float:
        return left + plot_w * (day - first).days / span_days

    def y(count: float) -> float:
        return top + plot_h * (1 - count / total)

    lines = _open(width, height, prefix, title, desc)
    # Grid and axes.
    step = max(1, int(_nice_step(total)))
    counts = list(range(0, total + 1, step))
    if total - counts[-1] >= step / 2:
        counts.append(total)  # label the top unless it would crowd the last tick
    for count in counts:
        lines.append(
            f'<line x1="{left}" y1="{num(y(count))}" x2="{width - right}" y2="{num(y(count))}" '
            f'stroke="currentColor" stroke-opacity="0.15"/>'
        )
        lines.append(
            f'<text x="{left - 6}" y="{num(y(count) + 4)}" text-anchor="end" {FONT} '
            f'fill="currentColor">{count}</text>'
        )
    lines.append(
        f'<line x1="{left}" y1="{num(y(0))}" x2="{width - right}" y2="{num(y(0))}" '
        f'stroke="currentColor" stroke-opacity="0.6"/>'
    )
    for tick in _date_ticks(first, last):
        lines.append(
            f'<line x1="{num(x(tick))}" y1="{num(y(0))}" x2="{num(x(tick))}" '
            f'y2="{num(y(0) + 4)}" stroke="currentColor" stroke-opacity="0.6"/>'
        )
        lines.append(
            f'<text x="{num(x(tick))}" y="{num(y(0) + 16)}" text-anchor="middle" {FONT} '
            f'fill="currentColor">{tick.strftime("%Y-%m")}</text>'
        )

    def steps(values: Sequence[tuple[dt.date, int]]) -> str:
        path = f"M{num(x(values[0][0]))} {num(y(values[0][1]))}"
        for day, count in values[1:]:
            path += f" H{num(x(day))} V{num(y(count))}"
        return path

    due_line = [(p.date, p.due) for p in points]
    lines.append(
        f'<path d="{steps(due_line)}" fill="none" stroke="{DUE_COLOUR}" stroke-width="2" '
        f'stroke-dasharray="5 4"/>'
    )
    done_line = [(p.date, p.done) for p in points if p.date <= as_of]
    if done_line:
        lines.append(
            f'<path d="{steps(done_line)}" fill="none" stroke="{DONE_COLOUR}" '
            f'stroke-width="2.5"/>'
        )
    # The as-of marker.
    if first <= as_of <= last:
        ax = num(x(as_of))
        lines.append(
            f'<line x1="{ax}" y1="{top - 2}" x2="{ax}" y2="{num(y(0))}" stroke="{AS_OF_COLOUR}" '
            f'stroke-width="1.5" stroke-dasharray="2 3"/>'
        )
        anchor = "end" if x(as_of) > left + plot_w * 0.75 else "start"
        shift = -4 if anchor == "end" else 4
        lines.append(
            f'<text x="{num(x(as_of) + shift)}" y="{top - 5}" text-anchor="{anchor}" {FONT} '
            f'fill="{AS_OF_COLOUR}">'
            f"{esc(text['tracking.as_of'].format(date=as_of.isoformat()))}</text>"
        )
    # Legend.
    lines.append(
        f'<line x1="{left}" y1="12" x2="{left + 20}" y2="12" stroke="{DONE_COLOUR}" '
        f'stroke-width="2.5"/>'
    )
    lines.append(
        f'<text x="{left + 26}" y="16" {FONT} fill="currentColor">'
        f"{esc(text['tracking.burnup.done'])} ({done_now})</text>"
    )
    lines.append(
        f'<line x1="{left + 150}" y1="12" x2="{left + 170}" y2="12" stroke="{DUE_COLOUR}" '
        f'stroke-width="2" stroke-dasharray="5 4"/>'
    )
    lines.append(
        f'<text x="{left + 176}" y="16" {FONT} fill="currentColor">'
        f"{esc(text['tracking.burnup.due'])} ({due_now})</text>"
    )
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


# --- KPI ------------------------------------------------------------------------------


def kpi_svg(
    kpi: Kpi,
    language: str,
    *,
    period: PlanInfo | None = None,
    width: int = 480,
    height: int = 220,
    id_prefix: str | None = None,
) -> str:
    """The KPI's readings as a line, with its baseline and target as horizontal lines,
    the better side of the target lightly shaded and an arrow saying which way is
    better. With `period` (the plan's `plan` section, with an `end`), also the dotted
    pace line `kpi_on_track` compares against."""
    text = labels(language)
    better = text["tracking.kpi.higher" if kpi.direction == "up" else "tracking.kpi.lower"]
    latest = kpi_latest(kpi)
    none = text["tracking.none"]
    baseline = with_unit(kpi.baseline, kpi.unit) if kpi.baseline is not None else none
    target = with_unit(kpi.target, kpi.unit)
    if latest is None:
        desc = text["tracking.kpi.desc_empty"].format(
            name=kpi.name, baseline=baseline, target=target, better=better
        )
    else:
        desc = text["tracking.kpi.desc"].format(
            name=kpi.name, value=with_unit(latest.value, kpi.unit),
            date=latest.date.isoformat(), baseline=baseline, target=target, better=better,
        )
    prefix = id_prefix or _prefix("kpi", kpi.id, kpi.model_dump_json(), period)
    readings = sorted(kpi.readings, key=lambda r: r.date)

    # Value range: readings, baseline and target, padded by 10 %.
    values = [float(r.value) for r in readings] + [float(kpi.target)]
    if kpi.baseline is not None:
        values.append(float(kpi.baseline))
    low, high = min(values), max(values)
    pad = (high - low) * 0.1 or max(abs(high) * 0.1, 1.0)
    low, high = low - pad, high + pad
    # Date range: readings, and the plan's period when given.
    dates = [r.date for r in readings]
    if period is not None:
        dates.append(period.start)
        if period.end is not None:
            dates.append(period.end)
    if dates:
        first, last = min(dates), max(dates)
    else:
        first = last = dt.date(2000, 1, 1)
    if first == last:
        first, last = first - dt.timedelta(days=15), last + dt.timedelta(days=15)
    else:
        # A little room so the first and last points are not cut by the frame.
        margin = dt.timedelta(days=max(1, (last - first).days // 30))
        first, last = first - margin, last + margin

    left, right, top, bottom = 48, 16, 30, 34
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(day: dt.date) -> float:
        return left + plot_w * (day - first).days / (last - first).days

    def y(value: float) -> float:
        return top + plot_h * (high - value) / (high - low)

    lines = _open(width, height, prefix, kpi.name, desc)
    clip = f"{prefix}-plot"
    lines.append(
        f'<defs><clipPath id="{clip}"><rect x="{left}" y="{top}" width="{plot_w}" '
        f'height="{plot_h}"/></clipPath></defs>'
    )
    # The better side of the target, lightly shaded.
    ty = y(float(kpi.target))
    band_top, band_bottom = (top, ty) if kpi.direction == "up" else (ty, top + plot_h)
    lines.append(
        f'<rect x="{left}" y="{num(band_top)}" width="{plot_w}" '
        f'height="{num(max(0.0, band_bottom - band_top))}" fill="{TARGET_COLOUR}" '
        f'fill-opacity="0.08"/>'
    )
    # Value axis ticks.
    step = _nice_step(high - low)
    tick = math.ceil(low / step) * step
    while tick <= high:
        lines.append(
            f'<line x1="{left}" y1="{num(y(tick))}" x2="{width - right}" y2="{num(y(tick))}" '
            f'stroke="currentColor" stroke-opacity="0.12"/>'
        )
        lines.append(
            f'<text x="{left - 6}" y="{num(y(tick) + 4)}" text-anchor="end" {FONT} '
            f'fill="currentColor">{esc(number(round(tick, 6)))}</text>'
        )
        tick += step
    lines.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        f'stroke="currentColor" stroke-opacity="0.6"/>'
    )
    for day in _date_ticks(first, last, most=6):
        lines.append(
            f'<text x="{num(x(day))}" y="{top + plot_h + 16}" text-anchor="middle" {FONT} '
            f'fill="currentColor">{day.strftime("%Y-%m")}</text>'
        )
    # Baseline and target.
    guides = [(float(kpi.target), TARGET_COLOUR, f"{text['tracking.kpi.target']} {target}")]
    if kpi.baseline is not None:
        guides.append(
            (float(kpi.baseline), BASELINE_COLOUR, f"{text['tracking.kpi.baseline']} {baseline}")
        )
    for value, colour, caption in guides:
        gy = num(y(value))
        lines.append(
            f'<line x1="{left}" y1="{gy}" x2="{width - right}" y2="{gy}" stroke="{colour}" '
            f'stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
        lines.append(
            f'<text x="{width - right - 4}" y="{num(y(value) - 4)}" text-anchor="end" {FONT} '
            f'fill="{colour}">{esc(caption)}</text>'
        )
    # The pace line, when the plan's period is known.
    if period is not None and period.end is not None and (readings or kpi.baseline is not None):
        start_day = period.start if kpi.baseline is not None else readings[0].date
        begin = kpi_expected(kpi, period, start_day)
        end = kpi_expected(kpi, period, period.end)
        if begin is not None and end is not None:
            lines.append(
                f'<line x1="{num(x(start_day))}" y1="{num(y(begin))}" x2="{num(x(period.end))}" '
                f'y2="{num(y(end))}" stroke="currentColor" stroke-opacity="0.35" '
                f'stroke-dasharray="1 3" clip-path="url(#{clip})"/>'
            )
    # Readings.
    if readings:
        path = " ".join(
            f"{'M' if i == 0 else 'L'}{num(x(r.date))} {num(y(float(r.value)))}"
            for i, r in enumerate(readings)
        )
        lines.append(
            f'<path d="{path}" fill="none" stroke="{READING_COLOUR}" stroke-width="2"/>'
        )
        for r in readings:
            lines.append(
                f'<circle cx="{num(x(r.date))}" cy="{num(y(float(r.value)))}" r="3.5" '
                f'fill="{READING_COLOUR}"><title>{r.date.isoformat()}: '
                f"{esc(with_unit(r.value, kpi.unit))}</title></circle>"
            )
    else:
        lines.append(
            f'<text x="{left + plot_w // 2}" y="{top + plot_h // 2}" text-anchor="middle" '
            f'{FONT} fill="currentColor">{esc(text["tracking.kpi.no_readings"])}</text>'
        )
    # Direction cue.
    arrow = "\u2191" if kpi.direction == "up" else "\u2193"
    lines.append(
        f'<text x="{left}" y="16" {FONT} fill="currentColor">'
        f"{arrow} {esc(better)}</text>"
    )
    if latest is not None:
        lines.append(
            f'<text x="{width - right}" y="16" text-anchor="end" {FONT} '
            f'fill="{READING_COLOUR}">{esc(with_unit(latest.value, kpi.unit))} '
            f"({latest.date.isoformat()})</text>"
        )
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


# --- progress bar ---------------------------------------------------------------------


def progress_bar_svg(
    done: int,
    total: int,
    language: str,
    *,
    width: int = 160,
    height: int = 14,
    id_prefix: str | None = None,
) -> str:
    """A compact bar for tables and boards: a track, a fill for `done / total` and
    the figure spoken in `<title>` ("4 of 6 done"). The number itself is left to the
    page, next to the bar, so it can be read and copied as text."""
    text = labels(language)
    caption = (
        text["tracking.progress"].format(done=done, total=total)
        if total
        else text["tracking.progress.empty"]
    )
    share = min(1.0, done / total) if total else 0.0
    prefix = id_prefix or _prefix("progress", done, total, language)
    radius = height / 2
    fill_width = width * share
    colour = DONE_COLOUR
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{prefix}-title" '
        f'class="cxplan-progress">',
        f'<title id="{prefix}-title">{esc(caption)}</title>',
        f'<rect x="0" y="0" width="{width}" height="{height}" rx="{num(radius)}" '
        f'fill="{TRACK_COLOUR}"/>',
    ]
    if fill_width > 0:
        lines.append(
            f'<rect x="0" y="0" width="{num(max(fill_width, height))}" height="{height}" '
            f'rx="{num(radius)}" fill="{colour}"/>'
        )
    lines.append("</svg>")
    return "\n".join(lines) + "\n"
