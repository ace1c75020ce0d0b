from __future__ import annotations

from pathlib import Path

import click

from cxplan import i18n
from cxplan.cli.language import current as command_language
from cxplan.cli.options import config_option
from cxplan.config import load_config, today
from cxplan.scaffold import LANGUAGES, ScaffoldError, as_language, new_plan


@click.command("new")
@click.argument("plan_id")
@click.option("--customer", default=None, help="The customer's name (default: from PLAN_ID).")
@click.option(
    "--owner", default="plan.owner", show_default=True,
    help="Id of the team member accountable for the plan.",
)
@click.option(
    "--language", type=click.Choice(LANGUAGES), default=None,
    help="Language of the plan and its comments (default: the site's language, else en).",
)
@click.option(
    "--dir", "plans_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Folder to write the plan in (default: the workspace's plans folder).",
)
@config_option
def command(
    plan_id: str, customer: str | None, owner: str, language: str | None,
    plans_dir: Path | None, config_file: Path | None,
) -> int:
    """Add a plan from a template that validates as it is.

    The new file PLAN_ID.yaml has a comment teaching each section; an existing plan
    is never overwritten.

    Example: cxplan new acme-corp --customer "Acme Corp" --owner ana.silva
    """
    config, root, problems = load_config(config_file)
    if problems:
        click.echo(f"cxplan new: {problems[0].in_language(config.language or 'en').message}",
                   err=True)
        return 1
    folder = plans_dir if plans_dir is not None else root / config.plans_dir
    chosen = language or config.language or "en"
    try:
        path = new_plan(
            folder, plan_id, customer=customer, owner=owner,
            language=as_language(chosen), today=today(),
        )
    except ScaffoldError as exc:
        shown = chosen if chosen in i18n.languages() else command_language()
        click.echo(f"cxplan new: {exc.in_language(shown)}", err=True)
        return 1
    click.echo(i18n.text(chosen, "new.created", path=path.as_posix()))
    click.echo(i18n.text(chosen, "new.next", path=path.as_posix()))
    return 0
