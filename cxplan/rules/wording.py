"""How the facts of a rule finding fill its catalogue texts.

A rule's `check()` yields facts (ids, dates, numbers, names from the plan) and the
keys of its message and hint texts (`rules.CX503.message`, `rules.CX503.hint`,
variants after another dot: `rules.CX517.message.never`); it writes no prose. The texts
live in the catalogue (`cxplan.i18n`), one file per language, so `validate` (the workspace's
language) and the site's plan-health panel (the plan's language) say the same thing
from the same facts.

The only addition to the catalogue's formatting: a fact that is a tuple is a list of
ids, quoted and joined the language's way (`'a', 'b' and 'c'` / `'a', 'b' y 'c'`), a
long list ending with `and 3 more`. The rules keep their own join (no serial comma in
English) because their messages quote ids, which read badly as "'a', 'b', and 'c'".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from cxplan import i18n

Fact = str | int | dt.date | tuple[str, ...]
"""A value a rule reports: a tuple is a list of ids (quoted when shown)."""

LIST_LIMIT = 6
"""Ids shown in a list before it ends with `and N more`."""


def render_text(language: str, key: str, facts: Mapping[str, Fact]) -> str:
    """The text `key` in `language` (English when unknown), filled with `facts`."""
    shown = {
        name: id_list(value, language) if isinstance(value, tuple) else value
        for name, value in facts.items()
    }
    return i18n.text(language, key, **shown)


def id_list(ids: tuple[str, ...], language: str) -> str:
    """`'a', 'b' and 'c'` in `language`; more than `LIST_LIMIT` end with `and N more`."""
    items = [f"'{i}'" for i in ids]
    if len(items) > LIST_LIMIT:
        more = i18n.text(language, "rules.list.more", count=len(items) - LIST_LIMIT)
        items = [*items[:LIST_LIMIT], more]
    if len(items) <= 1:
        return "".join(items)
    conjunction = i18n.text(language, "rules.list.and")
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]
