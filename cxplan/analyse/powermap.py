"""The power map: the customer's stakeholders as a graph, and what it tells us.

Pure functions over the model; nothing here reads the clock (the caller passes `as_of`).
Every list a function returns is in a fixed order (plan order unless said otherwise),
so pages and pictures built from it are the same for the same plan.

The graph (`build_graph`) is a `networkx.MultiDiGraph`, which is a `networkx.DiGraph`
with room for two relations between the same two people (a manager is often also
informally influenced by the person who reports to them). Its parts:

- one node per stakeholder, keyed by the stakeholder id, with `kind="stakeholder"` and
  every other field of the stakeholder as attributes (`name`, `influence`, `support`,
  `decides`, `owner`, `last_contact`...);
- one node per member of our team, keyed `person:<id>` (a `:` never appears in an id,
  so the two kinds cannot collide), with `kind="person"` and the member's other fields.
  The id itself is the key, not an attribute (node-link JSON keeps the key in `id`);
- edges keyed and tagged by `kind`:
  `reports_to` (subordinate -> manager), `influences` (influencer -> influenced) and
  `owns` (our team member -> the stakeholder whose relationship they own).

Reverse relations (direct reports, who influences someone, whom a member owns) are
derived from those edges by the functions below, never written by hand. An
`influences` entry naming the stakeholder themself says nothing and is left out.

Influence and reporting edges both point the way persuasion travels: a subordinate
can move their manager, an influencer moves whom they influence. The influence rank
and the champion paths follow that direction.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from cxplan import defaults
from cxplan.model.plan import OPEN_STATUSES, Plan, Stakeholder

if TYPE_CHECKING:  # networkx is imported by the functions that build a graph: most
    # analyses (and every rule) need none, and the import costs 70 ms a process.
    import networkx as nx

EdgeKind = Literal["reports_to", "influences", "owns"]
RiskReason = Literal["no-owner", "no-action"]

PERSON_PREFIX = "person:"
HIGH_INFLUENCE = 4
"""Influence from which a stakeholder counts as high-influence (coverage, risks)."""
RISKY_SUPPORT = frozenset({"blocker", "skeptic"})
ALLY_SUPPORT = frozenset({"champion", "supporter"})
RANK_DIGITS = 4
"""Influence ranks are rounded so that they print the same on every machine."""
DEFAULT_STALE_DAYS = defaults.STALE_DAYS


def person_node(person_id: str) -> str:
    """The graph key of a member of our team."""
    return PERSON_PREFIX + person_id


# --- the graph ---------------------------------------------------------------------


def build_graph(plan: Plan) -> nx.MultiDiGraph:
    """The power map as a graph (see the module docstring for its shape).

    Nodes and edges are added in sorted order, so iteration order, and everything
    exported from the graph, is the same on every run.
    """
    import networkx as nx

    graph = nx.MultiDiGraph()
    known = {s.id for s in plan.stakeholders}
    for stakeholder in sorted(plan.stakeholders, key=lambda s: s.id):
        graph.add_node(stakeholder.id, kind="stakeholder", **stakeholder.model_dump(exclude={"id"}))
    for person in sorted(plan.team, key=lambda p: p.id):
        graph.add_node(person_node(person.id), kind="person", **person.model_dump(exclude={"id"}))
    members = {p.id for p in plan.team}
    for source, target, kind in sorted(_edges(plan, known, members)):
        graph.add_edge(source, target, key=kind, kind=kind)
    return graph


def _edges(plan: Plan, known: set[str], members: set[str]) -> Iterable[tuple[str, str, str]]:
    # References are checked when the plan is built; the membership tests only keep a
    # hand-made Plan with a dangling id from adding an attribute-less node.
    for s in plan.stakeholders:
        if s.reports_to is not None and s.reports_to in known:
            yield s.id, s.reports_to, "reports_to"
        for other in set(s.influences):
            if other != s.id and other in known:
                yield s.id, other, "influences"
        if s.owner is not None and s.owner in members:
            yield person_node(s.owner), s.id, "owns"


@dataclass(frozen=True)
class ReportingForest:
    """The reporting lines as trees, in the plan's order of stakeholders (the order a
    picture lays them out in; the graph's functions sort by id instead).

    A reporting loop, which a valid plan cannot have, leaves its people out of every
    tree: they are in no `subtree`, as are people with no reporting line at all.
    """

    manager: dict[str, str]
    """Subordinate -> manager, for everyone who reports to someone in the map."""
    children: dict[str, list[str]]
    """Every stakeholder -> their direct reports, in plan order."""
    roots: list[str]
    """People who report to nobody and have reports: the top of each tree."""
    subtree: dict[str, frozenset[str]]
    """Each person in a tree -> themself and everyone below them."""

    @property
    def in_trees(self) -> set[str]:
        return set(self.subtree)


def reporting_forest(plan: Plan) -> ReportingForest:
    """Who reports to whom, as trees (see `ReportingForest`)."""
    people = plan.stakeholders
    known = {s.id for s in people}
    manager = {
        s.id: s.reports_to
        for s in people
        if s.reports_to is not None and s.reports_to in known and s.reports_to != s.id
    }
    children: dict[str, list[str]] = {s.id: [] for s in people}
    for s in people:
        if s.id in manager:
            children[manager[s.id]].append(s.id)
    roots = [s.id for s in people if s.id not in manager and children[s.id]]
    subtree: dict[str, frozenset[str]] = {}

    def collect(node: str) -> frozenset[str]:
        nodes = {node}
        for kid in children[node]:
            nodes |= collect(kid)
        subtree[node] = frozenset(nodes)
        return subtree[node]

    for root in roots:
        collect(root)
    return ReportingForest(manager, children, roots, subtree)


def edges_of_kind(graph: nx.MultiDiGraph, kind: EdgeKind) -> list[tuple[str, str]]:
    """(source, target) of every edge of one kind, sorted."""
    return sorted((u, v) for u, v, k in graph.edges(keys=True) if k == kind)


def _sources(graph: nx.MultiDiGraph, node: str, kind: EdgeKind) -> list[str]:
    if node not in graph:
        return []
    return sorted(u for u, _, k in graph.in_edges(node, keys=True) if k == kind)


def _targets(graph: nx.MultiDiGraph, node: str, kind: EdgeKind) -> list[str]:
    if node not in graph:
        return []
    return sorted(v for _, v, k in graph.out_edges(node, keys=True) if k == kind)


def manager_of(graph: nx.MultiDiGraph, stakeholder_id: str) -> str | None:
    targets = _targets(graph, stakeholder_id, "reports_to")
    return targets[0] if targets else None


def direct_reports(graph: nx.MultiDiGraph, stakeholder_id: str) -> list[str]:
    """Who reports to this stakeholder, sorted by id."""
    return _sources(graph, stakeholder_id, "reports_to")


def influenced_by(graph: nx.MultiDiGraph, stakeholder_id: str) -> list[str]:
    """Who influences this stakeholder informally, sorted by id."""
    return _sources(graph, stakeholder_id, "influences")


def influences_of(graph: nx.MultiDiGraph, stakeholder_id: str) -> list[str]:
    """Whom this stakeholder influences informally, sorted by id."""
    return _targets(graph, stakeholder_id, "influences")


def owned_by(graph: nx.MultiDiGraph, person_id: str) -> list[str]:
    """The stakeholders whose relationship this team member owns, sorted by id."""
    return _targets(graph, person_node(person_id), "owns")


def owner_of(graph: nx.MultiDiGraph, stakeholder_id: str) -> str | None:
    """The id (without the `person:` prefix) of the team member who owns the relationship."""
    sources = _sources(graph, stakeholder_id, "owns")
    return sources[0][len(PERSON_PREFIX):] if sources else None


# --- decision makers, buyers, influence ---------------------------------------------


def decision_makers(plan: Plan) -> dict[str, list[str]]:
    """Who decides what: topic -> stakeholder ids.

    Topics are grouped ignoring letter case and surrounding spaces ("Budget" and
    "budget " are one topic), keyed by the first spelling met; topics and ids are in
    plan order.
    """
    spelling: dict[str, str] = {}
    result: dict[str, list[str]] = {}
    for stakeholder in plan.stakeholders:
        for topic in stakeholder.decides:
            norm = " ".join(topic.split()).casefold()
            if not norm:
                continue
            key = spelling.setdefault(norm, topic.strip())
            holders = result.setdefault(key, [])
            if stakeholder.id not in holders:
                holders.append(stakeholder.id)
    return result


def economic_buyers(plan: Plan) -> list[str]:
    """Stakeholders with `role: economic-buyer`, in plan order; exactly one is expected."""
    return [s.id for s in plan.stakeholders if s.role == "economic-buyer"]


def is_decision_maker(stakeholder: Stakeholder) -> bool:
    """Decides at least one topic, or is the economic buyer."""
    return bool(stakeholder.decides) or stakeholder.role == "economic-buyer"


def decision_maker_ids(plan: Plan) -> list[str]:
    return [s.id for s in plan.stakeholders if is_decision_maker(s)]


def _persuasion_graph(plan: Plan) -> nx.DiGraph:
    """Stakeholders only; an edge per pair that has a reporting or influence line.

    The weight counts the lines (1 or 2): someone who reports to a manager *and*
    influences them sends that manager a larger share of their weight.
    """
    import networkx as nx

    full = build_graph(plan)
    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(s.id for s in plan.stakeholders))
    for source, target in edges_of_kind(full, "reports_to") + edges_of_kind(full, "influences"):
        if graph.has_edge(source, target):
            graph[source][target]["weight"] += 1
        else:
            graph.add_edge(source, target, weight=1)
    return graph


def influence_rank(plan: Plan) -> dict[str, float]:
    """PageRank over reporting and influence lines, seeded by the stated `influence`.

    Rank flows along the direction persuasion travels (subordinate -> manager,
    influencer -> influenced). Each stakeholder's stated influence (1..5) is the
    personalization vector: it is where a random walk restarts, so a person's own
    standing counts, and people whom influential people influence rank higher still.
    Results sum to 1, are rounded to 4 decimals and are in plan order.
    """
    if not plan.stakeholders:
        return {}
    import networkx as nx

    graph = _persuasion_graph(plan)
    seed = {s.id: float(s.influence) for s in plan.stakeholders}
    ranks = nx.pagerank(graph, alpha=0.85, personalization=seed, weight="weight", tol=1e-10,
                        max_iter=1000)
    return {s.id: round(float(ranks[s.id]), RANK_DIGITS) for s in plan.stakeholders}


# --- coverage ------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """Which stakeholders have a relationship owner on our side.

    `share` and `high_share` are fractions from 0 to 1, or None when there is nobody
    to cover (a share of nothing is not 0 %, nor 100 %).
    """

    total: int
    covered: int
    share: float | None
    high_total: int
    """Stakeholders with influence 4 or more."""
    high_covered: int
    high_share: float | None
    uncovered: list[str]
    """Ids of stakeholders without an owner, plan order."""


def coverage(plan: Plan) -> Coverage:
    people = plan.stakeholders
    high = [s for s in people if s.influence >= HIGH_INFLUENCE]
    covered = sum(1 for s in people if s.owner)
    high_covered = sum(1 for s in high if s.owner)
    return Coverage(
        total=len(people),
        covered=covered,
        share=covered / len(people) if people else None,
        high_total=len(high),
        high_covered=high_covered,
        high_share=high_covered / len(high) if high else None,
        uncovered=[s.id for s in people if not s.owner],
    )


@dataclass(frozen=True)
class SingleThread:
    """Whether the whole account hangs on one relationship owner.

    `is_single` is true when exactly one team member owns relationships (which
    includes the case of one covered stakeholder). With no owner at all the account
    is not single- but un-threaded: `is_single` is false and `coverage` says why.
    """

    is_single: bool
    owners: list[str]
    """Team member ids owning at least one relationship, sorted."""
    covered: list[str]
    """Ids of stakeholders with an owner, plan order."""


def single_threaded(plan: Plan) -> SingleThread:
    owners = sorted({s.owner for s in plan.stakeholders if s.owner})
    covered = [s.id for s in plan.stakeholders if s.owner]
    return SingleThread(is_single=len(owners) == 1, owners=owners, covered=covered)


def relationships_by_person(plan: Plan) -> dict[str, list[str]]:
    """Every team member (plan order) -> the stakeholder ids they own (plan order)."""
    result: dict[str, list[str]] = {p.id: [] for p in plan.team}
    for s in plan.stakeholders:
        if s.owner is not None and s.owner in result:
            result[s.owner].append(s.id)
    return result


def areas_without_stakeholders(plan: Plan) -> list[str]:
    """Buyer areas (plan order) with no stakeholder in them and no head named."""
    staffed = {s.area for s in plan.stakeholders if s.area}
    return [a.id for a in plan.areas if a.id not in staffed and not a.head]


# --- risks, paths, staleness ---------------------------------------------------------


@dataclass(frozen=True)
class Risk:
    """A high-influence blocker or skeptic that nobody on our side is working on.

    Reasons: `no-owner` (no relationship owner) and `no-action` (no open action --
    todo, doing or blocked -- lists them; a done or dropped action no longer works on
    the relationship).
    """

    stakeholder: str
    name: str
    support: str
    influence: int
    reasons: tuple[RiskReason, ...]


def addressed_by_open_action(plan: Plan) -> set[str]:
    """Stakeholder ids that at least one open action lists."""
    return {
        sid for a in plan.actions if a.status in OPEN_STATUSES for sid in a.stakeholders
    }


def risks(plan: Plan) -> list[Risk]:
    """Blockers and skeptics with influence 4 or more and no owner or no open action.

    Plan order; each with every reason that applies.
    """
    worked_on = addressed_by_open_action(plan)
    found: list[Risk] = []
    for s in plan.stakeholders:
        if s.support not in RISKY_SUPPORT or s.influence < HIGH_INFLUENCE:
            continue
        reasons: list[RiskReason] = []
        if not s.owner:
            reasons.append("no-owner")
        if s.id not in worked_on:
            reasons.append("no-action")
        if reasons:
            found.append(Risk(s.id, s.name, s.support, s.influence, tuple(reasons)))
    return found


def champion_paths(plan: Plan) -> dict[str, list[str] | None]:
    """For each decision maker (plan order), the shortest way an ally can reach them.

    A path is a list of stakeholder ids from a champion or supporter to the decision
    maker, following reporting lines (subordinate -> manager) and influence lines
    (influencer -> influenced): the way persuasion travels. A decision maker who is
    themself a champion or supporter has the path `[themself]`. `None` when no ally
    reaches them. Among equally short paths, one starting at a champion wins over one
    starting at a supporter, then the alphabetically first path.
    """
    lines = _persuasion_lines(plan)
    support = {s.id: s.support for s in plan.stakeholders}
    allies = sorted(sid for sid, level in support.items() if level in ALLY_SUPPORT)
    trees = {ally: _bfs_paths(lines, ally) for ally in allies}
    result: dict[str, list[str] | None] = {}
    for dm in decision_maker_ids(plan):
        candidates = [
            (len(paths[dm]), 0 if support[ally] == "champion" else 1, paths[dm])
            for ally, paths in trees.items()
            if dm in paths
        ]
        result[dm] = min(candidates)[2] if candidates else None
    return result


def _persuasion_lines(plan: Plan) -> dict[str, set[str]]:
    """Whom each stakeholder reaches in one step of `_persuasion_graph` (its successors),
    worked out without a graph: the site's only use of one, and importing networkx
    cost a one-account build 0.2 s of its 1.1 s."""
    known = {s.id for s in plan.stakeholders}
    lines: dict[str, set[str]] = {sid: set() for sid in known}
    for source, target, kind in _edges(plan, known, set()):
        if kind != "owns":
            lines[source].add(target)
    return lines


def _bfs_paths(lines: dict[str, set[str]], start: str) -> dict[str, list[str]]:
    """Shortest paths from `start`; neighbours visited in sorted order for stable ties."""
    paths = {start: [start]}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in sorted(lines[node]):
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    return paths


@dataclass(frozen=True)
class Stale:
    """A relationship whose last real contact is too old."""

    stakeholder: str
    name: str
    owner: str | None
    last_contact: dt.date
    days_since: int


def stale_relationships(plan: Plan, as_of: dt.date, days: int = DEFAULT_STALE_DAYS) -> list[Stale]:
    """Stakeholders last contacted strictly more than `days` days before `as_of`.

    Exactly `days` days ago is not stale yet. Stakeholders with no `last_contact` are
    not here but in `never_contacted` (an unrecorded date is a different problem from
    an old one, and plans that never record dates would otherwise drown in warnings).
    Oldest contact first, then plan order.
    """
    found = [
        Stale(s.id, s.name, s.owner, s.last_contact, (as_of - s.last_contact).days)
        for s in plan.stakeholders
        # Someone who left is a gap to fill (`cxplan.analyse.moves`), not a contact to renew.
        if s.last_contact is not None and s.gone is None and (as_of - s.last_contact).days > days
    ]
    return sorted(found, key=lambda st: -st.days_since)


def never_contacted(plan: Plan) -> list[str]:
    """Stakeholders with no `last_contact` recorded, plan order."""
    return [s.id for s in plan.stakeholders if s.last_contact is None]


# --- everything at once --------------------------------------------------------------


@dataclass(frozen=True)
class PowerMapAnalysis:
    as_of: dt.date
    stale_days: int
    decision_makers: dict[str, list[str]]
    influence_rank: dict[str, float]
    coverage: Coverage
    economic_buyers: list[str]
    single_threaded: SingleThread
    risks: list[Risk]
    champion_paths: dict[str, list[str] | None]
    areas_without_stakeholders: list[str]
    relationships_by_person: dict[str, list[str]]
    stale: list[Stale]
    never_contacted: list[str]

    def as_dict(self) -> dict[str, Any]:
        """Plain data (dates as ISO text) for JSON output and templates."""
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        for item in data["stale"]:
            item["last_contact"] = item["last_contact"].isoformat()
        data["risks"] = [dict(r, reasons=list(r["reasons"])) for r in data["risks"]]
        return data


def analyse(plan: Plan, as_of: dt.date, stale_days: int = DEFAULT_STALE_DAYS) -> PowerMapAnalysis:
    return PowerMapAnalysis(
        as_of=as_of,
        stale_days=stale_days,
        decision_makers=decision_makers(plan),
        influence_rank=influence_rank(plan),
        coverage=coverage(plan),
        economic_buyers=economic_buyers(plan),
        single_threaded=single_threaded(plan),
        risks=risks(plan),
        champion_paths=champion_paths(plan),
        areas_without_stakeholders=areas_without_stakeholders(plan),
        relationships_by_person=relationships_by_person(plan),
        stale=stale_relationships(plan, as_of, stale_days),
        never_contacted=never_contacted(plan),
    )
