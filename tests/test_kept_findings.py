"""The rule findings kept between runs are the findings a check from scratch gives."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

from cxplan import load_cache
from cxplan.cli.site import check_workspace
from cxplan.model import audience
from cxplan.model.build import load_plan
from cxplan.rules import kept_findings, run

AS_OF = dt.date(2026, 11, 23)
PLAN = REPO / "plans" / "northwind-logistics.yaml"


def workspace(root: Path, plans: dict[str, Path], settings: str = "") -> Path:
    (root / "plans").mkdir(parents=True)
    for name, source in plans.items():
        shutil.copy(source, root / "plans" / f"{name}.yaml")
    (root / "mkdocs.yml").write_text(
        "site_name: Kept\nplugins:\n  - cxplan:\n      plans_dir: plans\n" + settings,
        encoding="utf-8")
    return root


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CXPLAN_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def checked_plans(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The plans whose rules really ran (not read from the cache)."""
    ran: list[str] = []
    real = run._findings

    def counted(plan_file: Any, context: Any) -> list[run.Finding]:
        ran.append(plan_file.id)
        return real(plan_file, context)

    monkeypatch.setattr(run, "_findings", counted)
    yield ran


def fresh(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """The diagnostics and findings with no cache at all."""
    with monkeypatch.context() as m:
        m.setenv("CXPLAN_CACHE_DIR", "")
        diagnostics, checked, _ = check_workspace(root / "mkdocs.yml", AS_OF)
    return diagnostics, checked.findings


def check(root: Path) -> tuple[Any, Any]:
    diagnostics, checked, _ = check_workspace(root / "mkdocs.yml", AS_OF)
    return diagnostics, checked.findings


def test_kept_findings_equal_a_check_from_scratch(
    tmp_path: Path, cache: Path, checked_plans: list[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    plans = {p.stem: p for p in sorted((REPO / "plans").glob("*.yaml"))}
    root = workspace(tmp_path / "ws", plans)
    first = check(root)
    assert sorted(checked_plans) == sorted(plans)
    checked_plans.clear()
    again = check(root)
    assert checked_plans == []  # every plan's findings read back
    assert again == first == fresh(root, monkeypatch)
    findings = [f for fs in again[1].values() for f in fs]
    assert len(findings) > 5 and any(f.item is not None for f in findings)
    assert any(isinstance(v, tuple | dt.date) for f in findings for v in f.facts.values())


def test_a_plan_is_checked_again_when_what_the_portfolio_tells_of_it_changes(
    tmp_path: Path, cache: Path, checked_plans: list[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Two plans with the same team: each person's open actions count across both.
    root = workspace(tmp_path / "ws", {"alpha": PLAN}, "      max_open_actions: 2\n")
    alone = check(root)[1]["alpha"]
    shutil.copy(PLAN, root / "plans" / "bravo.yaml")
    checked_plans.clear()
    together = check(root)[1]["alpha"]
    assert "alpha" in checked_plans  # its text is the same, its context is not
    assert together != alone
    assert any(f.message_key == "rules.CX518.message.across_plans" for f in together)
    assert check(root)[1]["alpha"] == together == fresh(root, monkeypatch)[1]["alpha"]


@pytest.mark.parametrize("change", [
    "settings", "as-of",
])
def test_new_settings_or_date_check_every_plan_again(
    tmp_path: Path, cache: Path, checked_plans: list[str], change: str,
) -> None:
    root = workspace(tmp_path / "ws", {"alpha": PLAN})
    before = check(root)
    checked_plans.clear()
    if change == "settings":
        config = root / "mkdocs.yml"
        code = before[1]["alpha"][0].code
        config.write_text(config.read_text("utf-8") + f"      rules:\n        {code}: off\n",
                          encoding="utf-8")
        after = check(root)[1]["alpha"]
        assert all(f.code != code for f in after)
    else:
        _, checked, _ = check_workspace(root / "mkdocs.yml", AS_OF + dt.timedelta(days=90))
        after = checked.findings["alpha"]
    assert checked_plans == ["alpha"]
    assert after != before[1]["alpha"]


@pytest.mark.parametrize("damage", [
    lambda entry: "{not json",
    lambda entry: json.dumps({**entry, "value": [[1, 2, 3]]}),
    lambda entry: json.dumps({**entry, "value": [[*e[:3], "CX999", *e[4:]]
                                                 for e in entry["value"]]}),
    lambda entry: json.dumps({**entry, "value": [[*e[:11], {"x": {"date": "soon"}}]
                                                 for e in entry["value"]]}),
])
def test_a_damaged_entry_is_found_again(
    tmp_path: Path, cache: Path, checked_plans: list[str],
    damage: Callable[[dict[str, Any]], str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = workspace(tmp_path / "ws", {"alpha": PLAN})
    first = check(root)
    slot = str((root / "plans" / "alpha.yaml").absolute())
    entry = load_cache._entry(cache / "json", f"{kept_findings.KIND}\0{slot}")
    kept = json.loads(entry.read_text("utf-8"))
    assert kept["value"] and all(len(e) == 12 for e in kept["value"])
    entry.write_text(damage(kept), encoding="utf-8")
    checked_plans.clear()
    assert check(root) == first
    assert checked_plans == ["alpha"]
    assert first == fresh(root, monkeypatch)


def test_what_each_customer_edition_leaves_out_is_kept_as_it_was_worked_out(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans = [load_plan(path)[0] for path in sorted((REPO / "plans").glob("*.yaml"))]
    worked_out = {}
    for plan_file in plans:
        assert plan_file is not None
        worked_out[plan_file.id] = audience.kept_left_out(plan_file)
        assert worked_out[plan_file.id] == audience.left_out(plan_file.plan)
    assert any(left.ids.get("stakeholders") for left in worked_out.values())

    def not_again(plan: Any) -> Any:
        raise AssertionError("worked out again")

    with monkeypatch.context() as m:
        m.setattr(audience, "left_out", not_again)
        assert {p.id: audience.kept_left_out(p) for p in plans if p} == worked_out
    # A damaged entry is worked out again.
    for entry in (cache / "json").glob("*.json"):
        kept = json.loads(entry.read_text("utf-8"))
        if isinstance(kept["value"], dict) and "tags" in kept["value"]:
            kept["value"]["ids"] = {"actions": [7]}
            entry.write_text(json.dumps(kept), encoding="utf-8")
    assert {p.id: audience.kept_left_out(p) for p in plans if p} == worked_out
