"""The `cxplan status` report as text (terminal), JSON (tools) and Markdown (PR comments).

All three are drawn from the same `PlanStatus` values (`cxplan.analyse.tracking`), so
they always agree. The JSON document is a stable interface; its shape is:

    {
      "as_of": "YYYY-MM-DD",
      "owner": null | "person-id",          # the --owner filter, when given
      "due_soon_days": 14,
      "plans": [
        {
          "id": "plan-id", "title": "...", "customer": "...", "path": "plans/x.yaml",
          "quick_wins": {"done": 2, "total": 4},   # dropped quick wins not counted
          "actions": {"done": 5, "total": 12},     # dropped actions not counted
          "overdue": [                              # most days late first
            {"id", "title", "owner", "owner_name", "due", "days_late", "status"}
          ],
          "due_soon": [                             # soonest first
            {"id", "title", "owner", "owner_name", "due", "days_left", "status"}
          ],
          "blocked": [
            {"id", "title", "owner", "owner_name", "due", "days_late", "status"}
          ],
          "commitments": {
            "broken": [                             # worst satisfaction first
              {"id", "promise", "to", "owner", "owner_name", "due",
               "expectation", "perceived", "satisfaction"}
            ],
            "overdue": [                            # past due and not measured
              {"id", "promise", "to", "owner", "owner_name", "due", "days_late"}
            ]
          },
          "kpis_off_track": [
            {"id", "name", "owner", "owner_name", "direction", "unit", "baseline",
             "target", "latest": {"date", "value"}}
          ]
        }
      ],
      "summary": {"plans", "overdue", "due_soon", "blocked", "commitments_broken",
                  "commitments_overdue", "kpis_off_track"}
    }

Dates are ISO strings, numbers are JSON numbers, `unit`/`baseline` may be null. Keys
are only ever added, never renamed or removed. `cxplan.render.mutual_status` adds the
customer's late steps and the renewal to each plan (`waiting_on_customer`, `renewal`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from cxplan import defaults, i18n
from cxplan.analyse.tracking import PlanStatus, kpi_latest
from cxplan.model.plan import Kpi

BAR_WIDTH = 20


# --- JSON ---------------------------------------------------------------------------


def _number(value: float | int | None) -> float | int | None:
    # 96.0 reads better as 96 in JSON and Markdown; the value is the same number.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def status_document(
    statuses: Sequence[PlanStatus],
    as_of: dt.date,
    *,
    owner: str | None = None,
    due_soon_days: int = defaults.DUE_SOON_DAYS,
    paths: dict[str, str] | None = None,
    names: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    """The JSON document described in the module docstring, as Python values.

    `paths` maps plan id to its file path; `names` maps plan id to {person id: name}.
    """
    paths = paths or {}
    names = names or {}
    plans = []
    for status in statuses:
        people = names.get(status.plan_id, {})

        def who(person: str, people: dict[str, str] = people) -> dict[str, Any]:
            return {"owner": person, "owner_name": people.get(person)}

        plans.append(
            {
                "id": status.plan_id,
                "title": status.title,
                "customer": status.customer,
                "path": paths.get(status.plan_id),
                "quick_wins": {"done": status.quick_wins_done, "total": status.quick_wins_total},
                "actions": {"done": status.actions_done, "total": status.actions_total},
                "overdue": [
                    {
                        "id": late.action.id,
                        "title": late.action.title,
                        **who(late.action.owner),
                        "due": late.action.due.isoformat(),
                        "days_late": late.days_late,
                        "status": late.action.status,
                    }
                    for late in status.overdue
                ],
                "due_soon": [
                    {
                        "id": action.id,
                        "title": action.title,
                        **who(action.owner),
                        "due": action.due.isoformat(),
                        "days_left": (action.due - as_of).days,
                        "status": action.status,
                    }
                    for action in status.due_soon
                ],
                "blocked": [
                    {
                        "id": action.id,
                        "title": action.title,
                        **who(action.owner),
                        "due": action.due.isoformat(),
                        "days_late": max(0, (as_of - action.due).days),
                        "status": action.status,
                    }
                    for action in status.blocked
                ],
                "commitments": {
                    "broken": [
                        {
                            "id": c.id,
                            "promise": c.promise,
                            "to": c.to,
                            **who(c.owner),
                            "due": c.due.isoformat(),
                            "expectation": c.expectation,
                            "perceived": c.perceived,
                            "satisfaction": (c.perceived or 0) - c.expectation,
                        }
                        for c in status.commitments_broken
                    ],
                    "overdue": [
                        {
                            "id": late.commitment.id,
                            "promise": late.commitment.promise,
                            "to": late.commitment.to,
                            **who(late.commitment.owner),
                            "due": late.commitment.due.isoformat(),
                            "days_late": late.days_late,
                        }
                        for late in status.commitments_overdue
                    ],
                },
                "kpis_off_track": [_kpi_entry(kpi, who) for kpi in status.kpis_off_track],
            }
        )
    return {
        "as_of": as_of.isoformat(),
        "owner": owner,
        "due_soon_days": due_soon_days,
        "plans": plans,
        "summary": summary(statuses),
    }


def _kpi_entry(kpi: Kpi, who: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    latest = kpi_latest(kpi)
    return {
        "id": kpi.id,
        "name": kpi.name,
        **who(kpi.owner),
        "direction": kpi.direction,
        "unit": kpi.unit,
        "baseline": _number(kpi.baseline),
        "target": _number(kpi.target),
        "latest": (
            {"date": latest.date.isoformat(), "value": _number(latest.value)}
            if latest is not None
            else None
        ),
    }


def summary(statuses: Sequence[PlanStatus]) -> dict[str, int]:
    return {
        "plans": len(statuses),
        "overdue": sum(len(s.overdue) for s in statuses),
        "due_soon": sum(len(s.due_soon) for s in statuses),
        "blocked": sum(len(s.blocked) for s in statuses),
        "commitments_broken": sum(len(s.commitments_broken) for s in statuses),
        "commitments_overdue": sum(len(s.commitments_overdue) for s in statuses),
        "kpis_off_track": sum(len(s.kpis_off_track) for s in statuses),
    }


def format_json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# --- text ---------------------------------------------------------------------------

Style = Callable[..., str]


def _plain(text: str, **_: Any) -> str:
    return text


def _one_line(text: str) -> str:
    """Titles may hold line breaks (YAML block scalars); a report line must not."""
    return re.sub(r"\s+", " ", text).strip()


def _shorten(text: str, width: int) -> str:
    text = _one_line(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def text_bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    """`[#########-----------]`: ASCII, so it survives any terminal and any log."""
    filled = round(width * done / total) if total else 0
    return "[" + "#" * filled + "-" * (width - filled) + "]"


def _percent(done: int, total: int, language: str) -> str:
    return i18n.percent(done / total, language) if total else "-"


def format_text(
    document: dict[str, Any], *, style: Style | None = None, width: int = 100,
    language: str = i18n.DEFAULT_LANGUAGE,
) -> str:
    """A terminal report in `language`. `style` is `click.style` (or anything with its
    signature) to colour it; the default adds no escape codes at all."""
    paint = style or _plain

    def t(key: str, **params: Any) -> str:
        return i18n.text(language, f"status.{key}", **params)

    def days(count: int) -> str:
        return t("days", count=count)

    lines = [paint(t("heading", as_of=document["as_of"]), bold=True)]
    if document.get("owner"):
        lines[0] += " " + t("owner", owner=document["owner"])
    title_width = max(30, width - 50)
    for plan in document["plans"]:
        lines.append("")
        lines.append(
            paint(_one_line(plan["title"]), bold=True) + f" ({plan['id']}) - "
            + _one_line(plan["customer"])
        )
        for label, counts in (
            (t("quick_wins"), plan["quick_wins"]), (t("actions"), plan["actions"])
        ):
            done, total = counts["done"], counts["total"]
            colour = "green" if total and done == total else None
            bar = text_bar(done, total)
            lines.append(
                f"  {label:<11} {paint(bar, fg=colour) if colour else bar} "
                f"{done:>3}/{total:<3} {_percent(done, total, language):>4}"
            )

        def item_line(when: str, item: dict[str, Any], text: str) -> str:
            return (
                f"    {when} {t('due', due=item['due'])}  {item['owner']:<14} {item['id']}: "
                f"{_shorten(text, title_width)}"
            )

        quiet = True
        if plan["overdue"]:
            quiet = False
            lines.append(paint("  " + t("overdue", count=len(plan["overdue"])), fg="red",
                               bold=True))
            for item in plan["overdue"]:
                late = f"{t('late', days=days(item['days_late'])):<13}"
                lines.append(item_line(paint(late, fg="red"), item, item["title"]))
        if plan["due_soon"]:
            quiet = False
            soon = document.get("due_soon_days", defaults.DUE_SOON_DAYS)
            lines.append(paint("  " + t("due_soon", days=soon, count=len(plan["due_soon"])),
                               fg="yellow", bold=True))
            for item in plan["due_soon"]:
                left = item["days_left"]
                when = t("today") if left == 0 else t("in_days", days=days(left))
                lines.append(item_line(f"{when:<13}", item, item["title"]))
        if plan["blocked"]:
            quiet = False
            lines.append(paint("  " + t("blocked", count=len(plan["blocked"])), fg="magenta",
                               bold=True))
            for item in plan["blocked"]:
                lines.append(item_line(f"{t('blocked_word'):<13}", item, item["title"]))
        broken = plan["commitments"]["broken"]
        if broken:
            quiet = False
            lines.append(paint("  " + t("broken", count=len(broken)), fg="red", bold=True))
            for item in broken:
                score = t("score", score=str(item["satisfaction"]))
                lines.append(
                    item_line(f"{score:<13}", item, item["promise"]) + " "
                    + t("expected_perceived", expectation=str(item["expectation"]),
                        perceived=str(item["perceived"]))
                )
        unmeasured = plan["commitments"]["overdue"]
        if unmeasured:
            quiet = False
            lines.append(paint("  " + t("unmeasured", count=len(unmeasured)), fg="yellow",
                               bold=True))
            for item in unmeasured:
                late = t("late", days=days(item["days_late"]))
                lines.append(item_line(f"{late:<13}", item, item["promise"]))
        if plan["kpis_off_track"]:
            quiet = False
            lines.append(paint("  " + t("kpis_off", count=len(plan["kpis_off_track"])),
                               fg="yellow", bold=True))
            for item in plan["kpis_off_track"]:
                unit = f" {item['unit']}" if item["unit"] else ""
                latest = item["latest"]
                better = t("higher") if item["direction"] == "up" else t("lower")
                lines.append("    " + t(
                    "kpi_line", id=item["id"], name=_shorten(item["name"], title_width),
                    value=f"{latest['value']}{unit}", date=str(latest["date"]),
                    target=f"{item['target']}{unit}", better=better, owner=item["owner"],
                ))
        if quiet:
            lines.append(paint("  " + t("quiet"), fg="green"))
    totals = document["summary"]
    lines.append("")
    verdict = (
        paint(t("overdue_total", count=totals["overdue"]), fg="red", bold=True)
        if totals["overdue"]
        else paint(t("nothing_overdue"), fg="green")
    )
    lines.append(t(
        "summary", plans=totals["plans"], verdict=verdict, due_soon=totals["due_soon"],
        blocked=totals["blocked"], broken=totals["commitments_broken"],
        past_due=totals["commitments_overdue"], kpis=totals["kpis_off_track"],
    ))
    return "\n".join(lines) + "\n"


# --- Markdown -------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~!])")


def md_escape(text: str) -> str:
    """Text safe inside a Markdown table cell of a pull-request comment: one line, no
    table breaks, no emphasis, links, HTML or mentions by accident."""
    text = _one_line(text).replace("&", "&amp;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("@", "@\u200b")  # no accidental @mentions of GitHub users


def md_bar(done: int, total: int, width: int = 10) -> str:
    filled = round(width * done / total) if total else 0
    return "█" * filled + "░" * (width - filled)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def format_markdown(
    document: dict[str, Any], language: str = i18n.DEFAULT_LANGUAGE
) -> str:
    """A pull-request comment in `language`: a summary table, then one section per plan
    with something to act on."""

    def t(key: str, **params: Any) -> str:
        return i18n.text(language, f"status.{key}", **params)

    def md(key: str, **params: Any) -> str:
        return t(f"md.{key}", **params)

    heading = "## " + t("heading", as_of=document["as_of"])
    if document.get("owner"):
        heading += " " + md("owner", owner=md_escape(document["owner"]))
    lines = [heading, ""]
    rows = []
    for plan in document["plans"]:
        qw, acts = plan["quick_wins"], plan["actions"]
        rows.append(
            [
                f"{md_escape(plan['title'])} (`{plan['id']}`)",
                f"{md_bar(qw['done'], qw['total'])} {qw['done']}/{qw['total']}",
                f"{acts['done']}/{acts['total']}",
                str(len(plan["overdue"])),
                str(len(plan["due_soon"])),
                str(len(plan["blocked"])),
                str(len(plan["commitments"]["broken"])),
                str(len(plan["kpis_off_track"])),
            ]
        )
    lines += _table(
        [md("plan"), t("quick_wins"), t("actions"), md("overdue_col"), md("due_soon_col"),
         md("blocked_col"), md("broken_col"), md("kpis_col")],
        rows,
    )
    for plan in document["plans"]:
        sections: list[str] = []
        if plan["overdue"]:
            sections += ["", f"**{md('overdue', count=len(plan['overdue']))}**", ""]
            sections += _table(
                [md("action"), md("owner_col"), md("due"), md("days_late")],
                [
                    [f"`{i['id']}` {md_escape(i['title'])}", md_escape(i["owner"]), i["due"],
                     str(i["days_late"])]
                    for i in plan["overdue"]
                ],
            )
        if plan["due_soon"]:
            days = document.get("due_soon_days", defaults.DUE_SOON_DAYS)
            sections += ["", f"**{t('due_soon', days=days, count=len(plan['due_soon']))}**", ""]
            sections += _table(
                [md("action"), md("owner_col"), md("due"), md("days_left")],
                [
                    [f"`{i['id']}` {md_escape(i['title'])}", md_escape(i["owner"]), i["due"],
                     str(i["days_left"])]
                    for i in plan["due_soon"]
                ],
            )
        if plan["blocked"]:
            sections += ["", f"**{t('blocked', count=len(plan['blocked']))}**", ""]
            sections += _table(
                [md("action"), md("owner_col"), md("due")],
                [
                    [f"`{i['id']}` {md_escape(i['title'])}", md_escape(i["owner"]), i["due"]]
                    for i in plan["blocked"]
                ],
            )
        broken = plan["commitments"]["broken"]
        late = plan["commitments"]["overdue"]
        if broken or late:
            sections += ["", f"**{md('commitments')}**", ""]
            sections += _table(
                [md("commitment"), md("owner_col"), md("due"), md("state")],
                [
                    [f"`{i['id']}` {md_escape(i['promise'])}", md_escape(i["owner"]), i["due"],
                     md("broken_state", score=str(i["satisfaction"]),
                        expectation=str(i["expectation"]), perceived=str(i["perceived"]))]
                    for i in broken
                ]
                + [
                    [f"`{i['id']}` {md_escape(i['promise'])}", md_escape(i["owner"]), i["due"],
                     md("unmeasured_state", days=t("days", count=i["days_late"]))]
                    for i in late
                ],
            )
        if plan["kpis_off_track"]:
            sections += ["", f"**{t('kpis_off', count=len(plan['kpis_off_track']))}**", ""]
            sections += _table(
                [md("kpi"), md("owner_col"), md("latest"), md("baseline"), md("target"),
                 md("better")],
                [
                    [
                        f"`{i['id']}` {md_escape(i['name'])}",
                        md_escape(i["owner"]),
                        f"{i['latest']['value']} ({i['latest']['date']})",
                        "" if i["baseline"] is None else str(i["baseline"]),
                        str(i["target"]),
                        md("higher") if i["direction"] == "up" else md("lower"),
                    ]
                    for i in plan["kpis_off_track"]
                ],
            )
        if sections:
            lines += ["", f"### {md_escape(plan['title'])} (`{plan['id']}`)", *sections]
    totals = document["summary"]
    lines += [
        "",
        md("summary", plans=totals["plans"], overdue=totals["overdue"],
           due_soon=totals["due_soon"], blocked=totals["blocked"]),
    ]
    return "\n".join(lines) + "\n"
