"""What `build`, `serve` and `render` share: finding mkdocs.yml and checking the plans."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import click

from cxplan.config import load_config
from cxplan.diagnostics import format_text, has_errors
from cxplan.model.workspace import Workspace, load_workspace
from cxplan.rules import Finding, config_problems
from cxplan.rules.run import portfolio_findings

AUDIENCE = click.option(
    "--audience", type=click.Choice(["team", "customer"]), default=None,
    help="team: everything; customer: the customer-safe site (no power map, no internal "
    "items). Default: the plugin's audience option, else team.",
)


def mkdocs_yml(config_file: Path | None) -> Path | None:
    """The workspace's mkdocs.yml, or None (after saying so) when there is none."""
    path = config_file or Path("mkdocs.yml")
    if not path.is_file():
        click.echo(
            f"cxplan: {path} not found; run this in a workspace (see `cxplan init`) "
            "or pass --config",
            err=True,
        )
        return None
    return path


@dataclass(frozen=True)
class Checked:
    """Valid plans and their rule findings (what the plan-health panels show)."""

    workspace: Workspace
    findings: dict[str, list[Finding]]


def checked_workspace(config_file: Path, as_of: dt.date) -> Checked | None:
    """The workspace's plans, validated exactly as `cxplan validate` does (the same
    report: `run_rules` is made of these findings); None when there is an error."""
    config, root, problems = load_config(config_file)
    workspace = load_workspace(
        [root / config.plans_dir], follow_outside_links=config.follow_outside_links
    )
    findings = portfolio_findings(workspace.plans, config, as_of)
    rules = config_problems(config) + [f.diagnostic for fs in findings.values() for f in fs]
    diagnostics = sorted(problems + workspace.diagnostics + rules)
    click.echo(format_text(diagnostics, workspace.files), nl=False)
    if has_errors(diagnostics):
        return None
    return Checked(workspace, findings)
