from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from cxplan import i18n
from cxplan.cli.build import PLAN
from cxplan.cli.language import current as command_language
from cxplan.cli.options import as_of_option, config_option, resolve_as_of
from cxplan.cli.site import AUDIENCE, checked_workspace, mkdocs_yml
from cxplan.config import load_config, read_mkdocs_yml
from cxplan.files import WriteFailed, cannot_write, is_environment_error, write_atomically
from cxplan.publish.build import reproducible
from cxplan.publish.outputs import overlap, workspace_inputs
from cxplan.publish.site import account_pages, generated_pages, read_reviews, site_inputs


@click.command("render")
@click.option(
    "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the pages into (created if missing).",
)
@config_option
@AUDIENCE
@as_of_option
@PLAN
def command(
    out_dir: Path, config_file: Path | None, audience: str | None, as_of: dt.date | None,
    plans: tuple[str, ...],
) -> int:
    """Write the site's generated pages to a folder, as Markdown files.

    The same pages the MkDocs plugin adds in memory, for publishing with another
    generator: ProperDocs (the maintained MkDocs 1.6 fork, which runs the cxplan
    plugin itself) or Zensical (which reads mkdocs.yml). Point its docs folder at OUT
    (or render into your docs folder); its configuration needs the Markdown
    extensions attr_list, md_in_html and tables, and `extra_css: [assets/cxplan.css]`.
    Existing files of the same names are replaced; other files are left alone. A
    home page (index.md) is written only when OUT has none.

    With --audience customer, each plan's customer edition is its own docs folder,
    OUT/<plan-id>/ (its overview is its index.md), as `cxplan build` publishes it.
    --plan ID (repeatable) limits the pages to those plans.

    \b
    Example:
      cxplan render --out build/pages --as-of 2026-11-23
      cxplan render --out build/customers --audience customer --plan acme
    """
    config_path = mkdocs_yml(config_file)
    if config_path is None:
        return 1
    day = resolve_as_of(as_of)
    checked = checked_workspace(config_path, day)
    if checked is None:
        return 1
    settings, root, _problems = load_config(config_path)  # checked just above
    mkdocs = read_mkdocs_yml(config_path)
    language = settings.language or "en"
    refused = overlap(out_dir, workspace_inputs(root, settings, mkdocs), language=language)
    if refused:
        click.echo(i18n.text(language, "publish.nothing_written", reason=refused), err=True)
        return 1
    theme = mkdocs.get("theme")
    inputs = site_inputs(
        root, settings, theme_language=theme.get("language") if isinstance(theme, dict) else None,
        as_of=day, audience=audience,
    )
    chosen = sorted(checked.workspace.plans, key=lambda p: p.id)
    unknown = [i for i in plans if checked.workspace.plan(i) is None]
    if unknown:
        click.echo("cxplan: " + i18n.text(inputs.language, "publish.unknown_plan", ids=unknown,
                                          known=[p.id for p in chosen] or ["-"])
                   + "; nothing was written", err=True)
        return 1
    if plans:
        chosen = [p for p in chosen if p.id in plans]
    with reproducible(day):
        if inputs.audience == "customer":
            reviews = read_reviews(chosen, None, day) if settings.history else {}
            pages = {
                f"{plan.id}/{path}": content
                for plan in chosen
                for path, content in account_pages(plan, inputs,
                                                   review=reviews.get(plan.id)).items()
            }
        else:
            pages = generated_pages(
                chosen, inputs, findings=checked.findings,
                home=not (out_dir / "index.md").exists(),
            )
    try:
        for path, content in pages.items():
            target = out_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            write_atomically(target, data)  # a page being read is never half written
    except WriteFailed as exc:
        click.echo(f"cxplan render: {exc.in_language(command_language())}", err=True)
        return 1
    except OSError as exc:
        if not is_environment_error(exc):
            raise
        click.echo(f"cxplan render: {cannot_write(exc, out_dir).in_language(command_language())}",
                   err=True)
        return 1
    click.echo(i18n.text(language, "cli.rendered", count=len(pages), folder=str(out_dir), day=day))
    return 0
