"""What each person should hear about this week: the facts of `cxplan digest`.

Per team member (the same id in several plans is the same person), per plan:

- their open actions that are overdue, and those due within the next `days` days;
- their open commitments (not measured yet) overdue or due within the window;
- the relationships they own that are stale or will be by the end of the window
  (last contact more than `stale_days - days` days ago): a reminder a week before
  the warning is more use than the warning.

A person with none of these gets no digest (an empty e-mail teaches people to ignore
the next one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from cxplan.analyse.powermap import stale_relationships
from cxplan.analyse.tracking import is_due_soon, is_overdue
from cxplan.model.build import PlanFile


@dataclass(frozen=True)
class DueItem:
    kind: str
    """`action` or `commitment`."""
    id: str
    title: str
    due: dt.date
    days: int
    """Days late (overdue) or days left (due soon)."""
    status: str


@dataclass(frozen=True)
class Relationship:
    id: str
    name: str
    last_contact: dt.date
    days_since: int
    stale: bool
    """Already stale (else: stale by the end of the window)."""


@dataclass
class PlanPart:
    plan_id: str
    title: str
    language: str
    overdue: list[DueItem] = field(default_factory=list)
    due_soon: list[DueItem] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.due_soon or self.relationships)


@dataclass
class PersonDigest:
    person: str
    name: str
    email: str | None
    parts: list[PlanPart] = field(default_factory=list)

    @property
    def language(self) -> str:
        """The language most of their plans are in (the first plan's on a tie)."""
        counts: dict[str, int] = {}
        for part in self.parts:
            counts[part.language] = counts.get(part.language, 0) + 1
        return max(counts, key=lambda code: counts[code]) if counts else "en"


def digests(
    plan_files: Sequence[PlanFile],
    as_of: dt.date,
    *,
    days: int,
    stale_days: int,
    default_language: str = "en",
) -> list[PersonDigest]:
    """One digest per person with something to hear, by person id."""
    people: dict[str, PersonDigest] = {}
    for plan_file in plan_files:
        plan = plan_file.plan
        language = plan.plan.language or default_language
        parts: dict[str, PlanPart] = {}

        def part(person: str, parts: dict[str, PlanPart] = parts, language: str = language,
                 plan_file: PlanFile = plan_file) -> PlanPart:
            if person not in parts:
                parts[person] = PlanPart(plan_file.id, plan_file.plan.plan.title, language)
            return parts[person]

        for action in plan.actions:
            if is_overdue(action, as_of):
                part(action.owner).overdue.append(DueItem(
                    "action", action.id, action.title, action.due, (as_of - action.due).days,
                    action.status))
            elif is_due_soon(action, as_of, days):
                part(action.owner).due_soon.append(DueItem(
                    "action", action.id, action.title, action.due, (action.due - as_of).days,
                    action.status))
        for commitment in plan.commitments:
            if commitment.perceived is not None:
                continue
            left = (commitment.due - as_of).days
            if left < 0:
                part(commitment.owner).overdue.append(DueItem(
                    "commitment", commitment.id, commitment.promise, commitment.due, -left, ""))
            elif left <= days:
                part(commitment.owner).due_soon.append(DueItem(
                    "commitment", commitment.id, commitment.promise, commitment.due, left, ""))
        for stale in stale_relationships(plan, as_of, max(0, stale_days - days)):
            if stale.owner is None:
                continue
            part(stale.owner).relationships.append(Relationship(
                stale.stakeholder, stale.name, stale.last_contact, stale.days_since,
                stale.days_since > stale_days))
        members = {member.id: member for member in plan.team}
        for person, found in parts.items():
            if found.empty:
                continue
            member = members.get(person)
            digest = people.setdefault(person, PersonDigest(
                person, member.name if member else person, member.email if member else None))
            if digest.email is None and member is not None and member.email:
                digest.email = member.email
            found.overdue.sort(key=lambda item: (-item.days, item.id))
            found.due_soon.sort(key=lambda item: (item.days, item.id))
            digest.parts.append(found)
    return [people[person] for person in sorted(people)]
