"""Pydantic's validation errors, retold as messages a plan author can act on.

Pydantic reports *what* failed by error type and location; this module adds *where*
(the line and column from the source), *which item* (by its id) and *how to fix it*
("did you mean", the allowed values, the rule behind the field).
"""

from __future__ import annotations

import calendar
import difflib
import re
import types
import typing
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from cxplan.diagnostics import Diagnostic, Severity
from cxplan.load import Loc, Source
from cxplan.model.field_docs import field_doc
from cxplan.model.plan import ID_PATTERN, Plan

SECTION_NOUN = {
    "team": "team member",
    "areas": "area",
    "moments": "moment",
    "stakeholders": "stakeholder",
    "commitments": "commitment",
    "actions": "action",
    "customer_steps": "customer step",
    "contacts": "customer contact",
    "kpis": "KPI",
}

_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "date_type": "a date",
}


def describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (an empty value)"
    return type(value).__name__


def item_label(data: Any, loc: Loc) -> str:
    """'action 'a1'' for a loc inside the actions section, else the key path."""
    if len(loc) >= 2 and loc[0] in SECTION_NOUN and isinstance(loc[1], int):
        noun = SECTION_NOUN[str(loc[0])]
        try:
            item_id = data[loc[0]][loc[1]].get("id")
        except (KeyError, IndexError, TypeError, AttributeError):
            item_id = None
        if isinstance(item_id, str):
            return f"{noun} '{item_id}'"
        return f"{noun} #{loc[1] + 1}"
    return ".".join(str(part) for part in loc) or "the plan"


def _strip_union_tags(data: Any, loc: tuple[Any, ...]) -> Loc:
    """Keep only the loc parts that index into the data (drop pydantic's union tags)."""
    clean: list[str | int] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and isinstance(part, str)
        if in_dict and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif in_dict and not _is_union_tag(part):
            node = None  # a missing key: keep it, there is nothing below it
        else:
            continue
        clean.append(part)
    return tuple(clean)


def _is_union_tag(part: str) -> bool:
    return "[" in part or part in {"str", "int", "float", "bool", "list", "date", "none"}


