from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

import click

from cxplan import i18n
from cxplan.analyse.git import GitError, Prefetch
from cxplan.cli.options import DATE, config_option, report_language
from cxplan.diagnostics import Diagnostic, Severity, format_text

FORMATS = ("json", "markdown", "text")


@click.command("history")
@click.argument("plan_file", required=False, type=click.Path(path_type=Path))
@click.option(
    "--since", type=DATE, default=None,
    help="Only changes authored on or after this date (earlier versions are still read).",
)
@click.option(
    "--format", "output_format", type=click.Choice(FORMATS), default="text",
    show_default=True, help="text for a terminal, json for tools, markdown for a PR comment.",
)
@click.option(
    "--no-cache", is_flag=True,
    help="Read every version again instead of using .git/cxplan/history/ (no effect on results).",
)
@click.option(
    "--language", type=click.Choice(i18n.languages()), default=None,
    help="Language of the text and Markdown reports (default: the plans' language, else "
    "the site's, else English).",
)
@config_option
def command(
    plan_file: Path | None, since: dt.date | None, output_format: str, no_cache: bool,
    language: str | None, config_file: Path | None,
) -> int:
    """What changed in a plan, commit by commit, read from git.

    PLAN_FILE is a plan (default: every plan of the workspace's plans/ folder). For each
    plan: every action whose due date moved (first due, current due, number of moves,
    days slipped), status changes, commitments added, changed (expectation, perceived
    score or due date) or removed, stakeholders and actions added or removed, and
    versions that did not validate, each with the commit's author, date and subject.

    Reads the committed versions with the local `git` (no network). In a shallow
    clone it says how many commits it saw; outside git it says there is no history
    and exits 0. Exit 1 when PLAN_FILE does not exist or git fails.

    \b
    Examples:
      cxplan history
      cxplan history plans/acme.yaml --since 2027-01-01 --format markdown
    """
    # git reads the plan's history while the plan model is imported (a core each).
    early = Prefetch([plan_file], cache=not no_cache) if plan_file and plan_file.is_file() else None
    from cxplan.analyse.history import plan_histories
    from cxplan.config import load_config
    from cxplan.model.build import find_plan_files
    from cxplan.render.history_report import format_json, format_markdown
    from cxplan.render.history_report import format_text as history_text
    from cxplan.render.terminal import terminal_text

    # What is imported lives as long as the process: frozen, it is no longer walked by
    # the garbage collector each time reading hundreds of versions sets it off, nor at
    # exit (some 40 ms of a cold run, see benchmarks/history.py).
    gc.freeze()
    config, root, problems = load_config(config_file)
    said = language or config.language or "en"  # the language of the messages below
    if problems:
        click.echo(format_text(problems, 0, said), err=True, nl=False)
        return 1
    paths, missing = find_plan_files([plan_file] if plan_file else [root / config.plans_dir])
    if missing:
        click.echo(format_text(missing, 0, said), err=True, nl=False)
        return 1
    try:
        histories = plan_histories(paths, since=since, cache=not no_cache, prefetch=early)
    except GitError as exc:
        where = str(plan_file or root / config.plans_dir)
        failure = Diagnostic.said(where, (1, 1), Severity.ERROR, "CX100",
                                  i18n.Text.of("history.git_failed", reason=str(exc)))
        click.echo(format_text([failure], len(paths), said), err=True, nl=False)
        return 1
    # Plan text reaches the terminal: no control character of it is obeyed there.
    if output_format == "json":
        click.echo(terminal_text(format_json(histories)), nl=False)
        return 0
    shown = language or report_language([h.language for h in histories], config.language)
    report = format_markdown if output_format == "markdown" else history_text
    click.echo(terminal_text(report(histories, shown)), nl=False)
    return 0
