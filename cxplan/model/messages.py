"""Pydantic's validation errors, retold as messages a plan author can act on.

Pydantic reports *what* failed by error type and location; this module adds *where*
(the line and column from the source), *which item* (by its id) and *how to fix it*
("did you mean", the allowed values, the rule behind the field).
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
import types
import typing
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from cxplan.diagnostics import Diagnostic, Severity
from cxplan.i18n import Text
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
"""The sections whose items have ids, with the English noun of an item (the catalogue's
`model.noun` says it in every language)."""

_TYPE_NAMES = frozenset({
    "string_type", "int_type", "float_type", "bool_type", "list_type", "dict_type",
    "model_type", "model_attributes_type", "date_type",
})
"""Pydantic's error types the catalogue names (`model.type.<type>`)."""


def noun(section: str) -> Text:
    """The noun of an item of `section` ("action"); "plan" for `plan`."""
    return Text.of("model.noun", section=section)


def describe(value: Any) -> Text:
    """What a value is, as a message says it: "the text 'x'", "a list"."""
    if isinstance(value, bool):
        return Text.of("model.value.bool", value=str(value).lower())
    if isinstance(value, (int, float)):
        return Text.of("model.value.number", value=str(value))
    if isinstance(value, str):
        return Text.of("model.value.text", value=value)
    if isinstance(value, list):
        return Text.of("model.value.list")
    if isinstance(value, dict):
        return Text.of("model.value.mapping")
    if value is None:
        return Text.of("model.value.none")
    return Text.of("model.value.other", name=type(value).__name__)


def item_label(data: Any, loc: Loc) -> Text:
    """"action 'a1'" for a loc inside the actions section, else the key path."""
    if len(loc) >= 2 and loc[0] in SECTION_NOUN and isinstance(loc[1], int):
        section = str(loc[0])
        try:
            item_id = data[loc[0]][loc[1]].get("id")
        except (KeyError, IndexError, TypeError, AttributeError):
            item_id = None
        if isinstance(item_id, str):
            return Text.of("model.item", noun=noun(section), id=item_id)
        return Text.of("model.item.nth", noun=noun(section), n=str(loc[1] + 1))
    if not loc:
        return Text.of("model.item.plan")
    return Text.of("model.item.path", path=".".join(str(part) for part in loc))


def _section_of(loc: Loc) -> str:
    """The section an item at `loc` is in ("actions"), "plan", or "other"."""
    first = str(loc[0]) if loc else ""
    return first if first in SECTION_NOUN or first == "plan" else "other"


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


