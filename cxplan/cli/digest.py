"""`cxplan digest`: each person's overdue and due-soon items and stale relationships."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from cxplan import i18n
from cxplan.cli.options import as_of_option, config_option, resolve_as_of
from cxplan.config import load_config
from cxplan.diagnostics import format_text
from cxplan.files import write_atomically
from cxplan.model.workspace import load_workspace


@click.command("digest")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("digests"),
    show_default=True, help="The folder the digests are written to.",
)
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="The due-soon window in days (default: the digest_days setting, 7).")
@as_of_option
@config_option
def command(
    paths: tuple[Path, ...], out: Path, days: int | None, as_of: dt.date | None,
    config_file: Path | None,
) -> int:
    """Write each person's digest: overdue, due soon, relationships going stale.

    For every team member with something to hear, two files in --out:
    PERSON.md (Markdown) and PERSON.eml (an e-mail ready to send, To: the
    person's address from `team`; no .eml for a person without one). Each
    plan's part is in that plan's language. Nothing is sent: hand the .eml
    files to your mail system (see the docs for a weekly CI job). The digests
    name stakeholders: they are for the team only.

    \b
    Examples:
      cxplan digest --as-of 2026-11-23 --out digests/
      cxplan digest plans/northwind-logistics.yaml --days 14
    """
    from cxplan.analyse.digest import digests
    from cxplan.render.digest import email_message, markdown

    config, root, problems = load_config(config_file)
    if problems:
        click.echo(format_text(problems, 0, config.language or "en"), err=True, nl=False)
        return 1
    workspace = load_workspace(list(paths) or [root / config.plans_dir])
    if workspace.diagnostics:
        click.echo(format_text(workspace.diagnostics, workspace.files, config.language or "en"),
                   err=True, nl=False)
        return 1
    day = resolve_as_of(as_of)
    window = days or config.digest_days
    language = config.language or "en"
    found = digests(workspace.plans, day, days=window, stale_days=config.stale_days,
                    default_language=language)
    if found:
        out.mkdir(parents=True, exist_ok=True)
    for digest in found:
        body = markdown(digest, day, window)
        write_atomically(out / f"{digest.person}.md", body.encode("utf-8"))
        if digest.email:
            write_atomically(out / f"{digest.person}.eml",
                             email_message(digest, body, day, config.digest_from))
        else:
            click.echo(i18n.text(language, "digest.no_email", person=digest.person), err=True)
    click.echo(i18n.text(language, "digest.written", count=len(found), folder=str(out)))
    return 0
