"""What the customer may see: the customer-safe copy of a plan, decided in one place.

The rule itself is declared next to the model, in `cxplan.model.plan`:

- a field annotated `TEAM_ONLY` is never shown to the customer (today: the whole
  `stakeholders` section, i.e. the power map; `engagement`; action `notes`);
- an item whose model has an `internal` flag (commitments, actions) is left out when
  the flag is true.

This module reads those markers, so a team-only field added to the model later is
handled here without a change (and the leak test, driven by the same markers, covers
it). What it adds is the one thing the markers cannot say: what happens to the
*references* that pointed at a left-out item (`REFERENCES`). They disappear rather
than dangle:

- a list of ids (`actions[].stakeholders`, `actions[].commitments`) loses the id;
- an optional id (`areas[].head`) becomes empty;
- a required id loses its whole item, except `commitments[].to`: a commitment made to
  a stakeholder is readdressed to that stakeholder's area, because the promise itself
  is customer-facing and the area is who the customer sees it was made to. When the
  stakeholder has no area the commitment is left out (there is nobody visible to have
  made it to), and so are the references to it.

Status is the other thing decided here (`shows_alerts`): whether a site marks actions
overdue and commitments broken or at risk, and lists what "needs attention". The team
site always does. A customer edition does only when the team chose so, per plan
(`plan.customer_status`) or for the workspace (the `customer_status` option); the
default is `plain`: the customer reads what was agreed, its dates and its statuses as
the team wrote them, and no red marks the pages draw by themselves (telling an account
that we are late is a conversation, not a side effect of publishing).

Tags follow the markers like any field: `plan.tags` is team-only, `plan.customer_tags`
is what the team marked for the customer.

The site renders whichever plan it is given, so the customer site is made by rendering
`customer_view(plan)`: every page, picture, figure and download is computed from a
plan that no longer holds the team-only data. Free text the team wrote in a visible
field (an action title that names a stakeholder) is the author's responsibility; the
tool cannot know that a name in prose is a secret.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from cxplan import __version__
from cxplan.files import source_digest
from cxplan.load import Source
from cxplan.load_cache import cached_json
from cxplan.model.build import PlanFile
from cxplan.model.plan import (
    TEAM_ONLY,
    Action,
    Area,
    Commitment,
    Contact,
    CustomerStatus,
    CustomerStep,
    Kpi,
    Plan,
    PlanInfo,
    Stakeholder,
    Touch,
)

AUDIENCES = ("team", "customer")
INTERNAL_FLAG = "internal"
DEFAULT_CUSTOMER_STATUS: CustomerStatus = "plain"


@dataclass(frozen=True)
class Reference:
    """A field of `model` that holds the id (or ids) of items of `targets` sections."""

    model: type[BaseModel]
    field: str
    targets: tuple[str, ...]


# Every id-valued field of the format and the sections it points into. A test checks
# this table against the model: an id field missing here fails it.
REFERENCES: tuple[Reference, ...] = (
    Reference(PlanInfo, "owner", ("team",)),
    Reference(Area, "head", ("stakeholders",)),
    Reference(Stakeholder, "area", ("areas",)),
    Reference(Stakeholder, "reports_to", ("stakeholders",)),
    Reference(Stakeholder, "influences", ("stakeholders",)),
    Reference(Stakeholder, "owner", ("team",)),
    Reference(Commitment, "to", ("areas", "stakeholders")),
    Reference(Commitment, "moment", ("moments",)),
    Reference(Commitment, "owner", ("team",)),
    Reference(Action, "owner", ("team",)),
    Reference(Action, "moments", ("moments",)),
    Reference(Action, "areas", ("areas",)),
    Reference(Action, "commitments", ("commitments",)),
    Reference(Action, "stakeholders", ("stakeholders",)),
    Reference(Kpi, "owner", ("team",)),
    Reference(Kpi, "area", ("areas",)),
    Reference(CustomerStep, "owner", ("stakeholders", "contacts")),
    Reference(CustomerStep, "follow_up", ("team",)),
    Reference(CustomerStep, "moments", ("moments",)),
    Reference(CustomerStep, "areas", ("areas",)),
    Reference(CustomerStep, "commitments", ("commitments",)),
    Reference(CustomerStep, "actions", ("actions",)),
    Reference(Touch, "by", ("team",)),
)

# What the customer edition keeps of a stakeholder who owns a customer step it shows:
# the fields of a `Contact` (name and job title), and nothing else of the power map.
CONTACT_FIELDS = tuple(name for name in Contact.model_fields if name != "id")


# --- reading the markers -----------------------------------------------------------


def _model_types(annotation: Any) -> Iterator[type[BaseModel]]:
    """The pydantic models inside an annotation (through lists, unions, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    origin = typing.get_origin(annotation)
    if origin is None and not isinstance(annotation, types.UnionType):
        return
    for arg in typing.get_args(annotation):
        yield from _model_types(arg)


def models(root: type[BaseModel] = Plan) -> list[type[BaseModel]]:
    """Every model of the format reachable from `root`, root first."""
    found: list[type[BaseModel]] = [root]
    for model in found:
        for info in model.model_fields.values():
            for child in _model_types(info.annotation):
                if child not in found:
                    found.append(child)
    return found


def is_team_only(info: FieldInfo) -> bool:
    return TEAM_ONLY in info.metadata


def team_only_fields() -> list[tuple[type[BaseModel], str]]:
    """(model, field name) of every field marked `TEAM_ONLY`, in model order."""
    return [
        (model, name)
        for model in models()
        for name, info in model.model_fields.items()
        if is_team_only(info)
    ]


def internal_models() -> list[type[BaseModel]]:
    """The models whose items can be marked `internal: true`."""
    return [model for model in models() if INTERNAL_FLAG in model.model_fields]


def team_only_sections() -> list[str]:
    """Top-level sections that are team-only as a whole (their every id is left out)."""
    return [name for model, name in team_only_fields() if model is Plan]


def is_internal(item: object) -> bool:
    return isinstance(item, BaseModel) and getattr(item, INTERNAL_FLAG, False) is True


# --- the customer view -------------------------------------------------------------


@functools.cache
def _fields_to_strip(model: type[BaseModel]) -> tuple[tuple[str, FieldInfo, bool], ...]:
    """(name, field, team-only) of the fields of `model` that can hold anything to
    strip: team-only fields, and fields holding models (which may be internal items or
    hold team-only fields). A field of plain values (text, numbers, dates) cannot: a
    plan's walk then visits a few hundred values instead of thousands."""
    return tuple(
        (name, info, is_team_only(info))
        for name, info in model.model_fields.items()
        if is_team_only(info) or info.annotation is Any
        or next(_model_types(info.annotation), None) is not None
    )


def _strip(value: Any) -> Any:
    """`value` without team-only fields and internal items, at any depth."""
    if isinstance(value, BaseModel):
        update: dict[str, Any] = {}
        for name, info, team_only in _fields_to_strip(type(value)):
            current = getattr(value, name)
            if team_only:
                default = info.get_default(call_default_factory=True)
                if current != default:
                    update[name] = default
                continue
            stripped = _strip(current)
            if stripped is not current:
                update[name] = stripped
        return value.model_copy(update=update) if update else value
    if isinstance(value, list):
        kept = [_strip(item) for item in value if not is_internal(item)]
        unchanged = len(kept) == len(value) and all(
            a is b for a, b in zip(kept, value, strict=True)
        )
        return value if unchanged else kept
    if isinstance(value, dict):
        stripped_dict = {key: _strip(item) for key, item in value.items()}
        unchanged = all(stripped_dict[key] is value[key] for key in value)
        return value if unchanged else stripped_dict
    return value


@functools.cache
def _sections() -> tuple[str, ...]:
    """The top-level sections of items with ids (the ones references point into)."""
    return tuple(
        name
        for name, info in Plan.model_fields.items()
        if typing.get_origin(info.annotation) is list
        and any("id" in model.model_fields for model in _model_types(info.annotation))
    )


def _ids(plan: Plan, section: str) -> set[str]:
    return {item.id for item in getattr(plan, section)}


@functools.cache
def _is_list(model: type[BaseModel], name: str) -> bool:
    return typing.get_origin(model.model_fields[name].annotation) is list


def _readdress(view: Plan, full: Plan, removed: dict[str, set[str]]) -> Plan:
    """Commitments made to a left-out stakeholder go to that stakeholder's area."""
    area_of = {s.id: s.area for s in full.stakeholders}
    area_ids = _ids(view, "areas")
    commitments = []
    for commitment in view.commitments:
        if commitment.to in removed["stakeholders"] and commitment.to not in area_ids:
            area = area_of.get(commitment.to)
            if area is None:
                continue  # nobody visible received it: the whole commitment goes
            commitment = commitment.model_copy(update={"to": area})
        commitments.append(commitment)
    return view.model_copy(update={"commitments": commitments})


def _without_reference(
    item: BaseModel, refs: list[tuple[Reference, frozenset[str]]]
) -> BaseModel | None:
    """`item` without references to left-out ids (each reference with the ids of its
    targets that are gone); None when a required one dangles."""
    update: dict[str, Any] = {}
    for ref, gone in refs:
        current = getattr(item, ref.field)
        if current is None:
            continue
        if _is_list(ref.model, ref.field):
            kept = [value for value in current if value not in gone]
            if len(kept) != len(current):
                update[ref.field] = kept
        elif current in gone:
            if ref.model.model_fields[ref.field].is_required():
                return None
            update[ref.field] = None
    return item.model_copy(update=update) if update else item


def _drop_references(view: Plan, removed: dict[str, set[str]]) -> Plan:
    """Remove every reference to a left-out id (see the module docstring)."""
    visible = {section: _ids(view, section) for section in _sections()}
    # An id is left out when it was removed from a target section and is not still
    # visible in another one (`to` may name an area or a stakeholder). Worked out once
    # per reference; the items of a model none of whose references can point at a
    # left-out id are kept as they are without a look (most of them, in most plans).
    refs_of: dict[type[BaseModel], list[tuple[Reference, frozenset[str]]]] = {}
    for ref in REFERENCES:
        gone = frozenset().union(*(removed.get(s, ()) for s in ref.targets)).difference(
            *(visible.get(s, ()) for s in ref.targets))
        if gone:
            refs_of.setdefault(ref.model, []).append((ref, gone))
    if not refs_of:
        return view
    update: dict[str, Any] = {}
    for name in Plan.model_fields:
        value = getattr(view, name)
        items = value if isinstance(value, list) else [value]
        kept: list[Any] = []
        for item in items:
            if isinstance(item, BaseModel) and type(item) in refs_of:
                item = _without_reference(item, refs_of[type(item)])
                if item is None:
                    continue
            kept.append(item)
        if len(kept) != len(items) or any(a is not b for a, b in zip(kept, items, strict=False)):
            update[name] = kept if isinstance(value, list) else kept[0]
    return view.model_copy(update=update) if update else view


def customer_view(plan: Plan) -> Plan:
    """The customer-safe copy of `plan`: no team-only field, no internal item, and no
    reference to anything left out. The result is a valid plan (every reference
    resolves), so the site and the analyses can use it like any other."""
    view: Plan = _strip(plan)
    removed = {section: _ids(plan, section) - _ids(view, section) for section in _sections()}
    view = _readdress(view, plan, removed)
    view = _with_step_contacts(view, plan)
    # Dropping an item orphans the references to it: repeat until a round drops nothing
    # (two rounds at most today: only commitments can be dropped, and only actions
    # point at them).
    while True:
        for section in _sections():
            removed[section] = _ids(plan, section) - _ids(view, section)
        before = {section: _ids(view, section) for section in _sections()}
        view = _drop_references(view, removed)
        if before == {section: _ids(view, section) for section in _sections()}:
            return view


def customer_plan_file(plan_file: PlanFile) -> PlanFile:
    """The plan file the customer site renders.

    The source is emptied too: it holds the raw YAML text and values (internal notes
    included), and its positions index the original lists, which no longer match.
    """
    return PlanFile(
        id=plan_file.id,
        plan=customer_view(plan_file.plan),
        source=Source(path=plan_file.source.path, text=""),
    )


def _with_step_contacts(view: Plan, full: Plan) -> Plan:
    """The stakeholders who own a customer step the customer sees, as `contacts`.

    This is all the customer edition holds of the power map: the person who owns the
    step, by name and job title (`CONTACT_FIELDS`), as the customer knows them. Their
    steps then resolve to a contact, so the view stays a valid plan."""
    people = {s.id: s for s in full.stakeholders}
    known = {c.id for c in view.contacts}
    added: list[Contact] = []
    for step in view.customer_steps:
        person = people.get(step.owner)
        if person is None or step.owner in known:
            continue
        known.add(step.owner)
        added.append(Contact(id=person.id, **{f: getattr(person, f) for f in CONTACT_FIELDS}))
    if not added:
        return view
    return view.model_copy(update={"contacts": [*view.contacts, *added]})


def for_audience(plan_file: PlanFile, audience: str) -> PlanFile:
    """`plan_file` as `audience` ("team" or "customer") may see it."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}; expected one of {AUDIENCES}")
    return plan_file if audience == "team" else customer_plan_file(plan_file)


def shows_alerts(
    plan: Plan, audience: str, workspace: CustomerStatus = DEFAULT_CUSTOMER_STATUS
) -> bool:
    """Whether `audience`'s site of `plan` marks overdue and broken items and lists what
    needs attention: always for the team; for the customer as the plan says, else as the
    workspace says (see the module docstring for the default)."""
    if audience == "team":
        return True
    return (plan.plan.customer_status or workspace) == "flagged"


@dataclass(frozen=True)
class LeftOut:
    """What the customer edition of a plan leaves out: the team site badges these."""

    ids: dict[str, frozenset[str]] = field(default_factory=dict)
    """Section (`actions`, `commitments`, `stakeholders`...) -> ids of its items that
    the customer edition does not have."""
    tags: frozenset[str] = frozenset()
    """The plan's tags the customer does not see (`tags` not also in `customer_tags`)."""

    def has(self, section: str, item_id: str) -> bool:
        return item_id in self.ids.get(section, ())


def left_out(plan: Plan) -> LeftOut:
    """What `customer_view(plan)` leaves out, item by item: computed from the customer
    view itself, so the badges can never disagree with what the customer gets."""
    view = customer_view(plan)
    return LeftOut(
        ids={s: frozenset(_ids(plan, s) - _ids(view, s)) for s in _sections()},
        tags=frozenset(set(plan.plan.tags) - set(view.plan.tags) - set(view.plan.customer_tags)),
    )


LEFT_OUT_KIND = "left-out/1"


def kept_left_out(plan_file: PlanFile) -> LeftOut:
    """`left_out(plan_file.plan)`, kept between runs for the same text of the plan
    (with the cache of parsed plans): the portfolio's board and people pages badge the
    items of every plan, and working out what 100 plans' customer editions leave out
    took a one-plan rebuild 0.15 s. It depends on the plan and on this module's and
    the model's code alone, which are in the key."""
    key = "\0".join([_left_out_code(), plan_file.digest]).encode()
    made: list[LeftOut] = []

    def make() -> dict[str, Any]:
        made.append(left_out(plan_file.plan))
        return {"ids": {s: sorted(ids) for s, ids in made[0].ids.items()},
                "tags": sorted(made[0].tags)}

    kept = cached_json(LEFT_OUT_KIND, str(Path(plan_file.path).absolute()), key, make,
                       _is_left_out)
    if made:
        return made[0]
    return LeftOut(ids={s: frozenset(ids) for s, ids in kept["ids"].items()},
                   tags=frozenset(kept["tags"]))


@functools.cache
def _left_out_code() -> str:
    return source_digest(("cxplan.model.plan", __name__), __version__)


def _is_left_out(kept: Any) -> bool:
    def texts(value: Any) -> bool:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)

    return (isinstance(kept, dict) and set(kept) == {"ids", "tags"}
            and isinstance(kept["ids"], dict) and all(texts(v) for v in kept["ids"].values())
            and texts(kept["tags"]))
