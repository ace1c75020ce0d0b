"""`cxplan import`: apply an edited update sheet to the plan files, all of them or none.

The sheet was read by `cxplan.sheets`; here each row is matched to its item and its
editable cells (`cxplan.model.sheet_columns.EDITABLE`) are turned into edits of the
plan text with the comment-keeping editor (`cxplan.edit`), the one `done` and
`set-status` use. The order of safety is the editor's:

1. every row is checked first: the plan and item exist, the item has not changed
   since the sheet was exported (its fingerprint), every value is possible (a status
   of the format, a real date written as a date, perceived 1 to 5, no formula).
   Any problem is reported with its `sheet!row:col` position and nothing is written;
2. the edited text of each plan is validated in memory with the pipeline of `cxplan
   validate`, and must read back with the values asked for;
3. only then is every changed plan written (atomically, one by one; if a write fails,
   the plans already written are put back as they were).

A cell that holds what the plan holds is no edit: an untouched sheet changes no byte.
What is guessed: nothing. One rule follows `cxplan done`: an action set to done with
an empty done_on is done today.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from cxplan import i18n
from cxplan.diagnostics import Diagnostic
from cxplan.edit import Edit, EditRefused, plan_bytes, read_plan_text, splice_many
from cxplan.files import FileState, WriteFailed, locked, write_atomically
from cxplan.load import parse
from cxplan.model.build import PlanFile, build_plan, find_plan_files, load_plan
from cxplan.model.fingerprint import changed_fields, parse_fingerprint
from cxplan.model.messages import did_you_mean
from cxplan.model.plan import STATUSES, Action, Commitment
from cxplan.model.sheet_columns import EDITABLE, REQUIRED, looks_like_formula
from cxplan.sheets import Cell, CellValue, Table

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Where a key the item lacks is added: after these, best first (the format's order).
_AFTER = {
    ("actions", "due"): ("owner", "title", "id"),
    ("commitments", "due"): ("owner", "moment", "to", "promise", "id"),
    ("commitments", "perceived"): ("expectation", "due", "owner", "to", "id"),
}


@dataclass(frozen=True)
class Problem:
    """Something wrong in the sheet (or the result), with where it is."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: error: {self.message}"


class ImportRefused(Exception):
    """Nothing was written; the problems say why."""

    def __init__(self, problems: Sequence[Problem], diagnostics: Sequence[Diagnostic] = ()):
        super().__init__(str(problems[0]) if problems else "refused")
        self.problems = list(problems)
        self.diagnostics = list(diagnostics)


@dataclass
class PlanText:
    """One plan file being edited: its text as read and as edited so far."""

    plan_file: PlanFile
    path: Path
    original: str
    has_bom: bool
    text: str
    state: FileState | None = None
    """The file as read: a write is refused if another writer changed it since."""
    expected: list[tuple[str, int, str, Any]] = field(default_factory=list)
    """(section, index, key, value) the edited text must read back with."""
    edits: list[tuple[Edit, _Row]] = field(default_factory=list)
    """The edits an update sheet asks for, each with its row (for a refusal's position)."""

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def diff(self) -> str:
        shown = str(self.path)
        return "".join(
            difflib.unified_diff(
                self.original.splitlines(keepends=True), self.text.splitlines(keepends=True),
                fromfile=f"a/{shown}", tofile=f"b/{shown}",
            )
        )


@dataclass
class Workspace:
    """The plans an import may edit, by id."""

    plans: dict[str, PlanText]
    language: str

    def ids(self) -> list[str]:
        return sorted(self.plans)


def open_workspace(paths: Sequence[Path], language: str) -> Workspace:
    """Every plan under `paths`, read and built; refused when one does not validate
    (an import applies to plans that are valid to begin with)."""
    files, problems = find_plan_files(paths)
    diagnostics = list(problems)
    plans: dict[str, PlanText] = {}
    for path in files:
        state = FileState.of(path)
        plan_file, found = load_plan(path, display=str(path))
        if plan_file is None:
            diagnostics.extend(found)
            continue
        try:
            text, has_bom = read_plan_text(path, str(path))
        except EditRefused as refused:
            problem = Problem(str(path), refused.in_language(language))
            raise ImportRefused([problem], refused.diagnostics) from None
        plans[plan_file.id] = PlanText(plan_file, path, text, has_bom, text, state)
    if diagnostics:
        raise ImportRefused(
            [Problem(str(diagnostics[0].path), i18n.text(language, "import.plans_invalid"))],
            diagnostics,
        )
    return Workspace(plans, language)


# --- values of cells ------------------------------------------------------------------


def cell_text(value: CellValue) -> str:
    """A cell as text, without the `'` the export put before formula-like text."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    if text.startswith("'") and looks_like_formula(text[1:]):
        return text[1:].strip()  # the `'` the export put before formula-like text
    return text.strip()


def cell_date(value: CellValue) -> dt.date | str | None:
    """A date, None for an empty cell, or the text that is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if _DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return text


