"""Plan format version 1, declared once.

These models are the single source of truth for the plan file: validation, the JSON
Schema printed by `cxplan schema` and the generated format reference all come from
them. Types are strict (a YAML `yes` is never a boolean, a quoted "3" is never a
number); cross-item rules and references are checked in `cxplan.model.build`, where
every finding gets the exact position of the value it concerns.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from cxplan import defaults, i18n
from cxplan.model.field_docs import describe_fields

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
PLAN_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_iso_date(value: Any) -> Any:
    """Turn `YYYY-MM-DD` text into a date, explaining exactly what is wrong otherwise."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError(
            "cx_date", "expected a date written YYYY-MM-DD, got {value}",
            {"value": repr(value), "problem": "type"},
        )
    match = _DATE_RE.match(value)
    if not match:
        raise PydanticCustomError(
            "cx_date", "'{value}' is not a date written YYYY-MM-DD",
            {"value": value, "problem": "format"},
        )
    year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise PydanticCustomError(
            "cx_date", "'{value}' is not a real date ({reason})",
            {"value": value, "reason": str(exc), "problem": "real"},
        ) from None


Date = Annotated[dt.date, BeforeValidator(parse_iso_date)]
Id = Annotated[str, Field(pattern=ID_PATTERN)]
Text = Annotated[str, Field(min_length=1)]
TextOrList = str | list[str]


@dataclass(frozen=True)
class Audience:
    """Field marker: who may read a field. Team-only fields never reach the customer site.

    Together with the `internal` flag of items, these markers are the whole rule of what
    the customer sees; `cxplan.model.audience` reads them (and the leak test is driven
    by them), so a new team-only field needs only the marker here.
    """

    name: Literal["team"]


TEAM_ONLY = Audience("team")


class Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, allow_inf_nan=False
    )


_FIELDS_SETS: dict[frozenset[str], set[str]] = {}
_SHORT_TEXTS: dict[str, str] = {}
SHORT_TEXT = 32
"""Strings up to this long are shared (ids, owners, statuses, areas, dates' words)."""


def share_repeats(value: Any) -> None:
    """Every model in `value` made to share what repeats between models with the others
    in the process: its set of the names of the fields its input gave, and its short
    strings (each id a plan refers to is one new string per mention as YAML reads it).

    pydantic gives each model a set of those names of its own (what `exclude_unset`
    reads); a set of five names or more takes 728 bytes, and those sets were 40% of
    what a typed plan holds in memory; repeated short strings are about 30% of its
    strings (the example plans). Sharing is safe: the models are frozen (nothing adds
    to the set), a copy (`model_copy`) copies the set before adding to it, and a string
    is replaced by an equal one."""
    fields_sets, texts = _FIELDS_SETS, _SHORT_TEXTS
    pending: list[Any] = [value] if isinstance(value, _HOLDERS) else []
    while pending:
        here: Any = pending.pop()
        if isinstance(here, BaseModel):
            names = here.__pydantic_fields_set__
            shared = fields_sets.setdefault(frozenset(names), names)
            if shared is not names:
                object.__setattr__(here, "__pydantic_fields_set__", shared)
            here = here.__dict__
        elif isinstance(here, tuple):  # its strings stay: a tuple cannot be changed
            pending.extend(item for item in here if isinstance(item, _HOLDERS))
            continue
        items = enumerate(here) if isinstance(here, list) else here.items()
        for key, item in items:
            if type(item) is str:
                if len(item) <= SHORT_TEXT:
                    here[key] = texts.setdefault(item, item)
            elif isinstance(item, _HOLDERS):
                pending.append(item)


_HOLDERS = (BaseModel, list, dict, tuple)


