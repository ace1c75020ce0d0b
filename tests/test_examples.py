"""The example plans: valid, and rich enough to show every part of the method.

The richness is computed from the loaded model, not by searching the text, so a plan
that merely mentions a status in a comment does not count.
"""

from __future__ import annotations

import json
import typing
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from cxplan import i18n
from cxplan.cli import cli
from cxplan.model.build import PlanFile, load_plan
from cxplan.model.plan import STATUSES, Horizon, Plan

PLANS = REPO / "plans"
EXAMPLES = sorted(PLANS.glob("*.yaml"))


def load(path: Path) -> PlanFile:
    plan_file, problems = load_plan(path)
    assert problems == [], [str(d) for d in problems]
    assert plan_file is not None
    return plan_file


def test_examples_validate_with_no_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no workspace config: the defaults apply
    result = CliRunner().invoke(
        cli, ["validate", str(PLANS), "--format", "json"], standalone_mode=False
    )
    assert result.exception is None, result.output
    payload = json.loads(result.output)
    errors = [d for d in payload["diagnostics"] if d["severity"] == "error"]
    assert errors == []
    assert payload["summary"]["errors"] == 0
    assert payload["summary"]["files"] == len(EXAMPLES) >= 2
    assert result.return_value == 0


def test_one_english_and_one_spanish_example() -> None:
    languages = {load(path).plan.plan.language for path in EXAMPLES}
    assert {"en", "es"} <= languages


def test_an_example_in_every_language_cxplan_ships() -> None:
    languages = {load(path).plan.plan.language for path in EXAMPLES}
    assert languages == set(i18n.languages())


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_uses_every_section(path: Path) -> None:
    plan = load(path).plan
    empty = [name for name in Plan.model_fields if not getattr(plan, name)]
    assert empty == []
    unset = [name for name in type(plan.plan).model_fields if getattr(plan.plan, name) in
             (None, [], "")]
    assert unset == []
    assert plan.engagement is not None
    assert all(getattr(plan.engagement, name) for name in type(plan.engagement).model_fields)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_is_realistically_rich(path: Path) -> None:
    plan = load(path).plan
    assert len(plan.areas) >= 3
    assert len(plan.moments) >= 5
    assert {m.phase for m in plan.moments} == {"purchase", "consumption"}
    assert len(plan.stakeholders) >= 6
    assert {s.support for s in plan.stakeholders} >= {"blocker", "champion"}
    assert [s.role for s in plan.stakeholders].count("economic-buyer") == 1
    assert len(plan.actions) >= 10
    assert {a.status for a in plan.actions} == set(STATUSES)
    assert {a.horizon for a in plan.actions} == set(typing.get_args(Horizon))
    measured = [c for c in plan.commitments if c.perceived is not None]
    assert any(c.perceived >= c.expectation for c in measured if c.perceived), "none kept"
    assert any(c.perceived < c.expectation for c in measured if c.perceived), "none broken"
    assert any(c.perceived is None for c in plan.commitments), "none pending"
    with_readings = [k for k in plan.kpis if len(k.readings) >= 2]
    assert with_readings, "no KPI with readings"
    assert any(c.internal for c in plan.commitments) or any(a.internal for a in plan.actions)
    assert any(a.notes for a in plan.actions)
