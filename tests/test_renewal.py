"""The renewal: the 180- and 90-day windows at their boundary dates, each risk, and the
portfolio's renewals by quarter.

Dates worked out by hand for a renewal on 2027-06-30: 180 days before is 2027-01-01
(Jan 31 + Feb 28 + Mar 31 + Apr 30 + May 31 = 151 days to June 1, plus 29), 90 days
before is 2027-04-01 (30 + 31 + 29).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from site_helpers import content, make_workspace, mkdocs_site
from test_rules import CLEAN_PLAN, apply

from cxplan.analyse import renewal
from cxplan.config import WorkspaceConfig
from cxplan.model.build import PlanFile, load_plan
from cxplan.rules import plan_findings

RENEWAL = [("  quick_win_days: 30\n", "  quick_win_days: 30\n  renewal: 2027-06-30\n")]
# The clean plan with a champion contacted on 2026-12-20: no risk at all on its own.
NO_RISK = [*RENEWAL, ("support: neutral\n    owner: ben\n    last_contact: 2027-02-10",
                      "support: champion\n    owner: ben\n    last_contact: 2026-12-20")]


def load(tmp_path: Path, text: str) -> PlanFile:
    path = tmp_path / "acme.yaml"
    path.write_text(text, encoding="utf-8")
    plan_file, problems = load_plan(path)
    assert plan_file is not None, problems
    return plan_file


def renewal_codes(tmp_path: Path, text: str, as_of: dt.date) -> list[str]:
    found = plan_findings(load(tmp_path, text), WorkspaceConfig(), as_of)
    return [f.code for f in found if f.code in ("CX535", "CX536")]


@pytest.mark.parametrize(("as_of", "left", "window"), [
    (dt.date(2026, 12, 31), 181, None),
    (dt.date(2027, 1, 1), 180, 180),
    (dt.date(2027, 3, 31), 91, 180),
    (dt.date(2027, 4, 1), 90, 90),
    (dt.date(2027, 6, 30), 0, 90),
    (dt.date(2027, 7, 1), -1, None),
])
def test_the_windows_at_their_boundaries(
    tmp_path: Path, as_of: dt.date, left: int, window: int | None
) -> None:
    plan = load(tmp_path, apply(CLEAN_PLAN, RENEWAL)).plan
    assert renewal.days_left(plan, as_of) == left
    assert renewal.window(plan, as_of) == window
    # The clean plan has no champion: that risk makes the rule of the window speak.
    expected = {None: [], 180: ["CX535"], 90: ["CX536"]}[window]
    assert renewal_codes(tmp_path, apply(CLEAN_PLAN, RENEWAL), as_of) == expected


def test_a_plan_without_risk_gets_no_renewal_finding(tmp_path: Path) -> None:
    text = apply(CLEAN_PLAN, NO_RISK)
    # 2027-03-01: 121 days before the renewal, the champion contacted 71 days ago.
    assert renewal.risks(load(tmp_path, text).plan, dt.date(2027, 3, 1)) == []
    assert renewal_codes(tmp_path, text, dt.date(2027, 3, 1)) == []


def test_the_message_says_the_days_left_and_the_risk(tmp_path: Path) -> None:
    found = plan_findings(load(tmp_path, apply(CLEAN_PLAN, RENEWAL)), WorkspaceConfig(),
                          dt.date(2027, 4, 1))
    [finding] = [f for f in found if f.code == "CX536"]
    assert finding.message == (
        "renewal on 2027-06-30, in 90 days: no champion is left or none was contacted "
        "recently (-)"
    )
    assert str(finding.severity) == "warning" and finding.link == "index.md"
    assert finding.message_in("es").startswith("renovación el 2027-06-30, dentro de 90 días")
    assert finding.message_in("pt").startswith("renovação em 2027-06-30, daqui a 90 dias")


R = renewal.Risk


@pytest.mark.parametrize(("change", "expected"), [
    # The economic buyer turns neutral.
    (("support: supporter\n    role: economic-buyer", "support: neutral\n    role: economic-buyer"),
     [R("buyer", ("dora",))]),
    # Ana owns every relationship.
    (("owner: ben\n    last_contact: 2026-12-20", "owner: ana\n    last_contact: 2026-12-20"),
     [R("single", ("ana",))]),
    # The commitment is measured below its expectation.
    (("    expectation: 4\n", "    expectation: 4\n    perceived: 2\n"), [R("broken", ("c1",))]),
    # The KPI got worse than its first reading.
    (("        value: 91\n", "        value: 80\n"), [R("kpi", ("otif",))]),
    # An empty contact log changes nothing.
    (("last_contact: 2026-12-20", "last_contact: 2026-12-20\n    contact_log: []"), []),
    # The champion left: no champion, and the account now hangs on Ana alone.
    (("support: champion\n    owner: ben\n    last_contact: 2026-12-20",
      "support: champion\n    owner: ben\n    last_contact: 2026-12-20\n    gone:\n"
      "      on: 2026-12-30\n      why: left-role"),
     [R("single", ("ana",)), R("champion", ())]),
])
def test_each_risk(tmp_path: Path, change: tuple[str, str], expected: list[renewal.Risk]) -> None:
    plan = load(tmp_path, apply(CLEAN_PLAN, [*NO_RISK, change])).plan
    # 2027-01-01: the champion was contacted 12 days earlier, fresh.
    assert renewal.risks(plan, dt.date(2027, 1, 1)) == expected


def test_a_champion_not_contacted_within_stale_days_is_a_risk(tmp_path: Path) -> None:
    plan = load(tmp_path, apply(CLEAN_PLAN, NO_RISK)).plan
    # 2026-12-20 + 90 days = 2027-03-20: fresh; the day after, stale.
    assert renewal.risks(plan, dt.date(2027, 3, 20)) == []
    assert renewal.risks(plan, dt.date(2027, 3, 21)) == [renewal.Risk("champion", ("eli",))]


def test_the_portfolio_lists_renewals_by_quarter_with_their_risk(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")  # the two example plans
    site = mkdocs_site(root, tmp_path / "site", as_of=dt.date(2027, 2, 1))
    page = content(site, "plans")
    text = page.text()
    assert text.index("2027-Q2") < text.index("Northwind Logistics", text.index("2027-Q2"))
    q3 = text.index("2027-Q3")
    assert "Hospital Santa Lucía" in text[q3:]
    assert "the economic buyer is not a supporter" in text[q3:]
    customer = mkdocs_site(root, tmp_path / "customer", as_of=dt.date(2027, 2, 1),
                           audience="customer")
    assert "2027-Q2" not in content(customer, "plans").text()
