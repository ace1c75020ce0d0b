"""What every method rule is made of, and what its `check()` yields.

A rule is a small module (yamllint style) in this package exporting `CODE`, `NAME`,
`SEVERITY`, optionally `PAGE`, and a `check(plan_file, context)` generator; its
module docstring is its user documentation, written in four parts (what it checks,
`Why:`, `Fix:`, `Example:`) that the generated docs page shows as they are. Its title
(`rule.<CODE>`), its general advice (`rule.<CODE>.hint`) and the texts of its findings
(`rules.<CODE>.message`, `rules.<CODE>.hint`) are catalogue entries (`cxplan.i18n`).

`check()` yields `Hit`s: the keys of its message and hint templates
(`cxplan.rules.wording`) and the facts that fill them (the ids, dates, numbers and names
involved), the item the finding is about (for the site's link and for inline ignore
comments) and the value to point at. A rule writes no prose itself: `validate` prints
the workspace's language, the site shows the plan's language, from the same facts. A finding
about one item is made with `item_hit` (position and link from the item's id). Turning
hits into `Diagnostic`s (severity, settings, ignores) happens in one place,
`cxplan.rules.run`.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
import textwrap
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import ModuleType

from cxplan import i18n
from cxplan.analyse.history import HistoryBook
from cxplan.analyse.moves import Move
from cxplan.config import WorkspaceConfig
from cxplan.diagnostics import Severity
from cxplan.load import Loc
from cxplan.model.build import PlanFile
from cxplan.rules.wording import Fact


@dataclass(frozen=True)
class ItemRef:
    """One item of a plan section, by section name and id (`("actions", "a1")`)."""

    section: str
    id: str


@dataclass(frozen=True)
class Hit:
    """One finding as a rule reports it, before settings and ignores apply.

    `message` and `hint` are template keys (`rules.CX503.message`); an empty `hint`
    means the rule's own `rules.<CODE>.hint`. `facts` fill both templates. `item` is
    None for a finding about the plan as a whole. `loc` is the value the position points
    at; `key=True` points at the key instead (for a whole section, e.g. `actions:`).
    """

    message: str
    loc: Loc
    facts: Mapping[str, Fact] = field(default_factory=dict)
    item: ItemRef | None = None
    key: bool = False
    hint: str = ""


@dataclass(frozen=True)
class Context:
    """What a rule may need besides the plan: settings, the as-of date and the portfolio.

    `open_actions` counts each person's open actions over every plan being checked
    together (one person can be overloaded by several plans at once); a plan checked
    alone counts only its own.
    """

    config: WorkspaceConfig
    as_of: dt.date
    open_actions: Mapping[str, int] = field(default_factory=dict)
    plans_by_person: Mapping[str, int] = field(default_factory=dict)
    history: HistoryBook = field(default_factory=HistoryBook)
    """The plans' git history, read when a rule first asks for it (CX522)."""
    moves: tuple[Move, ...] = ()
    """People gone from one plan of the portfolio and seen in another (CX532)."""


Check = Callable[[PlanFile, Context], Iterator[Hit]]

_SECTION_LINE = re.compile(r"^(Why|Fix|Example):[ \t]*", re.MULTILINE)


@dataclass(frozen=True)
class RuleDoc:
    """A rule's documentation, split into the four parts the docs page shows."""

    what: str
    why: str
    fix: str
    example: str
    """A YAML snippet (plain text, no fence) showing the mistake, with a comment."""


def parse_doc(doc: str) -> RuleDoc:
    """Split a rule docstring into what / why / fix / example.

    The first block (before `Why:`) says what the rule checks; `Example:` is followed by
    an indented YAML snippet. A missing part is an empty string (a test rejects that).
    """
    text = inspect.cleandoc(doc)
    parts = _SECTION_LINE.split(text)
    sections = {"What": parts[0]}
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        sections[name] = body
    example = textwrap.dedent(sections.get("Example", "").strip("\n")).rstrip()
    return RuleDoc(
        what=_paragraphs(sections["What"]),
        why=_paragraphs(sections.get("Why", "")),
        fix=_paragraphs(sections.get("Fix", "")),
        example=example,
    )


def _paragraphs(text: str) -> str:
    """Re-flow wrapped docstring lines into paragraphs separated by a blank line."""
    paragraphs = [" ".join(block.split()) for block in re.split(r"\n\s*\n", text.strip())]
    joined = "\n\n".join(p for p in paragraphs if p)
    return joined[:1].upper() + joined[1:]


@dataclass(frozen=True)
class Rule:
    """A registered method rule."""

    code: str
    name: str
    severity: Severity
    title: str
    hint: str
    doc: RuleDoc
    check: Check
    page: str = ""
    """The plan page a plan-level finding links to (item findings link to their item)."""

    @classmethod
    def from_module(cls, module: ModuleType) -> Rule:
        code = module.CODE
        return cls(
            code=code,
            name=module.NAME,
            severity=Severity(module.SEVERITY),
            title=i18n.text(i18n.DEFAULT_LANGUAGE, f"rule.{code}"),
            hint=i18n.text(i18n.DEFAULT_LANGUAGE, f"rule.{code}.hint"),
            doc=parse_doc(module.__doc__ or ""),
            check=module.check,
            page=getattr(module, "PAGE", ""),
        )


def item_hit(
    message: str, plan_file: PlanFile, section: str, item_id: str, *keys: str | int,
    facts: Mapping[str, Fact] | None = None, hint: str = "", key: bool = False,
) -> Hit:
    """A finding about one item of a plan section, by id (`"actions", "a-kickoff"`): it
    points at the item's `keys` (its `id` when none are given) and the site links to it.

    The one way a rule reports on an item, so that the position and the link can never
    name two different items.
    """
    ref = ItemRef(section, item_id)
    return Hit(
        message, loc=item_loc(plan_file, ref, *(keys or ("id",))), facts=facts or {},
        item=ref, key=key, hint=hint,
    )


def item_index(plan_file: PlanFile, section: str, item_id: str) -> int:
    for index, item in enumerate(getattr(plan_file.plan, section)):
        if item.id == item_id:
            return int(index)
    raise KeyError(f"{section} has no item {item_id!r}")


def item_loc(plan_file: PlanFile, ref: ItemRef, *keys: str | int) -> Loc:
    """The loc of an item (or of one of its keys) given its id."""
    return (ref.section, item_index(plan_file, ref.section, ref.id), *keys)

