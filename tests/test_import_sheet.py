"""The update sheet round trip: `cxplan export --format xlsx|csv`, edit, `cxplan import`.

Real workbooks (written by cxplan, edited with openpyxl as a person's spreadsheet
program would), real plan files with comments, the real command.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from tracking_plans import run_cxplan

COMMENTED = """\
# A heavily commented plan: an import must keep every comment.
plan:   # the plan as a whole
  title: Commented plan  # shown on every page
  customer: Acme   # the account
  owner: ana
  start: 2027-01-04
  language: en
team:
  # our side
  - id: ana      # key accounts
    name: Ana Ruiz
    department: Key Accounts
    email: ana@example.com
  - {id: ben, name: Ben Cole, department: Operations}   # flow style
areas:
  - id: ops
    name: Operations
moments:
  - id: tender
    name: Tender
    phase: purchase
commitments:
  # promises
  - id: c1
    promise: Deliveries inside the dock window   # the big one
    to: ops
    owner: ana
    due: 2027-02-01   # first review
    expectation: 4    # high
  - {id: c2, promise: "Invoices match", to: ops, owner: ben, due: 2027-03-01, expectation: 3}
actions:
  # --- quick wins ---
  - id: a1          # the first one
    # a comment between keys
    title: "Quoted: title"   # trailing comment
    owner: ana
    due: 2027-01-25   # agreed with ops
    horizon: quick-win   # horizon comment
    status: todo   # still to do
    notes: >-
      Folded notes
      over two lines.

  # an action with no status key at all
  - id: a2
    title: No status yet
    owner: ben
    due: 2027-01-28
    horizon: quick-win
    kind: process   # kind comment
  - {id: f1, title: Flow action, owner: ana, due: 2027-02-01, horizon: medium-term, status: todo}
"""

SECOND = """\
plan:
  title: Segundo plan
  customer: Beta
  owner: ana
  start: 2027-01-04
  language: es
team:
  - id: ana
    name: Ana Ruiz
    department: Cuentas
areas:
  - id: ops
    name: Operaciones
moments:
  - id: m1
    name: Compra
    phase: purchase
actions:
  - id: b1
    title: Llamar
    owner: ana
    due: 2027-01-20
    horizon: quick-win
