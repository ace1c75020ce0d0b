"""What history tells, typed: the changes of a plan, its slipped dates, and the items
and versions compared to find them. Shared by the site, the CLI and the method rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from cxplan.analyse.git import Commit
from cxplan.i18n import Text
from cxplan.model.plan import Action, Commitment, Stakeholder

ChangeKind = Literal[
    "created",  # the first version of the file
    "first-seen",  # the oldest version a shallow clone holds (history is cut there)
    "deleted",  # the file was deleted
    "invalid",  # this version does not validate (`message` says why)
    "action-added",
    "action-removed",
    "due-moved",
    "status-changed",
    "commitment-added",
    "commitment-changed",  # `field` is expectation, perceived or due
    "commitment-removed",
    "stakeholder-added",
    "stakeholder-removed",
]
HistoryState = Literal["ok", "no-git", "not-committed"]
Value = str | int | dt.date | None

SECTIONS: dict[str, type[BaseModel]] = {
    "actions": Action,
    "commitments": Commitment,
    "stakeholders": Stakeholder,
}
COMMITMENT_FIELDS = ("expectation", "perceived", "due")




@dataclass(frozen=True)
class Change:
    """One change a commit made to a plan."""

    commit: Commit
    kind: ChangeKind
    item: str = ""
    """The id of the action, commitment or stakeholder concerned ('' for the plan)."""
    label: str = ""
    """What a person reads for the item: the action's title, the promise, the name."""
    field: str = ""
    """The field that changed (due, status, expectation, perceived)."""
    old: Value = None
    new: Value = None
    message: str = ""
    """For an invalid version: its first problem, as `cxplan validate` words it."""
    said: Text | None = None
    """`message` as a catalogue text, to show in the reader's language."""

    def message_in(self, language: str) -> str:
        return self.said.in_language(language) if self.said is not None else self.message


@dataclass(frozen=True)
class Slip:
    """An action whose due date moved: its moves, oldest first."""

    action: str
    title: str
    first_due: dt.date
    """The due date before the first move."""
    current_due: dt.date
    moves: tuple[Change, ...]

    @property
    def move_count(self) -> int:
        return len(self.moves)

    @property
    def days_slipped(self) -> int:
        """Days from the first due date to the current one (negative: pulled in)."""
        return (self.current_due - self.first_due).days


@dataclass
class PlanHistory:
    plan_id: str
    path: str
    state: HistoryState
    reason: str = ""
    """Why there is no history, in a sentence (when the state is not ok)."""
    commits: int = 0
    """Commits seen that changed the file (merge commits not counted)."""
    oldest: Commit | None = None
    """The oldest commit seen."""
    shallow: bool = False
    """The repository is a shallow clone: older history may exist but is not here."""
    since: dt.date | None = None
    changes: list[Change] = field(default_factory=list)
    """Oldest first; changes authored before `since` are left out."""
    slips: list[Slip] = field(default_factory=list)
    """Actions still in the plan whose due date moved, most moves first."""
    language: str | None = None
    """The language the plan's newest version names (reports on it speak it)."""

    @property
    def newest_first(self) -> list[Change]:
        return list(reversed(self.changes))

    @property
    def invalid(self) -> list[Change]:
        return [c for c in self.changes if c.kind == "invalid"]


# --- fast parsing of many versions ---------------------------------------------------




@dataclass(frozen=True)
class Item:
    """The facts of one action, commitment or stakeholder that history compares."""

    id: str
    label: str
    due: dt.date | None = None
    status: str | None = None
    expectation: int | None = None
    perceived: int | None = None

    @classmethod
    def of(cls, model: BaseModel) -> Item:
        if isinstance(model, Action):
            return cls(model.id, model.title, due=model.due, status=model.status)
        if isinstance(model, Commitment):
            return cls(
                model.id, model.promise, due=model.due, expectation=model.expectation,
                perceived=model.perceived,
            )
        if isinstance(model, Stakeholder):
            return cls(model.id, model.name)
        raise TypeError(f"history does not compare {type(model).__name__}")

    def to_json(self) -> list[Any]:
        due = self.due.isoformat() if self.due else None
        return [self.id, self.label, due, self.status, self.expectation, self.perceived]

    @classmethod
    def from_json(cls, row: list[Any]) -> Item:
        due = dt.date.fromisoformat(row[2]) if row[2] else None
        return cls(row[0], row[1], due, row[3], row[4], row[5])


@dataclass(frozen=True)
class Version:
    """What one version of the file says on its own, before comparing it with others.

    `sections[name]` is None when the section cannot be read (not a list, or the file
    does not parse at all); `unreadable[name]` holds the ids of items present but not
    valid on their own.
    """

    valid: bool
    message: str
    sections: dict[str, dict[str, Item] | None]
    unreadable: dict[str, frozenset[str]]
    language: str | None = None
    """The plan's `language` in this version, when it names one cxplan ships."""
    said: Text | None = None
    """`message` as a catalogue text (an invalid version's first problem)."""

    def to_json(self, table: dict[Item, int]) -> dict[str, Any]:
        """As JSON, each item by its index in `table` (shared by all versions, as most
        items do not change from one version to the next)."""
        return {
            "valid": self.valid,
            "message": self.message,
            "sections": {
                name: None
                if items is None
                else [table.setdefault(item, len(table)) for item in items.values()]
                for name, items in self.sections.items()
            },
            "unreadable": {name: sorted(ids) for name, ids in self.unreadable.items() if ids},
            "language": self.language,
            "said": self.said.to_json() if self.said is not None else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], table: list[Item]) -> Version:
        sections: dict[str, dict[str, Item] | None] = {}
        for name in SECTIONS:
            rows = data["sections"].get(name)
            if rows is None:
                sections[name] = None
                continue
            items = [table[row] for row in rows]
            sections[name] = {item.id: item for item in items}
        unreadable = {
            name: frozenset(data["unreadable"].get(name, ())) for name in SECTIONS
        }
        language = data.get("language")
        said = data.get("said")
        return cls(
            bool(data["valid"]), str(data["message"]), sections, unreadable,
            language if isinstance(language, str) else None,
            Text.from_json(said) if said is not None else None,
        )

