"""`cxplan status` as a user and a CI job run it: the real command in a subprocess."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest
from catalogue_tables import LABELS, english_left
from tracking_plans import TRACKING_PLAN, Run, run_cxplan, write_tracking_plan

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run(cwd: Path, *args: str) -> Run:
    return run_cxplan(cwd, "status", *args, env={"NO_COLOR": None})


def run_process(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return subprocess.run(
        [sys.executable, "-m", "cxplan", "status", *args],
        cwd=cwd, capture_output=True, text=True, timeout=60, env=environment,
    )


def run_in_terminal(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run with stdout on a pseudo-terminal, as in an interactive shell."""
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    environment.update(env or {})
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "cxplan", "status", *args],
        cwd=cwd, stdout=follower, stderr=subprocess.PIPE, env=environment,
    )
    os.close(follower)
    output = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the process exits
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=30)
    os.close(leader)
    assert process.returncode == 0, process.stderr.read() if process.stderr else ""
    return output.decode("utf-8")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "plans").mkdir()
    write_tracking_plan(tmp_path / "plans")
    return tmp_path


def test_json_shape_is_exact(workspace: Path) -> None:
    result = run(workspace, "--as-of", "2027-02-02", "--format", "json")
    assert result.returncode == 0, result.stderr
    def person(owner: str) -> dict[str, str]:
        return {"owner": owner, "owner_name": {"ana": "Ana Ruiz", "ben": "=Ben Cole"}[owner]}

    assert json.loads(result.stdout) == {
        "as_of": "2027-02-02",
        "owner": None,
        "due_soon_days": 14,
        "plans": [
            {
                "id": "tracking",
                "title": "Tracking test plan",
                "customer": "Boundary Co",
                "path": str(Path("plans") / "tracking.yaml"),
                "quick_wins": {"done": 2, "total": 4},
                "actions": {"done": 2, "total": 6},
                "overdue": [
                    {"id": "q-blocked", "title": "@Book the dock slots", **person("ana"),
                     "due": "2027-01-25", "days_late": 8, "status": "blocked"},
                    {"id": "q-due", "title": 'Call Ana, Ben; then "review"\nand report back',
                     **person("ben"), "due": "2027-02-01", "days_late": 1, "status": "todo"},
                ],
                "due_soon": [
                    {"id": "m-doing", "title": "-5% film per pallet", **person("ben"),
                     "due": "2027-02-10", "days_left": 8, "status": "doing"},
                ],
                "blocked": [
                    {"id": "q-blocked", "title": "@Book the dock slots", **person("ana"),
                     "due": "2027-01-25", "days_late": 8, "status": "blocked"},
                ],
                "commitments": {
                    "broken": [
                        {"id": "c-broken", "promise": "Credit notes; within 30 days",
                         "to": "ops", **person("ben"), "due": "2027-01-20",
                         "expectation": 4, "perceived": 2, "satisfaction": -2},
                    ],
                    "overdue": [
                        {"id": "c-due", "promise": "Dock windows, on time", "to": "ops",
                         **person("ben"), "due": "2027-02-01", "days_late": 1},
                    ],
                },
                "kpis_off_track": [
                    {"id": "k-behind", "name": "Behind pace", **person("ben"),
                     "direction": "up", "unit": "%", "baseline": 50, "target": 100,
                     "latest": {"date": "2027-07-02", "value": 60}},
                    {"id": "k-flat", "name": "Flat", **person("ben"), "direction": "down",
                     "unit": None, "baseline": 10, "target": 2,
                     "latest": {"date": "2027-01-31", "value": 10}},
                ],
                "waiting_on_customer": [],
                "renewal": None,
                "say_do": {"state": "no-git",
                           "reason": "the plan is not in a git repository: no history"},
            }
        ],
        "summary": {"plans": 1, "overdue": 2, "due_soon": 1, "blocked": 1,
                    "commitments_broken": 1, "commitments_overdue": 1, "kpis_off_track": 2,
                    "waiting_on_customer": 0,
                    "say_do": {"due": 0, "delivered": 0, "on_time": 0, "on_time_share": None,
                               "after_moves": 0, "after_moves_share": None,
                               "days_slipped": 0}},
    }


