"""Reading a spreadsheet a person edited: an .xlsx workbook or a CSV file, as rows of cells
with their positions. Input, like `cxplan.load`: nothing here knows what the rows mean.

A sheet comes from outside the repository (an e-mail attachment, a shared drive), so
it is treated as hostile, and every refusal is a `SheetError` with a message, never a
traceback:

- a file that is not what its name says (a renamed file, an encrypted workbook, which
  is an OLE container rather than a zip, an old .xls), a macro-enabled workbook (.xlsm,
  or any workbook holding a VBA project), a zip whose contents would unpack to far more
  than a sheet of plan items (a zip bomb);
- a sheet far larger than any plan (`MAX_ROWS`, `MAX_COLUMNS`), counted while reading,
  not trusted from the file's own dimension record;
- formulas are never evaluated: the workbook is opened without the cached values, and
  a formula cell, like a text cell starting with `=`, is reported with its position
  (the caller refuses it).

openpyxl reads the workbook (read-only mode: cells are streamed, not all kept).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cxplan import i18n
from cxplan.model.sheet_columns import EQUALS_SIGNS

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_UNPACKED_BYTES = 128 * 1024 * 1024
# A plan is at most 1 MiB, and an action takes at least ~60 bytes: no plan holds
# 20,000 items, so no honest update sheet has more rows.
MAX_ROWS = 20_000
MAX_COLUMNS = 200
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

CellValue = str | int | float | dt.date | None


class SheetError(Exception):
    """The file cannot be read as a sheet at all; nothing was imported."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Cell:
    value: CellValue
    row: int
    column: int
    formula: bool = False
    """A formula (never evaluated: `value` is its text)."""


@dataclass
class Table:
    """One sheet: its header and rows, and how to name a cell's position."""

    file: str
    sheet: str | None
    """The sheet's name (None for a CSV file)."""
    header: list[str]
    rows: list[list[Cell]] = field(default_factory=list)

    def where(self, row: int, column: int) -> str:
        """`file:sheet!row:col` (a workbook) or `file:line:col` (a CSV file)."""
        if self.sheet is None:
            return f"{self.file}:{row}:{column}"
        return f"{self.file}:{self.sheet}!{row}:{column}"

    def column(self, name: str) -> int | None:
        """The 1-based column of `name` in the header, if present."""
        return self.header.index(name) + 1 if name in self.header else None


