"""Realistic mistakes a CX author makes, each reported where it was made, with a fix.

Every case starts from the minimal valid plan (tests/conftest.py), makes one mistake by
text replacement, runs `cxplan validate FILE --format json` and checks the exact set of
(code, line, column) reported, the exit code, and that the message or hint tells the
author what to do.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import minimal_plan_text, mutate, write_plan

from cxplan.cli import cli


@dataclass(frozen=True)
class Mistake:
    name: str
    edits: list[tuple[str, str]]
    code: str
    line: int
    column: int
    fix: str
    """Words the message or hint must contain: how to fix it."""
    also: list[tuple[str, int, int]] = field(default_factory=list)
    """Other findings the same mistake rightly causes."""
    file_name: str = "acme.yaml"
    severity: str = "error"
    """The main finding's severity: the traps that change a value silently are warnings."""


A2_OWNER = "    owner: ana\n    due: 2027-04-30"
A1_TITLE = "title: Confirm dock windows"
A2_END = "    horizon: medium-term\n"

MISTAKES = [
    Mistake("two owners in a flow list", [(A2_OWNER, "    owner: [ana, ben]\n    due: 2027-04-30")],
            "CX207", 58, 12, "one action, one owner"),
    Mistake("two owners in a block list",
            [(A2_OWNER, "    owner:\n      - ana\n      - ben\n    due: 2027-04-30")],
            "CX207", 59, 7, "Keep the accountable person"),
    Mistake("unknown owner with a near match", [(A2_OWNER, "    owner: anna\n    due: 2027-04-30")],
            "CX300", 58, 12, "did you mean 'ana'?"),
    Mistake("name written where the id belongs",
            [(A2_OWNER, "    owner: Ana Ruiz\n    due: 2027-04-30")],
            "CX300", 58, 12, "write its id, 'ana'"),
    Mistake("impossible date", [("due: 2027-02-15", "due: 2027-02-30")],
            "CX205", 46, 10, "February 2027 has 28 days"),
    Mistake("date in day/month/year order", [("due: 2027-02-15", "due: 15/02/2027")],
            "CX205", 46, 10, "YYYY-MM-DD"),
    Mistake("typo in a key", [("    horizon: medium-term", "    horizn: medium-term")],
            "CX201", 60, 5, "did you mean 'horizon'?", also=[("CX200", 56, 5)]),
    Mistake("typo in a top-level key", [("kpis:\n", "kpi:\n")],
            "CX201", 61, 1, "did you mean 'kpis'?"),
    Mistake("wrong enum value", [("support: neutral", "support: netural")],
            "CX203", 39, 14, "did you mean 'neutral'?"),
    Mistake("enum value in capitals", [("status: done", "status: Done")],
            "CX203", 54, 13, "did you mean 'done'?"),
    Mistake("language not offered",
            [("  end: 2027-12-17\n", "  end: 2027-12-17\n  language: fr\n")],
            "CX203", 7, 13, "allowed: en, es"),
    Mistake("duplicate key",
            [("    title: Confirm dock windows\n",
              "    title: Confirm dock windows\n    title: Confirm windows\n")],
            "CX113", 51, 5, "keep one of the two"),
    Mistake("duplicate id", [("  - id: a2", "  - id: a1")], "CX301", 56, 9, "rename one"),
    Mistake("ids differing only by case", [("  - id: a2", "  - id: A1")],
            "CX302", 56, 9, "rename one"),
    Mistake("reports_to cycle",
            [("    owner: ana\n  - id: eli", "    owner: ana\n    reports_to: eli\n  - id: eli")],
            "CX303", 35, 17, "remove one 'reports_to'"),
    Mistake("done without done_on", [("    done_on: 2027-01-20\n", "")],
            "CX400", 54, 13, "add 'done_on: YYYY-MM-DD'"),
    Mistake("done_on without done", [("    status: done\n", "")],
            "CX400", 54, 14, "set 'status: done', or remove 'done_on'"),
    Mistake("influence out of range", [("influence: 4", "influence: 7")],
            "CX206", 32, 16, "from 1 to 5"),
    Mistake("quick-win window of zero days", [("  end: 2027-12-17\n", "  end: 2027-12-17\n"
                                                "  quick_win_days: 0\n")],
            "CX206", 7, 19, "from 1 to 365"),
    Mistake("unknown moment",
            [("    horizon: medium-term\n",
              "    horizon: medium-term\n    moments: [tender, onboarding]\n")],
            "CX300", 61, 23, "known moment ids: tender, delivery"),
    Mistake("unknown area in a moment's values",
            [("    phase: purchase\n",
              "    phase: purchase\n    values:\n      sales: Low price\n")],
            "CX300", 26, 7, "known area ids: ops, fin"),
    Mistake("non-ASCII id", [("  - id: a2", "  - id: acción-2")],
            "CX204", 56, 9, "remove or replace 'ó'"),
    Mistake("missing required key", [("    direction: up\n", "")],
            "CX200", 62, 5, "add 'direction:'"),
    Mistake("a word where a number belongs", [("expectation: 4", "expectation: high")],
            "CX202", 47, 18, "write a number without quotes or words"),
    Mistake("moments out of phase order",
            [("    phase: purchase", "    phase: consumption"),
             ("    phase: consumption\nstakeholders", "    phase: purchase\nstakeholders")],
            "CX401", 27, 12, "every purchase moment before the consumption ones"),
    Mistake("tab indentation", [("    name: Ben Cole", "\tname: Ben Cole")],
            "CX110", 13, 1, "replace the tab with spaces"),
    Mistake("value with an unquoted ': '",
            [("title: Confirm dock windows", "title: Note: confirm windows")],
            "CX110", 50, 16, "must be quoted"),
    Mistake("readings out of order", [("date: 2027-02-28", "date: 2027-01-15")],
            "CX402", 71, 15, "oldest first"),
    Mistake("end before start", [("end: 2027-12-17", "end: 2026-12-17")],
            "CX403", 6, 8, "swap the dates"),
    Mistake("bad plan file name", [], "CX404", 1, 1, "rename the file", file_name="Acme_Plan.yaml"),
    Mistake("`yes` where a boolean belongs",
            [("    expectation: 4\n", "    expectation: 4\n    internal: yes\n")],
            "CX202", 48, 15, "only true and false are booleans"),
    Mistake("quoted number", [("target: 95", 'target: "95"')],
            "CX202", 67, 13, "without quotes"),
    Mistake("unknown commitment `to` with a near match", [("to: ops", "to: opps")],
            "CX300", 44, 9, "did you mean 'ops'?"),
    Mistake("area name where the commitment `to` id belongs", [("to: ops", "to: Operations")],
            "CX300", 44, 9, "write its id, 'ops'"),
    Mistake("a list where text belongs",
            [("title: Confirm dock windows", "title: [Confirm, dock windows]")],
            "CX202", 50, 12, "one piece of text"),
    Mistake("required text left empty", [("title: Confirm dock windows", "title:")],
            "CX202", 50, 11, "fill it in"),
    Mistake("two due dates", [("due: 2027-04-30", "due: [2027-04-30, 2027-05-30]")],
            "CX208", 59, 10, "one item per date"),
    # -- YAML traps: what a person typed is never changed silently -----------------
    Mistake("' #' inside a title", [(A1_TITLE, "title: Cut over wave #1 (12 branches)")],
            "CX120", 50, 26, 'title: "Cut over wave #1 (12 branches)"', severity="warning"),
    Mistake("'#' right after the colon",
            [(A1_TITLE, "title: #1 Confirm dock windows")],
            "CX120", 50, 12, 'title: "#1 Confirm dock windows"', also=[("CX202", 50, 11)],
            severity="warning"),
    Mistake("`null` for an optional text",
            [("  end: 2027-12-17\n", "  end: 2027-12-17\n  summary: null\n")],
            "CX121", 7, 12, 'put it in quotes: "null"', severity="warning"),
    Mistake("`~` for a required name", [("    name: Eli Park", "    name: ~")],
            "CX121", 36, 11, "remove the key", also=[("CX202", 36, 11)],
            severity="warning"),
    Mistake("value starting with '@'",
            [("    department: Operations", "    department: @ops-team")],
            "CX110", 14, 17, 'department: "@ops-team"'),
    Mistake("value starting with a backtick", [(A1_TITLE, "title: `dock` windows")],
            "CX110", 50, 12, 'title: "`dock` windows"'),
    Mistake("value starting with '%'",
            [("promise: Deliveries inside", "promise: %95 of deliveries inside")],
            "CX110", 43, 14, 'put the value in quotes: promise: "%95 of deliveries inside'),
    Mistake("value starting with '*'", [(A1_TITLE, "title: *urgent* dock windows")],
            "CX110", 50, 12, 'title: "*urgent* dock windows"'),
    Mistake("value starting with '&'", [("    name: Finance", "    name: &Co Finance")],
            "CX111", 20, 11, 'name: "&Co Finance"'),
    Mistake("value starting with '!'", [(A1_TITLE, "title: !important dock windows")],
            "CX112", 50, 12, 'title: "!important dock windows"'),
    Mistake("a lone '-' as a placeholder", [('    unit: "%"', "    unit: -")],
            "CX110", 65, 11, 'unit: "-"'),
    Mistake("an id with leading zeros", [("  - id: a2", "  - id: 007")],
            "CX202", 56, 9, 'quotes to keep it as text: "007"'),
    Mistake("a year where text is meant", [("    name: Tender", "    name: 2027")],
            "CX202", 23, 11, 'quotes to keep it as text: "2027"'),
    # -- one run shows every mistake -----------------------------------------------
    Mistake("a tab and an unquoted ': ' in one run",
            [("    name: Ben Cole", "\tname: Ben Cole"),
             (A1_TITLE, "title: Note: confirm windows")],
            "CX110", 13, 1, "replace the tab with spaces", also=[("CX110", 50, 16)]),
    Mistake("three tabs in one run",
            [("    name: Ben Cole\n    department: Operations",
              "\tname: Ben Cole\n\tdepartment: Operations"),
             ("    name: Finance", "\tname: Finance")],
            "CX110", 13, 1, "replace the tab with spaces",
            also=[("CX110", 14, 1), ("CX110", 20, 1)]),
    Mistake("unquoted ': ' and a schema error in one run",
            [(A1_TITLE, "title: Note: confirm windows"), ("status: done", "status: Done")],
            "CX110", 50, 16, "must be quoted", also=[("CX203", 54, 13)]),
    Mistake("a value ending with ':'", [(A1_TITLE, "title: Confirm dock windows:")],
            "CX110", 50, 32, 'title: "Confirm dock windows:"'),
    Mistake("two owners written as 'a, b'",
            [(A2_OWNER, "    owner: ana, ben\n    due: 2027-04-30")],
            "CX207", 58, 12, "one action, one owner"),
    Mistake("two owners written as 'a and b'",
            [(A2_OWNER, "    owner: ana and ben\n    due: 2027-04-30")],
            "CX207", 58, 12, "'owner: ana'"),
    Mistake("a commitment with two owners", [("    owner: ben\n    due: 2027-02-15",
                                               "    owner: ben/ana\n    due: 2027-02-15")],
            "CX207", 45, 12, "a commitment has exactly one"),
    Mistake("an owner not yet in the team",
            [(A2_OWNER, "    owner: priya.shah\n    due: 2027-04-30")],
            "CX300", 58, 12, "  - id: priya.shah\n    name: Priya Shah\n    department:"),
    Mistake("a text where a list of moments belongs",
            [(A2_END, A2_END + "    moments: tender, delivery\n")],
            "CX202", 61, 14, "moments: [tender, delivery]"),
    Mistake("a text where a list of topics belongs",
            [("    support: supporter\n", "    support: supporter\n    decides: budget\n")],
            "CX202", 34, 14, "decides: [budget]"),
    Mistake("a missing '- ' before an item", [("  - id: a2", "    id: a2")],
            "CX113", 56, 5, "write '- ' before 'id:'"),
    Mistake("a missing '- ' at the column of the dash", [("  - id: a2", "  id: a2")],
            "CX110", 56, 3, "each item of a list starts with '- '"),
    Mistake("a misspelt section", [("stakeholders:\n", "stakeholder:\n")],
            "CX201", 28, 1, "did you mean 'stakeholders'?"),
    Mistake("a misspelt section the actions refer to",
            [("commitments:\n", "comitments:\n"),
             (A2_END, A2_END + "    commitments: [c1]\n")],
            "CX201", 41, 1, "Rename 'comitments:' to 'commitments:'"),
]


