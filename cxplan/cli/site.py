"""What `build`, `serve` and `render` share: finding mkdocs.yml and checking the plans."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click

from cxplan import i18n
from cxplan.config import load_config
from cxplan.diagnostics import Diagnostic, format_text, has_errors
from cxplan.model.build import PlanFile
from cxplan.model.workspace import Workspace, load_workspace
from cxplan.rules import Finding, config_problems
from cxplan.rules.run import portfolio_findings

SITE_DIR = click.option(
    "--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Where the site goes (default: site_dir of mkdocs.yml, usually site/).",
)
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


SUMMARY_ABOVE = 20
"""More diagnostics than this and no error: `build` prints a summary, not each one."""


def checked_workspace(config_file: Path, as_of: dt.date, *, verbose: bool = True
                      ) -> Checked | None:
    """The workspace's plans, validated exactly as `cxplan validate` does (the same
    report: `run_rules` is made of these findings); None when there is an error.

    Not `verbose`, a large portfolio's warnings are summarised (counts by rule, the
    plans with most); errors are always printed in full."""
    diagnostics, checked, language = check_workspace(config_file, as_of)
    files = checked.workspace.files
    if verbose or has_errors(diagnostics) or len(diagnostics) <= SUMMARY_ABOVE:
        click.echo(format_text(diagnostics, files, language), nl=False)
    else:
        click.echo(summary_text(diagnostics, files, language), nl=False)
    return None if has_errors(diagnostics) else checked


def check_workspace(
    config_file: Path, as_of: dt.date, *, rules_for: Callable[[PlanFile], bool] | None = None,
) -> tuple[list[Diagnostic], Checked, str]:
    """Every diagnostic of the workspace (sorted), its plans and findings, and the
    language of its messages; printing nothing. With `rules_for`, the method rules
    run on the plans it picks only (`portfolio_findings`' `only`)."""
    config, root, problems = load_config(config_file)
    workspace = load_workspace(
        [root / config.plans_dir], follow_outside_links=config.follow_outside_links
    )
    findings = portfolio_findings(workspace.plans, config, as_of, only=rules_for)
    rules = config_problems(config) + [f.diagnostic for fs in findings.values() for f in fs]
    diagnostics = sorted(problems + workspace.diagnostics + rules)
    # Every finding has its position now: the build needs the plans, not their positions.
    workspace.plans[:] = [plan.checked() for plan in workspace.plans]
    return diagnostics, Checked(workspace, findings), config.language or "en"


def summary_text(diagnostics: list[Diagnostic], files: int, language: str) -> str:
    """Counts by rule and the plans with most findings, instead of every line."""
    by_code = Counter((d.code, str(d.severity)) for d in diagnostics)
    by_plan = Counter(d.path for d in diagnostics)
    lines = [i18n.text(language, "publish.summary.head", count=len(diagnostics), files=files)]
    for (code, severity), count in sorted(by_code.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(i18n.text(language, "publish.summary.rule", code=code, severity=severity,
                               count=count))
    lines.append(i18n.text(language, "publish.summary.worst"))
    for path, count in sorted(by_plan.items(), key=lambda kv: (-kv[1], kv[0]))[:5]:
        lines.append(i18n.text(language, "publish.summary.plan", path=path, count=count))
    lines.append(i18n.text(language, "publish.summary.more"))
    return "\n".join(lines) + "\n"
