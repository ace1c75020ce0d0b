from __future__ import annotations

import shlex
from pathlib import Path

import click

from cxplan.config import today
from cxplan.scaffold import LANGUAGES, ScaffoldError, as_language, init_workspace


@click.command("init")
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--language", type=click.Choice(LANGUAGES), default="en", show_default=True,
    help="Language of the example plan, the home page and the site's labels.",
)
def command(directory: Path, language: str) -> int:
    """Create a workspace that validates and builds at once.

    Writes mkdocs.yml, an example plan in plans/, docs/index.md, a GitHub Actions
    workflow, a pre-commit configuration, .gitignore, editor settings and the plan
    JSON Schema. An existing file is never overwritten: it is listed as skipped.

    Example: cxplan init my-plans --language es
    """
    try:
        report = init_workspace(directory, as_language(language), today())
    except ScaffoldError as exc:
        click.echo(f"cxplan init: {exc}", err=True)
        return 1
    where = report.root.as_posix()
    for path in report.created:
        click.echo(f"created  {where}/{path}" if where != "." else f"created  {path}")
    for path, reason in report.skipped:
        shown = f"{where}/{path}" if where != "." else path
        click.echo(f"skipped  {shown} ({reason})")
    click.echo(f"{len(report.created)} file(s) created, {len(report.skipped)} skipped.")
    if report.created:
        step = f"cd {shlex.quote(where)} && " if where != "." else ""
        click.echo(f"Next: {step}cxplan validate && cxplan build")
    return 0
