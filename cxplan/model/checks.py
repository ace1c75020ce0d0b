"""Reference and format-rule checks, run on the loaded data itself.

These checks read the plain values the loader produced, not the typed `Plan`, so they
also run when some other part of the file failed schema validation: an author sees the
unknown owner *and* the impossible date in one run. Everything here is lenient about
shape: a value of the wrong type was already reported by the schema layer, so it is
skipped rather than reported again, and a section whose ids cannot all be read (not a
list, an item without an id) is not used to judge references into it, so one mistake
never turns into a cascade of "unknown id" errors.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Container, Iterator
from typing import Any, Literal

from pydantic_core import PydanticCustomError

from cxplan.diagnostics import Diagnostic, Severity
from cxplan.i18n import Text
from cxplan.load import Loc, Source
from cxplan.model.messages import SECTION_NOUN, noun, suggestion
from cxplan.model.plan import ID_PATTERN, STATUSES, Plan, parse_iso_date
from cxplan.model.reserved import reserved_person_id

_ID = re.compile(ID_PATTERN)
_REQUIRED_SECTIONS = frozenset({"team", "areas", "moments"})

Report = Callable[[Loc, str, Text, Text], None]


def _items(data: dict[str, Any], section: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """The items of a section that are mappings, with their index."""
    items = data.get(section)
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield index, item


def _text(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    return value if isinstance(value, str) else None


def _date(value: Any) -> dt.date | None:
    try:
        parsed = parse_iso_date(value)
    except PydanticCustomError:
        return None
    return parsed if isinstance(parsed, dt.date) else None


def known_ids(data: dict[str, Any], section: str) -> list[str] | None:
    """Every id of a section, or None when they cannot all be read.

    An absent optional section has no ids; an absent required one, a section that is
    not a list, or one with an item whose id is missing or not text, is unreadable.
    """
    items = data.get(section)
    if items is None:
        return None if section in _REQUIRED_SECTIONS else []
    if not isinstance(items, list):
        return None
    ids = []
    for item in items:
        item_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(item_id, str):
            return None
        ids.append(item_id)
    return ids


def check_ids(data: dict[str, Any], report: Report) -> None:
    """Ids unique within their section, and not differing only by letter case."""
    for section in SECTION_NOUN:
        seen: dict[str, int] = {}
        folded: dict[str, str] = {}
        for index, item in _items(data, section):
            item_id = _text(item, "id")
            if item_id is None:
                continue
            if item_id in seen:
                report(
                    (section, index, "id"), "CX301",
                    Text.of("model.check.duplicate_id", noun=noun(section), id=item_id,
                            n=str(seen[item_id] + 1)),
                    Text.of("model.check.duplicate_id.hint", section=section),
                )
                continue
            other = folded.get(item_id.lower())
            if other is not None:
                report(
                    (section, index, "id"), "CX302",
                    Text.of("model.check.case", noun=noun(section), id=item_id, other=other),
                    Text.of("model.check.case.hint"),
                )
            seen[item_id] = index
            folded[item_id.lower()] = item_id


def check_reserved_ids(data: dict[str, Any], report: Report) -> None:
    """Team member ids the site's own files at `people/` would collide with."""
    for index, item in _items(data, "team"):
        person_id = _text(item, "id")
        if person_id is not None and reserved_person_id(person_id):
            report(("team", index, "id"), "CX405",
                   Text.of("model.check.reserved_person", id=person_id),
                   Text.of("model.check.reserved_person.hint"))


# Where items name other items, per section: (key, the section(s) the ids belong to,
# how they are written: one id, a list of ids, or the keys of a mapping). The plan's
# owner (`plan.owner`, in the team) is the one reference outside a list section.
REFERENCE_KEYS: dict[str, tuple[tuple[str, str, Literal["one", "list", "keys"]], ...]] = {
    "areas": (("head", "stakeholders", "one"),),
    "moments": (("values", "areas", "keys"),),
    "stakeholders": (
        ("area", "areas", "one"),
        ("reports_to", "stakeholders", "one"),
        ("owner", "team", "one"),
        ("influences", "stakeholders", "list"),
    ),
    "commitments": (
        ("to", "areas|stakeholders", "one"),
        ("moment", "moments", "one"),
        ("owner", "team", "one"),
    ),
    "actions": (
        ("owner", "team", "one"),
        ("moments", "moments", "list"),
        ("areas", "areas", "list"),
        ("commitments", "commitments", "list"),
        ("stakeholders", "stakeholders", "list"),
    ),
    "customer_steps": (
        ("owner", "stakeholders|contacts", "one"),
        ("follow_up", "team", "one"),
        ("moments", "moments", "list"),
        ("areas", "areas", "list"),
        ("commitments", "commitments", "list"),
        ("actions", "actions", "list"),
    ),
    "kpis": (("owner", "team", "one"), ("area", "areas", "one")),
}
TARGETS = frozenset({"team"} | {t for keys in REFERENCE_KEYS.values() for _, t, _ in keys})


