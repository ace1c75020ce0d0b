"""Exports for calendars (.ics) and spreadsheets (.csv).

Both take a list of `PlanFile`s, so one person's calendar can span every plan they work
on. They export exactly the plans they are given: the customer site passes the
customer view (`cxplan.model.audience.customer_view`), so nothing is filtered here.

Calendar (`actions_ics`): one all-day event per *open* action (todo, doing, blocked)
and per *open* commitment (not measured yet), on its due date. UIDs are stable
(`action-<id>@<plan-id>.cxplan`, `commitment-<id>@<plan-id>.cxplan`), so re-importing
or re-subscribing updates the events instead of duplicating them; an item that is
done or measured simply disappears from the next download. SUMMARY is the action's
title (or the commitment's promise) exactly; the icalendar library escapes commas,
semicolons, backslashes and line breaks as RFC 5545 says; control characters, which
RFC 5545 forbids in any property value, are replaced by U+FFFD here (`ics_text`: a
second guard behind the loader's).
Events are transparent (they do not block time).
The output is reproducible: DTSTAMP comes from `SOURCE_DATE_EPOCH` when it is set,
else from the plans themselves (the latest date among each plan's start, `done_on`
dates and KPI readings, at 00:00 UTC), never from the clock.

Spreadsheet (`items_csv`): a header row, then one row per item (every action and every
commitment, whatever its state), columns as in `CSV_COLUMNS`: the update sheet's
columns (`cxplan.model.sheet_columns`), the same as the .xlsx export
(`cxplan.render.sheet`), with an empty `note` and the item's `fingerprint`, so an
edited CSV can be imported back (`cxplan import`). Text cells that a
spreadsheet would run as a formula get a leading `'`: those starting with `=`, `+`,
`-`, `@`, a tab, CR or LF, also after leading spaces or line breaks (spreadsheets skip
them), and with the fullwidth and small forms of those signs (`＝`, `﹦`...), which some
spreadsheets read as the ASCII ones. Numbers are written as numbers. Write the text
as UTF-8 with a byte-order mark (`csv_bytes`) so spreadsheet programs read accents
correctly.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import icalendar

from cxplan import __version__
from cxplan.analyse.tracking import (
    commitment_days_late,
    commitment_state,
    days_late,
    is_open,
    satisfaction,
)
from cxplan.i18n import labels
from cxplan.model.build import PlanFile
from cxplan.model.fingerprint import fingerprint
from cxplan.model.plan import Action, Commitment
from cxplan.model.sheet_columns import COLUMNS, looks_like_formula

What = Literal["actions", "commitments", "all"]

PRODID = f"-//cxplan//cxplan {__version__}//EN"

# The update sheet's columns (`cxplan import` reads them back): declared in the model.
CSV_COLUMNS = COLUMNS

# RFC 5545 3.1 / 3.3.11: no CONTROL (U+0000..U+0008, U+000A..U+001F, U+007F) in a
# value; the line breaks a text may hold are escaped by the library, so only the
# others are replaced.
_ICS_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class _Item:
    plan_file: PlanFile
    action: Action | None = None
    commitment: Commitment | None = None


def _items(plan_files: Sequence[PlanFile], person: str | None, what: What) -> Iterator[_Item]:
    for plan_file in plan_files:
        plan = plan_file.plan
        if what in ("actions", "all"):
            for action in plan.actions:
                if person is None or action.owner == person:
                    yield _Item(plan_file, action=action)
        if what in ("commitments", "all"):
            for commitment in plan.commitments:
                if person is None or commitment.owner == person:
                    yield _Item(plan_file, commitment=commitment)


def _person_name(plan_files: Sequence[PlanFile], person: str) -> str:
    for plan_file in plan_files:
        for member in plan_file.plan.team:
            if member.id == person:
                return member.name
    return person


def _dtstamp(plan_files: Sequence[PlanFile]) -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    dates: list[dt.date] = []
    for plan_file in plan_files:
        plan = plan_file.plan
        dates.append(plan.plan.start)
        dates.extend(a.done_on for a in plan.actions if a.done_on is not None)
        dates.extend(r.date for k in plan.kpis for r in k.readings)
    day = max(dates, default=dt.date(2000, 1, 1))
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def ics_text(text: str) -> str:
    """Text RFC 5545 allows in a property value (before the library's escaping)."""
    return _ICS_CONTROL.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def calendar_name(plan_files: Sequence[PlanFile], person: str | None, language: str) -> str:
    # One line: a name or title with a line break would make an invalid property.
    if person is not None:
        name = labels(language)["tracking.calendar.person"].format(
            name=_person_name(plan_files, person)
        )
        return ics_text(" ".join(name.split()))
    if len(plan_files) == 1:
        return ics_text(" ".join(plan_files[0].plan.plan.title.split()))
    return "cxplan"


def _language(plan_files: Sequence[PlanFile], language: str | None) -> str:
    if language is not None:
        return language
    found = {p.plan.plan.language for p in plan_files if p.plan.plan.language}
    return found.pop() if len(found) == 1 else "en"


def _description(item: _Item, language: str) -> str:
    text = labels(language)
    plan = item.plan_file.plan
    owners = {member.id: member.name for member in plan.team}
    lines = [
        f"{text['tracking.plan']}: {plan.plan.title}",
        f"{text['tracking.customer']}: {plan.plan.customer}",
    ]
    if item.action is not None:
        action = item.action
        lines += [
            f"{text['tracking.owner']}: {owners.get(action.owner, action.owner)}",
            f"{text['tracking.horizon']}: {text['tracking.horizon.' + action.horizon]}",
            f"{text['tracking.status']}: {text['tracking.status.' + action.status]}",
            f"{text['tracking.action']}: {action.id}",
        ]
    elif item.commitment is not None:
        commitment = item.commitment
        lines += [
            f"{text['tracking.owner']}: {owners.get(commitment.owner, commitment.owner)}",
            f"{text['tracking.promised_to']}: {_recipient(item)}",
            f"{text['tracking.expectation']}: {commitment.expectation}/5",
            f"{text['tracking.commitment']}: {commitment.id}",
        ]
    return "\n".join(lines)


def _recipient(item: _Item) -> str:
    assert item.commitment is not None
    plan = item.plan_file.plan
    names = {area.id: area.name for area in plan.areas}
    names.update({person.id: person.name for person in plan.stakeholders})
    return names.get(item.commitment.to, item.commitment.to)


def actions_ics(
    plan_files: Sequence[PlanFile],
    *,
    person: str | None = None,
    what: What = "actions",
    language: str | None = None,
) -> bytes:
    """An iCalendar file: one all-day event per open action / open commitment.

    `person` keeps only the items that person owns; `what` picks actions,
    commitments or both; `language` sets the labels of DESCRIPTION (default: the
    plans' language when they share one, else English).
    """
    lang = _language(plan_files, language)
    stamp = _dtstamp(plan_files)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_name(plan_files, person, lang))
    events: list[bytes] = []
    for item in _items(plan_files, person, what):
        plan_id = item.plan_file.id
        if item.action is not None:
            if not is_open(item.action):
                continue
            uid = f"action-{item.action.id}@{plan_id}.cxplan"
            summary, due = item.action.title, item.action.due
            category: str = item.action.horizon
        elif item.commitment is not None:
            if item.commitment.perceived is not None:
                continue  # measured: kept or broken, nothing left to do by a date
            uid = f"commitment-{item.commitment.id}@{plan_id}.cxplan"
            summary, due = item.commitment.promise, item.commitment.due
            category = "commitment"
        else:  # pragma: no cover - an _Item always holds one of the two
            continue
        events.append(
            _event_ical(uid, stamp, due, summary, _description(item, lang), category)
        )
    # The calendar's own lines, then the events, each serialised by icalendar once:
    # the same bytes `Calendar.add_component` would give, without redoing an event
    # for every calendar (the site writes one per plan and one per person) it is in.
    header = calendar.to_ical()
    return header[: -len(_CALENDAR_END)] + b"".join(events) + _CALENDAR_END