Language = Annotated[
    i18n.Language,
    # The languages are the catalogue files present; the schema names no list, so a new
    # language is its catalogue file alone (the model still refuses any other code).
    WithJsonSchema({"type": "string", "pattern": "^[a-z]{2,3}$"}),
]
Involvement = Literal["core", "collaborator", "ambassador"]
Phase = Literal["purchase", "consumption"]
Support = Literal["blocker", "skeptic", "neutral", "supporter", "champion"]
BuyingRole = Literal["economic-buyer", "technical-buyer", "user-buyer", "coach"]
Horizon = Literal["quick-win", "medium-term"]
ActionKind = Literal["process", "people", "brand", "training", "communication", "measurement"]
Status = Literal["todo", "doing", "done", "blocked", "dropped"]
Direction = Literal["up", "down"]
Departure = Literal["left-company", "left-role"]
Channel = Literal["meeting", "visit", "call", "video", "email", "message", "event", "other"]
CustomerStatus = Literal["plain", "flagged"]

SUPPORT_LEVELS: tuple[Support, ...] = ("blocker", "skeptic", "neutral", "supporter", "champion")
STATUSES: tuple[Status, ...] = ("todo", "doing", "done", "blocked", "dropped")
OPEN_STATUSES: frozenset[str] = frozenset({"todo", "doing", "blocked"})


class PlanInfo(Model):
    """The plan as a whole."""

    title: Text
    """Title of the plan, shown on every page."""
    customer: Text
    """The customer account the plan is for."""
    owner: Id
    """Team member (`team[].id`) accountable for the whole plan."""
    start: Date
    """First day of the plan; quick wins are counted from it."""
    end: Date | None = None
    """Last day of the plan; not before `start`."""
    language: Language | None = None
    """Language of generated labels; defaults to the site's language, else English."""
    quick_win_days: int = Field(default=defaults.QUICK_WIN_DAYS, ge=1, le=365)
    """A quick win must be due within this many days of `start`."""
    summary: str | None = None
    """A short description; Markdown allowed."""
    customer_intro: str | None = None
    """An introduction the team writes to the customer, Markdown allowed: the customer
    edition's home page opens with it, above the plan's overview; the team's overview
    shows it too, marked as what the customer reads first. Seen by both audiences.
    Default: the workspace's `customer_intro` file, if the workspace names one; an
    empty text (`""`) leaves that file out for this plan."""
    tags: Annotated[list[str], TEAM_ONLY] = []
    """Free labels for grouping plans in the portfolio; the team's only: the customer
    edition leaves them out (a tag like `churn-risk` is not for the customer)."""
    customer_tags: list[str] = []
    """Tags the customer may see: shown on both sites (on the team site with `tags`)."""
    customer_status: CustomerStatus | None = None
    """What the customer edition shows of status: `plain` (dates and statuses as
    written, no overdue or broken marks, no "needs attention" lists) or `flagged` (the
    marks and lists as on the team site). Default: the workspace's `customer_status`."""
    renewal: Date | None = None
    """The contract's renewal date; rules speak 180 and 90 days before it."""


class Person(Model):
    """A member of our own cross-functional CX team."""

    id: Id
    """The same id in several plans is the same person."""
    name: Text
    department: Text
    """Our internal department (sales, operations, finance...)."""
    involvement: Involvement = "collaborator"
    """Core team, collaborator on their specialty, or ambassador in their department."""
    email: str | None = None


class Area(Model):
    """One of the customer's buyer areas (Procurement, Operations, Sales...)."""

    id: Id
    name: Text
    measured_on: list[str] = []
    """What the area itself is measured on: its objectives and indicators."""
    head: Id | None = None
    """The stakeholder (`stakeholders[].id`) who heads the area."""


class Moment(Model):
    """A moment of the purchase and consumption sequence, listed in order."""

    id: Id
    name: Text
    phase: Phase
    """All purchase moments come before the consumption ones."""
    description: str | None = None
    values: dict[str, TextOrList] = {}
    """What each buyer area (by `areas[].id`) values at this moment."""


class Gone(Model):
    """A stakeholder who left the company or the role: the power map has a gap there."""

    on: Date
    """The day they left (or the day we learnt it)."""
    why: Departure
    """`left-company` or `left-role` (still at the account, in another role)."""
    now: str | None = None
    """Where they are now, when known (e.g. "CIO at Contoso")."""


