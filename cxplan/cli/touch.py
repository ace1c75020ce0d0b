"""`cxplan touch`: log a contact with a stakeholder in its plan file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import get_args

import click

from cxplan import i18n
from cxplan.cli.edit import edit_targets, left_as_it_was
from cxplan.cli.options import DATE, config_option
from cxplan.config import today
from cxplan.edit import EditRefused, find_stakeholder, log_contact
from cxplan.files import WriteFailed
from cxplan.model.plan import Channel

CHANNELS: tuple[str, ...] = get_args(Channel)


@click.command("touch")
@click.argument("stakeholder_id", metavar="STAKEHOLDER")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--on", type=DATE, default=None, help="The day of the contact (default: today).")
@click.option("--by", "by", metavar="PERSON",
              help="Who on our side (a team id; default: the relationship's owner).")
@click.option("--channel", type=click.Choice(CHANNELS), default="meeting", show_default=True,
              help="How the contact happened.")
@click.option("--note", metavar="TEXT", help="One line: what was said or agreed.")
@click.option("--plan", "plan_id", metavar="ID",
              help="The plan (its id: the file name) when the stakeholder id exists in several.")
@config_option
def command(
    stakeholder_id: str, paths: tuple[Path, ...], on: dt.date | None, by: str | None,
    channel: str, note: str | None, plan_id: str | None, config_file: Path | None,
) -> int:
    """Log a contact with a stakeholder: one line appended to its contact log.

    The contact (date, who on our side, channel, note) is appended to the
    stakeholder's `contact_log`, which is created when missing; a `last_contact`
    written in the file and older than the contact moves to its date. Nothing else of
    the file changes, comments included; the result is validated first and the file is
    left byte-identical when it would not validate. PATHS are plan files or folders to
    search (default: the workspace's plans/ folder).

    \b
    Examples:
      cxplan touch k.osei --channel call --note "SFTP credentials promised for Friday"
      cxplan touch r.castillo --plan northwind-logistics --on 2026-11-24 --by dev.patel
    """
    found = edit_targets(config_file, paths)
    if found is None:
        return 1
    targets, language = found
    try:
        located = find_stakeholder(targets, stakeholder_id, plan_id)
        touched = log_contact(located, on=on or today(), by=by, channel=channel, note=note)
    except (EditRefused, WriteFailed) as exc:
        return left_as_it_was(exc, language)
    click.echo(i18n.text(
        language, "moves.touch.done", path=str(touched.path), plan=touched.plan_id,
        stakeholder=touched.stakeholder_id, on=touched.on, by=touched.by,
        channel=touched.channel,
    ))
    if touched.last_contact_moved:
        click.echo(i18n.text("en", "moves.touch.last_contact", on=touched.on))
    return 0
