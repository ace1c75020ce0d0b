from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from cxplan import i18n
from cxplan.cli.build import (
    SEAL,
    VERBOSE,
    checked_request,
    run_build,
    run_sealed_build,
    workspace_seal,
)
from cxplan.cli.options import as_of_option, config_option
from cxplan.cli.site import AUDIENCE, SITE_DIR


@click.command("stitch")
@click.argument("shards", nargs=-1, required=True,
                type=click.Path(file_okay=False, path_type=Path))
@config_option
@SITE_DIR
@AUDIENCE
@as_of_option
@VERBOSE
@SEAL
def command(
    shards: tuple[Path, ...], config_file: Path | None, site_dir: Path | None,
    audience: str | None, as_of: dt.date | None, verbose: bool, seal_env: str | None,
) -> int:
    """Join the outputs of `cxplan build --shard K/N` into the whole site.

    Builds the portfolio and copies each account's site from the shard that built it:
    the result is byte-identical to one `cxplan build` with the same inputs (the
    same plans, settings and --as-of). An account no shard built from those inputs
    is an error, and nothing is written. The shards come from `cxplan build --shard
    1/2 --site-dir shard-1` and `--shard 2/2 --site-dir shard-2`, with the same --as-of.
    A sealed site (--seal-with-env, or the seal_password_env option) is sealed here:
    the shards are not sites, and are never sealed.

    \b
    Example:
      cxplan stitch shard-1 shard-2 --site-dir public --as-of 2026-11-23
    """

    missing = [str(s) for s in shards if not s.is_dir()]
    if missing:
        from cxplan.config import load_config

        language = load_config(config_file)[0].language or "en"
        click.echo("cxplan stitch: " + i18n.text(language, "cli.no_shard", folders=missing),
                   err=True)
        return 1
    checked = checked_request(config_file, as_of, verbose, audience=audience,
                              site_dir=site_dir, reuse=shards, stitch=True)
    if checked is None:
        return 1
    config, day, request = checked
    seal_env = seal_env or workspace_seal(config, audience)
    if seal_env:
        return run_sealed_build(request, day, seal_env)
    return run_build(request, day)