class _Everything:
    """Contains every id: a target whose references are all left out."""

    def __contains__(self, item: object) -> bool:
        return True


def references(
    data: dict[str, Any], resolved: dict[str, set[str] | None] | None = None
) -> Iterator[tuple[Loc, str, str, str]]:
    """Every reference written as text: (loc, target section(s), id, key).

    With `resolved` (per target: the ids it accepts, or None for "cannot judge"), only
    the references it does not resolve: a plan without a broken reference then costs no
    tuple per reference (history checks hundreds of versions of a plan).
    """

    def skip(target: str) -> Container[str]:
        if resolved is None:
            return ()
        ids = resolved[target]
        return _Everything() if ids is None else ids

    info = data.get("plan")
    if isinstance(info, dict):
        owner = info.get("owner")
        if isinstance(owner, str) and owner not in skip("team"):
            yield ("plan", "owner"), "team", owner, "owner"
    # The contact log's `by` (who on our side), one level down in each stakeholder.
    team = skip("team")
    for i, person in _items(data, "stakeholders"):
        log = person.get("contact_log")
        if isinstance(log, list):
            for j, touch in enumerate(log):
                by = touch.get("by") if isinstance(touch, dict) else None
                if isinstance(by, str) and by not in team:
                    yield ("stakeholders", i, "contact_log", j, "by"), "team", by, "by"
    for section, keys in REFERENCE_KEYS.items():
        items = data.get(section)
        if not isinstance(items, list):
            continue
        walk = [(key, target, how, skip(target)) for key, target, how in keys]
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            for key, target, how, known in walk:
                value = item.get(key)
                if value is None:
                    continue
                if how == "one":
                    if isinstance(value, str) and value not in known:
                        yield (section, i, key), target, value, key
                elif how == "list":
                    if isinstance(value, list):
                        for j, ref in enumerate(value):
                            if isinstance(ref, str) and ref not in known:
                                yield (section, i, key, j), target, ref, key
                elif isinstance(value, dict):
                    for ref in value:
                        if ref not in known:
                            yield (section, i, key, ref), target, ref, key


def _name_match(data: dict[str, Any], sections: list[str], ref: str) -> tuple[str, str] | None:
    """(section, id) of the item whose *name* was written where its id belongs."""
    wanted = ref.strip().casefold()
    for section in sections:
        for _, item in _items(data, section):
            name, item_id = _text(item, "name"), _text(item, "id")
            if name is not None and item_id is not None and name.strip().casefold() == wanted:
                return section, item_id
    return None


def misspelt_sections(data: dict[str, Any]) -> dict[str, str]:
    """Absent sections written under a misspelt key: section -> the key written
    (`stakeholders` -> `stakeholder`)."""
    found: dict[str, str] = {}
    for key in data:
        if not isinstance(key, str) or key in Plan.model_fields:
            continue
        close = difflib.get_close_matches(key.lower(), list(SECTION_NOUN), n=1, cutoff=0.6)
        if close and close[0] not in data and close[0] not in found:
            found[close[0]] = key
    return found


Folded = dict[tuple[str, str], list[int]]
"""(key written, section meant) -> lines of the references that fail only because the
section is misspelt."""


def _team_entry(ref: str, after: Text, question: bool) -> Text:
    """`after`, then the `team:` entry that would make an unknown owner known."""
    name = " ".join(w[:1].upper() + w[1:] for w in re.split(r"[._-]+", ref) if w) or ref
    return Text.of("model.check.new_member.question" if question else "model.check.new_member",
                   before=after, ref=ref, name=name)


