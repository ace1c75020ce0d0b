"""Options shared by several commands, declared once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


class DateParam(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            from cxplan.cli import language

            self.fail(language.text("cli.not_a_date", value=value), param, ctx)


DATE = DateParam()


def as_of_option(func: F) -> F:
    return click.option(
        "--as-of",
        type=DATE,
        default=None,
        help="Compute overdue, stale and due-soon facts as of this date (default: today).",
    )(func)


def config_option(func: F) -> F:
    return click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="The workspace's mkdocs.yml (default: ./mkdocs.yml if present).",
    )(func)


def resolve_as_of(as_of: dt.date | None) -> dt.date:
    from cxplan.config import today  # imports pydantic: not for commands that do not ask

    return as_of if as_of is not None else today()


def report_language(plan_languages: Sequence[str | None], site_language: str | None) -> str:
    """The language of a report on these plans: theirs when they all share one, else the
    site's, else English."""
    chosen = set(plan_languages)
    if len(chosen) == 1 and None not in chosen:
        (only,) = chosen
        assert only is not None
        return only
    return site_language or "en"
