"""The customer view of a plan: what is left out, and what happens to references."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import REPO, minimal_plan_text, mutate, write_plan

from cxplan.analyse.tracking import plan_status
from cxplan.load import Source
from cxplan.model.audience import (
    REFERENCES,
    customer_plan_file,
    customer_view,
    for_audience,
    internal_models,
    models,
    team_only_fields,
)
from cxplan.model.build import PlanFile, build_plan, load_plan
from cxplan.model.plan import (
    ID_PATTERN,
    Action,
    Commitment,
    CustomerStep,
    Engagement,
    Plan,
    Stakeholder,
)


def load(path: Path) -> PlanFile:
    plan_file, problems = load_plan(path)
    assert plan_file is not None, problems
    return plan_file


@pytest.fixture
def northwind() -> PlanFile:
    return load(REPO / "plans" / "northwind-logistics.yaml")


def assert_valid(plan: Plan) -> None:
    """The plan passes every format check, references included."""
    source = Source(path="view.yaml", text="", data=plan.model_dump(mode="json"))
    built, problems = build_plan(source, "view")
    assert built is not None and problems == [], problems


# --- the rule, read from the model --------------------------------------------------


def test_the_team_only_fields_are_the_ones_the_format_names() -> None:
    marked = {(model.__name__, name) for model, name in team_only_fields()}
    assert marked == {
        ("Plan", "stakeholders"), ("Plan", "engagement"), ("Action", "notes"),
        ("PlanInfo", "tags"), ("CustomerStep", "notes"),
    }
    assert set(internal_models()) == {Commitment, Action, CustomerStep}


def test_every_id_field_of_the_model_has_a_reference_rule() -> None:
    """An id-valued field added to the model must say where it points, or a view could
    keep a reference to a left-out item."""
    declared = {(ref.model, ref.field) for ref in REFERENCES}
    id_fields = set()
    for model in models():
        properties = model.model_json_schema()["properties"]
        for name, schema in properties.items():
            if name != "id" and ID_PATTERN in json.dumps(schema):
                id_fields.add((model, name))
    assert id_fields == declared


# --- northwind, the English example -------------------------------------------------


def test_the_customer_view_of_the_example_leaves_out_every_team_only_thing(
    northwind: PlanFile,
) -> None:
    view = customer_view(northwind.plan)
    assert northwind.plan.stakeholders and view.stakeholders == []
    assert northwind.plan.engagement is not None and view.engagement is None
    assert any(a.notes for a in northwind.plan.actions)
    assert all(a.notes is None for a in view.actions)
    assert [a.id for a in view.actions if a.internal] == []
    assert "a-buffer-stock" not in {a.id for a in view.actions}
    assert "c-buffer-stock" not in {c.id for c in view.commitments}
    assert len(view.actions) == len(northwind.plan.actions) - 1
    assert_valid(view)


def test_references_to_left_out_items_disappear(northwind: PlanFile) -> None:
    view = customer_view(northwind.plan)
    assert all(area.head is None for area in view.areas)
    assert all(action.stakeholders == [] for action in view.actions)
    delivered = {c for action in view.actions for c in action.commitments}
    assert "c-buffer-stock" not in delivered
    # Everything else an action points at is untouched.
    original = {a.id: a for a in northwind.plan.actions}
    for action in view.actions:
        assert action.commitments == original[action.id].commitments
        assert action.moments == original[action.id].moments
        assert action.areas == original[action.id].areas


def test_a_commitment_to_a_stakeholder_is_readdressed_to_their_area(northwind: PlanFile) -> None:
    view = {c.id: c for c in customer_view(northwind.plan).commitments}
    assert view["c-night-training"].to == "operations"  # was m.dubois, of operations
    assert view["c-invoice-credits"].to == "finance"  # was a.brennan
    assert view["c-edi-live"].to == "it"  # was k.osei
    assert view["c-dock-windows"].to == "operations"  # was already an area


def test_the_view_leaves_the_original_untouched(northwind: PlanFile) -> None:
    before = northwind.plan.model_dump()
    customer_view(northwind.plan)
    assert northwind.plan.model_dump() == before


def test_figures_on_the_customer_view_count_only_what_the_customer_sees(
    northwind: PlanFile,
) -> None:
    as_of = dt.date(2026, 11, 25)
    team = plan_status(northwind, as_of)
    customer = plan_status(customer_plan_file(northwind), as_of)
    # a-buffer-stock, the one internal action, is a done quick win.
    assert customer.actions_total == team.actions_total - 1
    assert customer.actions_done == team.actions_done - 1
    assert customer.quick_wins_total == team.quick_wins_total - 1
    assert "a-buffer-stock" not in {a.id for a in customer.quick_wins}


# --- small plans for the edge cases ------------------------------------------------


def minimal(tmp_path: Path, text: str) -> PlanFile:
    return load(write_plan(tmp_path, text))


def test_a_commitment_to_a_stakeholder_with_no_area_is_left_out_with_its_references(
    tmp_path: Path,
) -> None:
    text = mutate(minimal_plan_text(), "    to: ops\n", "    to: eli\n")
    text = mutate(text, "    area: fin\n", "")
    text = mutate(text, "    status: done\n", "    commitments: [c1]\n    status: done\n")
    plan = minimal(tmp_path, text).plan
    view = customer_view(plan)
    assert view.commitments == []
    assert view.actions[0].commitments == []
    assert_valid(view)


def test_an_internal_commitment_disappears_from_the_actions_that_deliver_it(
    tmp_path: Path,
) -> None:
    text = mutate(
        minimal_plan_text(), "    expectation: 4\n", "    expectation: 4\n    internal: true\n"
    )
    text = mutate(text, "    status: done\n", "    commitments: [c1]\n    status: done\n")
    view = customer_view(minimal(tmp_path, text).plan)
    assert view.commitments == []
    assert [a.commitments for a in view.actions] == [[], []]
    assert_valid(view)


def test_an_id_shared_by_an_area_and_a_stakeholder_still_resolves_to_the_area(
    tmp_path: Path,
) -> None:
    text = mutate(minimal_plan_text(), "  - id: eli\n", "  - id: fin\n")
    text = mutate(text, "    to: ops\n", "    to: fin\n")
    view = customer_view(minimal(tmp_path, text).plan)
    assert [c.to for c in view.commitments] == ["fin"]
    assert_valid(view)


def test_a_plan_with_nothing_to_hide_is_unchanged(tmp_path: Path) -> None:
    text = minimal_plan_text()
    text = text[: text.index("stakeholders:\n")] + text[text.index("commitments:\n") :]
    text = mutate(text, "    head: dora\n", "")
    plan = minimal(tmp_path, text).plan
    assert customer_view(plan) == plan


def test_nested_internal_items_and_team_only_fields_are_found_by_the_markers() -> None:
    """The walk is generic: it does not list sections by name."""
    plan = Plan.model_validate(
        {
            "plan": {"title": "T", "customer": "C", "owner": "p", "start": dt.date(2027, 1, 1)},
            "team": [{"id": "p", "name": "P", "department": "D"}],
            "areas": [{"id": "a", "name": "A", "head": "s"}],
            "moments": [{"id": "m", "name": "M", "phase": "purchase"}],
            "stakeholders": [
                Stakeholder(id="s", name="S", influence=3, support="neutral").model_dump()
            ],
            "actions": [
                {"id": "x", "title": "X", "owner": "p", "due": dt.date(2027, 2, 1),
                 "horizon": "quick-win", "notes": "secret", "stakeholders": ["s"]},
                {"id": "y", "title": "Y", "owner": "p", "due": dt.date(2027, 2, 1),
                 "horizon": "quick-win", "internal": True},
            ],
            "engagement": Engagement(culture="secret").model_dump(),
        }
    )
    view = customer_view(plan)
    assert [a.id for a in view.actions] == ["x"]
    assert view.actions[0].notes is None and view.actions[0].stakeholders == []
    assert view.areas[0].head is None
    assert view.engagement is None and view.stakeholders == []


def test_the_customer_plan_file_carries_no_source_text(northwind: PlanFile) -> None:
    customer = customer_plan_file(northwind)
    assert customer.id == northwind.id
    assert customer.source.text == "" and customer.source.data is None
    assert customer.path == northwind.path
    assert for_audience(northwind, "team") is northwind
    assert for_audience(northwind, "customer").plan == customer.plan
    with pytest.raises(ValueError, match="audience"):
        for_audience(northwind, "everyone")
