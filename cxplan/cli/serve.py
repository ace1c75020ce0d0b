from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cxplan import i18n
from cxplan.cli.language import current as command_language
from cxplan.cli.options import as_of_option, config_option, resolve_as_of
from cxplan.cli.site import AUDIENCE, check_workspace, checked_workspace, mkdocs_yml

if TYPE_CHECKING:
    from cxplan.model.build import PlanFile


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

    The preview is what `cxplan build` publishes, one site per account, and a save
    rebuilds only the accounts it changed. The plans are checked first (as `cxplan
    validate` does). While serving, a plan saved with an error keeps the last good
    preview: every page shows the problems (file:line:col, message and hint) until the
    file is fixed, then the new content appears.

    \b
    Examples:
      cxplan serve
      cxplan serve --as-of 2026-11-23 --audience customer
    """
    from cxplan.config import load_config, read_mkdocs_yml
    from cxplan.diagnostics import format_text, has_errors
    from cxplan.model.build import remember_loaded_plans
    from cxplan.publish.accounts import (
        BuildRefused,
        Request,
        build_accounts,
        put_accounts_in_place,
    )
    from cxplan.publish.build import BuildFailed
    from cxplan.publish.preview import serve, write_editions_index

    config = mkdocs_yml(config_file)
    if config is None:
        return 1
    day = resolve_as_of(as_of)
    remember_loaded_plans()  # each save loads again only the plans that changed
    if checked_workspace(config, day, verbose=False) is None:
        return 1
    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit():
        language = load_config(config)[0].language or "en"
        raise click.BadParameter(i18n.text(language, "cli.not_ip_port", value=dev_addr),
                                 param_hint="--dev-addr")

    def check() -> tuple[list[Any], Any]:
        diagnostics, checked, language = check_workspace(config, day)
        if has_errors(diagnostics):
            click.echo(format_text(diagnostics, checked.workspace.files, language), nl=False,
                       err=True)
            return diagnostics, None
        return diagnostics, checked

    built: dict[str, str] = {}  # plan id -> the digest of its text in the site being served

    def request(checked: Any, site: Path) -> Request:
        return Request(config_file=config, workspace=checked.workspace,
                       findings=checked.findings, as_of=day, audience=audience, site_dir=site)

    def build(checked: Any, site: Path) -> None:
        try:
            outcome = build_accounts(request(checked, site))
        except (BuildFailed, BuildRefused) as exc:
            raise RuntimeError(exc.in_language(command_language())) from None
        if outcome.audience == "customer":
            write_editions_index(site, sorted(
                ((p.id, p.plan.plan.customer) for p in checked.workspace.plans),
                key=lambda e: (e[1].casefold(), e[0])), outcome.language)
        built.clear()
        built.update((p.id, p.digest) for p in checked.workspace.plans)

    def build_first(site: Path) -> bool:
        """The plans saved since the last build, their own sites first: checked with
        the method rules on them alone (in the context of every plan: the findings
        they have among all), before the whole workspace is checked for the full
        build. A save with an error is left to that check."""
        if not built:
            return False
        diagnostics, checked, _language = check_workspace(
            config, day, rules_for=partial(is_saved, built))
        saved = saved_since(built, checked.workspace.plans)
        if has_errors(diagnostics) or not saved or len(saved) == len(checked.workspace.plans):
            return False
        try:
            put_accounts_in_place(request(checked, site), saved)
        except (BuildFailed, BuildRefused) as exc:
            raise RuntimeError(exc.in_language(command_language())) from None
        return True

    settings, root, _ = load_config(config)
    docs = read_mkdocs_yml(config).get("docs_dir")
    watch = [root / settings.plans_dir, root / settings.templates_dir,
             root / (docs if isinstance(docs, str) else "docs"), config,
             *([root / settings.customer_intro] if settings.customer_intro else [])]
    # MkDocs reports through logging: the address it serves on, each rebuild, errors.
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    mkdocs_log.setLevel(logging.INFO)
    serve(check=check, build=build, build_first=build_first, watch=watch, host=host,
          port=int(port))
    return 0


def is_saved(built: Mapping[str, str], plan: PlanFile) -> bool:
    """Whether the plan's text differs from the one its served site was built from
    (`built`: plan id -> digest of that text): the digest, as a checked plan keeps it
    (`PlanFile.checked` lets the text go)."""
    return built.get(plan.id) != plan.digest


def saved_since(built: Mapping[str, str], plans: Sequence[PlanFile]) -> list[str]:
    """The ids of the plans saved since `built` (`is_saved`)."""
    return [p.id for p in plans if is_saved(built, p)]
