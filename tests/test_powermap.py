"""The power map graph and every analysis, on small plans worked out on paper.

Each plan is written as a real file and loaded through `load_plan`, so every plan here
is one the validator accepts.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml

from cxplan.analyse.powermap import (
    Risk,
    Stale,
    analyse,
    areas_without_stakeholders,
    build_graph,
    champion_paths,
    coverage,
    decision_makers,
    direct_reports,
    economic_buyers,
    edges_of_kind,
    influence_rank,
    influenced_by,
    influences_of,
    manager_of,
    never_contacted,
    owned_by,
    owner_of,
    relationships_by_person,
    reporting_forest,
    risks,
    single_threaded,
    stale_relationships,
)
from cxplan.model.build import load_plan
from cxplan.model.plan import Plan

REPO = Path(__file__).resolve().parent.parent

TEAM = [
    {"id": "alice", "name": "Alice Stone", "department": "Sales"},
    {"id": "bob", "name": "Bob Reyes", "department": "Operations"},
]
AREAS = [
    {"id": "ops", "name": "Operations"},
    {"id": "fin", "name": "Finance"},
    {"id": "it", "name": "IT"},
]


def plan_data(
    stakeholders: list[dict[str, Any]],
    actions: list[dict[str, Any]] | None = None,
    areas: list[dict[str, Any]] | None = None,
    title: str = "Test plan",
) -> dict[str, Any]:
    """A complete plan around the given stakeholders (ids, names and fields as given)."""
    return {
        "plan": {
            "title": title,
            "customer": "Testco",
            "owner": "alice",
            "start": "2026-09-01",
            "language": "en",
        },
        "team": TEAM,
        "areas": AREAS if areas is None else areas,
        "moments": [{"id": "buy", "name": "Buy", "phase": "purchase"}],
        "stakeholders": stakeholders,
        "actions": actions
        if actions is not None
        else [
            {"id": "a0", "title": "Kick-off", "owner": "alice", "due": "2026-09-10",
             "horizon": "quick-win"}
        ],
    }


def write_plan_file(directory: Path, data: dict[str, Any], name: str = "test.yaml") -> Path:
    path = directory / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def load(directory: Path, data: dict[str, Any]) -> Plan:
    plan_file, problems = load_plan(write_plan_file(directory, data))
    assert not problems, problems
    assert plan_file is not None
    return plan_file.plan


def person(sid: str, influence: int, support: str, **more: Any) -> dict[str, Any]:
    return {"id": sid, "name": sid.title(), "influence": influence, "support": support, **more}


def action(aid: str, *stakeholders: str, status: str = "todo") -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": aid, "title": f"Action {aid}", "owner": "bob", "due": "2026-10-01",
        "horizon": "medium-term", "status": status, "stakeholders": list(stakeholders),
    }
    if status == "done":
        data["done_on"] = "2026-09-30"
    return data


# Two groups with no line between them.
# Group 1:  eng --reports_to--> vp --reports_to--> ceo ;  fan --influences--> ceo
# Group 2:  clerk --reports_to--> cfo
GROUPS = [
    person("ceo", 5, "neutral", decides=["budget"], role="economic-buyer", owner="alice",
           area="ops", last_contact="2026-08-22"),
    person("vp", 4, "skeptic", decides=["Tech"], reports_to="ceo", owner="alice", area="ops",
           last_contact="2026-08-21"),
    person("eng", 2, "champion", reports_to="vp", owner="bob", area="ops"),
    person("fan", 1, "supporter", influences=["ceo"], owner="bob", last_contact="2026-12-01"),
    person("cfo", 4, "blocker", decides=["payment terms", " Budget"], area="fin",
           last_contact="2026-05-01"),
    person("clerk", 1, "neutral", reports_to="cfo", area="fin", last_contact="2026-11-01"),
]
GROUP_ACTIONS = [
    action("a-vp-done", "vp", status="done"),
    action("a-vp-dropped", "vp", status="dropped"),
    action("a-cfo", "cfo", status="blocked"),
]


@pytest.fixture
def groups(tmp_path: Path) -> Plan:
    return load(tmp_path, plan_data(GROUPS, GROUP_ACTIONS))


# --- the graph ----------------------------------------------------------------------


def test_graph_has_stakeholder_and_person_nodes_with_their_attributes(groups: Plan) -> None:
    graph = build_graph(groups)
    assert isinstance(graph, nx.DiGraph)
    stakeholders = [n for n, kind in graph.nodes(data="kind") if kind == "stakeholder"]
    people = [n for n, kind in graph.nodes(data="kind") if kind == "person"]
    assert stakeholders == ["ceo", "cfo", "clerk", "eng", "fan", "vp"]  # sorted
    assert people == ["person:alice", "person:bob"]
    ceo = graph.nodes["ceo"]
    assert ceo["name"] == "Ceo"
    assert ceo["influence"] == 5
    assert ceo["support"] == "neutral"
    assert ceo["decides"] == ["budget"]
    assert ceo["role"] == "economic-buyer"
    assert ceo["last_contact"] == dt.date(2026, 8, 22)
    assert graph.nodes["person:bob"]["department"] == "Operations"


def test_graph_edges_have_kinds_and_directions(groups: Plan) -> None:
    graph = build_graph(groups)
    assert edges_of_kind(graph, "reports_to") == [
        ("clerk", "cfo"), ("eng", "vp"), ("vp", "ceo")
    ]
    assert edges_of_kind(graph, "influences") == [("fan", "ceo")]
    assert edges_of_kind(graph, "owns") == [
        ("person:alice", "ceo"), ("person:alice", "vp"),
        ("person:bob", "eng"), ("person:bob", "fan"),
    ]
    assert graph.number_of_edges() == 3 + 1 + 4
    assert {kind for _, _, kind in graph.edges(data="kind")} == {
        "reports_to", "influences", "owns"
    }


def test_reverse_relations_are_derived(groups: Plan) -> None:
    graph = build_graph(groups)
    assert direct_reports(graph, "ceo") == ["vp"]
    assert direct_reports(graph, "eng") == []
    assert manager_of(graph, "eng") == "vp"
    assert manager_of(graph, "ceo") is None
    assert influenced_by(graph, "ceo") == ["fan"]
    assert influences_of(graph, "fan") == ["ceo"]
    assert owned_by(graph, "alice") == ["ceo", "vp"]
    assert owner_of(graph, "cfo") is None
    assert owner_of(graph, "fan") == "bob"
    assert direct_reports(graph, "nobody") == []


def test_report_and_influence_between_the_same_pair_are_two_edges(tmp_path: Path) -> None:
    plan = load(tmp_path, plan_data([
        person("boss", 5, "neutral"),
        # Reports to the boss, influences them, and (pointlessly) influences herself.
        person("aide", 3, "champion", reports_to="boss", influences=["boss", "aide", "boss"]),
    ]))
    graph = build_graph(plan)
    assert sorted(graph.edges(keys=True)) == [
        ("aide", "boss", "influences"), ("aide", "boss", "reports_to")
    ]


def test_influence_cycles_are_allowed(tmp_path: Path) -> None:
    plan = load(tmp_path, plan_data([
        person("a", 3, "champion", influences=["b"]),
        person("b", 3, "neutral", influences=["c"], decides=["x"]),
        person("c", 3, "neutral", influences=["a"], decides=["y"]),
    ]))
    assert champion_paths(plan) == {"b": ["a", "b"], "c": ["a", "b", "c"]}
    # A symmetric ring: every node ends with the same rank.
    assert influence_rank(plan) == {"a": 0.3333, "b": 0.3333, "c": 0.3333}


def test_graph_order_does_not_depend_on_plan_order(tmp_path: Path) -> None:
    one = build_graph(load(tmp_path, plan_data(GROUPS)))
    two = build_graph(load(tmp_path, plan_data(list(reversed(GROUPS)))))
    assert list(one.nodes) == list(two.nodes)
    assert list(one.edges(keys=True)) == list(two.edges(keys=True))


# --- analyses on the two-group plan -------------------------------------------------


def test_decision_makers_per_topic(groups: Plan) -> None:
    # "budget" and " Budget" are one topic, named as first written.
    assert decision_makers(groups) == {
        "budget": ["ceo", "cfo"],
        "Tech": ["vp"],
        "payment terms": ["cfo"],
    }


def test_champion_paths_prefer_the_shortest_and_report_unreachable(groups: Plan) -> None:
    # ceo: eng -> vp -> ceo has 3 people, fan -> ceo has 2: the supporter's path wins.
    # vp: only eng reaches them. cfo: nobody in the other group can.
    assert champion_paths(groups) == {
        "ceo": ["fan", "ceo"],
        "vp": ["eng", "vp"],
        "cfo": None,
    }


def test_champion_path_ties_go_to_the_champion(tmp_path: Path) -> None:
    plan = load(tmp_path, plan_data([
        person("boss", 5, "skeptic", decides=["budget"]),
        person("a-supp", 2, "supporter", reports_to="boss"),
        person("z-champ", 2, "champion", reports_to="boss"),
    ]))
    assert champion_paths(plan) == {"boss": ["z-champ", "boss"]}


def test_ally_decision_makers_reach_themselves(tmp_path: Path) -> None:
    plan = load(tmp_path, plan_data([
        person("chief", 5, "champion", decides=["budget"]),
        person("deputy", 4, "supporter", decides=["scope"], reports_to="chief"),
        person("buyer", 3, "neutral", role="economic-buyer"),  # decides nothing, still counts
    ]))
    assert champion_paths(plan) == {"chief": ["chief"], "deputy": ["deputy"], "buyer": None}


def test_risks_name_every_reason(groups: Plan) -> None:
    # vp: owned, but only a done and a dropped action list them -> no-action.
    # cfo: a blocked (open) action lists them but nobody owns them -> no-owner.
    # clerk is neutral, ceo is neutral: no risk.
    assert risks(groups) == [
        Risk("vp", "Vp", "skeptic", 4, ("no-action",)),
        Risk("cfo", "Cfo", "blocker", 4, ("no-owner",)),
    ]


def test_risks_leave_out_low_influence_and_addressed_people(tmp_path: Path) -> None:
    plan = load(tmp_path, plan_data(
        [
            person("low", 3, "blocker"),
            person("handled", 5, "blocker", owner="alice"),
            person("bare", 4, "skeptic"),
        ],
        [action("a1", "handled", status="doing")],
    ))
    assert risks(plan) == [Risk("bare", "Bare", "skeptic", 4, ("no-owner", "no-action"))]


def test_coverage(groups: Plan) -> None:
    result = coverage(groups)
    assert (result.total, result.covered, result.share) == (6, 4, 4 / 6)
    # influence >= 4: ceo (owned), vp (owned), cfo (not)
    assert (result.high_total, result.high_covered, result.high_share) == (3, 2, 2 / 3)
    assert result.uncovered == ["cfo", "clerk"]


def test_single_threaded(groups: Plan) -> None:
    result = single_threaded(groups)
    assert not result.is_single
    assert result.owners == ["alice", "bob"]
    assert result.covered == ["ceo", "vp", "eng", "fan"]


def test_relationships_by_person_lists_everybody(groups: Plan) -> None:
    assert relationships_by_person(groups) == {"alice": ["ceo", "vp"], "bob": ["eng", "fan"]}


def test_stale_relationships_are_strictly_older_than_the_limit(groups: Plan) -> None:
    as_of = dt.date(2026, 11, 20)
    # ceo: 2026-08-22 is exactly 90 days before: not stale. vp: 91 days. cfo: 203 days.
    # clerk: 19 days. fan: contact after as_of. eng: never contacted.
    assert stale_relationships(groups, as_of, 90) == [
        Stale("cfo", "Cfo", None, dt.date(2026, 5, 1), 203),
        Stale("vp", "Vp", "alice", dt.date(2026, 8, 21), 91),
    ]
    assert [s.stakeholder for s in stale_relationships(groups, as_of, 89)] == ["cfo", "vp", "ceo"]
    assert stale_relationships(groups, as_of, 365) == []
    assert never_contacted(groups) == ["eng"]


def test_areas_without_stakeholders(tmp_path: Path) -> None:
    areas = [
        {"id": "ops", "name": "Operations"},
        {"id": "fin", "name": "Finance", "head": "boss"},  # headed by someone from ops
        {"id": "it", "name": "IT"},
    ]
    plan = load(tmp_path, plan_data([person("boss", 5, "neutral", area="ops")], areas=areas))
    assert areas_without_stakeholders(plan) == ["it"]


# --- influence rank ---------------------------------------------------------------


def test_influence_rank_worked_out_on_paper(tmp_path: Path) -> None:
    # a reports to b, equal stated influence. b has no way out, so its rank restarts
    # by the (uniform) seed:
    #   r_a = 0.85 * 0.5 r_b + 0.15 * 0.5,  r_a + r_b = 1  =>  r_a = 0.5 / 1.425
    plan = load(tmp_path, plan_data([
        person("a", 2, "neutral", reports_to="b"),
        person("b", 2, "neutral"),
    ]))
    assert influence_rank(plan) == {"a": round(0.5 / 1.425, 4), "b": round(1 - 0.5 / 1.425, 4)}
    assert influence_rank(plan) == {"a": 0.3509, "b": 0.6491}


def test_influence_rank_without_lines_is_the_stated_influence(tmp_path: Path) -> None:
    plan = load(tmp_path, plan_data([person("a", 1, "neutral"), person("b", 3, "neutral")]))
    assert influence_rank(plan) == {"a": 0.25, "b": 0.75}


def test_influence_rank_of_the_two_groups(groups: Plan) -> None:
    rank = influence_rank(groups)
    assert list(rank) == ["ceo", "vp", "eng", "fan", "cfo", "clerk"]  # plan order
    assert abs(sum(rank.values()) - 1) < 1e-3
    assert max(rank, key=rank.__getitem__) == "ceo"
    assert rank["vp"] > rank["eng"]  # eng's rank flows to vp
    assert rank["cfo"] > rank["clerk"]


# --- edge cases: nobody, one person, two economic buyers ---------------------------


def test_no_stakeholders_at_all(tmp_path: Path) -> None:
    plan = load(tmp_path, plan_data([]))
    graph = build_graph(plan)
    assert sorted(graph.nodes) == ["person:alice", "person:bob"]
    assert graph.number_of_edges() == 0
    result = analyse(plan, dt.date(2026, 11, 20))
    assert result.decision_makers == {}
    assert result.influence_rank == {}
    assert result.coverage.total == 0
    assert result.coverage.share is None
    assert result.coverage.high_share is None
    assert result.coverage.uncovered == []
    assert result.economic_buyers == []
    assert not result.single_threaded.is_single
    assert result.single_threaded.owners == []
    assert result.risks == []
    assert result.champion_paths == {}
    assert result.areas_without_stakeholders == ["ops", "fin", "it"]
    assert result.relationships_by_person == {"alice": [], "bob": []}
    assert result.stale == []
    assert result.never_contacted == []


def test_a_lone_stakeholder(tmp_path: Path) -> None:
    plan = load(tmp_path, plan_data([
        person("solo", 3, "neutral", owner="alice", role="economic-buyer", area="it",
               last_contact="2026-11-01"),
    ]))
    graph = build_graph(plan)
    assert edges_of_kind(graph, "owns") == [("person:alice", "solo")]
    result = analyse(plan, dt.date(2026, 11, 20))
    assert result.influence_rank == {"solo": 1.0}
    assert result.decision_makers == {}
    assert result.economic_buyers == ["solo"]
    assert result.champion_paths == {"solo": None}  # neutral, and no ally to reach them
    assert result.single_threaded.is_single
    assert result.single_threaded.owners == ["alice"]
    assert (result.coverage.share, result.coverage.high_share) == (1.0, None)
    assert result.areas_without_stakeholders == ["ops", "fin"]
    assert result.stale == []


def test_two_economic_buyers_are_both_reported(tmp_path: Path) -> None:
    plan = load(tmp_path, plan_data([
        person("z-coo", 5, "neutral", role="economic-buyer"),
        person("cfo", 5, "neutral", role="economic-buyer"),
        person("cto", 4, "neutral", role="technical-buyer"),
    ]))
    assert economic_buyers(plan) == ["z-coo", "cfo"]


def test_one_owner_of_many_stakeholders_is_single_threaded(tmp_path: Path) -> None:
    plan = load(tmp_path, plan_data([
        person("a", 5, "neutral", owner="bob"),
        person("b", 4, "neutral", owner="bob"),
        person("c", 2, "neutral"),
    ]))
    result = single_threaded(plan)
    assert result.is_single
    assert result.owners == ["bob"]
    assert result.covered == ["a", "b"]


def test_analyse_bundles_everything_and_turns_into_plain_data(groups: Plan) -> None:
    result = analyse(groups, dt.date(2026, 11, 20), stale_days=90)
    assert result.risks == risks(groups)
    assert result.champion_paths == champion_paths(groups)
    data = result.as_dict()
    assert data["as_of"] == "2026-11-20"
    assert data["stale"][0] == {
        "stakeholder": "cfo", "name": "Cfo", "owner": None,
        "last_contact": "2026-05-01", "days_since": 203,
    }
    assert data["risks"][1]["reasons"] == ["no-owner"]


# --- the example plans ---------------------------------------------------------------


def example(name: str) -> Plan:
    plan_file, problems = load_plan(REPO / "plans" / name)
    assert plan_file is not None, problems
    return plan_file.plan


def test_northwind_example() -> None:
    plan = example("northwind-logistics.yaml")
    result = analyse(plan, dt.date(2026, 11, 20))
    assert result.economic_buyers == ["d.whitfield"]
    assert result.coverage.uncovered == ["t.nguyen"]
    assert [s.stakeholder for s in result.stale] == ["a.brennan"]
    assert result.champion_paths["d.whitfield"] == ["j.ferreira", "d.whitfield"]
    assert result.champion_paths["r.castillo"] == ["r.castillo"]
    # The CFO's group (Hughes, Nguyen) has no ally in it: no way in.
    assert result.champion_paths["a.brennan"] is None
    assert max(result.influence_rank, key=result.influence_rank.__getitem__) == "d.whitfield"


def test_hospital_example() -> None:
    plan = example("hospital-santa-lucia.yaml")
    result = analyse(plan, dt.date(2026, 11, 20))
    assert result.economic_buyers == ["larrea"]
    assert [s.stakeholder for s in result.stale] == ["montero"]
    assert result.champion_paths["quintana"] is None
    assert result.champion_paths["larrea"] == ["benitez", "larrea"]


@pytest.mark.parametrize("path", sorted((REPO / "plans").glob("*.yaml")), ids=lambda p: p.stem)
def test_the_reporting_forest_is_the_graphs_reporting_lines_in_plan_order(path: Path) -> None:
    plan = example(path.name)
    forest = reporting_forest(plan)
    graph = build_graph(plan)
    assert sorted(forest.manager.items()) == edges_of_kind(graph, "reports_to")
    order = [s.id for s in plan.stakeholders]
    for boss, reports in forest.children.items():
        assert sorted(reports) == direct_reports(graph, boss)
        assert reports == [s for s in order if s in reports]  # plan order, not id order
    assert forest.roots == [s for s in order if s not in forest.manager and forest.children[s]]
    for root in forest.roots:
        below = {root} | {s for s in forest.manager if root in _chain(forest.manager, s)}
        assert forest.subtree[root] == below


def _chain(manager: dict[str, str], person: str) -> list[str]:
    """Everyone above `person`, nearest first."""
    above = []
    while person in manager:
        person = manager[person]
        above.append(person)
    return above


def test_the_persuasion_lines_are_the_persuasion_graphs_successors() -> None:
    from cxplan.analyse.powermap import _persuasion_graph, _persuasion_lines
    from cxplan.model.build import load_plan

    for path in sorted((REPO / "plans").glob("*.yaml")):
        plan_file, _ = load_plan(path)
        assert plan_file is not None
        graph = _persuasion_graph(plan_file.plan)
        lines = _persuasion_lines(plan_file.plan)
        assert lines == {node: set(graph.successors(node)) for node in graph}
        assert any(lines.values())


def test_a_plans_pages_are_made_without_networkx() -> None:
    # Its import is a fifth of what building one account's site costs.
    script = (
        "import sys, datetime as dt\n"
        "from pathlib import Path\n"
        "from cxplan.model.build import load_plan\n"
        "from cxplan.render.pages import RenderOptions, render_plan\n"
        "plan, _ = load_plan(Path(sys.argv[1]))\n"
        "files = render_plan(plan, RenderOptions('en', dt.date(2026, 11, 23), split_sites=True))\n"
        "assert any('power-map' in str(path) for path in files), sorted(files)\n"
        "print('networkx' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script,
                             str(REPO / "plans" / "northwind-logistics.yaml")],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