class _Row:
    """One row of the sheet: cells by column name, and positioned problems."""

    def __init__(self, table: Table, cells: list[Cell], number: int, problems: list[Problem],
                 language: str) -> None:
        self.table = table
        self.cells = {name: cells[i] for i, name in enumerate(table.header) if i < len(cells)}
        self.number = number
        self.problems = problems
        self.language = language

    def value(self, name: str) -> CellValue:
        cell = self.cells.get(name)
        return cell.value if cell is not None else None

    def problem(self, name: str, key: str, **params: Any) -> None:
        cell = self.cells.get(name)
        column = cell.column if cell is not None else (self.table.column(name) or 1)
        self.problems.append(
            Problem(self.table.where(self.number, column), i18n.text(self.language, key, **params))
        )


# --- the update sheet -----------------------------------------------------------------


def is_update_sheet(table: Table) -> bool:
    return all(name in table.header for name in REQUIRED)


def plan_updates(table: Table, workspace: Workspace, *, today: dt.date) -> list[str]:
    """Edit the workspace's plan texts as the sheet says; returns the sheet's notes.

    Raises `ImportRefused` with every problem found (positions in the sheet) when any
    row cannot be applied; the plan texts are then not to be written.
    """
    language = workspace.language
    problems: list[Problem] = []
    notes: list[str] = []
    seen: dict[tuple[str, str, str], int] = {}
    for cells in table.rows:
        if all(cell.value is None for cell in cells):
            continue
        number = cells[0].row
        row = _Row(table, cells, number, problems, language)
        formulas = [c for c in cells if c.formula]
        if formulas:
            for cell in formulas:
                problems.append(Problem(
                    table.where(cell.row, cell.column),
                    i18n.text(language, "import.cell.formula", value=cell_text(cell.value)[:40]),
                ))
            continue
        item = _find_item(row, workspace)
        if item is None:
            continue
        plan_text, section, index, model = item
        key = (plan_text.plan_file.id, section, model.id)  # type: ignore[attr-defined]
        if key in seen:
            row.problem("id", "import.row.twice", id=key[2], row=seen[key])
            continue
        seen[key] = number
        if not _fresh(row, model):
            continue
        if not _read_only_unchanged(row, model):
            continue
        note = cell_text(row.value("note"))
        if note:
            notes.append(f"{key[0]} {key[2]}: {note}")
        if isinstance(model, Action):
            _action_edits(row, plan_text, index, model, today)
        elif isinstance(model, Commitment):
            _commitment_edits(row, plan_text, index, model)
    for plan_text in workspace.plans.values():
        text, refused = splice_many(plan_text.text, [edit for edit, _ in plan_text.edits])
        rows = {id(edit): row for edit, row in plan_text.edits}
        for edit, reason in refused:
            rows[id(edit)].problem("id", "import.row.layout", reason=reason)
        plan_text.text = text
    if problems:
        raise ImportRefused(problems)
    return notes


def _find_item(
    row: _Row, workspace: Workspace
) -> tuple[PlanText, str, int, BaseModel] | None:
    plan_id = cell_text(row.value("plan"))
    plan_text = workspace.plans.get(plan_id)
    if plan_text is None:
        hint = did_you_mean(plan_id, workspace.ids(), row.language) or ", ".join(workspace.ids())
        row.problem("plan", "import.row.no_plan", plan=plan_id, hint=hint)
        return None
    kind = cell_text(row.value("kind"))
    if kind not in EDITABLE:
        row.problem("kind", "import.row.kind", kind=kind)
        return None
    section = "actions" if kind == "action" else "commitments"
    item_id = cell_text(row.value("id"))
    items = getattr(plan_text.plan_file.plan, section)
    for index, model in enumerate(items):
        if model.id == item_id:
            return plan_text, section, index, model
    hint = did_you_mean(item_id, [m.id for m in items], row.language)
    row.problem("id", f"import.row.no_{kind}", id=item_id, plan=plan_id,
                hint=f"; {hint}" if hint else "")
    return None


def _fresh(row: _Row, model: BaseModel) -> bool:
    """Refuse a row whose item changed in the plan since the sheet was exported."""
    exported = parse_fingerprint(cell_text(row.value("fingerprint")))
    if exported is None:
        row.problem("fingerprint", "import.row.fingerprint")
        return False
    changed = changed_fields(model, exported)
    for name in changed:
        now = getattr(model, name, None)
        in_sheet = cell_text(row.value(name)) if name in row.cells else None
        row.problem(
            name if name in row.cells else "id", "import.row.stale",
            id=model.id, field=name,  # type: ignore[attr-defined]
            file=_shown(now), sheet=in_sheet if in_sheet is not None else "-",
        )
    return not changed


