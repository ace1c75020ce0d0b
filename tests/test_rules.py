"""Method rules: every rule fires on a minimal plan and a minimal change clears it;
settings, ignore comments, positions, links and the example plans' findings."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from catalogue_tables import LABELS

from cxplan.config import WorkspaceConfig
from cxplan.diagnostics import Severity
from cxplan.model.build import PlanFile, load_plan
from cxplan.rules import REGISTRY, Finding, ignored_codes, plan_findings
from cxplan.rules.social_only_channels import is_social_network

REPO = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2027, 3, 1)

# A small plan that follows the method: as of AS_OF no rule finds anything in it.
CLEAN_PLAN = """\
plan:
  title: Acme CX plan
  customer: Acme Industrial
  owner: ana
  start: 2027-01-04
  end: 2027-12-17
  quick_win_days: 30
team:
  - id: ana
    name: Ana Ruiz
    department: Key Accounts
    involvement: core
  - id: ben
    name: Ben Cole
    department: Operations
    involvement: core
areas:
  - id: ops
    name: Operations
  - id: fin
    name: Finance
moments:
  - id: tender
    name: Tender
    phase: purchase
    values:
      fin: Lowest total cost per pallet
      ops: Samples that run on our wrappers
  - id: delivery
    name: Delivery
    phase: consumption
    values:
      ops: Inside the booked dock window
      fin: Delivered quantities match the PO
stakeholders:
  - id: dora
    name: Dora Lind
    area: ops
    influence: 5
    support: supporter
    role: economic-buyer
    owner: ana
    last_contact: 2027-02-20
  - id: eli
    name: Eli Park
    area: fin
    influence: 3
    support: neutral
    owner: ben
    last_contact: 2027-02-10
commitments:
  - id: c1
    promise: Deliveries inside the booked dock window
    to: ops
    owner: ben
    due: 2027-04-15
    expectation: 4
actions:
  - id: a1
    title: Confirm dock windows
    owner: ben
    due: 2027-01-25
    horizon: quick-win
    kind: process
    status: done
    done_on: 2027-01-20
    areas: [ops]
  - id: a2
    title: Train the night shift
    owner: ben
    due: 2027-04-10
    horizon: medium-term
    kind: training
    areas: [ops]
    commitments: [c1]
  - id: a3
    title: Monthly review with Finance
    owner: ana
    due: 2027-04-30
    horizon: medium-term
    kind: communication
    areas: [fin]
    stakeholders: [eli]
kpis:
  - id: otif
    name: On time in full
    owner: ben
    direction: up
    target: 95
    readings:
      - date: 2027-01-31
        value: 88
      - date: 2027-02-28
        value: 91
engagement:
  channel:
    - In person at the dock
    - LinkedIn
"""

A4_FOR_ANA = """\
  - id: a4
    title: Quarterly review
    owner: ana
    due: 2027-05-30
    horizon: medium-term
    kind: communication
    areas: [fin]