def read_table(path: Path, language: str = "en", display: str | None = None) -> Table:
    """The table in `path` (.xlsx: the `updates` sheet, else the first; .csv)."""
    shown = display or str(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsm", ".xltm", ".xlam"):
        raise SheetError(i18n.text(language, "import.file.macros", file=shown))
    if suffix not in (".xlsx", ".csv"):
        raise SheetError(i18n.text(language, "import.file.kind", file=shown))
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SheetError(i18n.text(language, "import.file.large", file=shown))
        raw = path.read_bytes()
    except OSError as exc:
        raise SheetError(
            i18n.text(language, "import.file.unreadable", file=shown, reason=exc.strerror or exc)
        ) from None
    if suffix == ".csv":
        return _read_csv(raw, shown, language)
    return _read_xlsx(raw, shown, language)


def _read_csv(raw: bytes, shown: str, language: str) -> Table:
    if raw.startswith(_OLE_MAGIC) or raw.startswith(b"PK\x03\x04") or b"\x00" in raw:
        raise SheetError(i18n.text(language, "import.file.not_csv", file=shown))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError(i18n.text(language, "import.file.not_utf8", file=shown)) from None
    first_line = text.split("\n", 1)[0]
    # Spreadsheet programs in Spanish and Portuguese locales save CSV with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[Cell]] = []
    header: list[str] = []
    try:
        for values in reader:
            number = reader.line_num
            if len(rows) >= MAX_ROWS or len(values) > MAX_COLUMNS:
                raise SheetError(
                    i18n.text(language, "import.file.too_many", file=shown, rows=MAX_ROWS,
                              columns=MAX_COLUMNS)
                )
            if not header:
                header = [value.strip() for value in values]
                continue
            rows.append([
                Cell(value or None, number, index + 1,
                     formula=value.lstrip().startswith(EQUALS_SIGNS))
                for index, value in enumerate(values)
            ])
    except csv.Error as exc:
        raise SheetError(
            i18n.text(language, "import.file.bad_csv", file=shown, line=reader.line_num,
                      reason=str(exc))
        ) from None
    return Table(shown, None, header, rows)


def _read_xlsx(raw: bytes, shown: str, language: str) -> Table:
    if raw.startswith(_OLE_MAGIC):
        # An encrypted (password-protected) workbook is an OLE compound file holding
        # the encrypted package; so is an old binary .xls renamed to .xlsx.
        raise SheetError(i18n.text(language, "import.file.encrypted", file=shown))
    if not raw.startswith(b"PK"):
        raise SheetError(i18n.text(language, "import.file.not_xlsx", file=shown))
    stream = io.BytesIO(raw)
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
                raise SheetError(i18n.text(language, "import.file.large", file=shown))
            names = {member.filename.lower() for member in members}
            content_types = (
                archive.read("[Content_Types].xml") if "[content_types].xml" in names else b""
            )
    except zipfile.BadZipFile:
        raise SheetError(i18n.text(language, "import.file.not_xlsx", file=shown)) from None
    if any(name.endswith("vbaproject.bin") for name in names) or (
        b"macroEnabled" in content_types
    ):
        raise SheetError(i18n.text(language, "import.file.macros", file=shown))
    if b"spreadsheetml" not in content_types:
        raise SheetError(i18n.text(language, "import.file.not_xlsx", file=shown))
    return _cells_of_workbook(stream, shown, language)


def _cells_of_workbook(stream: io.BytesIO, shown: str, language: str) -> Table:
    from openpyxl import load_workbook  # imported only for a workbook

    try:
        # data_only=False: a formula cell holds the formula's text, not a value
        # computed by whoever saved it; keep_links=False: no external workbooks.
        book = load_workbook(stream, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many types for a damaged package
        raise SheetError(
            i18n.text(language, "import.file.damaged", file=shown, reason=type(exc).__name__)
        ) from None
    try:
        sheet = book["updates"] if "updates" in book.sheetnames else book.worksheets[0]
        # The size the file declares, when it declares one, refuses a huge sheet before
        # reading it; the rows are counted while reading too (a declaration can lie).
        declared_rows, declared_columns = sheet.max_row or 0, sheet.max_column or 0
        if declared_rows > MAX_ROWS + 1 or declared_columns > MAX_COLUMNS:
            raise SheetError(i18n.text(
                language, "import.file.too_many", file=shown, rows=MAX_ROWS, columns=MAX_COLUMNS
            ))
        rows: list[list[Cell]] = []
        header: list[str] = []
        for number, values in enumerate(_sheet_rows(sheet, shown, language), start=1):
            if number == 1:
                header = [str(v.value).strip() if v.value is not None else "" for v in values]
                continue
            rows.append(values)
        return Table(shown, sheet.title, header, rows)
    except SheetError:
        raise
    except Exception as exc:
        raise SheetError(
            i18n.text(language, "import.file.damaged", file=shown, reason=type(exc).__name__)
        ) from None
    finally:
        book.close()


def _sheet_rows(sheet: object, shown: str, language: str) -> Iterator[list[Cell]]:
    too_many = i18n.text(
        language, "import.file.too_many", file=shown, rows=MAX_ROWS, columns=MAX_COLUMNS
    )
    for number, row in enumerate(sheet.iter_rows(), start=1):  # type: ignore[attr-defined]
        if number > MAX_ROWS + 1:
            raise SheetError(too_many)
        cells: list[Cell] = []
        for index, cell in enumerate(row, start=1):
            if index > MAX_COLUMNS:
                raise SheetError(too_many)
            value = getattr(cell, "value", None)
            formula = getattr(cell, "data_type", None) == "f"
            if isinstance(value, dt.datetime):
                value = value.date()
            elif isinstance(value, bool):
                value = "true" if value else "false"
            elif value is not None and not isinstance(value, int | float | str | dt.date):
                value = str(value)  # an array formula or a time: shown as text, refused
                formula = True
            if isinstance(value, str):
                formula = formula or value.lstrip().startswith(EQUALS_SIGNS)
            cells.append(Cell(value, number, index, formula))
        yield cells
