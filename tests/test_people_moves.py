"""Champions who move: a stakeholder marked gone, the gap it leaves, the same person
seen in another plan (both plans say so), the contact log and `cxplan touch`."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest
from site_helpers import content, make_workspace, mkdocs_site
from test_rules import CLEAN_PLAN, apply, codes, findings
from tracking_plans import run_cxplan

from cxplan.analyse import moves, powermap
from cxplan.config import WorkspaceConfig
from cxplan.model.build import PlanFile, load_plan
from cxplan.rules.run import portfolio_findings

AS_OF = dt.date(2027, 3, 1)

# Dora, the economic buyer, left; the log shows the last contacts before she went.
DORA_GONE = [(
    "    last_contact: 2027-02-20\n",
    "    last_contact: 2027-02-20\n"
    "    email: dora@acme.example\n"
    "    contact_log:\n"
    "      - on: 2027-01-12\n"
    "        by: ana\n"
    "        channel: visit\n"
    "        note: Walked the docks together.\n"
    "      - on: 2027-02-24\n"
    "        by: ana\n"
    "        channel: call\n"
    "        note: She told us she is leaving for Contoso.\n"
    "    gone:\n"
    "      on: 2027-02-26\n"
    "      why: left-company\n"
    "      now: Head of Logistics at Contoso\n",
)]

# Contoso's plan: the same person, by name and e-mail, under another id.
CONTOSO = apply(CLEAN_PLAN, [
    ("customer: Acme Industrial", "customer: Contoso"),
    ("  - id: dora\n    name: Dora Lind\n", "  - id: d.lind\n    name: Dora  Lind\n"),
    ("    last_contact: 2027-02-20\n",
     "    last_contact: 2027-02-20\n    email: DORA@acme.example\n"),
    ("- id: eli\n    name: Eli Park", "- id: eli\n    name: Elias Park"),
])


def load(tmp_path: Path, name: str, text: str) -> PlanFile:
    path = tmp_path / "plans" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    plan_file, problems = load_plan(path)
    assert plan_file is not None, problems
    return plan_file


def test_last_contact_follows_from_the_contact_log(tmp_path: Path) -> None:
    acme = load(tmp_path, "acme.yaml", apply(CLEAN_PLAN, DORA_GONE))
    dora = acme.plan.stakeholders[0]
    assert dora.last_contact == dt.date(2027, 2, 24)  # the log's latest, after 02-20
    assert [t.channel for t in dora.contact_log] == ["visit", "call"]
    # Without `last_contact` written, the log alone gives it.
    alone = apply(CLEAN_PLAN, [("    last_contact: 2027-02-10\n",
                                "    contact_log:\n      - on: 2026-10-01\n        by: ben\n"
                                "        channel: email\n")])
    eli = load(tmp_path, "alone.yaml", alone).plan.stakeholders[1]
    assert eli.last_contact == dt.date(2026, 10, 1)
    # ... and the stale-relationship rule reads it: 151 days before 2027-03-01.
    stale = [f for f in findings(tmp_path, alone) if f.code == "CX521"]
    assert [f.facts["days"] for f in stale] == [151]


def test_a_gone_economic_buyer_is_a_gap_the_rules_ask_to_fill(tmp_path: Path) -> None:
    acme = load(tmp_path, "acme.yaml", apply(CLEAN_PLAN, DORA_GONE))
    assert moves.gaps(acme.plan) == [moves.Gap("economic-buyer", ("dora",))]
    # Someone who left is a gap, not a relationship going stale.
    assert powermap.stale_relationships(acme.plan, dt.date(2028, 1, 1)) != [] and all(
        s.stakeholder != "dora" for s in powermap.stale_relationships(acme.plan,
                                                                       dt.date(2028, 1, 1)))
    found = findings(tmp_path, apply(CLEAN_PLAN, DORA_GONE))
    assert codes(found) == ["CX531"]
    assert found[0].message == (
        "every economic buyer of the plan has left ('dora'): the role is a gap in the "
        "power map"
    )
    assert "compradores económicos" in found[0].message_in("es")
    # A second economic buyer still in place closes the gap (and the rule).
    replaced = apply(CLEAN_PLAN, [*DORA_GONE, (
        "    support: neutral\n    owner: ben",
        "    support: neutral\n    role: economic-buyer\n    owner: ben")])
    assert "CX531" not in codes(findings(tmp_path, replaced))


@pytest.mark.parametrize("bad, code, words", [
    ("      on: 2027-02-24\n        by: ana\n        channel: call\n",
     "CX408", "contact 2027-01-05 with stakeholder 'dora' is before the one above it"),
    ("      on: 2027-02-26\n      why: left-company\n",
     "CX409", "contact 2027-02-24 with stakeholder 'dora' is after they left (2027-02-20)"),
])
def test_the_contact_log_is_checked_with_its_position(
    tmp_path: Path, bad: str, code: str, words: str
) -> None:
    text = apply(CLEAN_PLAN, DORA_GONE)
    if code == "CX408":
        text = text.replace("on: 2027-02-24\n        by: ana", "on: 2027-01-05\n        by: ana")
    else:
        text = text.replace("on: 2027-02-26\n      why", "on: 2027-02-20\n      why")
    path = tmp_path / "acme.yaml"
    path.write_text(text, encoding="utf-8")
    plan_file, problems = load_plan(path)
    assert plan_file is None
    [problem] = problems
    assert problem.code == code and problem.message.startswith(words)
    line = text.splitlines()[problem.line - 1]
    assert line.strip().startswith("- on:") and problem.column == line.index("20") + 1


def test_channels_and_departures_are_choices_with_the_allowed_values(tmp_path: Path) -> None:
    text = apply(CLEAN_PLAN, DORA_GONE).replace("channel: visit", "channel: fax").replace(
        "why: left-company", "why: retired")
    path = tmp_path / "acme.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = load_plan(path)
    messages = {p.line: (p.message, p.hint) for p in problems}
    lines = text.splitlines()
    fax = lines.index("        channel: fax") + 1
    retired = lines.index("      why: retired") + 1
    assert set(messages) == {fax, retired}
    assert "meeting" in " ".join(messages[fax]) and "left-role" in " ".join(messages[retired])


# --- two plans --------------------------------------------------------------------------


def test_a_person_gone_from_one_plan_and_seen_in_another_is_said_in_both(
    tmp_path: Path,
) -> None:
    acme = load(tmp_path, "acme.yaml", apply(CLEAN_PLAN, DORA_GONE))
    contoso = load(tmp_path, "contoso.yaml", CONTOSO)
    assert moves.moved([acme, contoso]) == [moves.Move("acme", "dora", "contoso", "d.lind",
                                                       "Dora Lind")]
    found = portfolio_findings([acme, contoso], WorkspaceConfig(), AS_OF)
    acme_moves = [f for f in found["acme"] if f.code == "CX532"]
    contoso_moves = [f for f in found["contoso"] if f.code == "CX532"]
    assert [f.message for f in acme_moves] == [
        "'dora', who left, is 'd.lind' in plan 'contoso': a champion who moved is a new door"]
    assert [f.message for f in contoso_moves] == [
        "'d.lind' left the account of plan 'acme' (as 'dora'): they know how we work"]
    assert contoso_moves[0].link == "power-map.md#stakeholder-d.lind"
    assert str(contoso_moves[0].severity) == "info"


def test_the_same_name_alone_is_not_the_same_person_but_a_person_key_is(
    tmp_path: Path,
) -> None:
    gone = apply(CLEAN_PLAN, DORA_GONE)
    no_email = CONTOSO.replace("    email: DORA@acme.example\n", "")
    acme = load(tmp_path, "acme.yaml", gone)
    assert moves.moved([acme, load(tmp_path, "contoso.yaml", no_email)]) == []
    keyed_gone = gone.replace("    email: dora@acme.example\n", "    person: dora-lind\n")
    keyed = no_email.replace("    name: Dora  Lind\n", "    name: Dora L.\n    person: Dora-Lind\n")
    assert [m.to_id for m in moves.moved([load(tmp_path, "acme.yaml", keyed_gone),
                                          load(tmp_path, "contoso.yaml", keyed)])] == ["d.lind"]


def test_the_team_power_map_shows_the_gap_and_where_the_person_went(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", {"acme.yaml": apply(CLEAN_PLAN, DORA_GONE),
                                            "contoso.yaml": CONTOSO})
    site = mkdocs_site(root, tmp_path / "site", as_of=AS_OF)
    acme = content(site, "plans/acme/power-map")
    text = acme.text()
    assert "Who moved" in text and "No economic buyer left" in text
    assert "left the company on 2027-02-26" in text and "Head of Logistics at Contoso" in text
    links = acme.links()
    assert any("contoso/power-map/#stakeholder-d.lind" in link for link in links), links
    assert "She told us she is leaving for Contoso." in text  # the contact log
    other = content(site, "plans/contoso/power-map")
    assert any("acme/power-map/#stakeholder-dora" in link for link in other.links())


# --- cxplan touch -----------------------------------------------------------------------

COMMENTED = apply(CLEAN_PLAN, [
    ("  - id: eli\n", "  # Finance: the monthly review is where we meet him.\n  - id: eli\n"),
    ("    owner: ben\n    last_contact: 2027-02-10\n",
     "    owner: ben   # since January\n    last_contact: 2027-02-10\n"
     "    # every contact, oldest first\n"
     "    contact_log:\n"
     "      - on: 2027-02-10\n        by: ben\n        channel: meeting\n"
     "commitments:\n"),
]).replace("commitments:\ncommitments:\n", "\n# Promises.\ncommitments:\n")


def changed_lines(before: str, after: str) -> list[str]:
    return [line.rstrip("\n") for line in difflib.ndiff(
        before.splitlines(keepends=True), after.splitlines(keepends=True))
        if line.startswith(("- ", "+ "))]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme.yaml").write_text(COMMENTED, encoding="utf-8")
    return tmp_path


def test_touch_appends_to_the_log_and_changes_nothing_else(workspace: Path) -> None:
    result = run_cxplan(workspace, "touch", "eli", "--on", "2027-02-27", "--channel", "call",
                        "--note", 'Budget: "approved" for Q2')
    assert result.returncode == 0, result.stderr
    assert "(acme): contact with 'eli' on 2027-02-27 by ben (call) logged." in result.stdout
    after = (workspace / "plans" / "acme.yaml").read_text("utf-8")
    assert changed_lines(COMMENTED, after) == [
        "-     last_contact: 2027-02-10",
        "+     last_contact: 2027-02-27",
        "+       - on: 2027-02-27",
        "+         by: ben",
        "+         channel: call",
        '+         note: "Budget: \\"approved\\" for Q2"',
    ]
    plan_file, problems = load_plan(workspace / "plans" / "acme.yaml")
    assert plan_file is not None, problems
    eli = plan_file.plan.stakeholders[1]
    assert eli.contact_log[-1].note == 'Budget: "approved" for Q2'
    assert eli.last_contact == dt.date(2027, 2, 27)


def test_touch_creates_the_log_when_the_stakeholder_has_none(workspace: Path) -> None:
    result = run_cxplan(workspace, "touch", "dora", "--on", "2027-02-25", "--by", "ben")
    assert result.returncode == 0, result.stderr
    after = (workspace / "plans" / "acme.yaml").read_text("utf-8")
    assert changed_lines(COMMENTED, after) == [
        "-     last_contact: 2027-02-20",
        "+     last_contact: 2027-02-25",
        "+     contact_log:",
        "+       - on: 2027-02-25",
        "+         by: ben",
        "+         channel: meeting",
    ]
    assert load_plan(workspace / "plans" / "acme.yaml")[0] is not None


def test_touch_refuses_and_leaves_the_file_byte_identical(workspace: Path) -> None:
    path = workspace / "plans" / "acme.yaml"
    before = path.read_bytes()
    unknown = run_cxplan(workspace, "touch", "ely")
    assert unknown.returncode == 1 and "no stakeholder 'ely'" in unknown.stderr
    assert "did you mean 'eli'" in unknown.stderr
    not_ours = run_cxplan(workspace, "touch", "eli", "--by", "zoe")
    assert not_ours.returncode == 1
    assert "unknown team member 'zoe' in 'by'" in not_ours.stderr
    after_left = run_cxplan(workspace, "touch", "eli", "--note", "two\nlines")
    assert after_left.returncode == 1 and "one line" in after_left.stderr
    bad_channel = run_cxplan(workspace, "touch", "eli", "--channel", "fax")
    assert bad_channel.returncode == 2
    assert path.read_bytes() == before


def test_touch_without_an_owner_asks_who(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    text = CLEAN_PLAN.replace("    owner: ben\n    last_contact: 2027-02-10\n",
                              "    last_contact: 2027-02-10\n")
    (tmp_path / "plans" / "acme.yaml").write_text(text, encoding="utf-8")
    result = run_cxplan(tmp_path, "touch", "eli")
    assert result.returncode == 1 and "--by PERSON" in result.stderr
