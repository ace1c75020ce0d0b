"""Comparing states of a plan: the changes from one version to the next, and the
actions whose due date moved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from cxplan.analyse.git import Commit
from cxplan.analyse.history.results import (
    COMMITMENT_FIELDS,
    SECTIONS,
    Change,
    ChangeKind,
    Item,
    Slip,
    Version,
)

_ADDED: dict[str, ChangeKind] = {
    "actions": "action-added",
    "commitments": "commitment-added",
    "stakeholders": "stakeholder-added",
}
_REMOVED: dict[str, ChangeKind] = {
    "actions": "action-removed",
    "commitments": "commitment-removed",
    "stakeholders": "stakeholder-removed",
}


State = dict[str, dict[str, Item]]
"""The items history knows at one point, by section and id."""


def empty_state() -> State:
    return {name: {} for name in SECTIONS}


def state_after(version: Version, before: State) -> State:
    """The items known after `version`: what cannot be read keeps its state before."""
    state: State = {}
    for name in SECTIONS:
        items = version.sections[name]
        if items is None:
            state[name] = before[name]
            continue
        kept = {i: before[name][i] for i in version.unreadable[name] if i in before[name]}
        state[name] = {**items, **kept} if kept else items
    return state


def compare(commit: Commit, before: State, after: State) -> Iterator[Change]:
    for name in SECTIONS:
        old_items, new_items = before[name], after[name]
        if old_items is new_items:
            continue
        for item_id, item in new_items.items():
            previous = old_items.get(item_id)
            if previous is None:
                yield Change(commit, _ADDED[name], item_id, item.label)
            elif previous is not item and previous != item:
                yield from _item_changes(commit, name, previous, item)
        for item_id, item in old_items.items():
            if item_id not in new_items:
                yield Change(commit, _REMOVED[name], item_id, item.label)


def _item_changes(commit: Commit, section: str, old: Item, new: Item) -> Iterator[Change]:
    if section == "actions":
        if old.due != new.due:
            yield Change(commit, "due-moved", new.id, new.label, "due", old.due, new.due)
        if old.status != new.status:
            yield Change(
                commit, "status-changed", new.id, new.label, "status", old.status, new.status
            )
    elif section == "commitments":
        for name in COMMITMENT_FIELDS:
            before, after = getattr(old, name), getattr(new, name)
            if before != after:
                yield Change(
                    commit, "commitment-changed", new.id, new.label, name, before, after
                )


def slips(changes: Sequence[Change], current: State) -> list[Slip]:
    moves: dict[str, list[Change]] = {}
    for change in changes:
        if change.kind == "due-moved":
            moves.setdefault(change.item, []).append(change)
    found = []
    for action_id, moved in moves.items():
        action = current["actions"].get(action_id)
        first = moved[0].old
        if action is None or action.due is None or not isinstance(first, dt.date):
            continue  # no longer in the plan
        found.append(Slip(action_id, action.label, first, action.due, tuple(moved)))
    found.sort(key=lambda s: (-s.move_count, -s.days_slipped, s.action))
    return found


