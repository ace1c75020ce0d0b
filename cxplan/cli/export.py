from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import cast

import click

from cxplan import i18n
from cxplan.cli.language import current as command_language
from cxplan.cli.options import as_of_option, resolve_as_of
from cxplan.diagnostics import format_text
from cxplan.files import WriteFailed, write_atomically
from cxplan.model.workspace import load_workspace
from cxplan.render.exports import What, actions_ics, csv_bytes, items_csv
from cxplan.render.terminal import terminal_text


@click.command("export")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format", "output_format", type=click.Choice(["ics", "csv", "xlsx"]), required=True,
    help="ics for calendars, csv or xlsx for spreadsheets (the update sheet).",
)
@click.option("--person", metavar="ID", help="Only the items this team member owns.")
@click.option(
    "--what", type=click.Choice(["actions", "commitments", "all"]), default="all",
    show_default=True, help="Which items to export.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Write to this file (default: standard output).",
)
@as_of_option
def command(
    paths: tuple[Path, ...], output_format: str, person: str | None, what: str,
    output: Path | None, as_of: dt.date | None,
) -> int:
    """Export a plan's actions and commitments as a calendar or a spreadsheet.

    PATHS are plan files (or folders): give several to make one person's calendar
    across plans. Everything in the given plans is exported (internal items too).

    ics: one all-day event per open action and unmeasured commitment on its due date,
    with stable UIDs, so re-importing updates events instead of duplicating them.
    csv: a header row, then one row per action/commitment (every state), safe to open
    in a spreadsheet (text that looks like a formula is prefixed with '); written
    as UTF-8 with a byte-order mark when -o is given. --as-of sets the days_late
    column and commitment states (default: today).
    xlsx (needs -o): the update sheet, the same columns as csv; only status, due,
    done_on, perceived and note can be edited (drop-downs, real dates), and
    `cxplan import` applies the edits back to the plans.

    \b
    Examples:
      cxplan export plans/northwind-logistics.yaml --format ics -o northwind.ics
      cxplan export plans/ --format ics --person priya.nair -o priya.ics
      cxplan export plans/northwind-logistics.yaml --format csv --what actions
      cxplan export plans/ --format xlsx --person priya.nair -o priya.xlsx
    """
    workspace = load_workspace(list(paths))
    from cxplan.config import load_config

    said = load_config(None)[0].language or "en"  # the workspace's, as validate's
    if workspace.diagnostics:
        click.echo(format_text(workspace.diagnostics, workspace.files, said), err=True,
                   nl=False)
        return 1
    plans = workspace.plans
    if person is not None and not any(m.id == person for p in plans for m in p.plan.team):
        click.echo("cxplan export: " + i18n.text(said, "cli.nobody", id=person), err=True)
        return 1
    chosen = cast(What, what)
    if output_format == "xlsx":
        if output is None:
            raise click.UsageError(i18n.text(said, "sheet.needs_output"))
        from cxplan.render.sheet import update_workbook  # openpyxl: only when asked

        languages = {p.plan.plan.language for p in plans if p.plan.plan.language}
        write_atomically(output, update_workbook(
            plans, person=person, what=chosen, as_of=resolve_as_of(as_of),
            language=languages.pop() if len(languages) == 1 else "en",
        ))
        return 0
    if output_format == "ics":
        data = actions_ics(plans, person=person, what=chosen)
    else:
        text = items_csv(plans, person=person, what=chosen, as_of=resolve_as_of(as_of))
    if output is None:
        # The calendar is RFC 5545 text, the table CSV: both are plan text on a terminal.
        if output_format == "ics":
            click.echo(terminal_text(data.decode("utf-8")).encode("utf-8"), nl=False)
        else:
            click.echo(terminal_text(text), nl=False)
        return 0
    try:
        write_atomically(output, data if output_format == "ics" else csv_bytes(text))
    except WriteFailed as exc:
        click.echo(f"cxplan export: {exc.in_language(command_language())}", err=True)
        return 1
    return 0
