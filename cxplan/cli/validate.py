from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from cxplan.cli.options import as_of_option, config_option, resolve_as_of
from cxplan.config import load_config
from cxplan.diagnostics import FORMATTERS, Severity, has_errors
from cxplan.model.workspace import load_workspace
from cxplan.rules import run_rules


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "output_format", type=click.Choice(sorted(FORMATTERS)), default="text",
    show_default=True, help="text for people, json for tools, github for workflow annotations.",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@as_of_option
@config_option
def command(
    paths: tuple[Path, ...], output_format: str, strict: bool, as_of: dt.date | None,
    config_file: Path | None,
) -> int:
    """Check plans against the format and the method.

    PATHS are plan files or folders (default: the workspace's plans/ folder). Every
    problem of every file is reported in one run, sorted by file and line.

    Example: cxplan validate plans/ --format github
    """
    config, root, problems = load_config(config_file)
    targets = list(paths) or [root / config.plans_dir]
    workspace = load_workspace(targets, follow_outside_links=config.follow_outside_links)
    diagnostics = problems + workspace.diagnostics
    diagnostics += run_rules(workspace, config, resolve_as_of(as_of))
    diagnostics.sort()
    # Every message in the workspace's language, as the rules' findings already are.
    click.echo(FORMATTERS[output_format](diagnostics, workspace.files, config.language or "en"),
               nl=False)
    failing = has_errors(diagnostics) or (
        strict and any(d.severity is Severity.WARNING for d in diagnostics)
    )
    return 1 if failing else 0