"""

# The only lines an import of the edits in test_edited_sheet... may change.
EXPECTED_DIFF = [
    "+    perceived: 5",
    "-    status: todo   # still to do",
    "+    status: done   # still to do",
    "+    done_on: 2027-01-22",
    "-    due: 2027-01-28",
    "+    due: 2027-02-04",
    "-  - {id: f1, title: Flow action, owner: ana, due: 2027-02-01, horizon: medium-term,"
    " status: todo}",
    "+  - {id: f1, title: Flow action, owner: ana, due: 2027-02-01, horizon: medium-term,"
    " status: doing}",
]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme.yaml").write_text(COMMENTED, encoding="utf-8")
    (tmp_path / "plans" / "beta.yaml").write_text(SECOND, encoding="utf-8")
    return tmp_path


def plan_bytes(workspace: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((workspace / "plans").glob("*.yaml"))}


def export(workspace: Path, name: str = "sheet.xlsx", *extra: str) -> Path:
    fmt = "csv" if name.endswith(".csv") else "xlsx"
    result = run_cxplan(workspace, "export", "plans", "--format", fmt, "-o", name,
                        "--as-of", "2027-01-20", *extra)
    assert result.returncode == 0, result.stderr
    return workspace / name


def column(sheet: openpyxl.worksheet.worksheet.Worksheet, name: str) -> int:
    return [c.value for c in sheet[1]].index(name) + 1


def row_of(sheet: openpyxl.worksheet.worksheet.Worksheet, item: str) -> int:
    ids = column(sheet, "id")
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, ids).value == item)


def edit(path: Path, changes: dict[tuple[str, str], object]) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book["updates"]
    for (item, name), value in changes.items():
        sheet.cell(row_of(sheet, item), column(sheet, name)).value = value
    book.save(path)


def test_the_sheet_is_protected_validated_and_typed(workspace: Path) -> None:
    book = openpyxl.load_workbook(export(workspace))
    sheet = book["updates"]
    assert sheet.protection.sheet
    a1 = row_of(sheet, "a1")
    assert sheet.cell(a1, column(sheet, "id")).protection.locked
    assert sheet.cell(a1, column(sheet, "title")).protection.locked
    for name in ("status", "due", "done_on", "note"):
        assert not sheet.cell(a1, column(sheet, name)).protection.locked, name
    assert sheet.cell(a1, column(sheet, "perceived")).protection.locked  # not an action's
    c1 = row_of(sheet, "c1")
    assert not sheet.cell(c1, column(sheet, "perceived")).protection.locked
    assert sheet.cell(c1, column(sheet, "status")).protection.locked
    assert sheet.cell(a1, column(sheet, "due")).value == dt.datetime(2027, 1, 25)
    fingerprint = sheet.column_dimensions[
        openpyxl.utils.get_column_letter(column(sheet, "fingerprint"))
    ]
    assert fingerprint.hidden
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    status_letter = openpyxl.utils.get_column_letter(column(sheet, "status"))
    status = next(v for ref, v in validations.items() if ref.startswith(status_letter))
    assert status.type == "list" and "blocked" in status.formula1
    assert any(v.type == "date" for v in validations.values())
    # --person: one owner's items across plans.
    only = openpyxl.load_workbook(export(workspace, "ben.xlsx", "--person", "ben"))["updates"]
    owners = {only.cell(r, column(only, "owner")).value for r in range(2, only.max_row + 1)}
    assert owners == {"ben"} and only.max_row == 1 + 2  # a2 and c2


def test_untouched_round_trip_changes_no_byte(workspace: Path) -> None:
    before = plan_bytes(workspace)
    for name in ("sheet.xlsx", "sheet.csv"):
        path = export(workspace, name)
        # A person opens and saves it without a change.
        if name.endswith(".xlsx"):
            book = openpyxl.load_workbook(path)
            book.save(path)
        result = run_cxplan(workspace, "import", name)
        assert result.returncode == 0, result.stderr
        assert "No change" in result.stdout
        assert plan_bytes(workspace) == before


def test_edited_sheet_changes_only_the_edited_lines(workspace: Path) -> None:
    before = (workspace / "plans" / "acme.yaml").read_text(encoding="utf-8")
    path = export(workspace)
    edit(path, {
        ("a1", "status"): "done", ("a1", "done_on"): dt.datetime(2027, 1, 22),
        ("a2", "due"): dt.datetime(2027, 2, 4),
        ("c1", "perceived"): 5,
        ("f1", "status"): "doing",
        ("a1", "note"): "finished early",
    })
    dry = run_cxplan(workspace, "import", "sheet.xlsx", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert (workspace / "plans" / "acme.yaml").read_text(encoding="utf-8") == before
    assert "+    status: done   # still to do" in dry.stdout
    result = run_cxplan(workspace, "import", "sheet.xlsx")
    assert result.returncode == 0, result.stderr
    assert "note: acme a1: finished early" in result.stdout
    after = (workspace / "plans" / "acme.yaml").read_text(encoding="utf-8")
    diff = [
        line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0,
                                              lineterm="")
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert diff == EXPECTED_DIFF
    assert (workspace / "plans" / "beta.yaml").read_text(encoding="utf-8") == SECOND
    validate = run_cxplan(workspace, "validate", "plans")
    assert validate.returncode == 0 and " 0 error(s)" in validate.stdout
    # Imported again, the same sheet is now stale (the items changed since export).
    again = run_cxplan(workspace, "import", "sheet.xlsx")
    assert again.returncode == 1


def test_stale_row_is_refused_with_item_field_and_both_values(workspace: Path) -> None:
    path = export(workspace)
    edit(path, {("a1", "status"): "doing"})
    plan = workspace / "plans" / "acme.yaml"
    plan.write_text(plan.read_text().replace("due: 2027-01-25", "due: 2027-01-27"))
    before = plan_bytes(workspace)
    result = run_cxplan(workspace, "import", "sheet.xlsx")
    assert result.returncode == 1
    sheet = openpyxl.load_workbook(path)["updates"]
    where = f"sheet.xlsx:updates!{row_of(sheet, 'a1')}:{column(sheet, 'due')}"
    assert (
        f"{where}: error: 'a1' changed in the plan since the sheet was exported: due is "
        "2027-01-27 in the file, 2027-01-25 in the sheet"
    ) in result.stderr
    assert "nothing was written" in result.stderr
    assert plan_bytes(workspace) == before


@pytest.mark.parametrize(
    ("item", "name", "value", "message"),
    [
        ("a1", "status", "finished", "'finished' is not a status"),
        ("a1", "due", "next week", "'next week' is not a date written YYYY-MM-DD"),
        ("a1", "due", "2027-02-30", "'2027-02-30' is not a date"),
        ("c1", "perceived", 7, "'7' is not a perceived score"),
        ("a1", "id", "a-unknown", "no action 'a-unknown' in plan 'acme'"),
        ("a1", "plan", "nowhere", "no plan 'nowhere' here"),
        ("a1", "due", "=TODAY()+7", "a formula (=TODAY()+7) is never evaluated"),
        ("a1", "note", "=HYPERLINK(\"http://x\")", "a formula"),
    ],
)
def test_bad_cells_are_positioned_and_nothing_is_written(
    workspace: Path, item: str, name: str, value: object, message: str
) -> None:
    path = export(workspace)
    sheet = openpyxl.load_workbook(path)["updates"]
    where = f"sheet.xlsx:updates!{row_of(sheet, item)}:{column(sheet, name)}"
    # Good edits in the same sheet, in this plan and in another, are not written either.
    edit(path, {("a2", "status"): "doing", ("b1", "status"): "doing", (item, name): value})
    before = plan_bytes(workspace)
    result = run_cxplan(workspace, "import", "sheet.xlsx")
    assert result.returncode == 1
    assert f"{where}: error: {message}" in result.stderr, result.stderr
    assert plan_bytes(workspace) == before


def test_csv_edits_apply_and_positions_are_line_col(workspace: Path) -> None:
    path = export(workspace, "sheet.csv")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    header = rows[0]
    a2 = next(i for i, r in enumerate(rows) if r[header.index("id")] == "a2")
    rows[a2][header.index("status")] = "blocked"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    result = run_cxplan(workspace, "import", "sheet.csv")
    assert result.returncode == 0, result.stderr
    text = (workspace / "plans" / "acme.yaml").read_text()
    assert "    kind: process   # kind comment\n    status: blocked\n" in text
    # An edit of a read-only column is refused, not dropped.
    rows = list(csv.reader(io.StringIO(export(workspace, "again.csv").read_text("utf-8-sig"))))
    a1 = next(i for i, r in enumerate(rows) if r[header.index("id")] == "a1")
    rows[a1][header.index("title")] = "Another title"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    (workspace / "again.csv").write_text(out.getvalue(), encoding="utf-8-sig")
    refused = run_cxplan(workspace, "import", "again.csv")
    assert refused.returncode == 1
    where = f"again.csv:{a1 + 1}:{header.index('title') + 1}"
    assert f"{where}: error: the column 'title' is read-only" in refused.stderr


# --- files that are not sheets ----------------------------------------------------------


def _refused(workspace: Path, name: str, message: str) -> None:
    before = plan_bytes(workspace)
    result = run_cxplan(workspace, "import", name)
    assert result.returncode == 1
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert plan_bytes(workspace) == before


def test_a_renamed_file_is_refused(workspace: Path) -> None:
    (workspace / "notes.xlsx").write_text("plan,kind,id\nacme,action,a1\n")
    _refused(workspace, "notes.xlsx", "is not an .xlsx workbook (a renamed file?)")
    # A zip that is not a workbook.
    with zipfile.ZipFile(workspace / "archive.xlsx", "w") as archive:
        archive.writestr("readme.txt", "hello")
    _refused(workspace, "archive.xlsx", "is not an .xlsx workbook")
    # A workbook renamed to .csv.
    export(workspace).rename(workspace / "book.csv")
    _refused(workspace, "book.csv", "is not a CSV text file")
    (workspace / "plan.pdf").write_bytes(b"%PDF-1.4")
    _refused(workspace, "plan.pdf", "is not a spreadsheet cxplan reads")


def test_a_password_protected_workbook_is_refused(workspace: Path) -> None:
    plain = export(workspace)
    encrypted = workspace / "locked.xlsx"
    with plain.open("rb") as source, encrypted.open("wb") as target:
        office = OOXMLFile(source)
        office.encrypt("secret", target)
    _refused(workspace, "locked.xlsx", "is password-protected (encrypted)")


def test_a_macro_enabled_workbook_is_refused(workspace: Path) -> None:
    plain = export(workspace)
    _refused_copy = workspace / "macros.xlsm"
    _refused_copy.write_bytes(plain.read_bytes())
    _refused(workspace, "macros.xlsm", "is a macro-enabled workbook")
    # Macros inside a file named .xlsx: found by content, not by name.
    hidden = workspace / "hidden.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(hidden, "w") as target:
        for member in source.infolist():
            target.writestr(member, source.read(member))
        target.writestr("xl/vbaProject.bin", b"\x00" * 64)
    _refused(workspace, "hidden.xlsx", "is a macro-enabled workbook")


def test_a_zip_bomb_is_refused_before_unpacking(workspace: Path) -> None:
    plain = export(workspace)
    bomb = workspace / "bomb.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(
        bomb, "w", compression=zipfile.ZIP_DEFLATED
    ) as target:
        for member in source.infolist():
            target.writestr(member, source.read(member))
        # 130 MiB of zeros (over the 128 MiB cap): a few hundred KiB packed.
        with target.open("xl/media/padding.bin", "w", force_zip64=True) as stream:
            chunk = b"\0" * (1 << 20)
            for _ in range(130):
                stream.write(chunk)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    _refused(workspace, "bomb.xlsx", "far larger than any plan's update sheet")


def _with_sheet_xml(plain: Path, target: Path, rows: int, declared: int | None) -> None:
    """The exported workbook with its sheet replaced by `rows` rows of inline text."""
    cells = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>acme</t></is></c>'
        f'<c r="B{r}" t="inlineStr"><is><t>action</t></is></c></row>'
        for r in range(2, rows + 2)
    )
    ref = f'<dimension ref="A1:R{declared}"/>' if declared else ""
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'{ref}<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>plan</t></is></c></row>'
        f"{cells}</sheetData></worksheet>"
    )
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(
        target, "w", compression=zipfile.ZIP_DEFLATED
    ) as out:
        for member in source.infolist():
            data = source.read(member)
            out.writestr(member, xml if member.filename == "xl/worksheets/sheet1.xml" else data)


def test_a_sheet_far_larger_than_any_plan_is_refused(workspace: Path) -> None:
    import resource

    plain = export(workspace)
    # Declared huge: refused before reading a row.
    _with_sheet_xml(plain, workspace / "declared.xlsx", 10, declared=1_048_576)
    # Not declared (or declared small): counted while reading, refused at the cap.
    _with_sheet_xml(plain, workspace / "counted.xlsx", 20_001, declared=None)
    start = resource.getrusage(resource.RUSAGE_SELF).ru_utime
    _refused(workspace, "declared.xlsx", "far larger than any plan")
    _refused(workspace, "counted.xlsx", "far larger than any plan")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_utime - start < 30


def test_xlsx_needs_an_output_file(workspace: Path) -> None:
    result = run_cxplan(workspace, "export", "plans", "--format", "xlsx")
    assert result.returncode == 2
