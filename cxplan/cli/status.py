from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from cxplan import i18n
from cxplan.analyse.tracking import plan_status
from cxplan.cli.options import as_of_option, config_option, report_language, resolve_as_of
from cxplan.config import load_config
from cxplan.diagnostics import Diagnostic, format_text
from cxplan.model.workspace import load_workspace
from cxplan.render.mutual_status import add_mutual_status
from cxplan.render.status_report import (
    format_json,
    format_markdown,
    status_document,
)
from cxplan.render.status_report import format_text as status_text
from cxplan.render.terminal import terminal_text, terminal_values


def _fail(diagnostics: list[Diagnostic], files: int, language: str | None) -> None:
    click.echo(format_text(sorted(diagnostics), files, language or "en"), err=True, nl=False)


@click.command("status")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@as_of_option
@click.option("--owner", metavar="ID", help="Only this team member's actions, commitments, KPIs.")
@click.option("--plan", "plan_id", metavar="ID", help="Only the plan with this id.")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json", "markdown"]),
    default="text", show_default=True,
    help="text for a terminal, json for tools, markdown for a pull-request comment.",
)
@click.option("--fail-on-overdue", is_flag=True, help="Exit 1 when any action is overdue.")
@click.option(
    "--language", type=click.Choice(i18n.languages()), default=None,
    help="Language of the text and Markdown reports (default: the plans' language, else "
    "the site's, else en).",
)
@config_option
def command(
    paths: tuple[Path, ...], as_of: dt.date | None, owner: str | None, plan_id: str | None,
    output_format: str, fail_on_overdue: bool, language: str | None, config_file: Path | None,
) -> int:
    """Quick wins, overdue and due-soon actions, broken commitments, KPIs off track.

    PATHS are plan files or folders (default: the workspace's plans/ folder). Per plan:
    quick wins done of total; overdue actions (open and due before the as-of date; due
    today is not overdue), most days late first; actions due in the next due_soon_days
    (14 unless mkdocs.yml says otherwise); blocked actions; commitments broken
    (perceived below expectation) or past due and not measured; KPIs off track.
    Dropped actions count neither as done nor in the totals.

    Colour is used only when the output is a terminal and NO_COLOR is not set.
    Exit codes: 0; 1 when a plan is invalid (diagnostics on stderr), an id given to
    --plan/--owner is unknown, or with --fail-on-overdue when anything is overdue.

    \b
    JSON shape (stable; keys are only ever added):
      {"as_of": "YYYY-MM-DD", "owner": null, "due_soon_days": 14,
       "plans": [{"id", "title", "customer", "path",
                  "quick_wins": {"done", "total"}, "actions": {"done", "total"},
                  "overdue":  [{"id", "title", "owner", "owner_name", "due",
                                "days_late", "status"}],
                  "due_soon": [{"id", "title", "owner", "owner_name", "due",
                                "days_left", "status"}],
                  "blocked":  [{"id", "title", "owner", "owner_name", "due",
                                "days_late", "status"}],
                  "commitments": {"broken": [{"id", "promise", "to", "owner",
                                              "owner_name", "due", "expectation",
                                              "perceived", "satisfaction"}],
                                  "overdue": [{"id", "promise", "to", "owner",
                                               "owner_name", "due", "days_late"}]},
                  "kpis_off_track": [{"id", "name", "owner", "owner_name",
                                      "direction", "unit", "baseline", "target",
                                      "latest": {"date", "value"}}],
                  "waiting_on_customer": [{"id", "title", "contact", "contact_name",
                                           "follow_up", "follow_up_name", "due",
                                           "days_late", "status"}],
                  "renewal": null | {"date", "days_left", "window",
                                     "risks": [{"kind", "items"}]},
                  "say_do": {"state": "ok", "shallow", "due", "delivered", "on_time",
                             "on_time_share", "after_moves", "after_moves_share",
                             "days_slipped", "by_month": [{"month", ...}],
                             "by_owner": {"person-id": {...}}}
                            | {"state": "no-git" | "not-committed", "reason"}}],
       "summary": {"plans", "overdue", "due_soon", "blocked", "commitments_broken",
                   "commitments_overdue", "kpis_off_track", "waiting_on_customer",
                   "say_do": {"due", "on_time", "on_time_share", ...}}}

    \b
    Examples:
      cxplan status
      cxplan status --owner dev.patel --as-of 2026-11-25
      cxplan status plans/ --format markdown --fail-on-overdue
    """
    config, root, problems = load_config(config_file)
    if problems:
        _fail(problems, 0, language)
        return 1
    targets = list(paths) or [root / config.plans_dir]
    workspace = load_workspace(targets, follow_outside_links=config.follow_outside_links)
    failed = bool(workspace.diagnostics)
    if failed:
        _fail(workspace.diagnostics, workspace.files, language or config.language)
    plans = workspace.plans
    if plan_id is not None:
        plans = [p for p in plans if p.id == plan_id]
        if not plans:
            click.echo("cxplan status: " + i18n.text(
                language or config.language or "en", "cli.no_plan", plan=plan_id,
                plans=", ".join(p.id for p in workspace.plans) or i18n.text(
                    language or config.language or "en", "cli.none")), err=True)
            return 1
    if owner is not None:
        # Only the plans the person works on; an unknown id is most likely a typo.
        plans = [p for p in plans if any(person.id == owner for person in p.plan.team)]
        if not plans:
            click.echo("cxplan status: " + i18n.text(language or config.language or "en",
                                                     "cli.nobody", id=owner), err=True)
            return 1
    day = resolve_as_of(as_of)
    statuses = [plan_status(p, day, config.due_soon_days, owner=owner) for p in plans]
    document = status_document(
        statuses, day, owner=owner, due_soon_days=config.due_soon_days,
        paths={p.id: p.path for p in plans},
        names={p.id: {person.id: person.name for person in p.plan.team} for p in plans},
    )
    add_mutual_status(document, plans, day, owner)
    # Plan text reaches the terminal: no control character of it is obeyed there.
    shown = language or report_language([p.plan.plan.language for p in plans],
                                        config.language)
    if output_format == "json":
        click.echo(terminal_text(format_json(document)), nl=False)
    elif output_format == "markdown":
        click.echo(terminal_text(format_markdown(document, shown)), nl=False)
    else:
        document = terminal_values(document)
        # click.echo strips the escape codes when stdout is not a terminal (color=None);
        # NO_COLOR (https://no-color.org) forces them off even on a terminal.
        no_color = bool(os.environ.get("NO_COLOR"))
        text = status_text(document, style=None if no_color else click.style, language=shown)
        click.echo(text, nl=False, color=False if no_color else None)
    if failed:
        return 1
    if fail_on_overdue and any(s.overdue for s in statuses):
        return 1
    return 0

