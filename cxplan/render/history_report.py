"""The `cxplan history` report as text (terminal), JSON (tools) and Markdown (PR comments).

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

_FIELDS = {"expectation": "expectation", "perceived": "perceived score", "due": "due date"}


def _shown(value: Value) -> str:
    if value is None:
        return "none"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def describe(change: Change) -> str:
    """One line saying what `change` did, in English."""
    item = f"{change.item} ({change.label})" if change.label else change.item
    old, new = _shown(change.old), _shown(change.new)
    match change.kind:
        case "created":
            return "plan created"
        case "first-seen":
            return "oldest version in this clone (older history is not here)"
        case "deleted":
            return "plan file deleted"
        case "invalid":
            return f"this version did not validate: {change.message}"
        case "due-moved":
            return f"action {item}: due date moved {old} -> {new}"
        case "status-changed":
            return f"action {item}: status {old} -> {new}"
        case "commitment-changed":
            return f"commitment {item}: {_FIELDS.get(change.field, change.field)} {old} -> {new}"
    noun, _, verb = change.kind.partition("-")
    return f"{noun} {verb}: {item}"


def _about(history: PlanHistory) -> str:
    """The sentence under the plan's heading: how much history was seen."""
    if history.state != "ok":
        return history.reason
    commits = f"{history.commits} commit{'s' if history.commits != 1 else ''}"
    text = commits
    if history.oldest is not None:
        text += f" since {history.oldest.day.isoformat()}"
    if history.shallow:
        text += " (shallow clone: older history is not here)"
    if history.since is not None:
        text += f"; changes from {history.since.isoformat()}"
    return text


def _by_commit(history: PlanHistory) -> Iterator[tuple[Commit, list[Change]]]:
    for commit, changes in groupby(history.newest_first, key=lambda c: c.commit):
        yield commit, list(changes)


def _days(days: int) -> str:
    return f"{days:+d} day{'s' if abs(days) != 1 else ''}"


# --- text ----------------------------------------------------------------------------


def format_text(histories: Sequence[PlanHistory]) -> str:
    lines: list[str] = []
    for history in histories:
        lines.append(f"{history.path}: {_about(history)}")
        if history.state != "ok":
            lines.append("")
            continue
        if history.slips:
            lines.append("  Slipped dates:")
            for slip in history.slips:
                moves = f"moved {slip.move_count} time{'s' if slip.move_count != 1 else ''}"
                lines.append(
                    f"    {slip.action} ({slip.title}): {slip.first_due} -> {slip.current_due}, "
                    f"{moves}, {_days(slip.days_slipped)}"
                )
        if not history.changes:
            lines.append("  No change recorded.")
        for commit, changes in _by_commit(history):
            lines.append(
                f"  {commit.day.isoformat()}  {commit.short}  {commit.author}: {commit.subject}"
            )
            lines.extend(f"    - {describe(change)}" for change in changes)
        lines.append("")
    return "\n".join(lines)


# --- Markdown ------------------------------------------------------------------------


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell (no row breaks, no column breaks)."""
    text = " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def format_markdown(histories: Sequence[PlanHistory]) -> str:
    out: list[str] = []
    for history in histories:
        out.append(f"## {_cell(history.plan_id)}: what changed")
        out.append("")
        out.append(_cell(_about(history)))
        out.append("")
        if history.state != "ok":
            continue
        if history.slips:
            out += [
                "### Slipped dates", "",
                "| Action | Title | First due | Due now | Moves | Days |",
                "|---|---|---|---|--:|--:|",
            ]
            out += [
                f"| {_cell(s.action)} | {_cell(s.title)} | {s.first_due} | {s.current_due} | "
                f"{s.move_count} | {s.days_slipped:+d} |"
                for s in history.slips
            ]
            out.append("")
        out += ["### Changes, newest first", ""]
        if not history.changes:
            out += ["No change recorded.", ""]
            continue
        out += ["| Date | Author | Commit | Change |", "|---|---|---|---|"]
        for commit, changes in _by_commit(history):
            what = "<br>".join(_cell(describe(c)) for c in changes)
            out.append(
                f"| {commit.day} | {_cell(commit.author)} | `{commit.short}` "
                f"{_cell(commit.subject)} | {what} |"
            )
        out.append("")
    return "\n".join(out)
