from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

import click

from cxplan.cli import language
from cxplan.cli.options import as_of_option, config_option, resolve_as_of
from cxplan.cli.site import AUDIENCE, SITE_DIR, checked_workspace, mkdocs_yml
from cxplan.config import IntroUnreadable, load_config


def _shard(ctx: click.Context, param: click.Parameter, value: str | None) -> object:
    from cxplan.publish.accounts import Shard

    if value is None:
        return None
    try:
        return Shard.parse(value)
    except ValueError as exc:
        (problem,) = exc.args
        raise click.BadParameter(problem.in_language(language.current())) from None


PLAN = click.option(
    "--plan", "plans", multiple=True, metavar="ID",
    help="Build only this plan (repeatable); its id is its file name without .yaml.",
)
JOBS = click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None,
    help="Accounts built at once, in separate processes (default: the cores there are).",
)
VERBOSE = click.option(
    "--verbose", "-v", is_flag=True,
    help="Print every warning of the plans, not a summary by rule and plan.",
)
SEAL = click.option(
    "--seal-with-env", "seal_env", metavar="VAR", default=None,
    help="Publish the team site sealed: every file encrypted with the password held in "
    "the environment variable VAR (default: the plugin's seal_password_env option).",
)


@click.command("build")
@config_option
@SITE_DIR
@AUDIENCE
@as_of_option
@PLAN
@JOBS
@click.option(
    "--shard", metavar="K/N", callback=_shard, default=None,
    help="Build only the K-th of N shares of the accounts, for `cxplan stitch` to join.",
)
@VERBOSE
@SEAL
def command(
    config_file: Path | None, site_dir: Path | None, audience: str | None,
    as_of: dt.date | None, plans: tuple[str, ...], jobs: int | None, shard: object,
    verbose: bool, seal_env: str | None,
) -> int:
    """Check the plans, then build the site: one MkDocs site per account.

    The team site is the portfolio (your docs, the portfolio, the quick-win board,
    the people pages) with each plan's own site under plans/<plan-id>/. The customer
    edition (--audience customer) is one self-contained site per plan at
    SITE_DIR/<plan-id>/, each holding that account and nothing of any other: share
    that folder with the customer.

    The plans are validated first (a summary of the warnings; --verbose or `cxplan
    validate` lists them all); on an error nothing is written. A rebuild builds again
    only the accounts whose inputs changed, in parallel (--jobs); the result is
    byte-identical to a build from scratch, and it replaces the previous site only
    when every account was built, so a failed build leaves the old site as it was.

    \b
    Examples:
      cxplan build
      cxplan build --site-dir public --as-of 2026-11-23
      cxplan build --audience customer --site-dir customer-sites --plan acme
      cxplan build --shard 2/3 --site-dir shard-2 --as-of 2026-11-23
      CXPLAN_SITE_PASSWORD=... cxplan build --seal-with-env CXPLAN_SITE_PASSWORD
    """
    from cxplan.publish.accounts import Shard

    checked = checked_request(config_file, as_of, verbose, audience=audience,
                              site_dir=site_dir, plans=plans, jobs=jobs,
                              shard=shard if isinstance(shard, Shard) else None)
    if checked is None:
        return 1
    config, day, request = checked
    if seal_env is None and shard is None:  # a shard is no site: `stitch` seals the whole
        seal_env = workspace_seal(config, audience)
    if seal_env:
        return run_sealed_build(request, day, seal_env)
    return run_build(request, day)


def checked_request(
    config_file: Path | None, as_of: dt.date | None, verbose: bool, **fields: Any,
) -> tuple[Path, dt.date, Any] | None:
    """(mkdocs.yml, the as-of day, the build's `Request`) once the plans are checked
    (shared with `cxplan stitch`); None, after the report, when they have errors."""
    from cxplan.publish.accounts import Request

    config = mkdocs_yml(config_file)
    if config is None:
        return None
    day = resolve_as_of(as_of)
    checked = checked_workspace(config, day, verbose=verbose)
    if checked is None:
        return None
    return config, day, Request(config_file=config, workspace=checked.workspace,
                                findings=checked.findings, as_of=day, **fields)


def workspace_seal(config: Path, audience: str | None) -> str | None:
    """The `seal_password_env` option of the workspace, for a team site build (customer
    editions are shared account by account, never sealed by the option)."""
    settings = load_config(config)[0]
    chosen = audience or os.environ.get("CXPLAN_AUDIENCE") or settings.audience
    return settings.seal_password_env if chosen == "team" else None


def run_sealed_build(request: object, day: dt.date, variable: str) -> int:
    """`build --seal-with-env`: the team site published sealed, and the report."""
    from cxplan import i18n
    from cxplan.publish.accounts import BuildRefused, Request
    from cxplan.publish.build import BuildFailed
    from cxplan.publish.sealed import SealRefused, build_sealed

    assert isinstance(request, Request)
    try:
        done = build_sealed(request, variable)
    except (SealRefused, BuildRefused, BuildFailed) as exc:
        return _not_built(exc, request.config_file)
    outcome = done.outcome
    click.echo(i18n.text(outcome.language, "seal.built", site=str(done.target),
                         files=done.sealed, day=day.isoformat(), name=variable))
    return 0


def run_build(request: object, day: dt.date) -> int:
    """Run a per-account build and report it (shared with `cxplan stitch`)."""
    from cxplan.publish.accounts import BuildRefused, Request, build_accounts
    from cxplan.publish.build import BuildFailed

    assert isinstance(request, Request)
    bar = _Progress() if sys.stderr.isatty() else None
    try:
        outcome = build_accounts(
            Request(**{**request.__dict__, "progress": bar.update if bar else None}))
    except (BuildRefused, IntroUnreadable, BuildFailed) as exc:
        return _not_built(exc, request.config_file)
    finally:
        if bar:
            bar.close()
    from cxplan import i18n

    built = outcome.built
    click.echo(i18n.text(
        outcome.language, "build.summary", site=str(built.site_dir), files=built.files,
        day=str(day), built=len(outcome.rebuilt), reused=len(outcome.reused),
    ))
    if outcome.directory_urls:
        click.echo(i18n.text(outcome.language, "publish.view_hint", site=str(built.site_dir)))
    return 0


def _not_built(exc: Exception, config_file: Path) -> int:
    """Say why nothing was built, in the workspace's language: a refusal wrote
    nothing; a failed build left the previous site as it was. Exit code 1."""
    from cxplan import i18n
    from cxplan.publish.build import BuildFailed

    language = load_config(config_file)[0].language or i18n.DEFAULT_LANGUAGE
    key = "publish.not_built" if isinstance(exc, BuildFailed) else "publish.nothing_written"
    reason = exc.in_language(language) if isinstance(exc, i18n.Said) else str(exc)
    click.echo(i18n.text(language, key, reason=reason), err=True)
    return 1


class _Progress:
    """A progress bar of the accounts, on a terminal only (logs stay readable)."""

    def __init__(self) -> None:
        self.bar: object | None = None
        self.done = 0

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, file=sys.stderr,
                                         label=language.text("cli.progress.accounts"))
            self.bar.__enter__()  # type: ignore[attr-defined]
        self.bar.update(done - self.done)  # type: ignore[attr-defined]
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)  # type: ignore[attr-defined]
