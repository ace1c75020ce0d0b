"""The catalogue seen as the tables the tests read: every text by language, and the
rule finding texts by key (`rules.<CODE>.message|hint[.variant]`, `rules.list.*`)."""

from __future__ import annotations

import re
import string

from cxplan import i18n

LANGUAGES = i18n.languages()

LABELS: dict[str, dict[str, str]] = {
    language: dict(i18n.catalogue(language)) for language in LANGUAGES
}
"""Language -> key -> text, every text of the catalogue."""

_RULE_TEXT = re.compile(r"^rules\.(CX\d+|list)\.")

TEMPLATES: dict[str, dict[str, str]] = {
    key: {language: LABELS[language][key] for language in LANGUAGES if key in LABELS[language]}
    for key in LABELS[i18n.DEFAULT_LANGUAGE]
    if _RULE_TEXT.match(key)
}
"""Key -> language -> template of every rule finding text."""

TEXTS: dict[str, dict[str, str]] = {
    language: {key: texts[language] for key, texts in TEMPLATES.items() if language in texts}
    for language in LANGUAGES
}
"""Language -> key -> template of every rule finding text."""


def english_left(output: str, prefixes: tuple[str, ...], language: str) -> list[str]:
    """The literal pieces of the English texts under `prefixes` that `output` holds
    although `language` words them otherwise: what a report in `language` must not show.
    Pieces shorter than six characters (ids, "KPI", numbers) are not judged."""
    english, other = LABELS[i18n.DEFAULT_LANGUAGE], LABELS[language]
    found = []
    for key, template in english.items():
        if not key.startswith(prefixes) or other[key] == template:
            continue
        for literal, *_ in string.Formatter().parse(template):
            piece = literal.strip(" :;,.()-><*`")
            if len(piece) < 6 or piece in other[key]:
                continue
            # As words, not inside an id (`q-blocked`) or a longer word.
            if re.search(rf"(?<![\w-]){re.escape(piece)}(?![\w-])", output):
                found.append(f"{key}: {piece}")
    return found
