"""The site's calendars put together events that icalendar serialised once each (a
plan's events recur in its people's calendars); the result must be exactly what the
library writes for the whole calendar: same bytes, escaping and folding, including
hostile text (separators, backslashes, multi-byte characters)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
import yaml
from site_helpers import EXAMPLES
from test_site_injection import hostile_plan

from cxplan.model.build import PlanFile
from cxplan.model.workspace import load_workspace
from cxplan.render import exports


def reference_ics(plan_files: list[PlanFile], person: str | None, language: str | None) -> bytes:
    """The same calendar built with icalendar's objects."""
    lang = exports._language(plan_files, language)
    calendar = icalendar.Calendar()
    calendar.add("prodid", exports.PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", exports.calendar_name(plan_files, person, lang))
    stamp = exports._dtstamp(plan_files)
    for item in exports._items(plan_files, person, "all"):
        if item.action is not None:
            if item.action.status not in ("todo", "doing", "blocked"):
                continue
            uid = f"action-{item.action.id}@{item.plan_file.id}.cxplan"
            summary, due, category = item.action.title, item.action.due, item.action.horizon
        else:
            assert item.commitment is not None
            if item.commitment.perceived is not None:
                continue
            uid = f"commitment-{item.commitment.id}@{item.plan_file.id}.cxplan"
            summary, due, category = item.commitment.promise, item.commitment.due, "commitment"
        event = icalendar.Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", due)
        event.add("dtend", due + dt.timedelta(days=1))
        event.add("summary", summary)
        event.add("description", exports._description(item, lang))
        event.add("categories", [category])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> list[PlanFile]:
    folder = tmp_path_factory.mktemp("calendars")
    hostile = yaml.safe_load(hostile_plan())
    hostile["team"][1]["name"] = "Colé ñandú 日本語 \\ ; , ^x \\N " + "é" * 40
    hostile["actions"][0]["title"] = "a;b,c\\d e " + "日本" * 30 + "\\" * 10
    (folder / "hostile.yaml").write_text(yaml.safe_dump(hostile, allow_unicode=True),
                                         encoding="utf-8")
    loaded = load_workspace([folder, EXAMPLES])
    assert loaded.diagnostics == []
    return loaded.plans


@pytest.mark.parametrize("epoch", [None, "1795392000"])
def test_calendars_are_the_bytes_icalendar_writes(
    plans: list[PlanFile], epoch: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if epoch is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    for plan in plans:
        for language in (None, "es"):
            assert exports.actions_ics([plan], what="all", language=language) == \
                reference_ics([plan], None, language)
        for member in plan.plan.team:
            assert exports.actions_ics(plans, person=member.id, what="all") == \
                reference_ics(plans, member.id, None)


def test_the_calendar_reads_back(plans: list[PlanFile], tmp_path: Path) -> None:
    hostile = next(p for p in plans if p.id == "hostile")
    calendar = icalendar.Calendar.from_ical(exports.actions_ics([hostile], what="all"))
    titles = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert "a;b,c\\d e " + "日本" * 30 + "\\" * 10 in titles
