"""Calendar and spreadsheet exports, read back with real parsers."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import icalendar
import pytest
import vobject
from tracking_plans import OPEN_ACTION_TITLES, TRACKING_PLAN, load_tracking_plan, run_cxplan

from cxplan.model.build import PlanFile
from cxplan.render.exports import CSV_COLUMNS, actions_ics, csv_bytes, items_csv

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def tracking(tmp_path: Path) -> PlanFile:
    return load_tracking_plan(tmp_path)


def events(data: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_ics_has_one_event_per_open_action_with_exact_titles(tracking: PlanFile) -> None:
    data = actions_ics([tracking])
    found = events(data)
    assert set(found) == {f"action-{i}@tracking.cxplan" for i in OPEN_ACTION_TITLES}
    for action_id, title in OPEN_ACTION_TITLES.items():
        event = found[f"action-{action_id}@tracking.cxplan"]
        assert str(event["SUMMARY"]) == title  # commas, semicolons, quotes, a line break
        action = next(a for a in tracking.plan.actions if a.id == action_id)
        assert event.decoded("DTSTART") == action.due  # an all-day date, not a datetime
        assert event.decoded("DTEND") == action.due + dt.timedelta(days=1)
        assert "Owner: " in str(event["DESCRIPTION"])
    # The raw text escapes what iCalendar requires.
    unfolded = data.decode("utf-8").replace("\r\n ", "")
    assert 'SUMMARY:Call Ana\\, Ben\\; then "review"\\nand report back' in unfolded
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["X-WR-CALNAME"]) == "Tracking test plan"
    assert "cxplan" in str(calendar["PRODID"])


def test_ics_reads_back_with_vobject_too(tracking: PlanFile) -> None:
    data = actions_ics([tracking], what="all")
    calendar = vobject.readOne(data.decode("utf-8"))
    summaries = {e.uid.value: e.summary.value for e in calendar.vevent_list}
    expected = {f"action-{i}@tracking.cxplan": t for i, t in OPEN_ACTION_TITLES.items()}
    expected["commitment-c-due@tracking.cxplan"] = "Dock windows, on time"  # only open one
    assert summaries == expected
    for event in calendar.vevent_list:
        assert isinstance(event.dtstart.value, dt.date)
        assert not isinstance(event.dtstart.value, dt.datetime)


def test_what_and_person(tmp_path: Path) -> None:
    first = load_tracking_plan(tmp_path)
    second = load_tracking_plan(tmp_path, "second.yaml")
    only_commitments = events(actions_ics([first], what="commitments"))
    assert list(only_commitments) == ["commitment-c-due@tracking.cxplan"]
    # One person's calendar spans plans: same item ids, different UIDs per plan.
    bens = events(actions_ics([first, second], person="ben", what="all"))
    assert set(bens) == {
        f"{kind}-{item}@{plan}.cxplan"
        for plan in ("tracking", "second")
        for kind, item in (("action", "q-due"), ("action", "m-doing"), ("commitment", "c-due"))
    }
    calendar = icalendar.Calendar.from_ical(actions_ics([first, second], person="ben"))
    assert str(calendar["X-WR-CALNAME"]) == "=Ben Cole: CX actions"


def test_ics_is_reproducible(tracking: PlanFile, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = actions_ics([tracking], what="all")
    assert actions_ics([tracking], what="all") == first
    # Derived from the plan: the latest done_on / reading date (k-behind, 2027-07-02).
    stamps = {e.decoded("DTSTAMP") for e in events(first).values()}
    assert stamps == {dt.datetime(2027, 7, 2, tzinfo=dt.UTC)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    stamped = events(actions_ics([tracking], what="all"))
    assert {e.decoded("DTSTAMP") for e in stamped.values()} == {
        dt.datetime.fromtimestamp(1700000000, tz=dt.UTC)
    }


def test_uids_are_stable_when_the_plan_changes(tmp_path: Path) -> None:
    before = events(actions_ics([load_tracking_plan(tmp_path)]))
    changed = TRACKING_PLAN.replace(
        "    owner: ben\n    due: 2027-02-10\n    horizon: medium-term\n    status: doing\n",
        "    owner: ben\n    due: 2027-02-17\n    horizon: medium-term\n    status: done\n"
        "    done_on: 2027-02-09\n",
    ).replace("title: Send the contact sheet", "title: Send the contact sheet again")
    after = events(actions_ics([load_tracking_plan(tmp_path, text=changed)]))
    assert set(after) == set(before) - {"action-m-doing@tracking.cxplan"}


def test_exports_do_not_filter_internal_items(tmp_path: Path) -> None:
    text = TRACKING_PLAN.replace("    title: \"-5% film per pallet\"\n",
                                 "    title: \"-5% film per pallet\"\n    internal: true\n")
    plan_file = load_tracking_plan(tmp_path, text=text)
    assert "action-m-doing@tracking.cxplan" in events(actions_ics([plan_file]))
    rows = list(csv.DictReader(io.StringIO(items_csv([plan_file]))))
    assert next(r for r in rows if r["id"] == "m-doing")["internal"] == "true"


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv_reads_back_and_is_formula_safe(tracking: PlanFile) -> None:
    text = items_csv([tracking], as_of=dt.date(2027, 2, 2))
    assert text.endswith("\r\n")
    rows = read_csv(text)
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 1 + 7 + 3  # every action and commitment, whatever its state
    for row in rows:
        assert len(row) == len(CSV_COLUMNS)
        for cell in row:
            if cell.startswith(FORMULA_START):
                float(cell)  # only a number may start with '-' or '+'
    by_id = {row[2]: dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]}
    assert by_id["m-todo"]["title"] == "'" + OPEN_ACTION_TITLES["m-todo"]
    assert by_id["q-blocked"]["title"] == "'@Book the dock slots"
    assert by_id["m-doing"]["title"] == "'-5% film per pallet"
    assert by_id["q-due"]["title"] == OPEN_ACTION_TITLES["q-due"]  # newline kept, quoted
    assert by_id["q-due"]["owner_name"] == "'=Ben Cole"
    assert by_id["q-blocked"]["days_late"] == "8"
    assert by_id["q-late"]["days_late"] == "7"
    assert by_id["q-late"]["done_on"] == "2027-01-29"
    broken = by_id["c-broken"]
    assert (broken["kind"], broken["status"], broken["satisfaction"]) == ("commitment", "broken",
                                                                         "-2")
    assert by_id["c-due"]["status"] == "overdue"
    assert by_id["c-due"]["days_late"] == "1"


def test_csv_filters(tmp_path: Path) -> None:
    first = load_tracking_plan(tmp_path)
    second = load_tracking_plan(tmp_path, "second.yaml")
    rows = read_csv(items_csv([first, second], person="ana", what="actions"))[1:]
    assert {(r[0], r[2]) for r in rows} == {
        (plan, item)
        for plan in ("tracking", "second")
        for item in ("q-done", "q-blocked", "q-dropped", "m-todo")
    }
    rows = read_csv(items_csv([first], what="commitments"))[1:]
    assert [r[2] for r in rows] == ["c-kept", "c-broken", "c-due"]
    assert [r[10] for r in rows] == ["", "", ""]  # days_late needs an as-of date


def test_export_command(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    load_tracking_plan(tmp_path / "plans")
    out = tmp_path / "out.ics"
    result = run_cxplan(tmp_path, "export", "plans/tracking.yaml", "--format", "ics",
                        "--what", "actions", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert set(events(out.read_bytes())) == {
        f"action-{i}@tracking.cxplan" for i in OPEN_ACTION_TITLES
    }
    sheet = tmp_path / "out.csv"
    result = run_cxplan(tmp_path, "export", "plans", "--format", "csv", "--person", "ben",
                        "--as-of", "2027-02-02", "-o", str(sheet))
    assert result.returncode == 0, result.stderr
    data = sheet.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # so spreadsheets read accents right
    rows = read_csv(data.decode("utf-8-sig"))
    assert {r[2] for r in rows[1:]} == {"q-late", "q-due", "m-doing", "c-broken", "c-due"}
    assert csv_bytes("x") == b"\xef\xbb\xbfx"
    printed = run_cxplan(tmp_path, "export", "plans", "--format", "csv", "--what", "actions")
    assert printed.stdout.startswith("plan,kind,id,title")
    unknown = run_cxplan(tmp_path, "export", "plans", "--format", "ics", "--person", "zoe")
    assert unknown.returncode == 1 and "zoe" in unknown.stderr
    (tmp_path / "plans" / "bad.yaml").write_text("plan: [", encoding="utf-8")
    invalid = run_cxplan(tmp_path, "export", "plans", "--format", "ics")
    assert invalid.returncode == 1 and "bad.yaml" in invalid.stderr and invalid.stdout == ""
