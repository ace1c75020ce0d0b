"""Every label the site, the pictures and the reports show, in English and Spanish.

Keys are grouped by the part of the tool that uses them. A test checks that both
languages have exactly the same keys.
"""

from __future__ import annotations

LANGUAGES = ("en", "es")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        # --- site ---
        # --- powermap ---
        # --- tracking ---
        # --- rules ---
        # --- history ---
        # --- audience ---
    },
    "es": {
        # --- site ---
        # --- powermap ---
        # --- tracking ---
        # --- rules ---
        # --- history ---
        # --- audience ---
    },
}


def label(language: str, key: str) -> str:
    """The label for `key`; English when the language is unknown."""
    table = LABELS.get(language, LABELS["en"])
    return table[key]


def labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["en"])
