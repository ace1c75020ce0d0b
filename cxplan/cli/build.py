from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from cxplan.cli.options import as_of_option, config_option, resolve_as_of
from cxplan.cli.site import AUDIENCE, checked_workspace, mkdocs_yml
from cxplan.publish.build import BuildFailed, build_site


@click.command("build")
@config_option
@click.option(
    "--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Where the site goes (default: site_dir of mkdocs.yml, usually site/).",
)
@AUDIENCE
@as_of_option
def command(
    config_file: Path | None, site_dir: Path | None, audience: str | None,
    as_of: dt.date | None,
) -> int:
    """Check the plans, then build the site with a strict MkDocs build.

    The plans are validated first, with the same report as `cxplan validate`; on an
    error nothing is written. The site is built into a new folder next to the target
    and replaces the previous site only when the build succeeded, so a failed build
    leaves the old site as it was. The same plans and --as-of date give a
    byte-identical site.

    \b
    Examples:
      cxplan build
      cxplan build --site-dir public --as-of 2026-11-23
      cxplan build --audience customer --site-dir customer-site
    """
    config = mkdocs_yml(config_file)
    if config is None:
        return 1
    day = resolve_as_of(as_of)
    checked = checked_workspace(config, day)
    if checked is None:
        return 1
    try:
        built = build_site(
            config, as_of=day, workspace=checked.workspace, findings=checked.findings,
            site_dir=site_dir, audience=audience,
        )
    except BuildFailed as exc:
        click.echo(f"cxplan build: the site was not built (the previous one is unchanged)\n{exc}",
                   err=True)
        return 1
    click.echo(f"Site built in {built.site_dir} ({built.files} files, as of {day}).")
    return 0