def _unwrap(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [leaf for arg in typing.get_args(annotation) for leaf in _unwrap(arg)]
    return [annotation]


def model_at(loc: Loc) -> type[BaseModel] | None:
    """The model class that holds the mapping at `loc` (e.g. Action for actions[3])."""
    current: Any = Plan
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        nxt = None
        for leaf in _unwrap(field.annotation):
            if typing.get_origin(leaf) is list:
                leaf = typing.get_args(leaf)[0]
            if isinstance(leaf, type) and issubclass(leaf, BaseModel):
                nxt = leaf
        current = nxt
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def allowed_values(model: type[BaseModel] | None, key: str) -> list[str]:
    if model is None or key not in model.model_fields:
        return []
    for leaf in _unwrap(model.model_fields[key].annotation):
        if typing.get_origin(leaf) is Literal:
            return [str(v) for v in typing.get_args(leaf)]
    return []


def did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    return f"did you mean '{close[0]}'?" if close else ""


# Separators people put between several names in one value: `a, b`, `a and b`, `a/b`.
_SEVERAL = re.compile(r"\s*[,;/&+]\s*|\s+(?:and|y|e)\s+")

_DATE_PARTS = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def date_hint(value: Any) -> str:
    """How to fix a date: the month's length for an impossible day, else the format."""
    match = _DATE_PARTS.match(value) if isinstance(value, str) else None
    if match is None:
        return "write dates as YYYY-MM-DD, for example 2027-03-31"
    year, month, _ = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return f"months run from 01 to 12; the month here is {month:02d}"
    if year < 1:
        return "years run from 0001"
    days = calendar.monthrange(year, month)[1]
    return f"{calendar.month_name[month]} {year} has {days} days; check the day"


def translate(error: dict[str, Any], source: Source) -> Diagnostic:
    data = source.data
    loc = _strip_union_tags(data, tuple(error["loc"]))
    kind = error["type"]
    value = error.get("input")
    key = str(loc[-1]) if loc and isinstance(loc[-1], str) else ""
    where = item_label(data, loc[:-1] if key else loc)
    position = source.position(loc)
    code, hint = "CX202", ""

    if kind == "missing":
        code = "CX200"
        position = source.position(loc[:-1])
        message = f"{where} is missing the required key '{key}'"
        model = model_at(loc[:-1])
        if model is not None and key in model.model_fields:
            doc = field_doc(model, key)
            hint = f"add '{key}:'" + (f" ({doc})" if doc else "")
    elif kind == "extra_forbidden":
        code = "CX201"
        position = source.position(loc, key=True)
        model = model_at(loc[:-1])
        known = list(model.model_fields) if model is not None else []
        message = f"unknown key '{key}' in {where}"
        hint = did_you_mean(key, known) or f"the keys allowed here are: {', '.join(known)}"
    elif kind == "literal_error":
        code = "CX203"
        choices = allowed_values(model_at(loc[:-1]), key)
        message = f"{describe(value)} is not a valid {key} in {where}"
        suggestion = did_you_mean(str(value), choices)
        hint = (suggestion + " " if suggestion else "") + f"allowed: {', '.join(choices)}"
    elif key == "owner" and isinstance(value, list):
        code = "CX207"
        noun = where.split(" '")[0].split(" #")[0]
        article = "an" if noun[:1] in "aeiou" else "a"
        message = f"{where} has {len(value)} owners; {article} {noun} has exactly one"
        hint = (
            f"one {noun}, one owner: shared responsibility is nobody's. Keep the accountable "
            "person here and mention helpers in 'notes', or split it in two"
        )
    elif key == "owner" and isinstance(value, str) and _SEVERAL.search(value):
        # `owner: priya.shah, ken.watanabe`: one text, so the schema sees a bad id;
        # the author meant two owners.
        code = "CX207"
        names = [n for n in _SEVERAL.split(value) if n.strip()]
        noun = where.split(" '")[0].split(" #")[0]
        article = "an" if noun[:1] in "aeiou" else "a"
        message = f"{where} has {len(names)} owners ('{value}'); {article} {noun} has exactly one"
        hint = (
            f"one {noun}, one owner: keep the accountable person, for example "
            f"'owner: {names[0].strip()}', and mention the others in the text, or split it"
        )
    elif key == "due" and isinstance(value, list):
        code = "CX208"
        message = f"{where} has {len(value)} due dates; it has exactly one"
        hint = "split it into one item per date, or keep the date it must be finished by"
    elif kind == "string_pattern_mismatch":
        code = "CX204"
        message = f"'{value}' is not a valid id ({where}, key '{key or 'id'}')"
        odd = sorted({c for c in str(value) if not (c.isascii() and (c.isalnum() or c in "._-"))})
        hint = (
            f"remove or replace {', '.join(repr(c) for c in odd)}; " if odd else ""
        ) + f"ids match {ID_PATTERN}: ASCII letters, digits, '.', '_' or '-', at most 64"
    elif kind == "cx_date":
        code = "CX205"
        message = f"{error['msg']} ({where}, key '{key}')"
        hint = date_hint(value)
    elif kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        code = "CX206"
        field = model_at(loc[:-1])
        bounds = ""
        if field is not None and key in field.model_fields:
            metadata = field.model_fields[key].metadata
            ge = next((m.ge for m in metadata if getattr(m, "ge", None) is not None), None)
            le = next((m.le for m in metadata if getattr(m, "le", None) is not None), None)
            if ge is not None and le is not None:
                bounds = f" from {ge} to {le}"
        message = f"{key} must be a whole number{bounds}, not {value} ({where})"
        hint = field_doc(field, key) if field else ""
    elif kind == "finite_number":
        code = "CX206"
        message = f"{key} must be a finite number, not {value} ({where})"
        hint = "write an ordinary number such as 95 or 12.5 (.nan and .inf are not numbers)"
    elif kind in {"too_short", "string_too_short"}:
        code = "CX200"
        message = (
            f"'{key}' is empty in {where}" if kind == "string_too_short"
            else f"'{key}' needs at least one entry"
        )
        hint = "fill it in, or remove the key if it is optional"
    elif kind in _TYPE_NAMES or kind.endswith("_type") or kind == "union_tag_invalid":
        expected = _TYPE_NAMES.get(kind, kind.removesuffix("_type"))
        if kind == "string_type" and isinstance(value, (list, dict)) and key in (
            "culture", "community", "credibility", "channel", "content", "cadence",
            "context", "catalysts", "currencies", "values",
        ):
            expected = "text or a list of text"
        label = f"'{key}' in {where}" if key else where
        message = f"expected {expected} for {label}, got {describe(value)}"
        if value is None:
            hint = "fill it in, or remove the key if it is optional"
        elif kind == "string_type" and isinstance(value, list):
            hint = (
                "write it as one piece of text; if it must start with '[', put it in "
                "quotes"
            )
        elif kind == "string_type" and isinstance(value, dict):
            hint = "write it as one piece of text; a ': ' inside text needs quotes"
        elif kind == "string_type" and isinstance(value, (int, float, bool)):
            # What was typed (`007`, `1.10`), not what YAML made of it (7, 1.1).
            written = source.raw.get(loc, str(value).lower() if isinstance(value, bool) else
                                     str(value))
            if written != str(value):
                message += f" (YAML reads {written} as {value})"
            hint = f'put it in quotes to keep it as text: "{written}"'
        elif kind == "list_type" and isinstance(value, str):
            items = [part.strip() for part in value.split(",") if part.strip()] or [value]
            hint = (
                f"write a list: '{key}: [{', '.join(items)}]', or one '- {items[0]}' per line "
                f"under '{key}:'"
            )
        elif kind == "bool_type" and isinstance(value, str):
            hint = "only true and false are booleans in a plan (YAML 1.2)"
        elif kind in {"int_type", "float_type"} and isinstance(value, str):
            hint = "write a number without quotes or words"
        elif loc == () and kind in {"model_type", "model_attributes_type"}:
            message = f"the top level of a plan must be a mapping, got {describe(value)}"
            hint = "start from `cxplan new PLAN_ID`: a plan has plan, team, areas, moments..."
    else:
        message = f"{error['msg']} ({where})"
    return Diagnostic(
        source.path, position[0], position[1], Severity.ERROR, code, message, hint
    )


def translate_all(exc: ValidationError, source: Source) -> list[Diagnostic]:
    """One diagnostic per problem, in pydantic's order.

    A union (`float | int`, `str | list[str]`) reports one error per member at the
    same place; an author needs one message there. A member whose type matched but
    whose value broke a constraint (a NaN for a number, 7 for 1..5) says the most, so
    "wrong type" messages give way to any other finding at the same position.
    """
    diagnostics = [translate(dict(error), source) for error in exc.errors(include_url=False)]
    specific = {(d.line, d.column) for d in diagnostics if d.code != "CX202"}
    seen: set[tuple[int, int, str, str]] = set()
    result = []
    for d in diagnostics:
        if d.code == "CX202" and (d.line, d.column) in specific:
            continue
        # Same place, same kind: keep the first, except distinct missing/unknown keys.
        marker = (d.line, d.column, d.code, d.message if d.code in ("CX200", "CX201") else "")
        if marker not in seen:
            seen.add(marker)
            result.append(d)
    return result
