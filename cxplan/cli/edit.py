"""`cxplan done` and `cxplan set-status`: change an action's status in its plan file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from cxplan.cli.options import DATE, config_option
from cxplan.config import load_config, today
from cxplan.diagnostics import format_text
from cxplan.edit import EditRefused, StatusChange, change_status, find_action
from cxplan.files import WriteFailed
from cxplan.model.plan import STATUSES


def _run(
    action_id: str, status: str, plan_id: str | None, on: dt.date | None,
    paths: tuple[Path, ...], config_file: Path | None,
) -> int:
    found = edit_targets(config_file, paths)
    if found is None:
        return 1
    targets, language = found
    try:
        located = find_action(targets, action_id, plan_id)
        change = change_status(located, status, on=on, today=today())
    except (EditRefused, WriteFailed) as exc:
        return left_as_it_was(exc, language)
    click.echo(_describe(change))
    return 0


def edit_targets(
    config_file: Path | None, paths: tuple[Path, ...]
) -> tuple[list[Path], str] | None:
    """Where an editing command looks (its PATHS, else the workspace's plans folder) and
    the workspace's language; None, after saying why, when its configuration is broken."""
    config, root, problems = load_config(config_file)
    language = config.language or "en"
    if problems:
        click.echo(format_text(problems, 0, language), err=True, nl=False)
        return None
    return list(paths) or [root / config.plans_dir], language


def left_as_it_was(exc: EditRefused | WriteFailed, language: str) -> int:
    """Say why the plan file was left as it was (the problems the edit would cause, at
    their positions); exit code 1."""
    if isinstance(exc, EditRefused):
        if exc.diagnostics:
            click.echo(format_text(exc.diagnostics, 1, language), err=True, nl=False)
        click.echo(f"cxplan: {exc.in_language(language)}", err=True)
    else:
        click.echo(f"cxplan: {exc.in_language(language)}", err=True)
    return 1


def _describe(change: StatusChange) -> str:
    where = f"{change.path} ({change.plan_id})"
    if not change.changed:
        done = f" on {change.new_done_on}" if change.new_done_on else ""
        return f"{where}: action '{change.action_id}' is already {change.new_status}{done}."
    done = f", done_on {change.new_done_on}" if change.new_done_on else ""
    return (
        f"{where}: action '{change.action_id}' {change.old_status} -> "
        f"{change.new_status}{done}."
    )


_PLAN_HELP = "The plan (its id: the file name) when the action id exists in several."


@click.command("done")
@click.argument("action_id")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--plan", "plan_id", metavar="ID", help=_PLAN_HELP)
@click.option("--on", type=DATE, default=None, help="The day it was finished (default: today).")
@config_option
def done_command(
    action_id: str, paths: tuple[Path, ...], plan_id: str | None, on: dt.date | None,
    config_file: Path | None,
) -> int:
    """Mark an action done: `status: done` and `done_on: <date>`.

    Only those two lines of the plan file change; comments, key order and formatting
    stay. The result is validated first and the file is left byte-identical when it
    would not validate. A done_on already written is kept unless --on gives
    another date. PATHS are plan files or folders to search (default: the
    workspace's plans/ folder).

    \b
    Examples:
      cxplan done a-backup-roles
      cxplan done a-cfo-reset --plan northwind-logistics --on 2026-11-22
    """
    return _run(action_id, "done", plan_id, on, paths, config_file)


@click.command("set-status")
@click.argument("action_id")
@click.argument("status", type=click.Choice(STATUSES))
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--plan", "plan_id", metavar="ID", help=_PLAN_HELP)
@click.option("--on", type=DATE, default=None, help="With `done`: the day it was finished.")
@config_option
def set_status_command(
    action_id: str, status: str, paths: tuple[Path, ...], plan_id: str | None,
    on: dt.date | None, config_file: Path | None,
) -> int:
    """Set an action's status (todo, doing, done, blocked, dropped).

    Any status other than `done` removes `done_on`; `done` adds it (--on, default
    today). Only the lines concerned change; the result is validated first and the
    file is left byte-identical when it would not validate. PATHS are plan files or
    folders to search (default: the workspace's plans/ folder).

    \b
    Examples:
      cxplan set-status a-edi-testing blocked
      cxplan set-status a-cfo-reset doing --plan northwind-logistics
    """
    if on is not None and status != "done":
        click.echo("cxplan: --on is only for the status 'done'", err=True)
        return 1
    return _run(action_id, status, plan_id, on, paths, config_file)
