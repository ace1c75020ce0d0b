"""`cxplan import` of KPI readings and survey results (a readings file or a survey
tool's CSV export), applied to the plan texts with the comment-keeping editor.

Two kinds of file, told apart by their header:

- a readings file: columns `kpi`, `date`, `value` (and `plan` when a KPI id exists in
  several plans); one reading per row;
- a survey export: any columns; a `surveys:` entry of the workspace settings
  (`cxplan.config.SurveyMapping`, in mkdocs.yml) whose `date` column and mapped
  columns are all in the header says how to read it. Each row is one answer; a KPI
  gets one reading per day (the day's answers' mean, or their NPS), a commitment's
  `perceived` becomes the rounded mean of its 1-5 answers.

Readings go in date order (`cxplan.edit.splice_reading`). A date the KPI already has
is no change when the value is the same and refused when it differs: a measurement is
never overwritten by an import. Problems carry the file's positions; then nothing is
written (the caller checks and writes through `cxplan.importer`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence

from cxplan import i18n
from cxplan.config import SurveyMapping
from cxplan.edit import EditRefused, splice_field, splice_reading
from cxplan.importer import ImportRefused, PlanText, Problem, Workspace, cell_date, cell_text
from cxplan.model.plan import Kpi
from cxplan.sheets import Cell, Table

_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)$")
_DECIMAL_COMMA = re.compile(r"^[-+]?\d+,\d+$")


def _number(text: str) -> int | float | None:
    if _DECIMAL_COMMA.match(text):  # 3,8 as Spanish and Portuguese spreadsheets write it
        text = text.replace(",", ".")
    if not _NUMBER.match(text):
        return None
    number = float(text)
    return int(number) if number.is_integer() and "." not in text else number


def _written(value: int | float) -> str:
    return str(value) if isinstance(value, int) else repr(round(value, 6))


def apply_readings(
    table: Table, workspace: Workspace, surveys: Sequence[SurveyMapping]
) -> list[str]:
    """Edit the workspace's plan texts with the file's readings; returns notes."""
    language = workspace.language
    if all(name in table.header for name in ("kpi", "date", "value")):
        readings = _readings_file(table, workspace)
        perceived: dict[tuple[str, str], tuple[int, str]] = {}
    else:
        mapping = next((m for m in surveys if _matches(table, m)), None)
        if mapping is None:
            raise ImportRefused([Problem(table.file, i18n.text(language, "import.kind_unknown"))])
        readings, perceived = _survey(table, workspace, mapping)
    problems: list[Problem] = []
    for (plan_id, kpi_id), by_date in sorted(readings.items()):
        plan_text = workspace.plans[plan_id]
        index, kpi = _kpi(plan_text, kpi_id)
        existing = {r.date: r.value for r in kpi.readings}
        for day, (value, where) in sorted(by_date.items()):
            if day in existing:
                if existing[day] != value:
                    problems.append(Problem(where, i18n.text(
                        language, "import.reading.conflict", kpi=kpi_id, date=day.isoformat(),
                        file=_written(existing[day]), sheet=_written(value),
                    )))
                continue
            try:
                plan_text.text = splice_reading(plan_text.text, index, day.isoformat(),
                                                _written(value))
            except EditRefused as refused:
                problems.append(Problem(where, i18n.text(
                    language, "import.row.layout", reason=refused.in_language(language))))
                break
    for (plan_id, commitment_id), (score, where) in sorted(perceived.items()):
        plan_text = workspace.plans[plan_id]
        items = plan_text.plan_file.plan.commitments
        index = next(i for i, c in enumerate(items) if c.id == commitment_id)
        if items[index].perceived == score:
            continue
        try:
            plan_text.text = splice_field(
                plan_text.text, "commitments", index, "perceived", str(score),
                ("expectation", "due", "owner", "to", "id"),
            )
            plan_text.expected.append(("commitments", index, "perceived", score))
        except EditRefused as refused:
            problems.append(Problem(where, i18n.text(
                language, "import.row.layout", reason=refused.in_language(language))))
    if problems:
        raise ImportRefused(problems)
    return []


def _matches(table: Table, mapping: SurveyMapping) -> bool:
    """The mapping's columns are all in the file's header."""
    columns = (mapping.date, *mapping.kpis.values(), *mapping.commitments.values())
    return all(column in table.header for column in columns)


def _kpi(plan_text: PlanText, kpi_id: str) -> tuple[int, Kpi]:
    kpis = plan_text.plan_file.plan.kpis
    index = next(i for i, k in enumerate(kpis) if k.id == kpi_id)
    return index, kpis[index]


def _find_kpi(workspace: Workspace, kpi_id: str, plan_id: str | None) -> list[str]:
    """The plans (ids) holding a KPI `kpi_id` (only `plan_id` when given)."""
    return [
        pid for pid, plan_text in sorted(workspace.plans.items())
        if (plan_id is None or pid == plan_id)
        and any(k.id == kpi_id for k in plan_text.plan_file.plan.kpis)
    ]


Readings = dict[tuple[str, str], dict[dt.date, tuple[int | float, str]]]


def _readings_file(table: Table, workspace: Workspace) -> Readings:
    language = workspace.language
    problems: list[Problem] = []
    readings: Readings = defaultdict(dict)
    for cells in table.rows:
        if all(cell.value is None for cell in cells):
            continue
        by_name = {name: cells[i] for i, name in enumerate(table.header) if i < len(cells)}
        number = cells[0].row

        def where(name: str, by_name: dict[str, Cell] = by_name, number: int = number) -> str:
            cell = by_name.get(name)
            return table.where(number, cell.column if cell else table.column(name) or 1)

        formula = next((c for c in cells if c.formula), None)
        if formula is not None:
            problems.append(Problem(table.where(formula.row, formula.column), i18n.text(
                language, "import.cell.formula", value=cell_text(formula.value)[:40])))
            continue
        kpi_id = cell_text(by_name["kpi"].value if "kpi" in by_name else None)
        plan_id = cell_text(by_name["plan"].value) if "plan" in by_name else None
        plans = _find_kpi(workspace, kpi_id, plan_id or None)
        if len(plans) != 1:
            key = "import.reading.no_kpi" if not plans else "import.reading.ambiguous"
            problems.append(Problem(where("kpi"), i18n.text(
                language, key, kpi=kpi_id, plans=", ".join(plans))))
            continue
        day = cell_date(by_name["date"].value if "date" in by_name else None)
        if not isinstance(day, dt.date):
            problems.append(Problem(where("date"), i18n.text(
                language, "import.cell.date", value=day or "")))
            continue
        raw = by_name["value"].value if "value" in by_name else None
        value = raw if isinstance(raw, int | float) and not isinstance(raw, bool) else (
            _number(cell_text(raw)))
        if value is None:
            problems.append(Problem(where("value"), i18n.text(
                language, "import.reading.value", value=cell_text(raw))))
            continue
        target = (plans[0], kpi_id)
        earlier = readings[target].get(day)
        if earlier is not None and earlier[0] != value:
            problems.append(Problem(where("value"), i18n.text(
                language, "import.reading.twice", kpi=kpi_id, date=day.isoformat())))
            continue
        readings[target][day] = (value, where("value"))
    if problems:
        raise ImportRefused(problems)
    return readings


def _survey(
    table: Table, workspace: Workspace, mapping: SurveyMapping
) -> tuple[Readings, dict[tuple[str, str], tuple[int, str]]]:
    language = workspace.language
    problems: list[Problem] = []
    targets: dict[str, str] = {}
    for kpi_id in mapping.kpis:
        plans = _find_kpi(workspace, kpi_id, mapping.plan)
        if len(plans) != 1:
            key = "import.reading.no_kpi" if not plans else "import.reading.ambiguous"
            problems.append(Problem(table.file, i18n.text(
                language, key, kpi=kpi_id, plans=", ".join(plans))))
        else:
            targets[kpi_id] = plans[0]
    commitment_plans: dict[str, str] = {}
    for commitment_id in mapping.commitments:
        plans = [
            pid for pid, p in sorted(workspace.plans.items())
            if (mapping.plan is None or pid == mapping.plan)
            and any(c.id == commitment_id for c in p.plan_file.plan.commitments)
        ]
        if len(plans) != 1:
            problems.append(Problem(table.file, i18n.text(
                language, "import.survey.commitment", commitment=commitment_id,
                plans=", ".join(plans))))
        else:
            commitment_plans[commitment_id] = plans[0]
    answers: dict[str, dict[dt.date, list[float]]] = defaultdict(lambda: defaultdict(list))
    scores: dict[str, list[int]] = defaultdict(list)
    first_cell: dict[str, str] = {}
    date_column = table.header.index(mapping.date)
    for cells in table.rows:
        if all(cell.value is None for cell in cells):
            continue
        formula = next((c for c in cells if c.formula), None)
        if formula is not None:
            problems.append(Problem(table.where(formula.row, formula.column), i18n.text(
                language, "import.cell.formula", value=cell_text(formula.value)[:40])))
            continue
        written = cells[date_column].value if date_column < len(cells) else None
        day = _survey_date(written, mapping.date_format)
        if day is None:
            problems.append(Problem(table.where(cells[0].row, date_column + 1), i18n.text(
                language, "import.survey.date", value=cell_text(written),
                format=mapping.date_format)))
            continue
        for target, column_name in (*mapping.kpis.items(), *mapping.commitments.items()):
            index = table.header.index(column_name)
            cell = cells[index] if index < len(cells) else None
            text = cell_text(cell.value if cell else None)
            if text == "":
                continue  # a question the person skipped
            value = _number(text)
            where = table.where(cells[0].row, index + 1)
            if target in mapping.commitments:
                if not isinstance(value, int) or not 1 <= value <= 5:
                    problems.append(Problem(where, i18n.text(
                        language, "import.cell.perceived", value=text)))
                    continue
                scores[target].append(value)
            else:
                if value is None:
                    problems.append(Problem(where, i18n.text(
                        language, "import.reading.value", value=text)))
                    continue
                answers[target][day].append(float(value))
            first_cell.setdefault(target, where)
    if problems:
        raise ImportRefused(problems)
    readings: Readings = defaultdict(dict)
    for kpi_id, by_day in answers.items():
        how = mapping.aggregate.get(kpi_id, "mean")
        for day, values in by_day.items():
            readings[(targets[kpi_id], kpi_id)][day] = (
                _aggregate(values, how), first_cell[kpi_id]
            )
    perceived = {
        (commitment_plans[cid], cid): (_rounded_mean(values), first_cell[cid])
        for cid, values in scores.items()
    }
    return readings, perceived


def _survey_date(value: object, date_format: str) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)  # type: ignore[arg-type]
    # A timestamp (`2027-01-05 14:03`) counts on its day: the part after the date's
    # own characters is ignored.
    for end in range(len(text), 0, -1):
        try:
            return dt.datetime.strptime(text[:end].strip(), date_format).date()
        except ValueError:
            continue
    return None


def _aggregate(values: list[float], how: str) -> int | float:
    if how == "nps":
        promoters = sum(1 for v in values if v >= 9)
        detractors = sum(1 for v in values if v <= 6)
        score = round(100 * (promoters - detractors) / len(values), 1)
        return int(score) if score.is_integer() else score
    mean = sum(values) / len(values)
    return int(mean) if mean.is_integer() else round(mean, 2)


def _rounded_mean(values: list[int]) -> int:
    # Half up (4.5 -> 5), not Python's round-half-to-even: what a person expects.
    return int(sum(values) / len(values) + 0.5)
