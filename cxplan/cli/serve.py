from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

import click

from cxplan.cli.options import as_of_option, config_option, resolve_as_of
from cxplan.cli.site import AUDIENCE, checked_workspace, mkdocs_yml
from cxplan.publish.plugin import AS_OF_ENV, AUDIENCE_ENV


@click.command("serve")
@config_option
@click.option(
    "-a", "--dev-addr", metavar="IP:PORT", default="127.0.0.1:8000", show_default=True,
    help="Address to serve the preview on.",
)
@AUDIENCE
@as_of_option
def command(
    config_file: Path | None, dev_addr: str, audience: str | None, as_of: dt.date | None
) -> int:
    """Preview the site, rebuilt whenever a plan, a template or a doc changes.

    The plans are checked first (as `cxplan validate` does). While serving, a plan
    saved with an error keeps the last good preview and prints the problem.

    \b
    Examples:
      cxplan serve
      cxplan serve --as-of 2026-11-23 --audience customer
    """
    from mkdocs.commands.serve import serve

    config = mkdocs_yml(config_file)
    if config is None:
        return 1
    if checked_workspace(config, resolve_as_of(as_of)) is None:
        return 1
    # `mkdocs serve` reloads the configuration on every rebuild, so the plugin reads
    # these settings from the environment rather than from this process's objects.
    if as_of is not None:
        os.environ[AS_OF_ENV] = as_of.isoformat()
    if audience is not None:
        os.environ[AUDIENCE_ENV] = audience
    # MkDocs reports through logging: the address it serves on, each rebuild, errors.
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    mkdocs_log.setLevel(logging.INFO)
    serve(config_file=str(config), dev_addr=dev_addr, livereload=True)
    return 0
