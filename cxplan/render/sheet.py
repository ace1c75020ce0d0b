"""The update sheet as an .xlsx workbook (openpyxl): what `cxplan export --format xlsx` writes.

One sheet, `updates`, with a `plan` column rather than one sheet per plan: a person's
sheet (`--person`) is then one list of everything they own across accounts, sortable
and filterable by date, and plan ids (up to 63 characters) need not fit Excel's
31-character sheet names. The columns are the CSV export's (`CSV_COLUMNS`), so both
files import alike.

- The cells a row may change (`cxplan.model.sheet_columns.EDITABLE`: an action's
  status, due, done_on and note; a commitment's due, perceived and note) are unlocked;
  the sheet is protected (without a password: protection guards against slips, not
  against the person who owns the sheet), so the identifying columns are read-only.
- Drop-downs (data validation) offer the allowed values: the five statuses, perceived
  1 to 5; due and done_on accept only dates, written as real dates (`yyyy-mm-dd`).
- `fingerprint` (the last column, hidden) is each item as exported
  (`cxplan.model.fingerprint`); the import refuses a row whose item changed since.
- Text goes into cells as text (openpyxl stores a string as a string, never as a
  formula, and `safe_cell` prefixes text that a program would still run as one).

The workbook is reproducible: its creation and modification times are the as-of date.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cxplan import i18n
from cxplan.model.build import PlanFile
from cxplan.model.plan import STATUSES
from cxplan.model.sheet_columns import COLUMNS, DATE_COLUMNS, EDITABLE
from cxplan.render.exports import What, safe_cell, update_rows

SHEET_NAME = "updates"
DATE_FORMAT = "yyyy-mm-dd"
_EDITABLE_FILL = PatternFill("solid", start_color="FFF8E1")
_WIDTHS = {"title": 48, "note": 40, "owner_name": 18, "plan": 22, "id": 18}


def update_workbook(
    plan_files: Sequence[PlanFile],
    *,
    person: str | None = None,
    what: What = "all",
    as_of: dt.date,
    language: str = "en",
) -> bytes:
    """The .xlsx file's bytes."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_NAME
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    column = {name: index + 1 for index, name in enumerate(COLUMNS)}
    rows = 1
    for values in update_rows(plan_files, person=person, what=what, as_of=as_of):
        rows += 1
        kind = str(values[COLUMNS.index("kind")])
        for name, value in zip(COLUMNS, values, strict=True):
            cell = sheet.cell(row=rows, column=column[name])
            if name in DATE_COLUMNS and isinstance(value, dt.date):
                cell.value = value
                cell.number_format = DATE_FORMAT
            elif isinstance(value, bool) or (name == "status" and kind == "commitment"):
                cell.value = safe_cell(value)
            elif isinstance(value, int | float):
                cell.value = value
            elif value is not None:
                cell.value = safe_cell(value)
            if name in EDITABLE[kind]:
                cell.protection = Protection(locked=False)
                cell.fill = _EDITABLE_FILL
                if name in DATE_COLUMNS:
                    cell.number_format = DATE_FORMAT
    _validations(sheet, column, rows, language)
    for name, index in column.items():
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = _WIDTHS.get(name, 12)
    sheet.column_dimensions[get_column_letter(column["fingerprint"])].hidden = True
    sheet.freeze_panes = "D2"
    sheet.protection.sheet = True
    # Sorting and filtering stay possible on a protected sheet.
    sheet.protection.autoFilter = False
    sheet.protection.sort = False
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{rows}"
    stamp = dt.datetime(as_of.year, as_of.month, as_of.day)
    book.properties.created = stamp
    book.properties.modified = stamp
    book.properties.creator = "cxplan"
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _validations(sheet: object, column: dict[str, int], rows: int, language: str) -> None:
    if rows < 2:
        return

    def cells(name: str) -> str:
        letter = get_column_letter(column[name])
        return f"{letter}2:{letter}{rows}"

    status = DataValidation(
        type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
        showErrorMessage=True, errorTitle="status",
        error=i18n.text(language, "sheet.validation.status", statuses=", ".join(STATUSES)),
    )
    status.add(cells("status"))
    perceived = DataValidation(
        type="list", formula1='"1,2,3,4,5"', allow_blank=True, showErrorMessage=True,
        errorTitle="perceived", error=i18n.text(language, "sheet.validation.perceived"),
    )
    perceived.add(cells("perceived"))
    dates = DataValidation(
        type="date", operator="greaterThan", formula1="1", allow_blank=True,
        showErrorMessage=True, errorTitle="date",
        error=i18n.text(language, "sheet.validation.date"),
    )
    for name in sorted(DATE_COLUMNS):
        dates.add(cells(name))
    for validation in (status, perceived, dates):
        sheet.add_data_validation(validation)  # type: ignore[attr-defined]
