"""The `cxplan history` report as text (terminal), JSON (tools) and Markdown (PR comments).

Text and Markdown are in the report's language (the plans', or `--language`); the JSON
is for tools and carries codes, not sentences.

All three are drawn from the same `PlanHistory` values (`cxplan.analyse.history`). The
JSON document is a stable interface (keys are only ever added); its shape is:

    {
      "plans": [
        {
          "id": "plan-id", "path": "plans/x.yaml",
          "state": "ok" | "no-git" | "not-committed",
          "reason": "" | "why there is no history",
          "commits": 12,                 # commits seen that changed the file (no merges)
          "shallow": false,              # a shallow clone: older history is not here
          "oldest": null | {commit},     # the oldest commit seen
          "since": null | "YYYY-MM-DD",
          "slips": [                     # actions still in the plan whose due moved
            {"action", "title", "first_due", "current_due", "moves", "days_slipped",
             "commits": [sha, ...]}      # the commits that moved it, oldest first
          ],
          "changes": [                   # newest first
            {"commit": {"sha", "author", "date", "subject"}, "kind", "item", "label",
             "field", "old", "new", "message"}
          ]
        }
      ]
    }

`kind` is one of: created, first-seen, deleted, invalid, action-added, action-removed,
due-moved, status-changed, commitment-added, commitment-changed, commitment-removed,
stakeholder-added, stakeholder-removed. `date` is the author date in ISO 8601 with its
time zone; `old`/`new` are ISO dates, numbers, text or null.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from itertools import groupby
from typing import Any

from cxplan import i18n
from cxplan.analyse.history import Change, Commit, PlanHistory, Value


def _value(value: Value) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _commit(commit: Commit) -> dict[str, str]:
    return {
        "sha": commit.sha,
        "author": commit.author,
        "date": commit.date.isoformat(),
        "subject": commit.subject,
    }


def history_document(histories: Sequence[PlanHistory]) -> dict[str, Any]:
    """The JSON document described in the module docstring, as Python values."""
    return {
        "plans": [
            {
                "id": h.plan_id,
                "path": h.path,
                "state": h.state,
                "reason": h.reason,
                "commits": h.commits,
                "shallow": h.shallow,
                "oldest": _commit(h.oldest) if h.oldest else None,
                "since": h.since.isoformat() if h.since else None,
                "slips": [
                    {
                        "action": s.action,
                        "title": s.title,
                        "first_due": s.first_due.isoformat(),
                        "current_due": s.current_due.isoformat(),
                        "moves": s.move_count,
                        "days_slipped": s.days_slipped,
                        "commits": [m.commit.sha for m in s.moves],
                    }
                    for s in h.slips
                ],
                "changes": [
                    {
                        "commit": _commit(c.commit),
                        "kind": c.kind,
                        "item": c.item,
                        "label": c.label,
                        "field": c.field,
                        "old": _value(c.old),
                        "new": _value(c.new),
                        "message": c.message,
                    }
                    for c in h.newest_first
                ],
            }
            for h in histories
        ]
    }


def format_json(histories: Sequence[PlanHistory]) -> str:
    return json.dumps(history_document(histories), indent=2, ensure_ascii=False) + "\n"


# --- words -------------------------------------------------------------------------
# Every sentence is the catalogue's (`history.report.*`), in the report's language.


def _t(language: str, key: str, **params: Any) -> str:
    return i18n.text(language, f"history.report.{key}", **params)


def _shown(value: Value, language: str) -> str:
    if value is None:
        return _t(language, "none")
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def describe(change: Change, language: str = i18n.DEFAULT_LANGUAGE) -> str:
    """One line saying what `change` did, in `language`."""
    item = f"{change.item} ({change.label})" if change.label else change.item
    old, new = _shown(change.old, language), _shown(change.new, language)
    match change.kind:
        case "created" | "first-seen" | "deleted":
            return _t(language, change.kind)
        case "invalid":
            return _t(language, "invalid", message=change.message_in(language))
        case "due-moved" | "status-changed":
            return _t(language, change.kind, item=item, old=old, new=new)
        case "commitment-changed":
            key = f"field.{change.field}"
            field = _t(language, key) if i18n.has_key(language, f"history.report.{key}") \
                else change.field
            return _t(language, change.kind, item=item, field=field, old=old, new=new)
    return _t(language, change.kind, item=item)


def _about(history: PlanHistory, language: str) -> str:
    """The sentence under the plan's heading: how much history was seen."""
    if history.state == "not-committed":
        return _t(language, "not_committed")
    if history.state != "ok":
        return _t(language, "no_git", reason=history.reason)
    text = _t(language, "commits", count=history.commits)
    if history.oldest is not None:
        text += _t(language, "since", day=history.oldest.day.isoformat())
    if history.shallow:
        text += _t(language, "shallow")
    if history.since is not None:
        text += _t(language, "from", day=history.since.isoformat())
    return text