_CALENDAR_END = b"END:VCALENDAR\r\n"


@functools.lru_cache(maxsize=8192)
def _event_ical(
    uid: str, stamp: dt.datetime, due: dt.date, summary: str, description: str, category: str
) -> bytes:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", due)
    event.add("dtend", due + dt.timedelta(days=1))
    # The library escapes commas, semicolons, backslashes and line breaks.
    event.add("summary", ics_text(summary))
    event.add("description", ics_text(description))
    event.add("categories", [category])
    event.add("transp", "TRANSPARENT")
    return bytes(event.to_ical())


# --- CSV ------------------------------------------------------------------------------


Cell = str | int | float | bool | dt.date | None


def safe_cell(value: Cell) -> str | int | float:
    """A cell a spreadsheet shows as text, never runs as a formula; numbers unchanged."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    if looks_like_formula(value):
        return "'" + value
    return value


def _row(item: _Item, as_of: dt.date | None, judged: bool = True) -> list[Cell]:
    plan = item.plan_file.plan
    owners = {member.id: member.name for member in plan.team}
    if item.action is not None:
        action = item.action
        return [
            item.plan_file.id, "action", action.id, action.title, action.owner,
            owners.get(action.owner), action.due, action.status, action.horizon,
            action.done_on,
            days_late(action, as_of) if as_of is not None and judged else None,
            None, None, None, None, action.internal, None, fingerprint(action),
        ]
    assert item.commitment is not None
    commitment = item.commitment
    if commitment.perceived is not None or as_of is not None:
        # Measured: kept or broken whatever the date.
        state: str = commitment_state(commitment, as_of or commitment.due)
    else:
        state = "open"
    if not judged:  # a customer edition in `plain` mode: facts, no verdict
        state = "open" if commitment.perceived is None else "measured"
    late = commitment_days_late(commitment, as_of) if as_of is not None and judged else None
    return [
        item.plan_file.id, "commitment", commitment.id, commitment.promise, commitment.owner,
        owners.get(commitment.owner), commitment.due, state, None, None, late,
        commitment.to, commitment.expectation, commitment.perceived, satisfaction(commitment),
        commitment.internal, None, fingerprint(commitment),
    ]


def update_rows(
    plan_files: Sequence[PlanFile],
    *,
    person: str | None = None,
    what: What = "all",
    as_of: dt.date | None = None,
    judged: bool = True,
) -> Iterator[list[Cell]]:
    """One list of cells per item, in `CSV_COLUMNS` order (dates as dates)."""
    for item in _items(plan_files, person, what):
        yield _row(item, as_of, judged)


def items_csv(
    plan_files: Sequence[PlanFile],
    *,
    person: str | None = None,
    what: What = "all",
    as_of: dt.date | None = None,
    judged: bool = True,
) -> str:
    """A CSV table (RFC 4180, CRLF line ends) of every action and/or commitment.

    `status` is the action's status, or the commitment's state (kept, broken, overdue,
    pending as of `as_of`; open/kept/broken without it). `days_late` needs `as_of`
    and is empty without it. `judged=False` (a customer edition that shows no status
    marks) leaves `days_late` empty and writes a commitment's state as open or measured.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in update_rows(plan_files, person=person, what=what, as_of=as_of, judged=judged):
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def csv_bytes(text: str) -> bytes:
    """UTF-8 with a byte-order mark: how Excel and LibreOffice recognise UTF-8 CSV."""
    return text.encode("utf-8-sig")