def test_as_of_moves_every_figure(workspace: Path) -> None:
    def figures(day: str) -> tuple[list[str], list[str], list[str]]:
        plan = json.loads(run(workspace, "--as-of", day, "--format", "json").stdout)["plans"][0]
        return (
            [i["id"] for i in plan["overdue"]],
            [i["id"] for i in plan["due_soon"]],
            [i["id"] for i in plan["commitments"]["overdue"]],
        )

    assert figures("2027-01-25") == ([], ["q-blocked", "q-due"], [])  # due today: not overdue
    assert figures("2027-02-01") == (["q-blocked"], ["q-due", "m-doing"], [])
    assert figures("2027-02-02") == (["q-blocked", "q-due"], ["m-doing"], ["c-due"])


def test_fail_on_overdue(workspace: Path) -> None:
    assert run(workspace, "--as-of", "2027-01-25", "--fail-on-overdue").returncode == 0
    assert run_process(workspace, "--as-of", "2027-01-26", "--fail-on-overdue").returncode == 1
    assert run(workspace, "--as-of", "2027-01-26").returncode == 0


def test_owner_and_plan_filters(workspace: Path) -> None:
    write_tracking_plan(workspace / "plans", "second.yaml")
    both = json.loads(run(workspace, "--as-of", "2027-02-02", "--format", "json").stdout)
    assert [p["id"] for p in both["plans"]] == ["second", "tracking"]
    one = json.loads(
        run(workspace, "--as-of", "2027-02-02", "--format", "json", "--plan", "second",
            "--owner", "ben").stdout
    )
    assert one["owner"] == "ben"
    assert [p["id"] for p in one["plans"]] == ["second"]
    plan = one["plans"][0]
    assert [i["id"] for i in plan["overdue"]] == ["q-due"]
    assert plan["quick_wins"] == {"done": 1, "total": 2}
    assert plan["blocked"] == []

    unknown_plan = run(workspace, "--plan", "nope")
    assert unknown_plan.returncode == 1
    assert "no plan 'nope'" in unknown_plan.stderr and "tracking" in unknown_plan.stderr
    unknown_owner = run(workspace, "--owner", "zoe")
    assert unknown_owner.returncode == 1
    assert "zoe" in unknown_owner.stderr


def test_config_sets_due_soon_days(workspace: Path) -> None:
    (workspace / "mkdocs.yml").write_text(
        "site_name: t\nplugins:\n  - cxplan:\n      due_soon_days: 20\n", encoding="utf-8"
    )
    document = json.loads(run(workspace, "--as-of", "2027-01-22", "--format", "json").stdout)
    assert document["due_soon_days"] == 20
    # m-doing is due 2027-02-10, 19 days after 2027-01-22.
    assert "m-doing" in [i["id"] for i in document["plans"][0]["due_soon"]]


def test_invalid_plan_is_reported_on_stderr_with_exit_1(workspace: Path) -> None:
    broken = TRACKING_PLAN.replace("    status: blocked\n", "    status: stuck\n")
    (workspace / "plans" / "broken.yaml").write_text(broken, encoding="utf-8")
    result = run_process(workspace, "--as-of", "2027-02-02", "--format", "json")
    assert result.returncode == 1
    assert "broken.yaml:" in result.stderr and "stuck" in result.stderr
    assert "Traceback" not in result.stderr
    # The valid plan is still reported.
    assert [p["id"] for p in json.loads(result.stdout)["plans"]] == ["tracking"]


def test_text_report_is_plain_when_piped(workspace: Path) -> None:
    result = run_process(workspace, "--as-of", "2027-02-02")
    assert result.returncode == 0
    assert not ANSI.search(result.stdout)
    lines = result.stdout.splitlines()
    assert lines[0] == "cxplan status as of 2027-02-02"
    assert "  Quick wins  [##########----------]   2/4    50%" in lines
    assert "  Overdue (2)" in lines
    overdue = [line for line in lines if "days late" in line or "day late" in line]
    assert "q-blocked" in overdue[0] and "8 days late" in overdue[0]
    assert "q-due" in overdue[1] and "1 day late" in overdue[1]
    # A title with a line break stays on its report line.
    assert any('q-due: Call Ana, Ben; then "review" and report back' in line for line in lines)
    assert lines[-1].startswith("1 plan: 2 overdue action(s), 1 due soon")