class Touch(Model):
    """One real contact with a stakeholder: one line of the contact log."""

    on: Date
    """The day of the contact."""
    by: Id
    """Who on our side (`team[].id`)."""
    channel: Channel
    """How: meeting, visit, call, video, email, message, event or other."""
    note: str | None = None
    """One line: what was said or agreed."""


class Stakeholder(Model):
    """A person on the customer's side: one node of the power map."""

    id: Id
    name: Text
    title: str | None = None
    """Job title."""
    area: Id | None = None
    """The buyer area (`areas[].id`) they belong to."""
    influence: int = Field(ge=1, le=5)
    """1 = marginal, 5 = final say."""
    support: Support
    """Their stance towards us."""
    decides: list[str] = []
    """Topics they hold power over (budget, renewal, technical approval...)."""
    reports_to: Id | None = None
    """Their manager (`stakeholders[].id`); reporting lines never form a loop."""
    influences: list[Id] = []
    """Stakeholders they influence informally (directed)."""
    motivations: str | None = None
    """What moves them, often unstated."""
    owner: Id | None = None
    """Our team member (`team[].id`) who owns the relationship."""
    role: BuyingRole | None = None
    """Buying role; a plan should have exactly one economic buyer."""
    last_contact: Date | None = None
    """Last real contact; old dates mark the relationship as going stale. With a
    `contact_log`, the latest of its dates and this one counts."""
    email: str | None = None
    """Their e-mail; with the name, it recognises the same person in another plan."""
    person: Text | None = None
    """An explicit link: the same `person` in two plans is the same human (when the
    name or e-mail differ)."""
    contact_log: list[Touch] = []
    """The contact log, oldest first: date, who on our side, channel, a line of note."""
    gone: Gone | None = None
    """Set when they left the company or the role."""

    @model_validator(mode="before")
    @classmethod
    def _last_contact_from_log(cls, data: Any) -> Any:
        """`last_contact` follows from the contact log: the latest date of the log and
        of `last_contact` itself. A date that does not parse is left for its own field
        to report, with its position."""
        if not isinstance(data, dict) or not isinstance(data.get("contact_log"), list):
            return data
        dates = []
        for value in [data.get("last_contact")] + [
            t.get("on") for t in data["contact_log"] if isinstance(t, dict)
        ]:
            try:
                parsed = parse_iso_date(value) if value is not None else None
            except PydanticCustomError:
                if value is data.get("last_contact"):
                    return data  # its own error is reported where it was written
                continue
            if isinstance(parsed, dt.date):
                dates.append(parsed)
        return {**data, "last_contact": max(dates)} if dates else data


class Commitment(Model):
    """A promise made to the customer, and the expectation it created."""

    id: Id
    promise: Text
    to: Id
    """Who received it: an area id or a stakeholder id."""
    moment: Id | None = None
    """The moment (`moments[].id`) it belongs to."""
    owner: Id
    """Exactly one team member (`team[].id`)."""
    due: Date
    expectation: int = Field(ge=1, le=5)
    """How strongly it is expected, 1 to 5."""
    perceived: int | None = Field(default=None, ge=1, le=5)
    """How it was perceived once measured, 1 to 5; satisfaction = perceived - expectation."""
    internal: bool = False
    """Left out of the customer-facing site."""


class Action(Model):
    """One action: exactly one owner and one due date."""

    id: Id
    title: Text
    owner: Id
    """ONE team member (`team[].id`): one action, one owner."""
    due: Date
    """ONE date."""
    horizon: Horizon
    """Quick win (due within `plan.quick_win_days` of start) or medium term."""
    kind: ActionKind | None = None
    """Which internal change it makes (process, people, brand, training) or step it takes."""
    status: Status = "todo"
    done_on: Date | None = None
    """Required when `status: done`, forbidden otherwise."""
    moments: list[Id] = []
    areas: list[Id] = []
    commitments: list[Id] = []
    """Commitments this action delivers."""
    stakeholders: list[Id] = []
    notes: Annotated[str | None, TEAM_ONLY] = None
    """Markdown allowed; never shown on the customer-facing site."""
    internal: bool = False
    """Left out of the customer-facing site."""