kpis:
"""

Change = tuple[str, str]


def apply(text: str, changes: list[Change]) -> str:
    for old, new in changes:
        assert text.count(old) >= 1, f"no {old!r} in the plan"
        text = text.replace(old, new, 1)
    return text


def load(tmp_path: Path, text: str, name: str = "acme.yaml") -> PlanFile:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    plan_file, problems = load_plan(path)
    assert plan_file is not None, problems
    return plan_file


def findings(tmp_path: Path, text: str, **config: object) -> list[Finding]:
    return plan_findings(load(tmp_path, text), WorkspaceConfig(**config), AS_OF)


def codes(found: list[Finding]) -> list[str]:
    return [f.code for f in found]


# (code, changes that trigger it, item it names, changes that clear it, config)
CASES: list[tuple[str, list[Change], tuple[str, str] | None, list[Change], dict[str, object]]] = [
    (
        "CX501",
        [("horizon: quick-win", "horizon: medium-term")],
        None,
        [("horizon: medium-term\n    kind: process", "horizon: quick-win\n    kind: process")],
        {},
    ),
    (
        "CX502",
        [("due: 2027-01-25", "due: 2027-02-10")],
        ("actions", "a1"),
        [("quick_win_days: 30", "quick_win_days: 45")],
        {},
    ),
    (
        "CX503",
        [("due: 2027-04-10", "due: 2027-02-26")],
        ("actions", "a2"),
        [("kind: training", "kind: training\n    status: done\n    done_on: 2027-02-25")],
        {},
    ),
    (
        "CX504",
        [("    commitments: [c1]\n", "")],
        ("commitments", "c1"),
        [("areas: [ops]\n  - id: a2", "areas: [ops]\n    commitments: [c1]\n  - id: a2")],
        {},
    ),
    (
        "CX505",
        [("due: 2027-04-15", "due: 2027-04-01")],
        ("commitments", "c1"),
        [("due: 2027-04-10", "due: 2027-03-31")],
        {},
    ),
    (
        "CX506",
        [("expectation: 4", "expectation: 4\n    perceived: 2")],
        ("commitments", "c1"),
        [("perceived: 2", "perceived: 4")],
        {},
    ),
    (
        "CX507",
        [("    role: economic-buyer\n", "")],
        None,
        [("influence: 3\n", "influence: 3\n    role: economic-buyer\n")],
        {},
    ),
    (
        "CX508",
        [("influence: 3\n", "influence: 3\n    role: economic-buyer\n")],
        None,
        [("influence: 3\n    role: economic-buyer", "influence: 3\n    role: coach")],
        {},
    ),
    (
        "CX509",
        [
            ("influence: 3\n    support: neutral", "influence: 4\n    support: skeptic"),
            ("    stakeholders: [eli]\n", ""),
        ],
        ("stakeholders", "eli"),
        [("kind: training\n", "kind: training\n    stakeholders: [eli]\n")],
        {},
    ),
    (
        "CX510",
        [("area: fin", "area: ops")],
        ("areas", "fin"),
        [("name: Finance", "name: Finance\n    head: eli")],
        {},
    ),
    (
        "CX511",
        [("areas: [fin]", "areas: [ops]")],
        ("areas", "fin"),
        [("areas: [ops]", "areas: [ops, fin]")],
        {},
    ),
    (
        "CX512",
        [
            ("      fin: Lowest total cost per pallet\n", ""),
            ("      fin: Delivered quantities match the PO\n", ""),
        ],
        ("areas", "fin"),
        [("ops: Inside the booked dock window", "ops: Inside the booked dock window\n"
          "      fin: Invoices that match the PO")],
        {},
    ),
    (
        "CX513",
        [("    values:\n      fin: Lowest total cost per pallet\n"
          "      ops: Samples that run on our wrappers\n", "")],
        ("moments", "tender"),
        [("phase: purchase\n", "phase: purchase\n    values:\n      fin: A clear price\n")],
        {},
    ),
    (
        "CX514",
        [("department: Operations", "department: key accounts")],
        None,
        [("department: key accounts", "department: Logistics")],
        {},
    ),
    (
        "CX515",
        [("kind: training", "kind: process")],
        None,
        [("kind: communication", "kind: people")],
        {},
    ),
    (
        "CX516",
        [("In person at the dock", "WhatsApp group with the shift leads")],
        None,
        [("    - LinkedIn\n", "    - LinkedIn\n    - Email with a named contact\n")],
        {},
    ),
    (
        "CX517",
        [("date: 2027-01-31", "date: 2026-11-20"), ("date: 2027-02-28", "date: 2026-11-27")],
        ("kpis", "otif"),
        [("value: 91\n", "value: 91\n      - date: 2027-02-27\n        value: 93\n")],
        {},
    ),
    (
        "CX518",
        [("kpis:\n", A4_FOR_ANA)],
        ("team", "ana"),
        [("due: 2027-05-30", "due: 2027-05-30\n    status: dropped")],
        {"max_open_actions": 1},
    ),
    (
        "CX519",
        [("involvement: core", "involvement: collaborator")],
        None,
        [("owner: ana\n  start", "owner: ben\n  start")],
        {},
    ),
    (
        "CX520",
        [("owner: ben\n    last_contact", "owner: ana\n    last_contact")],
        None,
        [("owner: ana\n    last_contact: 2027-02-20", "owner: ben\n    last_contact: 2027-02-20")],
        {},
    ),
    (
        "CX521",
        [("last_contact: 2027-02-10", "last_contact: 2026-11-20")],
        ("stakeholders", "eli"),
        [("last_contact: 2026-11-20", "last_contact: 2027-02-27")],
        {},
    ),
    (
        "CX530",
        [("kpis:\n", "customer_steps:\n  - id: s1\n    title: Send the dock plan\n"
          "    owner: dora\n    follow_up: ana\n    due: 2027-02-20\nkpis:\n")],
        ("customer_steps", "s1"),
        [("due: 2027-02-20", "due: 2027-03-01")],  # due today is not late yet
        {},
    ),
    (
        "CX531",
        [("    last_contact: 2027-02-20\n", "    last_contact: 2027-02-20\n    gone:\n"
          "      on: 2027-02-25\n      why: left-company\n")],
        ("stakeholders", "dora"),
        [("    gone:\n      on: 2027-02-25\n      why: left-company\n", "")],
        {},
    ),
    (
        # 180 days before the renewal (the plan has no champion): the rule speaks; 181
        # days before, it does not.
        "CX535",
        [("  quick_win_days: 30\n", "  quick_win_days: 30\n  renewal: 2027-08-28\n")],
        None,
        [("renewal: 2027-08-28", "renewal: 2027-08-29")],
        {},
    ),
    (
        # 90 days before; a champion contacted 19 days ago clears the only risk.
        "CX536",
        [("  quick_win_days: 30\n", "  quick_win_days: 30\n  renewal: 2027-05-30\n")],
        None,
        [("support: neutral\n    owner: ben", "support: champion\n    owner: ben")],
        {},
    ),
]


def test_the_clean_plan_has_no_finding(tmp_path: Path) -> None:
    assert findings(tmp_path, CLEAN_PLAN) == []


# Rules that read the plan's git history need a real repository: they are tested in
# tests/test_history_rule.py.
GIT_HISTORY_RULES = {"CX522"}
# Rules that compare plans of a portfolio need two plans: tests/test_people_moves.py.
PORTFOLIO_RULES = {"CX532"}


def test_every_rule_has_a_case() -> None:
    assert sorted(case[0] for case in CASES) == sorted(
        set(REGISTRY) - GIT_HISTORY_RULES - PORTFOLIO_RULES
    )


@pytest.mark.parametrize(
    ("code", "trigger", "item", "clear", "config"), CASES, ids=[case[0] for case in CASES]
)
def test_rule_fires_and_a_minimal_change_clears_it(
    tmp_path: Path,
    code: str,
    trigger: list[Change],
    item: tuple[str, str] | None,
    clear: list[Change],
    config: dict[str, object],
) -> None:
    triggered = apply(CLEAN_PLAN, trigger)
    found = findings(tmp_path, triggered, **config)
    # Only this rule fires: the rules are independent of one another.
    assert codes(found) == [code]
    finding = found[0]
    rule = REGISTRY[code]
    assert finding.severity is rule.severity
    assert finding.diagnostic.hint
    if item is None:
        assert finding.item is None
    else:
        assert finding.item is not None
        assert (finding.item.section, finding.item.id) == item
        assert f"'{item[1]}'" in finding.diagnostic.message  # the message names the item
    cleared = apply(triggered, clear)
    assert findings(tmp_path, cleared, **config) == []


def _line_of(text: str, needle: str, after: str = "") -> int:
    start = text.index(after) if after else 0
    return text[: text.index(needle, start)].count("\n") + 1


def test_finding_points_at_the_offending_value(tmp_path: Path) -> None:
    text = apply(CLEAN_PLAN, [("due: 2027-04-10", "due: 2027-02-26")])
    (finding,) = findings(tmp_path, text)
    assert (finding.diagnostic.line, finding.diagnostic.column) == (
        _line_of(text, "due: 2027-02-26"), 10
    )
    assert finding.diagnostic.path.endswith("acme.yaml")
    assert "'a2'" in finding.diagnostic.message and "3 days overdue" in finding.diagnostic.message


def test_plan_level_finding_points_at_the_section_key(tmp_path: Path) -> None:
    text = apply(CLEAN_PLAN, [("kind: training", "kind: process")])
    (finding,) = findings(tmp_path, text)
    assert (finding.diagnostic.line, finding.diagnostic.column) == (_line_of(text, "actions:"), 1)


def test_due_on_the_as_of_date_is_not_overdue(tmp_path: Path) -> None:
    text = apply(CLEAN_PLAN, [("due: 2027-04-10", f"due: {AS_OF}")])
    assert findings(tmp_path, text) == []
    day_before = apply(CLEAN_PLAN, [("due: 2027-04-10", f"due: {AS_OF - dt.timedelta(days=1)}")])
    assert codes(findings(tmp_path, day_before)) == ["CX503"]


def test_stale_boundaries_follow_the_settings(tmp_path: Path) -> None:
    # eli: last contact 2027-02-10 is 19 days before AS_OF.
    assert codes(findings(tmp_path, CLEAN_PLAN, stale_days=19)) == []
    assert codes(findings(tmp_path, CLEAN_PLAN, stale_days=18)) == ["CX521"]
    # The latest KPI reading (2027-02-28) is 1 day old.
    assert codes(findings(tmp_path, CLEAN_PLAN, kpi_stale_days=1)) == []


def test_a_kpi_never_measured_is_stale_once_the_plan_is_old_enough(tmp_path: Path) -> None:
    text = apply(CLEAN_PLAN, [(
        "    readings:\n      - date: 2027-01-31\n        value: 88\n"
        "      - date: 2027-02-28\n        value: 91\n", "")])
    # 56 days into the plan.
    assert codes(findings(tmp_path, text, kpi_stale_days=56)) == []
    (finding,) = findings(tmp_path, text, kpi_stale_days=55)
    assert finding.code == "CX517" and "never been measured" in finding.diagnostic.message


def test_quick_win_window_boundary(tmp_path: Path) -> None:
    # start 2027-01-04 + 30 days = 2027-02-03: due that day is inside the window.
    inside = apply(CLEAN_PLAN, [("due: 2027-01-25", "due: 2027-02-03")])
    assert findings(tmp_path, inside) == []
    outside = apply(CLEAN_PLAN, [("due: 2027-01-25", "due: 2027-02-04")])
    assert codes(findings(tmp_path, outside)) == ["CX502"]


def test_a_done_delivering_action_is_not_late_for_its_commitment(tmp_path: Path) -> None:
    text = apply(CLEAN_PLAN, [
        ("due: 2027-04-15", "due: 2027-04-01"),
        ("kind: training", "kind: training\n    status: done\n    done_on: 2027-02-25"),
    ])
    assert findings(tmp_path, text) == []


def test_a_dropped_action_does_not_deliver_a_commitment(tmp_path: Path) -> None:
    text = apply(CLEAN_PLAN, [("kind: training", "kind: training\n    status: dropped")])
    # a2 was also the only training action.
    assert codes(findings(tmp_path, text)) == ["CX504", "CX515"]


def test_overload_counts_open_actions_across_the_portfolio(tmp_path: Path) -> None:
    first = load(tmp_path, CLEAN_PLAN, "acme.yaml")
    second = load(tmp_path, CLEAN_PLAN.replace("Acme", "Globex"), "globex.yaml")
    config = WorkspaceConfig(max_open_actions=1)
    # Alone, each plan gives ana and ben one open action each.
    assert plan_findings(first, config, AS_OF) == []
    found = plan_findings(first, config, AS_OF, portfolio=[first, second])
    assert [(f.code, f.item.id if f.item else None) for f in found] == [
        ("CX518", "ana"), ("CX518", "ben")
    ]
    assert "across 2 plans" in found[0].diagnostic.message


@pytest.mark.parametrize(
    "entry",
    ["LinkedIn", "Facebook page", "X", "x.com posts", "Grupo de WhatsApp", "Vídeos en YouTube",
     "REDES SOCIALES", "Social media", "Instagram stories", "Twitter/X", "Canal de Telegram",
     "Redes sociais", "Mídias sociais da marca"],
)
def test_social_networks_are_recognised(entry: str) -> None:
    assert is_social_network(entry)


@pytest.mark.parametrize(
    "entry",
    ["In person", "Email", "Teléfono de guardia", "EDI", "Xerox printouts", "Video call",
     "Portal propio", "Phone line", "Email threads", "Box", "Telefone de urgência 24 horas"],
)
def test_other_channels_are_not_social_networks(entry: str) -> None:
    assert not is_social_network(entry)


# --- settings ----------------------------------------------------------------------

OVERDUE = apply(CLEAN_PLAN, [("due: 2027-04-10", "due: 2027-02-26")])


def test_a_rule_switched_off_is_silent(tmp_path: Path) -> None:
    assert findings(tmp_path, OVERDUE, rules={"CX503": "off"}) == []
    # Other rules still run.
    both = apply(OVERDUE, [("last_contact: 2027-02-10", "last_contact: 2026-11-20")])
    assert codes(findings(tmp_path, both, rules={"CX503": "off"})) == ["CX521"]


def test_a_rule_can_be_regraded(tmp_path: Path) -> None:
    for level in ("info", "warning", "error"):
        (finding,) = findings(tmp_path, OVERDUE, rules={"CX503": level})
        assert finding.severity is Severity(level)


def _workspace(tmp_path: Path, text: str, rules: dict[str, str] | None = None) -> Path:
    (tmp_path / "plans").mkdir(exist_ok=True)
    (tmp_path / "plans" / "acme.yaml").write_text(text, encoding="utf-8")
    plugin: dict[str, object] = {"rules": rules} if rules else {}
    mkdocs = {"site_name": "CX", "plugins": [{"cxplan": plugin}]}
    config = tmp_path / "mkdocs.yml"
    config.write_text(yaml.safe_dump(mkdocs), encoding="utf-8")
    return config


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cxplan", *args], capture_output=True, text=True, timeout=60
    )


def test_validate_reports_rule_findings_and_strict_fails_on_them(tmp_path: Path) -> None:
    config = _workspace(tmp_path, OVERDUE)
    args = ("validate", "--config", str(config), "--as-of", str(AS_OF))
    result = cli(*args)
    assert result.returncode == 0, result.stdout
    line = _line_of(OVERDUE, "due: 2027-02-26")
    assert f"acme.yaml:{line}:10: warning[CX503]: action 'a2'" in result.stdout
    assert "hint: " in result.stdout
    assert cli(*args, "--strict").returncode == 1
    # The as-of date matters: the day the action is due, nothing is overdue.
    calm = cli("validate", "--config", str(config), "--as-of", "2027-02-26", "--strict")
    assert calm.returncode == 0, calm.stdout


def test_a_rule_regraded_to_error_fails_validation(tmp_path: Path) -> None:
    config = _workspace(tmp_path, OVERDUE, rules={"CX503": "error"})
    result = cli("validate", "--config", str(config), "--as-of", str(AS_OF))
    assert result.returncode == 1
    assert "error[CX503]" in result.stdout


def test_a_rule_switched_off_in_mkdocs_yml_is_silent(tmp_path: Path) -> None:
    config = _workspace(tmp_path, OVERDUE, rules={"CX503": "off"})
    result = cli("validate", "--config", str(config), "--as-of", str(AS_OF), "--strict")
    assert result.returncode == 0
    assert "CX503" not in result.stdout
    assert "no problems" in result.stdout


@pytest.mark.parametrize("written", ["off", "no", "false", "'off'"])
def test_a_rule_switched_off_as_the_docs_write_it(tmp_path: Path, written: str) -> None:
    # YAML reads an unquoted `off` as false (mkdocs.yml is read as YAML 1.1).
    config = _workspace(tmp_path, OVERDUE)
    config.write_text("site_name: CX\nplugins:\n  - cxplan:\n      rules:\n"
                      f"        CX503: {written}\n", encoding="utf-8")
    result = cli("validate", "--config", str(config), "--as-of", str(AS_OF), "--strict")
    assert (result.returncode, result.stdout.count("CX503")) == (0, 0), result.stdout


def test_an_unknown_rule_code_in_settings_is_an_error(tmp_path: Path) -> None:
    config = _workspace(tmp_path, CLEAN_PLAN, rules={"CX599": "off"})
    result = cli("validate", "--config", str(config), "--as-of", str(AS_OF))
    assert result.returncode == 1
    assert "error[CX500]" in result.stdout and "'CX599'" in result.stdout


def test_json_and_github_formats_carry_rule_findings(tmp_path: Path) -> None:
    config = _workspace(tmp_path, OVERDUE)
    base = ("validate", "--config", str(config), "--as-of", str(AS_OF), "--format")
    data = json.loads(cli(*base, "json").stdout)
    (diagnostic,) = data["diagnostics"]
    assert diagnostic["code"] == "CX503" and diagnostic["severity"] == "warning"
    assert diagnostic["hint"] and "'a2'" in diagnostic["message"]
    assert data["summary"]["warnings"] == 1
    github = cli(*base, "github").stdout
    assert "::warning file=" in github and "title=CX503::" in github


# --- inline ignore comments ----------------------------------------------------------

TWO_OVERDUE = apply(
    CLEAN_PLAN,
    [("due: 2027-04-10", "due: 2027-02-26"), ("due: 2027-04-30", "due: 2027-02-20")],
)


def _overdue_items(tmp_path: Path, text: str) -> list[str]:
    return [f.item.id for f in findings(tmp_path, text) if f.code == "CX503" and f.item]


def test_both_overdue_actions_are_reported(tmp_path: Path) -> None:
    assert sorted(_overdue_items(tmp_path, TWO_OVERDUE)) == ["a2", "a3"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("- id: a2\n", "- id: a2  # cxplan: ignore[CX503]\n"),
        ("due: 2027-02-26\n", "due: 2027-02-26  # cxplan: ignore[CX503]\n"),
        ("- id: a2\n", "- id: a2  # cxplan: ignore[CX505, cx503]\n"),
        ("- id: a2\n", "- id: a2 #cxplan:ignore[CX503]\n"),
    ],
    ids=["item-line", "finding-line", "several-codes", "tight-spacing"],
)
def test_an_ignore_comment_silences_one_item_and_not_its_neighbours(
    tmp_path: Path, old: str, new: str
) -> None:
    text = apply(TWO_OVERDUE, [(old, new)])
    assert _overdue_items(tmp_path, text) == ["a3"]


def test_an_ignore_comment_for_another_code_silences_nothing(tmp_path: Path) -> None:
    text = apply(TWO_OVERDUE, [("- id: a2\n", "- id: a2  # cxplan: ignore[CX521]\n")])
    assert sorted(_overdue_items(tmp_path, text)) == ["a2", "a3"]


def test_an_ignore_comment_on_another_line_of_the_item_silences_nothing(tmp_path: Path) -> None:
    text = apply(TWO_OVERDUE, [("title: Train the night shift\n",
                                "title: Train the night shift  # cxplan: ignore[CX503]\n")])
    assert sorted(_overdue_items(tmp_path, text)) == ["a2", "a3"]


def test_a_plan_level_finding_is_ignored_from_the_plan_line(tmp_path: Path) -> None:
    silo = apply(CLEAN_PLAN, [("department: Operations", "department: Key Accounts")])
    assert codes(findings(tmp_path, silo)) == ["CX514"]
    text = apply(silo, [("plan:\n", "plan:  # cxplan: ignore[CX514]\n")])
    assert findings(tmp_path, text) == []
    text = apply(silo, [("actions:\n", "actions:  # cxplan: ignore[CX514]\n")])
    assert findings(tmp_path, text) == []


def test_ignored_codes_parsing() -> None:
    assert ignored_codes("  - id: a1  # cxplan: ignore[CX503]") == {"CX503"}
    assert ignored_codes("x # cxplan: ignore[cx503 , CX521]") == {"CX503", "CX521"}
    assert ignored_codes("  - id: a1  # ignore[CX503]") == set()
    assert ignored_codes("  - id: a1") == set()


# --- links for the site --------------------------------------------------------------


def test_findings_link_to_their_item_on_the_plan_site(tmp_path: Path) -> None:
    text = apply(CLEAN_PLAN, [
        ("due: 2027-04-10", "due: 2027-02-26"),                     # CX503 a2
        ("areas: [fin]", "areas: [ops]"),                            # CX511 fin
        ("last_contact: 2027-02-10", "last_contact: 2026-11-20"),   # CX521 eli
        ("expectation: 4", "expectation: 4\n    perceived: 2"),      # CX506 c1
        ("kind: training", "kind: people"),
    ])
    links = {f.code: f.link for f in findings(tmp_path, text)}
    assert links == {
        "CX503": "actions.md#action-a2",
        "CX511": "areas/fin.md",
        "CX521": "power-map.md#stakeholder-eli",
        "CX506": "commitments.md#commitment-c1",
    }
    moment = apply(CLEAN_PLAN, [("    values:\n      fin: Lowest total cost per pallet\n"
                                 "      ops: Samples that run on our wrappers\n", "")])
    assert [f.link for f in findings(tmp_path, moment)] == ["journey.md#moment-tender"]
    kpi = apply(CLEAN_PLAN, [("date: 2027-02-28", "date: 2027-02-27")])
    assert findings(tmp_path, kpi, kpi_stale_days=1)[0].link == "kpis.md#kpi-otif"
    plan_level = apply(CLEAN_PLAN, [("horizon: quick-win", "horizon: medium-term")])
    assert [f.link for f in findings(tmp_path, plan_level)] == ["quick-wins.md"]


# --- the example plans ---------------------------------------------------------------

EXAMPLES_AS_OF = dt.date(2026, 11, 25)

# What the example plans are written to show, and nothing else.
EXPECTED_EXAMPLE_FINDINGS = [
    ("conservas-atlantida.yaml", "CX503", "a-validacao-autoclaves"),
    ("conservas-atlantida.yaml", "CX503", "a-visita-olhao"),
    ("conservas-atlantida.yaml", "CX506", "c-registos-haccp"),
    ("conservas-atlantida.yaml", "CX521", "matos"),
    ("hospital-santa-lucia.yaml", "CX503", "a-validacion-lector"),
    ("hospital-santa-lucia.yaml", "CX503", "a-visita-montero"),
    ("hospital-santa-lucia.yaml", "CX506", "c-etiquetas-lote"),
    ("hospital-santa-lucia.yaml", "CX521", "montero"),
    ("northwind-logistics.yaml", "CX503", "a-cfo-reset"),
    ("northwind-logistics.yaml", "CX503", "a-edi-testing"),
    ("northwind-logistics.yaml", "CX506", "c-invoice-credits"),
    ("northwind-logistics.yaml", "CX521", "a.brennan"),
    ("northwind-logistics.yaml", "CX530", "s-sftp-credentials"),
]


def test_the_example_plans_show_only_the_intended_findings() -> None:
    paths = sorted((REPO / "plans").glob("*.yaml"))
    assert [p.name for p in paths] == [
        "conservas-atlantida.yaml", "hospital-santa-lucia.yaml", "northwind-logistics.yaml"
    ]
    plan_files = []
    for path in paths:
        plan_file, problems = load_plan(path)
        assert plan_file is not None, problems
        plan_files.append(plan_file)
    found = []
    for plan_file in plan_files:
        for finding in plan_findings(
            plan_file, WorkspaceConfig(), EXAMPLES_AS_OF, portfolio=plan_files
        ):
            assert finding.item is not None
            found.append((Path(plan_file.path).name, finding.code, finding.item.id))
    assert sorted(found) == EXPECTED_EXAMPLE_FINDINGS


def test_validate_on_the_example_plans_prints_exactly_those_findings() -> None:
    result = cli("validate", str(REPO / "plans"), "--as-of", str(EXAMPLES_AS_OF), "--format",
                 "json")
    data = json.loads(result.stdout)
    assert result.returncode == 0
    assert sorted(
        (Path(d["path"]).name, d["code"]) for d in data["diagnostics"]
    ) == [(name, code) for name, code, _ in EXPECTED_EXAMPLE_FINDINGS]


# --- the registry ------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_every_rule_is_documented_and_translated(code: str) -> None:
    rule = REGISTRY[code]
    assert rule.code == code and code.startswith("CX5") and len(code) == 5
    assert rule.severity in (Severity.WARNING, Severity.INFO)
    assert rule.title and rule.hint and rule.name
    doc = rule.doc
    for part in (doc.what, doc.why, doc.fix, doc.example):
        assert part.strip(), (code, doc)
    # The example is a YAML snippet an author could paste.
    assert isinstance(yaml.safe_load(doc.example), dict)
    # Titles for the site's plan-health panel, in both languages.
    assert LABELS["en"][f"rule.{code}"] == rule.title
    assert LABELS["es"][f"rule.{code}"].strip()
    assert LABELS["es"][f"rule.{code}"] != rule.title


def test_rule_names_and_codes_are_unique() -> None:
    names = [rule.name for rule in REGISTRY.values()]
    assert len(set(names)) == len(names)
    assert list(REGISTRY) == sorted(REGISTRY)
