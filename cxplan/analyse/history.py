"""What changed in a plan, and who changed it: read from the plan file's git history.

A plan kept in git has its whole history for free. This module reads the committed
versions of one plan file with the real `git` (a subprocess, never the network) and
tells, for every commit, what changed that a team cares about: due dates that moved,
status changes, commitments added, changed or removed, stakeholders added or removed,
actions added or removed, and versions that did not validate.

How it reads the versions, and why (speed: see benchmarks/history.py):

- git is asked twice, whatever the number of commits and plans of a repository (one
  `git log`, one `git cat-file`: `cxplan.analyse.git`). Each commit is compared with
  *its own* parent version, so work merged from a branch is credited to the commit
  that made it, and two branches never look like they undo each other; merge commits
  are skipped (a conflict resolution made in a merge is therefore not reported);
- versions are parsed with the project's loader (`cxplan.load.parse`), section by
  section and item by item, with a cache keyed by the text of each piece: consecutive
  versions share almost all of their text, so each version costs the parse of the few
  items that changed. A file whose layout the splitter does not recognise is parsed
  whole (same result, slower);
- what a version says depends only on its content, so it is kept by blob id, in memory
  (a site being served) and in a small cache file inside the git directory
  (`<git-dir>/cxplan/history/<plan-id>.json`), tagged with a digest of the code that
  reads it: a second run reads no blob at all.

Validation is lenient, item by item: a version that fails validation is reported as
invalid (which commit, and its first problem), and every item of it that is valid on
its own is still compared; an item that is not keeps its last valid state, so a broken
intermediate version never shows up as "everything removed, then re-added".

The result is typed (dataclasses) so the site, the CLI and the method rules share it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args, get_origin

from annotated_types import MinLen
from pydantic import BaseModel, ValidationError

from cxplan import __version__
from cxplan.analyse.git import (
    NO_BLOB,
    Commit,
    GitError,
    PlanLog,
    Prefetch,
    Repository,
    by_repository,
    read_blobs,
    read_logs,
)
from cxplan.load import MAX_BYTES, LoadError, Source, decode, parse
from cxplan.model.build import build_plan
from cxplan.model.checks import check_plan_data
from cxplan.model.plan import PLAN_ID_PATTERN, Action, Audience, Commitment, Plan, Stakeholder

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


# --- the result ----------------------------------------------------------------------


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

    @property
    def newest_first(self) -> list[Change]:
        return list(reversed(self.changes))

    @property
    def invalid(self) -> list[Change]:
        return [c for c in self.changes if c.kind == "invalid"]


# --- fast parsing of many versions ---------------------------------------------------

# The splitter reads the text with a newline put in front, so that every line starts
# after a "\n": patterns that begin with that literal are searched for quickly, where a
# multi-line `^` is tried at every character.
#
# Lines at column 0 that are not blank, a comment or an item of a list: top-level keys,
# or something the splitter leaves to the loader (document markers `---` and `...`
# among them: several documents are the loader's to judge).
_COLUMN_ZERO = re.compile(r"\n(?:[^ #\-\r\n]|-(?! |\r?$))", re.MULTILINE)
# A top-level key of a block mapping: `actions:` or `title: value`.
_TOP_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?=\s|$)", re.MULTILINE)
# The first line with content (not blank, not a comment).
_FIRST_CONTENT = re.compile(r"\n( *)([^ #\r\n])")
_FAILED = object()
_NO_ITEMS: list[Any] = []
_T = TypeVar("_T")


def _field_shapes() -> dict[str, tuple[type[BaseModel], bool, int, bool]] | None:
    """How each top-level field of the plan validates: (the model of its value or of
    its items, a list of them, at least how many items, None allowed). None when the
    plan model has a validator of its own, takes unknown keys, or has a field of another
    type, another constraint or an alias: then versions are validated by `build_plan`."""
    decorators = Plan.__pydantic_decorators__
    if decorators.model_validators or decorators.field_validators:
        return None
    if Plan.model_config.get("extra") != "forbid":
        return None
    shapes = {}
    for name, info in Plan.model_fields.items():
        if info.alias is not None or info.validation_alias is not None:
            return None
        least = 0
        for mark in info.metadata:
            if isinstance(mark, MinLen):
                least = mark.min_length
            elif not isinstance(mark, Audience):  # a marker pydantic ignores
                return None
        args = [a for a in get_args(info.annotation) if a is not type(None)]
        nullable = len(args) < len(get_args(info.annotation))
        many = get_origin(info.annotation) is list
        model = args[0] if (many or nullable) and len(args) == 1 else info.annotation
        if get_origin(model) is not None or not isinstance(model, type):
            return None
        if not issubclass(model, BaseModel) or (many and nullable):
            return None
        shapes[name] = (model, many, least, nullable)
    return shapes


_FIELD_SHAPES = _field_shapes()


class VersionParser:
    """Parses many versions of one plan, re-parsing only the pieces that changed.

    A block-style plan splits into top-level sections at column-0 keys, and a list
    section into items at its dash column. Each piece (the exact text, indentation
    kept) is parsed alone by the project's loader and cached by its text, so an
    unchanged item is one dictionary look-up. Anything unusual (document markers,
    directives, flow style at the top, a tab, a line less indented than the items, a
    piece that does not parse cleanly or repeats a key) sends the whole version
    through `cxplan.load.parse` instead, so the values are always what the loader
    reads from the file.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._pieces: dict[str, Any] = {}
        self._known: dict[tuple[object, int], tuple[Any, Any]] = {}
        self._item_patterns: dict[int, tuple[re.Pattern[str], re.Pattern[str]]] = {}

    def data(self, text: str) -> Any:
        """The values of `text` as the loader reads them, or None when it cannot."""
        fast = self.split(text)
        if fast is not None:
            return fast
        source, problems = parse(self.path, text)
        return None if problems else source.data

    def split(self, text: str) -> dict[str, Any] | None:
        """The values of `text` read piece by piece, or None when the layout is not one
        the splitter knows (then `data` parses the whole text)."""
        return self._split("\n" + text)

    def _piece(self, text: str) -> Any:
        value = self._pieces.get(text)
        if value is None:
            source, problems = parse(self.path, text)
            value = _FAILED if problems or source.data is None else source.data
            self._pieces[text] = value
        return value

    def _split(self, text: str) -> dict[str, Any] | None:
        starts: list[tuple[int, int, str]] = []  # (start, end of the key, key)
        for line in _COLUMN_ZERO.finditer(text):
            found = _TOP_KEY.match(text, line.start() + 1)
            if found is None:
                return None  # a directive, flow style, a tab...
            starts.append((line.start() + 1, found.end(), found.group(1)))
        if not starts or _FIRST_CONTENT.search(text, 0, starts[0][0]):
            return None  # empty, or content before the first key
        result: dict[str, Any] = {}
        for index, (start, key_end, name) in enumerate(starts):
            end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
            if name in result:
                return None  # a duplicate key: the loader reports it
            value = self._section(name, text, start, key_end, end)
            if value is _FAILED:
                return None
            result[name] = value
        return result

    def _section(self, key: str, text: str, start: int, key_end: int, end: int) -> Any:
        whole = text[start:end]
        known = self._pieces.get(whole)
        if known is not None:
            return known
        line_end = text.find("\n", key_end, end)
        line_end = end if line_end < 0 else line_end
        rest = text[key_end:line_end].strip()
        value: Any = None
        if not rest or rest.startswith("#"):  # a block value follows: maybe a list
            value = self._list(text, line_end, end)
        if value is None:
            parsed = self._piece(whole)
            if parsed is _FAILED or not isinstance(parsed, dict) or list(parsed) != [key]:
                return _FAILED
            value = parsed[key]
        # The same section text gives the same object: unchanged items stay identical.
        self._pieces[whole] = value
        return value

    def _patterns(self, column: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
        """(a line that breaks the item layout, an item's first line) at `column`."""
        patterns = self._item_patterns.get(column)
        if patterns is None:
            less = f" {{0,{column - 1}}}[^ #\\r\\n]|" if column else ""
            broken = re.compile(
                f"\\n(?:{less} {{{column}}}(?!- |-\\r?$)[^ #\\r\\n])", re.MULTILINE
            )
            item = re.compile(f"\\n {{{column}}}-(?= |\\r?$)", re.MULTILINE)
            patterns = self._item_patterns[column] = (broken, item)
        return patterns

    def _list(self, text: str, start: int, end: int) -> list[Any] | None:
        """A block sequence split into items, each parsed alone; None when it is not one.

        Every content line must be indented at least as much as the dashes, and a line
        at the dashes' column must start an item; comments may sit anywhere.
        """
        first = _FIRST_CONTENT.search(text, start, end)
        if first is None or first.group(2) != "-":
            return None
        column = len(first.group(1))
        broken, item = self._patterns(column)
        bounds = [m.start() + 1 for m in item.finditer(text, start, end)] + [end]
        items = []
        for item_start, item_end in itertools.pairwise(bounds):
            piece = text[item_start:item_end]
            value = self._pieces.get(piece)
            if value is None:  # a new item: its lines checked (a known one passed)
                if broken.search(text, item_start - 1, item_end):
                    return None
                value = self._piece(piece)
            if value is _FAILED or not isinstance(value, list) or len(value) != 1:
                return None
            items.append(value[0])
        return items

    def valid(self, source: Source, plan_id: str) -> bool:
        """Whether `build_plan` finds no problem in `source`, reusing what is known.

        `build_plan` is the plan-id check, `Plan.model_validate` and the reference and
        format checks. The model is validated here field by field instead, each item
        once per distinct value (an unchanged item is the same object, see `_piece`):
        the same verdict, as long as the plan model is only lists of models and models
        (`_field_shapes`). The checks run on every version: they read across sections.
        """
        if _FIELD_SHAPES is None:
            _plan, problems = build_plan(source, plan_id)
            return not problems
        data = source.data
        if not re.match(PLAN_ID_PATTERN, plan_id) or not isinstance(data, dict):
            return False
        if not data.keys() <= _FIELD_SHAPES.keys():
            return False
        for name, shape in _FIELD_SHAPES.items():
            if name not in data:
                if Plan.model_fields[name].is_required():
                    return False
            elif not self._once(name, data[name], self._field_valid, shape):
                return False
        return not check_plan_data(data, source)

    def _field_valid(self, shape: tuple[type[BaseModel], bool, int, bool], value: Any) -> bool:
        model, many, least, nullable = shape
        if many:
            return (
                isinstance(value, list) and len(value) >= least
                and all(self.model(model, raw) for raw in value)
            )
        return (nullable and value is None) or self.model(model, value) is not None

    def model(self, model: type[BaseModel], raw: Any) -> BaseModel | None:
        """`raw` validated by `model`, or None when it is not valid."""
        return self._once(model, raw, _validated, model)

    def items(self, section: str, raw_items: Any) -> tuple[dict[str, Item], frozenset[str]] | None:
        """The items of a section that are valid on their own, by id, and the ids of
        those that are not; None when the section is not a list."""
        return self._once(("items", section), raw_items, self._read_items, section)

    def _read_items(
        self, section: str, raw_items: Any
    ) -> tuple[dict[str, Item], frozenset[str]] | None:
        if not isinstance(raw_items, list):
            return None
        items: dict[str, Item] = {}
        unread: set[str] = set()
        for raw in raw_items:
            item_id, item = self._once(section, raw, self._read_item, section)
            if item_id is None or item_id in items or item_id in unread:
                continue
            if item is None:
                unread.add(item_id)
            else:
                items[item_id] = item
        return items, frozenset(unread)

    def _read_item(self, section: str, raw: Any) -> tuple[str | None, Item | None]:
        """(its id, the item when it is valid on its own) for one raw item."""
        item_id = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(item_id, str):
            return None, None
        model = self.model(SECTIONS[section], raw)
        return item_id, None if model is None else Item.of(model)

    def _once(self, kind: object, value: Any, compute: Callable[..., _T], *args: Any) -> _T:
        """`compute(*args, value)`, once per object: parsed pieces are cached objects
        (see `_piece`), so an unchanged item or section costs one look-up."""
        key = (kind, id(value))
        known = self._known.get(key)
        if known is None or known[0] is not value:
            # The entry keeps `value` alive, so its id is not given to another object.
            known = self._known[key] = (value, compute(*args, value))
        result: _T = known[1]
        return result


def _validated(model: type[BaseModel], raw: Any) -> BaseModel | None:
    try:
        return model.model_validate(raw)
    except ValidationError:
        return None


# --- what one version says -----------------------------------------------------------


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
        return cls(bool(data["valid"]), str(data["message"]), sections, unreadable)


def _unreadable_version(message: str) -> Version:
    return Version(
        False, message, dict.fromkeys(SECTIONS), {name: frozenset() for name in SECTIONS}
    )


def _first_problem(path: str, text: str, plan_id: str) -> str:
    """The first problem of an invalid version, positioned as `cxplan validate` does."""
    source, problems = parse(path, text)
    if not problems:
        _plan, problems = build_plan(source, plan_id)
    if not problems:
        return "invalid"
    first = min(problems)
    return f"line {first.line}: {first.message}"


def read_version(raw: bytes, parser: VersionParser, plan_id: str) -> Version:
    """What one version of the plan file says (its bytes as committed)."""
    path = parser.path
    try:
        if len(raw) > MAX_BYTES:
            raise LoadError("CX103", "the file is larger than 1 MiB", (1, 1))
        text = decode(raw)
    except LoadError as exc:
        return _unreadable_version(f"line {exc.position[0]}: {exc.message}")
    data = parser.data(text)
    if not isinstance(data, dict):
        return _unreadable_version(_first_problem(path, text, plan_id))
    sections: dict[str, dict[str, Item] | None] = {}
    unreadable: dict[str, frozenset[str]] = {}
    for name in SECTIONS:
        known = parser.items(name, data.get(name, _NO_ITEMS))
        sections[name], unreadable[name] = known or (None, frozenset())
    valid = parser.valid(Source(path=path, text=text, data=data), plan_id)
    message = "" if valid else _first_problem(path, text, plan_id)
    return Version(valid, message, sections, unreadable)


# --- the cache of versions -----------------------------------------------------------

_CACHE_FORMAT = 1
_MEMORY: dict[tuple[str, str], Version] = {}
"""(cache key, blob id) -> version, for a process that reads history again (serve)."""


def _code_digest() -> str:
    """A digest of the code that decides what a version says: a change to any of it
    (a new check, a new field) makes every cached version stale."""
    digest = hashlib.sha1(f"{__version__}/{_CACHE_FORMAT}".encode())
    for name in (
        "cxplan.load", "cxplan.model.plan", "cxplan.model.build", "cxplan.model.checks",
        "cxplan.model.messages", __name__,
    ):
        module = sys.modules.get(name)
        source = getattr(module, "__file__", None)
        if source:
            try:
                digest.update(Path(source).read_bytes())
            except OSError:
                digest.update(name.encode())
    return digest.hexdigest()


class VersionCache:
    """Versions by blob id, for one plan, in memory and in the git directory."""

    def __init__(self, repo: Repository | None, plan_id: str, *, persist: bool) -> None:
        self.key = f"{_code_digest()}/{plan_id}"
        self.file = repo.cache_file(plan_id) if repo else None
        self.persist = persist and self.file is not None
        self.versions: dict[str, Version] = {}
        self.dirty = False
        if self.persist:
            self._load()

    def _load(self) -> None:
        assert self.file is not None
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if data.get("key") != self.key:
                return
            table = [Item.from_json(row) for row in data["items"]]
            self.versions = {
                sha: Version.from_json(version, table)
                for sha, version in data["versions"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            self.versions = {}  # unreadable or from another version: start again

    def get(self, sha: str) -> Version | None:
        version = self.versions.get(sha)
        if version is None:
            version = _MEMORY.get((self.key, sha))
            if version is not None and self.persist:
                self.versions[sha] = version  # known here, not yet in the file
                self.dirty = True
        return version

    def put(self, sha: str, version: Version) -> None:
        self.versions[sha] = version
        _MEMORY[(self.key, sha)] = version
        self.dirty = True

    def save(self, keep: set[str]) -> None:
        """Write the versions still in the history (atomically; failures are ignored:
        a read-only repository only loses the speed-up)."""
        if not (self.persist and self.dirty) or self.file is None:
            return
        table: dict[Item, int] = {}
        versions = {
            sha: version.to_json(table) for sha, version in self.versions.items() if sha in keep
        }
        data = {
            "key": self.key,
            "items": [item.to_json() for item in sorted(table, key=table.__getitem__)],
            "versions": versions,
        }
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=self.file.parent, delete=False, suffix=".tmp"
            ) as out:
                json.dump(data, out, separators=(",", ":"))
            os.replace(out.name, self.file)
        except OSError:
            return


# --- comparing versions --------------------------------------------------------------

State = dict[str, dict[str, Item]]
"""The items history knows at one point, by section and id."""


def _empty_state() -> State:
    return {name: {} for name in SECTIONS}


def _state_after(version: Version, before: State) -> State:
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


def _compare(commit: Commit, before: State, after: State) -> Iterator[Change]:
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


def _slips(changes: Sequence[Change], current: State) -> list[Slip]:
    moves: dict[str, list[Change]] = {}
    for change in changes:
        if change.kind == "due-moved":
            moves.setdefault(change.item, []).append(change)
    slips = []
    for action_id, moved in moves.items():
        action = current["actions"].get(action_id)
        first = moved[0].old
        if action is None or action.due is None or not isinstance(first, dt.date):
            continue  # no longer in the plan
        slips.append(Slip(action_id, action.label, first, action.due, tuple(moved)))
    slips.sort(key=lambda s: (-s.move_count, -s.days_slipped, s.action))
    return slips


# --- the history of a plan -----------------------------------------------------------


def plan_history(
    path: Path, *, since: dt.date | None = None, cache: bool = True
) -> PlanHistory:
    """The history of one plan file, from the git repository that holds it.

    Outside git, or for a file never committed, the result says so (`state`,
    `reason`) and holds no change. `since` leaves out changes authored before that
    day; the versions before it are still read, so the first change after it is
    compared with the right state. `cache=False` neither reads nor writes the cache
    file (the in-memory one is always used).
    """
    return plan_histories([path], since=since, cache=cache)[0]


def plan_histories(
    paths: Sequence[Path], *, since: dt.date | None = None, cache: bool = True,
    prefetch: Prefetch | None = None,
) -> list[PlanHistory]:
    """The history of each plan file, in the order given (see `plan_history`).

    Plans of one repository are read together: one `git log` and one `git cat-file`
    for all of them, whatever their number. `prefetch`, started earlier for the same
    paths, hands over what git read meanwhile.
    """
    if prefetch is not None and prefetch.paths == list(paths):
        logs, fetched = prefetch.result()
    else:
        logs, fetched = read_logs(paths), {}
    found: dict[int, PlanHistory] = {}
    for repo, plan_logs in by_repository(logs):
        caches = [VersionCache(repo, log.path.stem, persist=cache) for log in plan_logs]
        wanted = [log.versions() for log in plan_logs]
        missing = {
            sha for versions, shas in zip(caches, wanted, strict=True) for sha in shas
            if sha not in fetched and versions.get(sha) is None
        }
        blobs = {**fetched, **read_blobs(repo, sorted(missing))}
        for log, versions, shas in zip(plan_logs, caches, wanted, strict=True):
            parser = VersionParser(log.relpath)
            for sha in shas:
                if sha in blobs and versions.get(sha) is None:
                    versions.put(sha, read_version(blobs[sha], parser, log.path.stem))
            versions.save(set(shas))
            found[id(log)] = _history(log, repo, versions, since)
    return [
        found.get(id(log)) or PlanHistory(log.path.stem, str(log.path), "no-git", log.reason)
        for log in logs
    ]


def _history(
    log: PlanLog, repo: Repository, versions: VersionCache, since: dt.date | None
) -> PlanHistory:
    """The changes of one plan, its versions read: each commit against its parent."""
    steps = log.steps
    history = PlanHistory(log.path.stem, str(log.path), "ok", shallow=repo.shallow, since=since)
    if not steps:
        history.state = "not-committed"
        history.reason = "the plan has never been committed: no history yet"
        return history
    states: dict[str, State] = {NO_BLOB: _empty_state()}
    changes: list[Change] = []
    current = _empty_state()
    for step in steps:
        before = states.get(step.old)
        if before is None:  # a version made by a merge: read on its own
            before = _state(step.old, _empty_state(), versions, states)
        if step.new == NO_BLOB:
            changes.append(Change(step.commit, "deleted"))
            current = states[NO_BLOB]
            continue
        after = _state(step.new, before, versions, states)
        if step.old == NO_BLOB:
            cut = repo.shallow and step.commit.sha in repo.boundary
            changes.append(Change(step.commit, "first-seen" if cut else "created"))
        else:
            changes.extend(_compare(step.commit, before, after))
        version = versions.get(step.new)
        if version is not None and not version.valid:
            changes.append(Change(step.commit, "invalid", message=version.message))
        current = after
    history.commits = len({step.commit.sha for step in steps})
    history.oldest = steps[0].commit
    if since is not None:
        changes = [c for c in changes if c.commit.day >= since]
    history.changes = changes
    history.slips = _slips(changes, current)
    return history


def _state(
    sha: str, before: State, versions: VersionCache, states: dict[str, State]
) -> State:
    state = states.get(sha)
    if state is None:
        version = versions.get(sha)
        state = before if version is None else _state_after(version, before)
        states[sha] = state
    return state


class HistoryBook:
    """The histories of a set of plans, read when first asked for.

    Given the paths of every plan checked together, the first question reads them all
    at once (one `git log` per repository); a plan it was not given is read alone.
    Reading never raises: a git failure reads as "no history" with its reason.
    """

    def __init__(self, paths: Sequence[str | Path] = ()) -> None:
        self._paths = [Path(p) for p in paths]
        self._read: dict[Path, PlanHistory] = {}

    def of(self, path: str | Path) -> PlanHistory:
        wanted = Path(path)
        if wanted not in self._read:
            batch = self._paths if wanted in self._paths and not self._read else [wanted]
            try:
                histories = plan_histories(batch)
            except (GitError, OSError, subprocess.SubprocessError) as exc:
                reason = f"git failed: {exc}"
                histories = [PlanHistory(p.stem, str(p), "no-git", reason) for p in batch]
            self._read.update(zip(batch, histories, strict=True))
        return self._read[wanted]


def due_moves(history: PlanHistory) -> dict[str, int]:
    """How many times the due date of each action still in the plan moved."""
    return {slip.action: slip.move_count for slip in history.slips}
