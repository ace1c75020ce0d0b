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
