"""CX522: an open action whose due date moved more than `max_due_moves` times, counted
on a real git history."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import minimal_plan_text, mutate
from test_history import Repo

from cxplan.config import WorkspaceConfig
from cxplan.model.build import load_plan
from cxplan.rules import REGISTRY, plan_findings

DUES = ["2027-04-30", "2027-05-14", "2027-05-28", "2027-06-11"]


def moved(tmp_path: Path, moves: int, *, done: bool = False) -> Repo:
    """A plan whose action a2 had its due date moved `moves` times, by Ben."""
    repo = Repo(tmp_path / "repo")
    text = minimal_plan_text()
    repo.commit(text, "Start", "Ana Ruiz", "2027-01-04")
    for number in range(moves):
        text = mutate(text, f"    due: {DUES[number]}\n", f"    due: {DUES[number + 1]}\n")
        repo.commit(text, f"Move the review ({number + 1})", "Ben Cole", f"2027-01-{10 + number}")
    if done:
        text = mutate(
            text, "    horizon: medium-term\n",
            "    horizon: medium-term\n    status: done\n    done_on: 2027-02-01\n",
        )
        repo.commit(text, "Done", "Ana Ruiz", "2027-02-01")
    return repo


def validate(repo: Repo, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cxplan", "validate", "--as-of", "2027-01-20", *options],
        cwd=repo.root, capture_output=True, text=True, timeout=120,
    )


def rule_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stdout.splitlines() if "[CX522]" in line]


def test_three_moves_are_one_too_many(tmp_path: Path) -> None:
    repo = moved(tmp_path, 3)
    result = validate(repo)
    [line] = rule_lines(result)
    due_line = minimal_plan_text().splitlines().index("    due: 2027-04-30") + 1
    assert line.startswith(f"plans/acme.yaml:{due_line}:10: warning[CX522]: ")
    assert "action 'a2' moved 3 times (more than 2)" in line
    assert "first 2027-04-30, now 2027-06-11 (+42 days)" in line
    assert "last moved by Ben Cole on 2027-01-12" in line


def test_two_moves_are_allowed_by_default(tmp_path: Path) -> None:
    assert rule_lines(validate(moved(tmp_path, 2))) == []


def test_the_limit_is_a_workspace_setting(tmp_path: Path) -> None:
    repo = moved(tmp_path, 2)
    (repo.root / "mkdocs.yml").write_text(
        "site_name: Acme\nplugins:\n  - cxplan:\n      max_due_moves: 1\n", encoding="utf-8"
    )
    assert len(rule_lines(validate(repo))) == 1


def test_history_off_means_no_check(tmp_path: Path) -> None:
    repo = moved(tmp_path, 3)
    (repo.root / "mkdocs.yml").write_text(
        "site_name: Acme\nplugins:\n  - cxplan:\n      history: false\n", encoding="utf-8"
    )
    assert rule_lines(validate(repo)) == []


def test_a_finished_action_is_left_alone(tmp_path: Path) -> None:
    assert rule_lines(validate(moved(tmp_path, 3, done=True))) == []


def test_a_plan_outside_git_is_not_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    plan = tmp_path / "plans" / "acme.yaml"
    plan.parent.mkdir()
    plan.write_text(minimal_plan_text(), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "cxplan", "validate", str(plan), "--as-of", "2027-01-20"],
        capture_output=True, text=True, timeout=120,
    )
    assert "CX522" not in result.stdout


def test_the_site_panel_finds_it_too(tmp_path: Path) -> None:
    repo = moved(tmp_path, 3)
    plan_file, problems = load_plan(repo.root / "plans" / "acme.yaml")
    assert plan_file is not None, problems
    found = plan_findings(plan_file, WorkspaceConfig(), dt.date(2027, 1, 20))
    [finding] = [f for f in found if f.code == "CX522"]
    assert finding.link == "actions.md#action-a2"
    assert REGISTRY["CX522"].title == "Due date keeps moving"
