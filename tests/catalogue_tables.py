"""The catalogue seen as the tables the tests read: every text by language, and the
rule finding texts by key (`rules.<CODE>.message|hint[.variant]`, `rules.list.*`)."""

from __future__ import annotations

import re

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