def _closest(word: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    return close[0] if close else None


def suggestion(word: str, choices: list[str]) -> Text | None:
    """"did you mean 'x'?" for the closest of `choices`, or None."""
    close = _closest(word, choices)
    return Text.of("model.did_you_mean", word=close) if close is not None else None


def did_you_mean(word: str, choices: list[str], language: str = "en") -> str:
    """`suggestion` in `language`, or ""."""
    said = suggestion(word, choices)
    return said.in_language(language) if said is not None else ""


# Separators people put between several names in one value: `a, b`, `a and b`, `a/b`.
_SEVERAL = re.compile(r"\s*[,;/&+]\s*|\s+(?:and|y|e)\s+")

_DATE_PARTS = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def date_hint(value: Any) -> Text:
    """How to fix a date: the month's length for an impossible day, else the format."""
    match = _DATE_PARTS.match(value) if isinstance(value, str) else None
    if match is None:
        return Text.of("model.date.hint")
    year, month, _ = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return Text.of("model.date.hint.month", month=f"{month:02d}")
    if year < 1:
        return Text.of("model.date.hint.year")
    days = calendar.monthrange(year, month)[1]
    return Text.of("model.date.hint.days", month=dt.date(year, month, 1), days=days)


def _bounds(model: type[BaseModel] | None, key: str) -> Text | str:
    if model is None or key not in model.model_fields:
        return ""
    metadata = model.model_fields[key].metadata
    ge = next((m.ge for m in metadata if getattr(m, "ge", None) is not None), None)
    le = next((m.le for m in metadata if getattr(m, "le", None) is not None), None)
    if ge is None or le is None:
        return ""
    return Text.of("model.range.bounds", low=str(ge), high=str(le))


def _doc(model: type[BaseModel] | None, key: str) -> Text | None:
    """The field's description from the format reference (English, as the reference)."""
    doc = field_doc(model, key) if model is not None else ""
    return Text.of("model.doc", doc=doc) if doc else None


_TEXT_OR_LIST = frozenset({
    "culture", "community", "credibility", "channel", "content", "cadence", "context",
    "catalysts", "currencies", "values",
})


def translate(error: dict[str, Any], source: Source) -> Diagnostic:
    data = source.data
    loc = _strip_union_tags(data, tuple(error["loc"]))
    kind = error["type"]
    value = error.get("input")
    key = str(loc[-1]) if loc and isinstance(loc[-1], str) else ""
    where = item_label(data, loc[:-1] if key else loc)
    position = source.position(loc)
    code = "CX202"
    message: Text
    hint: Text | None = None

    if kind == "missing":
        code = "CX200"
        position = source.position(loc[:-1])
        message = Text.of("model.missing", where=where, key=key)
        model = model_at(loc[:-1])
        if model is not None and key in model.model_fields:
            doc = field_doc(model, key)
            hint = (Text.of("model.missing.hint.doc", key=key, doc=doc) if doc
                    else Text.of("model.missing.hint", key=key))
    elif kind == "extra_forbidden":
        code = "CX201"
        position = source.position(loc, key=True)
        model = model_at(loc[:-1])
        known = list(model.model_fields) if model is not None else []
        message = Text.of("model.unknown_key", key=key, where=where)
        hint = suggestion(key, known) or Text.of("model.unknown_key.hint", keys=", ".join(known))
    elif kind == "literal_error":
        code = "CX203"
        choices = allowed_values(model_at(loc[:-1]), key)
        message = Text.of("model.not_allowed", value=describe(value), key=key, where=where)
        said = suggestion(str(value), choices)
        hint = (Text.of("model.allowed.suggest", suggestion=said, choices=", ".join(choices))
                if said else Text.of("model.allowed", choices=", ".join(choices)))
    elif key == "owner" and isinstance(value, list):
        code = "CX207"
        section = _section_of(loc)
        message = Text.of("model.owners", where=where, count=len(value), section=section)
        hint = Text.of("model.owners.hint", noun=noun(section))
    elif key == "owner" and isinstance(value, str) and _SEVERAL.search(value):
        # `owner: priya.shah, ken.watanabe`: one text, so the schema sees a bad id;
        # the author meant two owners.
        code = "CX207"
        section = _section_of(loc)
        names = [n for n in _SEVERAL.split(value) if n.strip()]
        message = Text.of("model.owners.text", where=where, count=len(names), value=value,
                          section=section)
        hint = Text.of("model.owners.text.hint", noun=noun(section), first=names[0].strip())
    elif key == "due" and isinstance(value, list):
        code = "CX208"
        message = Text.of("model.dates", where=where, count=len(value))
        hint = Text.of("model.dates.hint")
    elif kind == "string_pattern_mismatch":
        code = "CX204"
        message = Text.of("model.id", value=str(value), where=where, key=key or "id")
        odd = sorted({c for c in str(value) if not (c.isascii() and (c.isalnum() or c in "._-"))})
        hint = (Text.of("model.id.hint.odd", chars=", ".join(repr(c) for c in odd),
                        pattern=ID_PATTERN) if odd
                else Text.of("model.id.hint", pattern=ID_PATTERN))
    elif kind == "cx_date":
        code = "CX205"
        context = error.get("ctx") or {}
        problem = context.get("problem", "format")
        message = Text.of(f"model.date.{problem}", value=str(context.get("value", value)),
                          reason=str(context.get("reason", "")), where=where, key=key)
        hint = date_hint(value)
    elif kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        code = "CX206"
        model = model_at(loc[:-1])
        message = Text.of("model.range", key=key, bounds=_bounds(model, key), value=str(value),
                          where=where)
        hint = _doc(model, key)
    elif kind == "finite_number":
        code = "CX206"
        message = Text.of("model.finite", key=key, value=str(value), where=where)
        hint = Text.of("model.finite.hint")
    elif kind in {"too_short", "string_too_short"}:
        code = "CX200"
        message = (Text.of("model.empty", key=key, where=where) if kind == "string_too_short"
                   else Text.of("model.empty_list", key=key))
        hint = Text.of("model.hint.fill")
    elif kind in _TYPE_NAMES or kind.endswith("_type") or kind == "union_tag_invalid":
        expected = (Text.of(f"model.type.{kind}") if kind in _TYPE_NAMES
                    else Text.of("model.type.other", name=kind.removesuffix("_type")))
        if kind == "string_type" and isinstance(value, (list, dict)) and key in _TEXT_OR_LIST:
            expected = Text.of("model.type.text_or_list")
        label = Text.of("model.label.key", key=key, where=where) if key else where
        message = Text.of("model.type", expected=expected, label=label, got=describe(value))
        if value is None:
            hint = Text.of("model.hint.fill")
        elif kind == "string_type" and isinstance(value, list):
            hint = Text.of("model.hint.text_not_list")
        elif kind == "string_type" and isinstance(value, dict):
            hint = Text.of("model.hint.text_not_mapping")
        elif kind == "string_type" and isinstance(value, (int, float, bool)):
            # What was typed (`007`, `1.10`), not what YAML made of it (7, 1.1).
            written = source.raw.get(loc, str(value).lower() if isinstance(value, bool) else
                                     str(value))
            if written != str(value):
                message = Text.of("model.type.read_as", expected=expected, label=label,
                                  got=describe(value), written=written, value=str(value))
            hint = Text.of("model.hint.quote_text", written=written)
        elif kind == "list_type" and isinstance(value, str):
            items = [part.strip() for part in value.split(",") if part.strip()] or [value]
            hint = Text.of("model.hint.list", key=key, items=", ".join(items), first=items[0])
        elif kind == "bool_type" and isinstance(value, str):
            hint = Text.of("model.hint.bool")
        elif kind in {"int_type", "float_type"} and isinstance(value, str):
            hint = Text.of("model.hint.number")
        elif loc == () and kind in {"model_type", "model_attributes_type"}:
            message = Text.of("model.top", got=describe(value))
            hint = Text.of("model.top.hint")
    else:
        message = Text.of("model.other", msg=str(error["msg"]), where=where)
    return Diagnostic.said(source.path, position, Severity.ERROR, code, message, hint)


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