class Contact(Model):
    """A person on the customer's side as the customer sees them: name and job title.

    For a contact who owns a customer step and is not on the power map (a stakeholder
    who owns one needs no entry here: the customer edition names them the same way)."""

    id: Id
    name: Text
    title: str | None = None
    """Job title."""


class CustomerStep(Model):
    """A step the customer owns: one named customer contact, one date, and the person
    on our side who follows it up (e.g. "IT provides the test SFTP credentials")."""

    id: Id
    title: Text
    owner: Id
    """ONE customer contact (`stakeholders[].id` or `contacts[].id`); the customer
    edition shows their name and job title only."""
    follow_up: Id
    """The team member (`team[].id`) who follows it up with them."""
    due: Date
    """ONE date."""
    status: Status = "todo"
    done_on: Date | None = None
    """Required when `status: done`, forbidden otherwise."""
    moments: list[Id] = []
    areas: list[Id] = []
    commitments: list[Id] = []
    """Commitments that wait on this step."""
    actions: list[Id] = []
    """Our actions that wait on this step."""
    notes: Annotated[str | None, TEAM_ONLY] = None
    """Markdown allowed; never shown on the customer-facing site."""
    internal: bool = False
    """Left out of the customer-facing site."""


class Reading(Model):
    """One measurement of a KPI."""

    date: Date
    value: float | int


class Kpi(Model):
    """A key performance indicator with one owner who measures and reports it."""

    id: Id
    name: Text
    owner: Id
    """Team member (`team[].id`) who measures and reports it."""
    area: Id | None = None
    unit: str | None = None
    direction: Direction
    """Which way is better."""
    baseline: float | int | None = None
    target: float | int
    readings: list[Reading] = []
    """Measurements, dates strictly increasing."""


class Engagement(Model):
    """Engagement design: R. "Ray" Wang's nine Cs, in three groups of three."""

    culture: TextOrList | None = None
    """Social norms, communication preferences, leadership style, digital readiness."""
    community: TextOrList | None = None
    """The stakeholder groups and what each needs."""
    credibility: TextOrList | None = None
    """Trust earned through actions, reputation, track record."""
    channel: TextOrList | None = None
    """In person, retail, mobile, social, web, kiosk, virtual, video."""
    content: TextOrList | None = None
    """Internal, user-generated, curated, paid, news-based, analytical."""
    cadence: TextOrList | None = None
    """Ad hoc, scheduled, continuous."""
    context: TextOrList | None = None
    """Location, business process, role, relationships, sentiment."""
    catalysts: TextOrList | None = None
    """Campaigns, offers, announcements, rewards, loyalty programmes."""
    currencies: TextOrList | None = None
    """Cash, bonuses, discounts; recognition, access, influence."""


class Plan(Model):
    """A customer-experience plan for one business customer (format version 1)."""

    plan: PlanInfo
    team: list[Person] = Field(min_length=1)
    """Our cross-functional team."""
    areas: list[Area] = Field(min_length=1)
    """The customer's buyer areas."""
    moments: list[Moment] = Field(min_length=1)
    """The purchase and consumption sequence, in order."""
    stakeholders: Annotated[list[Stakeholder], TEAM_ONLY] = []
    """The power map."""
    commitments: list[Commitment] = []
    actions: list[Action]
    customer_steps: list[CustomerStep] = []
    """Steps the customer owns (the other half of the mutual plan)."""
    contacts: list[Contact] = []
    """Customer contacts who own steps and are not on the power map."""
    kpis: list[Kpi] = []
    engagement: Annotated[Engagement | None, TEAM_ONLY] = None
    """Engagement design (the nine Cs)."""


def json_schema() -> dict[str, Any]:
    """The JSON Schema editors use (draft-07 compatible: `$defs` plus `$ref`), with
    each field's docstring as its description."""
    describe_fields(model for model in globals().values() if isinstance(model, type)
                    and issubclass(model, BaseModel) and model.__module__ == __name__)
    schema = Plan.model_json_schema()
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    return schema