def run_json(args: list[str]) -> tuple[int, dict[str, Any]]:
    """`cxplan <args> --format json` through the click command the console script runs."""
    result = CliRunner().invoke(cli, [*args, "--format", "json"], standalone_mode=False)
    assert result.exception is None, result.output
    return result.return_value, json.loads(result.output)


@pytest.fixture(autouse=True)
def _outside_the_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # validate reads ./mkdocs.yml when present; the tests must not depend on the repo's.
    monkeypatch.chdir(tmp_path)


def make(mistake: Mistake) -> str:
    text = minimal_plan_text()
    for old, new in mistake.edits:
        text = mutate(text, old, new)
    return text


def test_the_minimal_plan_is_valid(tmp_path: Path) -> None:
    code, payload = run_json(["validate", str(write_plan(tmp_path, minimal_plan_text()))])
    assert payload["summary"]["errors"] == 0, payload
    assert code == 0


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.name for m in MISTAKES])
def test_mistake_is_reported_where_it_was_made(tmp_path: Path, mistake: Mistake) -> None:
    path = write_plan(tmp_path, make(mistake), name=mistake.file_name)
    code, payload = run_json(["validate", str(path)])
    found = payload["diagnostics"]
    # A plan left valid (a trap is a warning) is also coached by the method rules.
    format_layers = [d for d in found if not d["code"].startswith("CX5")]
    assert {(d["code"], d["line"], d["column"]) for d in format_layers} == {
        (mistake.code, mistake.line, mistake.column), *mistake.also
    }, found
    errors = [d for d in found if d["severity"] == "error"]
    assert code == (1 if errors else 0)
    if mistake.severity == "error":
        assert code == 1
    main = next(d for d in found if d["code"] == mistake.code)
    assert main["path"] == str(path)
    assert main["severity"] == mistake.severity
    assert main["hint"], "every format error says how to fix it"
    assert mistake.fix in main["message"] + " " + main["hint"]
    assert payload["summary"]["errors"] == len(errors)
    summary = payload["summary"]
    assert summary["errors"] + summary["warnings"] + summary["infos"] == len(found)