def _shown(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _read_only_unchanged(row: _Row, model: BaseModel) -> bool:
    """A CSV has no protected cells: an edit of an identifying column is refused
    rather than dropped without a word."""
    title = model.title if isinstance(model, Action) else getattr(model, "promise", "")
    checks = {"title": title, "owner": getattr(model, "owner", "")}
    fine = True
    for name, value in checks.items():
        if name in row.cells and cell_text(row.value(name)) != str(value).strip():
            row.problem(name, "import.cell.read_only", column=name)
            fine = False
    return fine


def _action_edits(row: _Row, plan_text: PlanText, index: int, action: Action,
                  today: dt.date) -> None:
    status = cell_text(row.value("status")) if "status" in row.cells else action.status
    if status not in STATUSES:
        row.problem("status", "import.cell.status", value=status, statuses=", ".join(STATUSES))
        return
    due = cell_date(row.value("due")) if "due" in row.cells else action.due
    done_on = cell_date(row.value("done_on")) if "done_on" in row.cells else action.done_on
    bad = False
    for name, value in (("due", due), ("done_on", done_on)):
        if isinstance(value, str):
            row.problem(name, "import.cell.date", value=value)
            bad = True
    if due is None:
        row.problem("due", "import.cell.required", column="due")
        bad = True
    if bad:
        return
    assert isinstance(due, dt.date) and not isinstance(done_on, str)
    if status == "done" and done_on is None:
        done_on = action.done_on or today
    if status != "done" and done_on is not None:
        if done_on != action.done_on or action.status == status:
            row.problem("done_on", "import.cell.done_on", status=status)
            return
        done_on = None  # set back from done: the date goes with it, as in set-status
    if (status, done_on) != (action.status, action.done_on):
        plan_text.edits.append((Edit(
            "actions", index, "status", status, done_on.isoformat() if done_on else None
        ), row))
        plan_text.expected += [
            ("actions", index, "status", status), ("actions", index, "done_on", done_on)
        ]
    if due != action.due:
        plan_text.edits.append((Edit(
            "actions", index, "due", due.isoformat(), after=_AFTER[("actions", "due")]
        ), row))
        plan_text.expected.append(("actions", index, "due", due))


def _commitment_edits(row: _Row, plan_text: PlanText, index: int, commitment: Commitment) -> None:
    due = cell_date(row.value("due")) if "due" in row.cells else commitment.due
    if isinstance(due, str):
        row.problem("due", "import.cell.date", value=due)
        return
    if due is None:
        row.problem("due", "import.cell.required", column="due")
        return
    perceived: int | None = commitment.perceived
    if "perceived" in row.cells:
        raw = row.value("perceived")
        text_value = cell_text(raw)
        if text_value == "":
            perceived = None
        elif text_value.isdigit() and 1 <= int(text_value) <= 5:
            perceived = int(text_value)
        else:
            row.problem("perceived", "import.cell.perceived", value=text_value)
            return
    if due != commitment.due:
        plan_text.edits.append((Edit(
            "commitments", index, "due", due.isoformat(), after=_AFTER[("commitments", "due")]
        ), row))
        plan_text.expected.append(("commitments", index, "due", due))
    if perceived != commitment.perceived:
        plan_text.edits.append((Edit(
            "commitments", index, "perceived", None if perceived is None else str(perceived),
            after=_AFTER[("commitments", "perceived")],
        ), row))
        plan_text.expected.append(("commitments", index, "perceived", perceived))


# --- checking and writing -------------------------------------------------------------


def check_all(workspace: Workspace) -> None:
    """Every changed plan validates and reads back as intended, or `ImportRefused`."""
    diagnostics: list[Diagnostic] = []
    problems: list[Problem] = []
    for plan_text in workspace.plans.values():
        if not plan_text.changed:
            continue
        shown = str(plan_text.path)
        source, found = parse(shown, plan_text.text)
        if source.data is not None and not found:
            _, found = build_plan(source, plan_text.plan_file.id)
        if found:
            diagnostics.extend(found)
            problems.append(Problem(shown, i18n.text(workspace.language, "import.invalid")))
            continue
        data = source.data
        for section, index, key, value in plan_text.expected:
            written = data[section][index].get(key)
            if key == "status" and written is None:
                written = "todo"
            wanted = value.isoformat() if isinstance(value, dt.date) else value
            if written != wanted:
                problems.append(Problem(shown, i18n.text(workspace.language, "import.readback")))
                break
    if problems:
        raise ImportRefused(problems, sorted(diagnostics))


def write_all(workspace: Workspace) -> list[Path]:
    """Write every changed plan; on a failure put back the ones already written.

    The writers' lock (`cxplan.files.locked`, the one `done` and `set-status` take) is
    held on every folder concerned for the whole batch, taken in one order so two
    imports cannot wait on each other; a plan another writer changed since it was
    read is refused (`WriteFailed`) and the batch is undone.
    """
    changed = [p for p in workspace.plans.values() if p.changed]
    folders = sorted({p.path.resolve().parent for p in changed})
    written: list[PlanText] = []
    with contextlib.ExitStack() as stack:
        for folder in folders:
            # The lock is the folder's: any file in it names it.
            stack.enter_context(locked(folder / ".cxplan-import"))
        try:
            for plan_text in changed:
                write_atomically(plan_text.path, plan_bytes(plan_text.text, plan_text.has_bom),
                                 expected=plan_text.state)
                written.append(plan_text)
        except (WriteFailed, OSError):
            for done in written:
                write_atomically(done.path, plan_bytes(done.original, done.has_bom))
            raise
    return [p.path for p in written]
