"""Champions who move: stakeholders marked gone, the gaps they leave, and where they went.

A stakeholder with `gone` left the company or the role. What that means for the plan:

- the roles they held are *gaps*: a plan whose every champion is gone has no champion,
  a plan whose economic buyer is gone has no economic buyer (`gaps`);
- a person gone from one plan who appears in another plan of the portfolio is a new
  door there (`moved`): the same human is recognised by an explicit `person` key
  written in both plans, or else by the same name *and* the same e-mail (a name alone
  is too weak: two Maria Lopez are two people).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from cxplan.model.build import PlanFile
from cxplan.model.plan import Plan, Stakeholder

GapRole = Literal["champion", "economic-buyer"]


def is_gone(stakeholder: Stakeholder) -> bool:
    return stakeholder.gone is not None


def present(plan: Plan) -> list[Stakeholder]:
    """Stakeholders still in place, plan order."""
    return [s for s in plan.stakeholders if s.gone is None]


def _holds(stakeholder: Stakeholder, role: GapRole) -> bool:
    if role == "champion":
        return stakeholder.support == "champion"
    return stakeholder.role == "economic-buyer"


@dataclass(frozen=True)
class Gap:
    """A role only people who left held: `left` are their ids, plan order."""

    role: GapRole
    left: tuple[str, ...]


def gaps(plan: Plan) -> list[Gap]:
    """Champion and economic buyer, when someone held the role and nobody still does."""
    found = []
    for role in ("champion", "economic-buyer"):
        holders = [s for s in plan.stakeholders if _holds(s, role)]
        if holders and all(is_gone(s) for s in holders):
            found.append(Gap(role, tuple(s.id for s in holders)))
    return found


def _key(stakeholder: Stakeholder) -> tuple[str, ...]:
    """How a person is recognised across plans (see the module docstring)."""
    if stakeholder.person:
        return ("person", stakeholder.person.strip().casefold())
    if stakeholder.email:
        return ("name+email", " ".join(stakeholder.name.split()).casefold(),
                stakeholder.email.strip().casefold())
    return ()


@dataclass(frozen=True)
class Move:
    """One person seen in two plans: gone from `from_plan`, present or gone in `to_plan`."""

    from_plan: str
    from_id: str
    to_plan: str
    to_id: str
    name: str


def moved(plan_files: Sequence[PlanFile]) -> list[Move]:
    """Every (gone here, seen there) pair across the portfolio, sorted.

    A person who is gone in both plans is still reported (both plans say where else
    they were known); a person twice in one plan is not a move."""
    seen: dict[tuple[str, ...], list[tuple[str, Stakeholder]]] = {}
    for plan_file in plan_files:
        for person in plan_file.plan.stakeholders:
            key = _key(person)
            if key:
                seen.setdefault(key, []).append((plan_file.id, person))
    found = []
    for people in seen.values():
        for from_plan, left in people:
            if not is_gone(left):
                continue
            for to_plan, other in people:
                if to_plan != from_plan:
                    found.append(Move(from_plan, left.id, to_plan, other.id, left.name))
    return sorted(set(found), key=lambda m: (m.from_plan, m.from_id, m.to_plan, m.to_id))


def moves_of(plan_id: str, moves: Sequence[Move]) -> tuple[list[Move], list[Move]]:
    """(people who left this plan and are known elsewhere, people here who left another
    plan), for one plan."""
    return (
        [m for m in moves if m.from_plan == plan_id],
        [m for m in moves if m.to_plan == plan_id],
    )