def test_there_are_enough_mistakes() -> None:
    assert len(MISTAKES) >= 50
    assert len({m.name for m in MISTAKES}) == len(MISTAKES)


def test_every_problem_of_a_file_in_one_run(tmp_path: Path) -> None:
    """An impossible date (schema layer) does not hide an unknown owner (references),
    a done action without its date (format rules) or a duplicate id."""
    text = mutate(minimal_plan_text(), "due: 2027-02-15", "due: 2027-02-30")
    text = mutate(text, A2_OWNER, "    owner: anna\n    due: 2027-04-30")
    text = mutate(text, "    done_on: 2027-01-20\n", "")
    text = mutate(text, "  - id: otif", "  - id: otif\n    colour: green")
    text = mutate(text, "  - id: eli", "  - id: dora")
    code, payload = run_json(["validate", str(write_plan(tmp_path, text))])
    found = [(d["line"], d["column"], d["code"]) for d in payload["diagnostics"]]
    assert found == [
        (35, 9, "CX301"),   # duplicate stakeholder id
        (46, 10, "CX205"),  # impossible date
        (54, 13, "CX400"),  # done without done_on
        (57, 12, "CX300"),  # unknown owner
        (62, 5, "CX201"),   # unknown key
    ]
    assert code == 1


def test_a_broken_section_does_not_cascade(tmp_path: Path) -> None:
    """A team member without an id makes team references unjudgeable, not all wrong."""
    text = mutate(minimal_plan_text(), "  - id: ben\n    name: Ben Cole", "  - name: Ben Cole")
    code, payload = run_json(["validate", str(write_plan(tmp_path, text))])
    assert [(d["code"], d["line"]) for d in payload["diagnostics"]] == [("CX200", 12)]
    assert code == 1