def test_text_report_is_coloured_only_on_a_terminal(workspace: Path) -> None:
    coloured = run_in_terminal(workspace, "--as-of", "2027-02-02")
    assert ANSI.search(coloured)
    assert "Overdue (2)" in ANSI.sub("", coloured)
    plain = run_in_terminal(workspace, "--as-of", "2027-02-02", env={"NO_COLOR": "1"})
    assert "Overdue (2)" in plain
    assert not ANSI.search(plain)


def test_markdown_for_a_pull_request(workspace: Path) -> None:
    text = TRACKING_PLAN.replace('title: "@Book the dock slots"',
                                 'title: "Book | the *dock* <slots>"')
    write_tracking_plan(workspace / "plans", text=text)
    result = run(workspace, "--as-of", "2027-02-02", "--format", "markdown")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "## cxplan status as of 2027-02-02"
    assert lines[2].startswith("| Plan | Quick wins | Actions | Overdue |")
    assert lines[4].startswith("| Tracking test plan (`tracking`) | █████░░░░░ 2/4 | 2/6 | 2 |")
    assert "### Tracking test plan (`tracking`)" in lines
    # Every table row has as many cells as its header: escaped pipes do not split cells.
    header_cells = None
    for line in lines:
        if not line.startswith("|"):
            header_cells = None
            continue
        cells = len(re.findall(r"(?<!\\)\|", line))
        if header_cells is None:
            header_cells = cells
        assert cells == header_cells, line
    row = next(line for line in lines if "`q-blocked`" in line)
    assert r"Book \| the \*dock\* \<slots\>" in row
    assert "| ana | 2027-01-25 | 8 |" in row


def test_text_report_speaks_the_plans_language_or_the_one_asked(workspace: Path) -> None:
    plan = next((workspace / "plans").glob("*.yaml"))
    text = plan.read_text(encoding="utf-8")
    assert "\n  language: en\n" in text
    plan.write_text(text.replace("\n  language: en\n", "\n  language: es\n"), "utf-8")
    spanish = run_process(workspace, "--as-of", "2027-02-02").stdout.splitlines()
    assert spanish[0] == "cxplan status a fecha 2027-02-02"
    assert "  Vencidas (2)" in spanish
    assert any("q-due" in line and "1 día tarde" in line for line in spanish)
    assert spanish[-1].startswith("1 plan: 2 acciones vencidas, 1 vencen pronto")
    portuguese = run_process(workspace, "--as-of", "2027-02-02", "--language", "pt")
    lines = portuguese.stdout.splitlines()
    assert lines[0] == "cxplan status à data de 2027-02-02"
    assert "  Atrasadas (2)" in lines
    assert any("q-blocked" in line and "8 dias de atraso" in line for line in lines)
    assert lines[-1].startswith("1 plano: 2 ações atrasadas")


@pytest.mark.parametrize("language", ["es", "pt"])
def test_markdown_report_speaks_the_plans_language(workspace: Path, language: str) -> None:
    plan = next((workspace / "plans").glob("*.yaml"))
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("\n  language: en\n", f"\n  language: {language}\n"), "utf-8")
    out = run(workspace, "--as-of", "2027-02-02", "--format", "markdown").stdout
    words = LABELS[language]
    assert out.splitlines()[0] == "## " + words["status.heading"].format(as_of="2027-02-02")
    for key in ("status.md.plan", "status.md.owner_col", "status.md.days_late",
                "status.md.kpis_col"):
        assert words[key] in out, key
    assert english_left(out, ("status.",), language) == []
    # --language wins over the plan's.
    english = run(workspace, "--as-of", "2027-02-02", "--format", "markdown", "--language", "en")
    assert english.stdout.startswith("## cxplan status as of 2027-02-02")
    assert "| Plan | Quick wins | Actions | Overdue |" in english.stdout
