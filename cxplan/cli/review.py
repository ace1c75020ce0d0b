"""`cxplan review`: what changed in a plan since the last review, for the meeting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from cxplan import i18n
from cxplan.analyse.review import SinceError, customer_pack, resolve_since, review_pack
from cxplan.cli.language import current as command_language
from cxplan.cli.options import DATE, config_option
from cxplan.config import load_config, today
from cxplan.diagnostics import format_text
from cxplan.files import WriteFailed, write_atomically
from cxplan.model.audience import customer_view, shows_alerts
from cxplan.model.build import load_plan
from cxplan.render.review_pack import code_ids, known_ids, review_markdown, site_url_linker
from cxplan.render.review_pdf import PdfError, review_pdf
from cxplan.render.terminal import terminal_text


@click.command("review")
@click.argument("plan_path", metavar="PLAN", type=click.Path(path_type=Path, exists=True,
                                                              dir_okay=False))
@click.option("--since", metavar="REF|DATE",
              help="A tag, a commit or a date (default: the last review/* tag).")
@click.option("--as-of", type=DATE, default=None, help="The day of the review (default: today).")
@click.option("--format", "output_format", type=click.Choice(["markdown", "pdf"]),
              default="markdown", show_default=True, help="Markdown on stdout, or a PDF file.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file (required with --format pdf).")
@click.option("--audience", type=click.Choice(["team", "customer"]), default="team",
              show_default=True,
              help="customer: the customer-safe pack (what the customer edition shows).")
@click.option("--site-url", metavar="URL",
              help="Link each item to its entry in the site published at URL.")
@config_option
def command(
    plan_path: Path, since: str | None, as_of: dt.date | None, output_format: str,
    output: Path | None, audience: str, site_url: str | None, config_file: Path | None,
) -> int:
    """Print the review pack of a plan: what changed since the last review.

    Actions done, slipped (days), added and dropped; commitments kept, broken and new;
    stakeholders new, gone and whose support or influence moved; KPI readings since,
    against target; power map coverage and say-do then and now. With --audience
    customer, only what the customer edition shows: its actions, commitments and KPIs,
    no power map, no say-do, and verdicts (kept, broken, on target) only when the
    plan's customer_status is flagged. --site-url links each item to its entry on the
    published site (the team site's address, or the customer editions' with
    --audience customer). The convention: tag the reviewed commit `review/YYYY-MM-DD`
    after each review meeting; the pack starts from the last such tag unless --since names another
    tag, a commit or a date. A --since that names nothing is exit 1 with the refs that
    exist; a shallow clone says how far back it could see. Markdown, or with
    --format pdf an A4 PDF printed by headless Chromium.

    \b
    Examples:
      cxplan review plans/northwind-logistics.yaml --since 2026-11-01
      cxplan review plans/northwind-logistics.yaml --since review/2026-10-15
      cxplan review plans/northwind-logistics.yaml --format pdf -o review.pdf
      cxplan review plans/northwind-logistics.yaml --audience customer
    """
    settings, _root, config_problems = load_config(config_file)
    said = settings.language or "en"  # the language of the messages below
    if output_format == "pdf" and output is None:
        click.echo("cxplan review: " + i18n.text(said, "cli.pdf_needs_output"), err=True)
        return 2
    plan_file, problems = load_plan(plan_path)
    if plan_file is None:
        click.echo(format_text(problems, 1, said), err=True, nl=False)
        return 1
    try:
        start = resolve_since(plan_path, since)
    except SinceError as exc:
        click.echo(f"cxplan review: {exc.in_language(said)}", err=True)
        return 1
    if config_problems:
        click.echo(format_text(config_problems, 0, said), err=True, nl=False)
        return 1
    day = as_of or today()
    plan = plan_file.plan
    pack = review_pack(plan_path, plan_file.id, plan, start, day)
    shown = plan
    if audience == "customer":
        shown = customer_view(plan)
        pack = customer_pack(pack, shown, shows_alerts(plan, "customer",
                                                       settings.customer_status))
    link = site_url_linker(site_url, plan_file.id, audience, known_ids(shown)) \
        if site_url else code_ids
    language = plan.plan.language or settings.language or "en"
    text = review_markdown(pack, plan.plan.customer, language, link)
    try:
        if output_format == "pdf":
            assert output is not None
            title = text.splitlines()[0].lstrip("# ")
            body = text.split("\n", 1)[1]
            write_atomically(output, review_pdf(body, title, language))
        elif output is not None:
            write_atomically(output, text.encode("utf-8"))
        else:
            click.echo(terminal_text(text))
    except PdfError as exc:
        click.echo(f"cxplan review: {exc}", err=True)
        return 1
    except WriteFailed as exc:
        click.echo(f"cxplan review: {exc.in_language(command_language())}", err=True)
        return 1
    if output is not None:
        click.echo(str(output))
    return 0