def test_output_is_sorted_and_without_repeats(tmp_path: Path) -> None:
    text = mutate(minimal_plan_text(), "influence: 4", "influence: 9")
    text = mutate(text, "influence: 3", "influence: 0")
    text = mutate(text, A2_OWNER, "    owner: [ana, ben]\n    due: [2027-04-30, 2027-05-30]")
    write_plan(tmp_path, text, name="b-plan.yaml")
    write_plan(tmp_path, mutate(minimal_plan_text(), "to: ops", "to: nobody"), name="a-plan.yaml")
    code, payload = run_json(["validate", str(tmp_path)])
    found = [(d["path"], d["line"], d["column"], d["code"]) for d in payload["diagnostics"]]
    assert found == sorted(found)
    assert len(found) == len(set(found)) == 5
    assert [Path(p).name for p, *_ in found] == ["a-plan.yaml"] + ["b-plan.yaml"] * 4
    assert code == 1


def test_text_output_names_file_line_column_and_hint(tmp_path: Path) -> None:
    path = write_plan(tmp_path, mutate(minimal_plan_text(), "support: neutral", "support: fan"))
    result = CliRunner().invoke(cli, ["validate", str(path)], standalone_mode=False)
    lines = result.output.splitlines()
    assert lines[0] == (
        f"{path}:39:14: error[CX203]: the text 'fan' is not a valid support in stakeholder 'eli'"
    )
    assert lines[1].startswith("    hint: ") and "allowed: blocker, skeptic" in lines[1]
    assert lines[-1] == "1 file checked: 1 error(s), 0 warning(s), 0 info."
    assert result.return_value == 1


def test_the_console_script_exits_1_on_every_mistake_at_once(tmp_path: Path) -> None:
    """All the table's files in one folder, one real `cxplan validate` process."""
    for index, mistake in enumerate(MISTAKES):
        name = mistake.file_name if mistake.file_name != "acme.yaml" else f"plan-{index:02d}.yaml"
        write_plan(tmp_path, make(mistake), name=name)
    exe = Path(sys.executable).with_name("cxplan")
    done = subprocess.run(
        [str(exe), "validate", str(tmp_path), "--format", "json"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    payload = json.loads(done.stdout)
    reported = {Path(d["path"]).name for d in payload["diagnostics"]}
    assert len(reported) == len(MISTAKES)
    assert payload["summary"]["files"] == len(MISTAKES)