def _by_commit(history: PlanHistory) -> Iterator[tuple[Commit, list[Change]]]:
    for commit, changes in groupby(history.newest_first, key=lambda c: c.commit):
        yield commit, list(changes)


def _days(days: int, language: str) -> str:
    return _t(language, "days", sign="-" if days < 0 else "+", count=abs(days))


# --- text ----------------------------------------------------------------------------


def format_text(
    histories: Sequence[PlanHistory], language: str = i18n.DEFAULT_LANGUAGE
) -> str:
    lines: list[str] = []
    for history in histories:
        lines.append(f"{history.path}: {_about(history, language)}")
        if history.state != "ok":
            lines.append("")
            continue
        if history.slips:
            lines.append("  " + _t(language, "slipped"))
            for slip in history.slips:
                moves = _t(language, "moved", count=slip.move_count)
                lines.append(
                    f"    {slip.action} ({slip.title}): {slip.first_due} -> {slip.current_due}, "
                    f"{moves}, {_days(slip.days_slipped, language)}"
                )
        if not history.changes:
            lines.append("  " + _t(language, "nothing"))
        for commit, changes in _by_commit(history):
            lines.append(
                f"  {commit.day.isoformat()}  {commit.short}  {commit.author}: {commit.subject}"
            )
            lines.extend(f"    - {describe(change, language)}" for change in changes)
        lines.append("")
    return "\n".join(lines)


# --- Markdown ------------------------------------------------------------------------


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell (no row breaks, no column breaks)."""
    text = " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def format_markdown(
    histories: Sequence[PlanHistory], language: str = i18n.DEFAULT_LANGUAGE
) -> str:
    def md(key: str, **params: Any) -> str:
        return _t(language, f"md.{key}", **params)

    out: list[str] = []
    for history in histories:
        out.append("## " + md("heading", plan=_cell(history.plan_id)))
        out.append("")
        out.append(_cell(_about(history, language)))
        out.append("")
        if history.state != "ok":
            continue
        if history.slips:
            out += [
                "### " + md("slipped"), "",
                _row([md(k) for k in ("action", "title", "first_due", "due_now", "moves",
                                      "days")]),
                "|---|---|---|---|--:|--:|",
            ]
            out += [
                f"| {_cell(s.action)} | {_cell(s.title)} | {s.first_due} | {s.current_due} | "
                f"{s.move_count} | {s.days_slipped:+d} |"
                for s in history.slips
            ]
            out.append("")
        out += ["### " + md("changes"), ""]
        if not history.changes:
            out += [_t(language, "nothing"), ""]
            continue
        out += [_row([md(k) for k in ("date", "author", "commit", "change")]), "|---|---|---|---|"]
        for commit, changes in _by_commit(history):
            what = "<br>".join(_cell(describe(c, language)) for c in changes)
            out.append(
                f"| {commit.day} | {_cell(commit.author)} | `{commit.short}` "
                f"{_cell(commit.subject)} | {what} |"
            )
        out.append("")
    return "\n".join(out)