def check_references(
    data: dict[str, Any], source: Source, folded: Folded | None = None
) -> list[Diagnostic]:
    """Every id that points elsewhere resolves to an item of the right section.

    A reference into a section that is only absent because its key is misspelt
    (`stakeholder:`) is not reported on its own: it is counted in `folded`, under the
    misspelt key, whose "did you mean" message reports the cause once.
    """
    found: list[Diagnostic] = []
    ids = {section: known_ids(data, section) for section in SECTION_NOUN}
    misspelt = misspelt_sections(data)
    shadow = {
        section: known_ids({section: data[key]}, section) for section, key in misspelt.items()
    }
    # Per target ("team", "areas|stakeholders"...): the ids it accepts, or None when a
    # target section is unreadable and no verdict is possible.
    accepted: dict[str, set[str] | None] = {}
    for target in TARGETS:
        parts = [ids[s] for s in target.split("|")]
        accepted[target] = (
            None if any(p is None for p in parts) else {i for p in parts for i in p or ()}
        )
    for loc, target, ref, key in references(data, accepted):
        sections = target.split("|")
        cause = next(
            (s for s in sections if s in shadow and ref in (shadow[s] or _Everything())),
            None,
        )
        if cause is not None:
            if folded is not None:
                line = source.position(loc, key=loc[0] == "moments")[0]
                folded.setdefault((misspelt[cause], cause), []).append(line)
            continue
        readable = [ids[s] for s in sections]
        known = [i for section_ids in readable for i in section_ids or ()]
        nouns = (noun(sections[0]) if len(sections) == 1 else
                 Text.of("model.check.either", first=noun(sections[0]), second=noun(sections[1])))
        named = _name_match(data, sections, ref)
        hint: Text
        if named is not None:
            hint = Text.of("model.check.name_not_id", ref=ref, noun=noun(named[0]), id=named[1])
        elif not _ID.match(ref):
            continue  # not an id at all: the schema layer reported it (CX204)
        else:
            said = suggestion(ref, known)
            if said is not None:
                hint = said
            elif known:
                listed = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
                hint = Text.of("model.check.known_ids", nouns=nouns, ids=listed)
            else:
                hint = Text.of("model.check.no_ids", nouns=nouns)
            if target == "team":
                hint = _team_entry(ref, hint, question=said is not None)
        if loc[0] == "moments":
            # A key of `values`: point at the key itself.
            position = source.position(loc, key=True)
            moment_id = data["moments"][loc[1]].get("id")
            message = Text.of("model.check.unknown_area_value", ref=ref, moment=str(moment_id))
        else:
            position = source.position(loc)
            message = Text.of("model.check.unknown_ref", nouns=nouns, ref=ref, key=key)
        found.append(
            Diagnostic.said(source.path, position, Severity.ERROR, "CX300", message, hint))
    return found


def check_reporting_cycles(data: dict[str, Any], report: Report) -> None:
    """`reports_to` lines never form a loop; each loop is reported once."""
    manager: dict[str, str] = {}
    index: dict[str, int] = {}
    for i, person in _items(data, "stakeholders"):
        person_id = _text(person, "id")
        if person_id is None or person_id in index:
            continue
        index[person_id] = i
        boss = _text(person, "reports_to")
        if boss is not None:
            manager[person_id] = boss
    reported: set[str] = set()
    for start in manager:
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in path and node in index:
            path.append(node)
            node = manager.get(node)
        if node is None or node not in path:
            continue
        cycle = path[path.index(node):]
        if reported.intersection(cycle):
            continue
        reported.update(cycle)
        first = min(cycle, key=index.__getitem__)
        ring = cycle[cycle.index(first):] + cycle[: cycle.index(first)] + [first]
        report(("stakeholders", index[first], "reports_to"), "CX303",
               Text.of("model.check.cycle", ring=" -> ".join(ring)),
               Text.of("model.check.cycle.hint"))


