"""The columns of the update sheet, declared once: the CSV export, the .xlsx export and
`cxplan import` all use this list.

Headers are the plan format's own key names (`status`, `due`...), in every language, as
the keys of a plan file are: they are what the import reads, so a sheet exported from a
Spanish plan imports into the same plan unchanged.
"""

from __future__ import annotations

COLUMNS: tuple[str, ...] = (
    "plan",
    "kind",
    "id",
    "title",
    "owner",
    "owner_name",
    "due",
    "status",
    "horizon",
    "done_on",
    "days_late",
    "to",
    "expectation",
    "perceived",
    "satisfaction",
    "internal",
    "note",
    "fingerprint",
)

# What a row may change, by kind of item. Everything else identifies the item or is
# derived from it (days_late, satisfaction, a commitment's state) and is read-only.
EDITABLE: dict[str, tuple[str, ...]] = {
    "action": ("due", "status", "done_on", "note"),
    "commitment": ("due", "perceived", "note"),
}

# Columns a sheet must have for its rows to be imported.
REQUIRED: tuple[str, ...] = ("plan", "kind", "id", "fingerprint")

DATE_COLUMNS: frozenset[str] = frozenset({"due", "done_on"})

# Text a spreadsheet would run as a formula: starting with one of FORMULA_START, or
# with one of FORMULA_SIGNS after leading white space (fullwidth U+FF1D, U+FF0B,
# U+FF0D, U+FF20 and small U+FE66, U+FE62, U+FE63, U+FE6B forms included). The export
# puts a `'` before such text; the import takes it off again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
FORMULA_SIGNS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20",
                 "\ufe66", "\ufe62", "\ufe63", "\ufe6b")
# What the import refuses as a formula in a text cell (never imported as text).
EQUALS_SIGNS = ("=", "\uff1d", "\ufe66")


def looks_like_formula(text: str) -> bool:
    """What the export escapes with a leading `'`."""
    return text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_SIGNS)
