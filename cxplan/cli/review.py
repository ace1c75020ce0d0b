"""`cxplan review`: what changed in a plan since the last review, for the meeting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from cxplan.analyse.review import SinceError, resolve_since, review_pack
from cxplan.cli.options import DATE
from cxplan.config import today
from cxplan.diagnostics import format_text
from cxplan.model.build import load_plan
from cxplan.render.review_pack import review_markdown
from cxplan.render.terminal import terminal_text


@click.command("review")
@click.argument("plan_path", metavar="PLAN", type=click.Path(path_type=Path, exists=True,
                                                              dir_okay=False))
@click.option("--since", metavar="REF|DATE",
              help="A tag, a commit or a date (default: the last review/* tag).")
@click.option("--as-of", type=DATE, default=None, help="The day of the review (default: today).")
def command(plan_path: Path, since: str | None, as_of: dt.date | None) -> int:
    """Print the review pack of a plan: what changed since the last review.

    Actions done, slipped (days), added and dropped; commitments kept, broken and new;
    stakeholders new and gone; KPI readings since, against target; say-do then and
    now. The convention: tag the reviewed commit `review/YYYY-MM-DD` after each review
    meeting; the pack starts from the last such tag unless --since names another
    tag, a commit or a date. A --since that names nothing is exit 1 with the refs that
    exist; a shallow clone says how far back it could see. Output is Markdown.

    \b
    Examples:
      cxplan review plans/northwind-logistics.yaml --since 2026-11-01
      cxplan review plans/northwind-logistics.yaml --since review/2026-10-15
    """
    plan_file, problems = load_plan(plan_path)
    if plan_file is None:
        click.echo(format_text(problems, 1), err=True, nl=False)
        return 1
    try:
        start = resolve_since(plan_path, since)
    except SinceError as exc:
        click.echo(f"cxplan review: {exc}", err=True)
        return 1
    day = as_of or today()
    pack = review_pack(plan_path, plan_file.id, plan_file.plan, start, day)
    language = plan_file.plan.plan.language or "en"
    click.echo(terminal_text(review_markdown(pack, plan_file.plan.plan.customer, language)))
    return 0
