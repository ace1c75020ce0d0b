from __future__ import annotations

import shlex
from pathlib import Path

import click
import yaml

from cxplan import i18n
from cxplan.cli.language import current as command_language
from cxplan.config import read_mkdocs_yml, today
from cxplan.scaffold import LANGUAGES, ScaffoldError, as_language, init_workspace


@click.command("init")
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--language", type=click.Choice(LANGUAGES), default="en", show_default=True,
    help="Language of the example plan, the home page and the site's labels.",
)
@click.option(
    "--install-from", "install_from", metavar="SPEC", envvar="CXPLAN_INSTALL_FROM",
    help="Where CI and the team install cxplan from, written to requirements.txt: a git "
    "URL with a tag (git+https://github.com/ORG/cxplan@v0.1.0), a wheel committed to the "
    "workspace (./wheels/cxplan-0.1.0-py3-none-any.whl) or a requirement for your own "
    "package index. Default: the git URL this cxplan was installed from, if it was; "
    "otherwise a placeholder to fill in. Also read from CXPLAN_INSTALL_FROM.",
)
def command(directory: Path, language: str, install_from: str | None) -> int:
    """Create a workspace that validates and builds at once.

    Writes mkdocs.yml, an example plan in plans/, docs/index.md, a GitHub Actions
    workflow, a pre-commit configuration, .gitignore, editor settings and the plan
    JSON Schema. An existing file is never overwritten: it is listed as skipped.

    Example: cxplan init my-plans --language es
    """
    try:
        report = init_workspace(directory, as_language(language), today(), install_from)
    except ScaffoldError as exc:
        speaks = language if language in i18n.languages() else command_language()
        click.echo(f"cxplan init: {exc.in_language(speaks)}", err=True)
        return 1
    where = report.root.as_posix()
    # The workspace's language: the one of the mkdocs.yml already there, if any.
    said = _workspace_language(report.root) if "mkdocs.yml" not in report.created else language

    def t(key: str, **params: object) -> str:
        return i18n.text(said, f"init.{key}", **params)

    def shown(path: str) -> str:
        return f"{where}/{path}" if where != "." else path

    for path in report.created:
        click.echo(t("created", path=shown(path)))
    for path, reason in report.skipped:
        click.echo(t("skipped", path=shown(path), reason=t(f"reason.{reason}")))
    click.echo(t("summary", created=len(report.created), skipped=len(report.skipped)))
    if "requirements.txt" in report.created and report.install is not None:
        if report.install.stated:
            click.echo(t("installs", requirement=report.install.requirement))
        else:
            click.echo(t("fill_in"))
    if report.created:
        step = f"cd {shlex.quote(where)} && " if where != "." else ""
        click.echo(t("next", step=step))
    return 0


def _workspace_language(root: Path) -> str:
    """The `theme.language` of the workspace's mkdocs.yml, when cxplan ships it."""
    try:
        theme = read_mkdocs_yml(root / "mkdocs.yml").get("theme")
    except (OSError, ValueError, yaml.YAMLError):
        return i18n.DEFAULT_LANGUAGE
    language = theme.get("language") if isinstance(theme, dict) else None
    return language if language in i18n.languages() else i18n.DEFAULT_LANGUAGE