def check_format_rules(data: dict[str, Any], report: Report) -> None:
    """The rules the format page states beyond types: dates in order, phases, done_on."""
    info = data.get("plan")
    if isinstance(info, dict):
        start, end = _date(info.get("start")), _date(info.get("end"))
        if start is not None and end is not None and end < start:
            report(("plan", "end"), "CX403",
                   Text.of("model.check.end", end=end.isoformat(), start=start.isoformat()),
                   Text.of("model.check.end.hint"))
    seen_consumption: str | None = None
    for i, moment in _items(data, "moments"):
        phase = moment.get("phase")
        if phase == "consumption" and seen_consumption is None:
            seen_consumption = _text(moment, "id") or f"#{i + 1}"
        elif phase == "purchase" and seen_consumption is not None:
            report(("moments", i, "phase"), "CX401",
                   Text.of("model.check.phase", purchase=_text(moment, "id") or f"#{i + 1}",
                           consumption=seen_consumption),
                   Text.of("model.check.phase.hint"))
    for section in ("actions", "customer_steps"):
        for i, action in _items(data, section):
            status = action.get("status", "todo")
            if status not in STATUSES:
                continue  # reported by the schema layer
            label = _text(action, "id") or f"#{i + 1}"
            done_on = action.get("done_on")
            if status == "done" and done_on is None:
                report((section, i, "status"), "CX400",
                       Text.of("model.check.done_without_date", noun=noun(section), id=label),
                       Text.of("model.check.done_without_date.hint"))
            elif status != "done" and done_on is not None:
                report((section, i, "done_on"), "CX400",
                       Text.of("model.check.date_without_done", noun=noun(section), id=label,
                               status=status),
                       Text.of("model.check.date_without_done.hint"))
    check_people_moves(data, report)
    for i, kpi in _items(data, "kpis"):
        previous: dt.date | None = None
        readings = kpi.get("readings")
        if not isinstance(readings, list):
            continue
        for j, reading in enumerate(readings):
            when = _date(reading.get("date")) if isinstance(reading, dict) else None
            if when is None:
                previous = None  # unreadable: compare the next one with nothing
                continue
            if previous is not None and when <= previous:
                report(("kpis", i, "readings", j, "date"), "CX402",
                       Text.of("model.check.readings", when=when.isoformat(),
                               kpi=_text(kpi, "id") or f"#{i + 1}", before=previous.isoformat()),
                       Text.of("model.check.readings.hint"))
            previous = when


def check_people_moves(data: dict[str, Any], report: Report) -> None:
    """A contact log in date order, no contact logged after the person left, and no
    customer contact who is also on the power map under the same id."""
    mapped = {_text(p, "id") for _, p in _items(data, "stakeholders")}
    for i, contact in _items(data, "contacts"):
        contact_id = _text(contact, "id")
        if contact_id is not None and contact_id in mapped:
            report(("contacts", i, "id"), "CX410",
                   Text.of("mutual.check.contact_is_stakeholder", id=contact_id),
                   Text.of("mutual.check.contact_is_stakeholder.hint", id=contact_id))
    for i, person in _items(data, "stakeholders"):
        label = _text(person, "id") or f"#{i + 1}"
        gone = person.get("gone")
        left = _date(gone.get("on")) if isinstance(gone, dict) else None
        log = person.get("contact_log")
        if not isinstance(log, list):
            continue
        previous: dt.date | None = None
        for j, touch in enumerate(log):
            when = _date(touch.get("on")) if isinstance(touch, dict) else None
            if when is None:
                previous = None
                continue
            if previous is not None and when < previous:
                report(("stakeholders", i, "contact_log", j, "on"), "CX408",
                       Text.of("moves.check.order", when=when, who=label, before=previous),
                       Text.of("moves.check.order.hint"))
            if left is not None and when > left:
                report(("stakeholders", i, "contact_log", j, "on"), "CX409",
                       Text.of("moves.check.after_gone", when=when, who=label, left=left),
                       Text.of("moves.check.after_gone.hint"))
            previous = when


def check_plan_data(data: Any, source: Source, folded: Folded | None = None) -> list[Diagnostic]:
    """All reference and format-rule findings on loaded data (any shape).

    With `folded`, the references that fail only because a section's key is misspelt
    are collected there instead of reported (see `check_references`).
    """
    if not isinstance(data, dict):
        return []
    found: list[Diagnostic] = []

    def report(loc: Loc, code: str, message: Text, hint: Text) -> None:
        found.append(Diagnostic.said(source.path, source.position(loc), Severity.ERROR, code,
                                     message, hint))

    check_ids(data, report)
    check_reserved_ids(data, report)
    found.extend(check_references(data, source, folded))
    check_reporting_cycles(data, report)
    check_format_rules(data, report)
    return found
