"""What one committed version of a plan file says on its own (before comparing)."""

from __future__ import annotations

from typing import Any

from cxplan import i18n
from cxplan.analyse.history.results import SECTIONS, Item, Version
from cxplan.i18n import Text
from cxplan.load import LoadError, Source, parse, plan_text
from cxplan.model.build import build_plan
from cxplan.model.versions import VersionParser

_NO_ITEMS: list[Any] = []


def read_items(
    parser: VersionParser, section: str, raw_items: Any
) -> tuple[dict[str, Item], frozenset[str]] | None:
    """The items of a section that are valid on their own, by id, and the ids of those
    that are not; None when the section is not a list. Once per distinct list (the
    parser hands an unchanged section back as the same object)."""
    return parser.once(("items", section), raw_items, _read_items, parser, section)


def _read_items(
    parser: VersionParser, section: str, raw_items: Any
) -> tuple[dict[str, Item], frozenset[str]] | None:
    if not isinstance(raw_items, list):
        return None
    items: dict[str, Item] = {}
    unread: set[str] = set()
    for raw in raw_items:
        item_id, item = parser.once(section, raw, _read_item, parser, section)
        if item_id is None or item_id in items or item_id in unread:
            continue
        if item is None:
            unread.add(item_id)
        else:
            items[item_id] = item
    return items, frozenset(unread)


def _read_item(parser: VersionParser, section: str, raw: Any) -> tuple[str | None, Item | None]:
    """(its id, the item when it is valid on its own) for one raw item."""
    item_id = raw.get("id") if isinstance(raw, dict) else None
    if not isinstance(item_id, str):
        return None, None
    model = parser.model(SECTIONS[section], raw)
    return item_id, None if model is None else Item.of(model)


def _unreadable_version(message: str, said: Text | None = None) -> Version:
    return Version(
        False, message, dict.fromkeys(SECTIONS), {name: frozenset() for name in SECTIONS},
        said=said,
    )


def _first_problem(path: str, text: str, plan_id: str) -> tuple[str, Text | None]:
    """The first problem of an invalid version, positioned as `cxplan validate` does
    (in English, and as a catalogue text when it is one)."""
    source, problems = parse(path, text)
    if not problems:
        _plan, problems = build_plan(source, plan_id)
    if not problems:
        return "invalid", None
    first = min(problems)
    said = (Text.of("history.invalid_at", line=str(first.line), message=first.texts[0])
            if first.texts is not None else None)
    return f"line {first.line}: {first.message}", said


def read_version(raw: bytes, parser: VersionParser, plan_id: str) -> Version:
    """What one version of the plan file says (its bytes as committed)."""
    path = parser.path
    try:
        text = plan_text(raw)
    except LoadError as exc:
        return _unreadable_version(
            f"line {exc.position[0]}: {exc.message}",
            Text.of("history.invalid_at", line=str(exc.position[0]), message=exc.texts[0]))
    data = parser.data(text)
    if not isinstance(data, dict):
        return _unreadable_version(*_first_problem(path, text, plan_id))
    sections: dict[str, dict[str, Item] | None] = {}
    unreadable: dict[str, frozenset[str]] = {}
    for name in SECTIONS:
        known = read_items(parser, name, data.get(name, _NO_ITEMS))
        sections[name], unreadable[name] = known or (None, frozenset())
    valid = parser.valid(Source(path=path, text=text, data=data), plan_id)
    message, said = ("", None) if valid else _first_problem(path, text, plan_id)
    return Version(valid, message, sections, unreadable, _language(data), said)


def _language(data: dict[str, Any]) -> str | None:
    """The `plan.language` of a version's values, when it is a language cxplan ships."""
    info = data.get("plan")
    language = info.get("language") if isinstance(info, dict) else None
    return language if isinstance(language, str) and language in i18n.languages() else None

