"""`cxplan import`: edits from an update sheet, KPI readings or survey results, into plans."""

from __future__ import annotations

from pathlib import Path

import click

from cxplan import i18n
from cxplan.cli.options import config_option
from cxplan.config import load_config, today
from cxplan.diagnostics import format_text


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show the changes as a diff; write nothing.")
@config_option
def command(file: Path, paths: tuple[Path, ...], dry_run: bool, config_file: Path | None) -> int:
    """Apply an edited update sheet (.xlsx or .csv), KPI readings or survey results.

    FILE is one of: an update sheet made by `cxplan export --format xlsx|csv`
    (its edited status, due, done_on and perceived cells are applied); a readings
    file with the columns kpi, date, value (and plan, when a KPI id is in several
    plans); or a survey tool's CSV export, with the column mapping in the
    workspace settings (`surveys:` in the cxplan plugin options of mkdocs.yml).

    The changes are printed as a diff. Every plan is validated in memory first;
    then all changed plans are written, or, on any problem, none (each problem with
    its sheet!row:col). Comments and layout of the plans stay. A sheet whose item
    changed in the plan since it was exported is refused. PATHS are plan files or
    folders (default: the workspace's plans/ folder).

    The sheet comes from: cxplan export plans/ --format xlsx -o priya.xlsx

    \b
    Examples:
      cxplan import priya.xlsx --dry-run
      cxplan import readings.csv
    """
    from cxplan.importer import (
        ImportRefused,
        check_all,
        is_update_sheet,
        open_workspace,
        plan_updates,
        write_all,
    )
    from cxplan.sheets import SheetError, read_table

    config, root, problems = load_config(config_file)
    if problems:
        click.echo(format_text(problems, 0, config.language or "en"), err=True, nl=False)
        return 1
    language = config.language or "en"
    targets = list(paths) or [root / config.plans_dir]
    try:
        table = read_table(file, language)
        workspace = open_workspace(targets, language)
        if is_update_sheet(table):
            notes = plan_updates(table, workspace, today=today())
        else:
            from cxplan.readings import apply_readings  # KPI readings and surveys

            notes = apply_readings(table, workspace, config.surveys)
        check_all(workspace)
    except SheetError as error:
        click.echo(f"cxplan import: {error.message}", err=True)
        return 1
    except ImportRefused as refused:
        if refused.diagnostics:
            click.echo(format_text(refused.diagnostics, len(refused.diagnostics), language),
                       err=True, nl=False)
        for problem in refused.problems:
            click.echo(str(problem), err=True)
        click.echo(i18n.text(language, "import.nothing_written"), err=True)
        return 1
    changed = [p for p in workspace.plans.values() if p.changed]
    for plan_text in changed:
        click.echo(plan_text.diff(), nl=False)
    for note in notes:
        click.echo(i18n.text(language, "import.note", note=note))
    if not changed:
        click.echo(i18n.text(language, "import.no_change"))
        return 0
    if dry_run:
        click.echo(i18n.text(language, "import.dry_run", count=len(changed)))
        return 0
    from cxplan.files import WriteFailed

    try:
        write_all(workspace)
    except WriteFailed as failed:
        click.echo(f"cxplan import: {failed.in_language(language)}", err=True)
        click.echo(i18n.text(language, "import.nothing_written"), err=True)
        return 1
    click.echo(i18n.text(language, "import.written", count=len(changed)))
    return 0
