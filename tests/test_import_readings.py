"""`cxplan import` of KPI readings and of a survey tool's CSV export (mapping in mkdocs.yml)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from tracking_plans import run_cxplan

PLAN = """\
plan:
  title: Readings plan
  customer: Acme
  owner: ana
  start: 2027-01-04
team:
  - id: ana
    name: Ana Ruiz
    department: Key Accounts
areas:
  - id: ops
    name: Operations
moments:
  - id: m1
    name: Tender
    phase: purchase
commitments:
  - id: c-dock
    promise: Deliveries inside the dock window
    to: ops
    owner: ana
    due: 2027-02-01
    expectation: 4   # high
actions:
  - id: a1
    title: Call
    owner: ana
    due: 2027-01-20
    horizon: quick-win
kpis:
  # on-time deliveries, measured monthly
  - id: k-otif
    name: On time in full
    owner: ana
    direction: up
    target: 98
    readings:
      - date: 2027-01-31   # January
        value: 90
      - date: 2027-03-31
        value: 95
  - id: k-csat
    name: CSAT
    owner: ana
    direction: up
    target: 4.5   # the target
  - {id: k-nps, name: NPS, owner: ana, direction: up, target: 40, readings: []}
"""

MKDOCS = """\
site_name: Test
plugins:
  - cxplan:
      surveys:
        - name: pulse
          date: Submitted at
          date_format: "%d/%m/%Y"
          kpis:
            k-csat: How satisfied are you?
            k-nps: How likely are you to recommend us?
          aggregate:
            k-nps: nps
          commitments:
            c-dock: Were deliveries inside the dock window?
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme.yaml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    return tmp_path


def plan_text(workspace: Path) -> str:
    return (workspace / "plans" / "acme.yaml").read_text(encoding="utf-8")


def test_readings_are_appended_in_date_order(workspace: Path) -> None:
    (workspace / "readings.csv").write_text(
        "kpi,date,value\r\n"
        "k-otif,2027-04-30,97\r\n"
        "k-otif,2027-02-28,93.5\r\n"
        "k-otif,2027-01-31,90\r\n"   # already there, same value: no change
        "k-csat,2027-02-28,4.2\r\n",
        encoding="utf-8",
    )
    result = run_cxplan(workspace, "import", "readings.csv")
    assert result.returncode == 0, result.stderr
    text = plan_text(workspace)
    assert (
        "    readings:\n"
        "      - date: 2027-01-31   # January\n        value: 90\n"
        "      - date: 2027-02-28\n        value: 93.5\n"
        "      - date: 2027-03-31\n        value: 95\n"
        "      - date: 2027-04-30\n        value: 97\n"
    ) in text
    assert (
        "    target: 4.5   # the target\n    readings:\n      - {date: 2027-02-28, value: 4.2}\n"
    ) in text
    assert "+      - date: 2027-02-28" in result.stdout  # the diff
    assert run_cxplan(workspace, "validate", "plans").returncode == 0


def test_a_date_with_another_value_is_refused(workspace: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["kpi", "date", "value"])
    sheet.append(["k-otif", dt.datetime(2027, 2, 28), 93])
    sheet.append(["k-otif", dt.datetime(2027, 3, 31), 96])
    book.save(workspace / "readings.xlsx")
    before = plan_text(workspace)
    result = run_cxplan(workspace, "import", "readings.xlsx")
    assert result.returncode == 1
    assert (
        "readings.xlsx:Sheet!3:3: error: KPI 'k-otif' already has a reading on 2027-03-31: "
        "95 in the plan, 96 in the file"
    ) in result.stderr
    assert plan_text(workspace) == before


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("k-nothing,2027-02-01,3", "2:1: error: no KPI 'k-nothing' in the plans"),
        ("k-otif,01/02/2027,3", "2:2: error: '01/02/2027' is not a date written YYYY-MM-DD"),
        ("k-otif,2027-02-01,lots", "2:3: error: 'lots' is not a number"),
        ("k-otif,2027-02-01,=1+1", "2:3: error: a formula (=1+1)"),
    ],
)
def test_bad_readings_are_positioned(workspace: Path, row: str, message: str) -> None:
    (workspace / "r.csv").write_text(f"kpi,date,value\n{row}\n", encoding="utf-8")
    before = plan_text(workspace)
    result = run_cxplan(workspace, "import", "r.csv")
    assert result.returncode == 1
    assert f"r.csv:{message}" in result.stderr, result.stderr
    assert plan_text(workspace) == before


def test_a_survey_export_becomes_readings_and_perceived(workspace: Path) -> None:
    # As a survey tool exports it: semicolons, day-first dates with a time, extra columns.
    (workspace / "pulse.csv").write_text(
        "Response ID;Submitted at;How satisfied are you?;How likely are you to recommend us?;"
        "Were deliveries inside the dock window?\n"
        "r1;03/02/2027 09:14;4;10;5\n"
        "r2;03/02/2027 11:40;5;9;4\n"
        "r3;03/02/2027 16:02;3;6;\n"
        "r4;10/02/2027 10:00;4;8;4\n",
        encoding="utf-8-sig",
    )
    result = run_cxplan(workspace, "import", "pulse.csv")
    assert result.returncode == 0, result.stderr
    text = plan_text(workspace)
    # CSAT: the day's mean; NPS: 2 promoters, 1 detractor of 3 -> 33.3; then 0 (a passive).
    assert "      - {date: 2027-02-03, value: 4}\n      - {date: 2027-02-10, value: 4}\n" in text
    assert "readings: [{date: 2027-02-03, value: 33.3}, {date: 2027-02-10, value: 0}]" in text
    # Perceived: the rounded mean of 5, 4, 4 -> 4, after expectation.
    assert "    expectation: 4   # high\n    perceived: 4\n" in text
    assert run_cxplan(workspace, "validate", "plans").returncode == 0
    # Imported again: nothing changes.
    again = run_cxplan(workspace, "import", "pulse.csv")
    assert again.returncode == 0 and "No change" in again.stdout
    assert plan_text(workspace) == text


def test_a_file_of_no_known_kind_is_refused(workspace: Path) -> None:
    (workspace / "other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    result = run_cxplan(workspace, "import", "other.csv")
    assert result.returncode == 1
    assert "neither an update sheet" in result.stderr
