"""Workspace settings: the `cxplan` plugin's options in `mkdocs.yml`, read by the CLI too.

The options are declared once, here. The MkDocs plugin validates its options with this
same model, so `cxplan validate` and `mkdocs build` always agree on rule settings.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from cxplan import defaults, i18n
from cxplan.diagnostics import Diagnostic, Severity


def _off(value: Any) -> Any:
    """YAML reads an unquoted `off` (and `no`, `false`) as false: `{CX501: off}`, as
    the docs write it, means the rule is off."""
    return "off" if value is False else value


RuleLevel = Annotated[Literal["off", "info", "warning", "error"], BeforeValidator(_off)]


class SurveyMapping(BaseModel):
    """How to read one survey tool's CSV export (`cxplan import`): which columns hold
    what. One row of the export is one answer."""

    model_config = ConfigDict(extra="forbid")

    name: str
    """A name for the survey, shown in messages."""
    plan: str | None = None
    """The plan (its id) the survey is about; needed when its KPI ids are in several."""
    date: str
    """The column holding the day of each answer."""
    date_format: str = "%Y-%m-%d"
    """How that column writes dates (Python `strptime` codes; a time after it is ignored)."""
    kpis: dict[str, str] = {}
    """KPI id -> the column of the answers that measure it: one reading per day."""
    aggregate: dict[str, Literal["mean", "nps"]] = {}
    """KPI id -> how a day's answers make a reading: `mean` (default), or `nps`
    (0-10 answers: % promoters, 9-10, minus % detractors, 0-6)."""
    commitments: dict[str, str] = {}
    """Commitment id -> the column of 1-5 answers: `perceived` becomes their rounded mean."""


class WorkspaceConfig(BaseModel):
    """Options of the `cxplan` plugin (`plugins: - cxplan: {...}` in mkdocs.yml)."""

    model_config = ConfigDict(extra="forbid")

    plans_dir: str = "plans"
    """Folder of plan files, relative to mkdocs.yml."""
    audience: Literal["team", "customer"] = "team"
    """`customer` publishes the customer-safe site: no power map, no internal items."""
    language: i18n.Language | None = None
    """Label language for plans that set none; defaults to `theme.language`, else English."""
    templates_dir: str = "site_templates"
    """A folder of templates overriding the shipped ones by name."""
    rules: dict[str, RuleLevel] = {}
    """Method rules switched off or re-graded, by code: `{CX501: off, CX510: error}`."""
    max_open_actions: int = Field(default=defaults.MAX_OPEN_ACTIONS, ge=1)
    """A person with more open actions than this is overloaded."""
    stale_days: int = Field(default=defaults.STALE_DAYS, ge=1)
    """A relationship with no contact for longer than this is stale."""
    kpi_stale_days: int = Field(default=defaults.KPI_STALE_DAYS, ge=1)
    """A KPI with no reading for longer than this is not being measured."""
    due_soon_days: int = Field(default=defaults.DUE_SOON_DAYS, ge=1)
    """Open actions due within this many days are listed as due soon."""
    max_due_moves: int = Field(default=defaults.MAX_DUE_MOVES, ge=0)
    """An action whose due date moved more often than this is flagged."""
    history: bool = True
    """Read the plans' git history for the changes page, say-do and the "since the last
    review" page (from the last `review/*` tag)."""
    surveys: list[SurveyMapping] = []
    """Survey tools' CSV exports `cxplan import` reads: the column mapping of each."""
    digest_days: int = Field(default=7, ge=1)
    """`cxplan digest` lists what is due within this many days."""
    digest_from: str | None = None
    """The From address of the digests' e-mails (none when unset: the mail system adds it)."""
    follow_outside_links: bool = False
    """Read plan files that are symbolic links to files outside the workspace."""
    customer_site_url: str | None = Field(default=None, pattern=r"^(https?://|/).*/$")
    """Where the customer editions are published, when they are built alongside the team
    site (an address ending in `/`, e.g. `https://plans.example.com/customer/`): each
    page of a plan on the team site then links to the same page of that account's
    edition ("As the customer sees it")."""
    seal_password_env: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    """The environment variable holding the password of a sealed team site (e.g.
    `CXPLAN_SITE_PASSWORD`): `cxplan build` then publishes every file of the team site
    encrypted, readable only after entering the password in the browser (see
    publishing: a host that cannot restrict who reads it); customer editions are built
    as usual. The password itself is never written in a file."""
    customer_status: Literal["plain", "flagged"] = "plain"
    """What customer editions show of status, for plans that do not say
    (`plan.customer_status`): `plain` shows dates and statuses as written, without
    overdue or broken marks and "needs attention" lists; `flagged` shows them as the team
    site does."""
    customer_intro: str | None = None
    """A Markdown file (its path relative to mkdocs.yml, e.g. `customer-intro.md`) whose
    text opens the home page of every customer edition whose plan has no
    `plan.customer_intro` of its own; the team's overviews show it too. Plain Markdown,
    no placeholders. Keep it outside the docs folder, or it is also a page of the team
    site."""


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, which may hold `!!python/name:` and `!ENV` tags we do not need."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    return None


_LenientLoader.add_multi_constructor("", _ignore_tag)  # type: ignore[no-untyped-call]


def read_mkdocs_yml(path: Path) -> dict[str, Any]:
    with path.open("rb") as stream:
        data = yaml.load(stream, Loader=_LenientLoader)
    return data if isinstance(data, dict) else {}


def plugin_options(mkdocs: dict[str, Any]) -> dict[str, Any] | None:
    """The cxplan entry of `plugins`, or None when the plugin is not configured."""
    plugins = mkdocs.get("plugins") or []
    if isinstance(plugins, dict):
        plugins = [{name: options} for name, options in plugins.items()]
    for entry in plugins:
        if entry == "cxplan":
            return {}
        if isinstance(entry, dict) and "cxplan" in entry:
            return dict(entry["cxplan"] or {})
    return None


def theme_language(mkdocs: dict[str, Any]) -> str | None:
    """`theme.language` of mkdocs.yml when cxplan ships it: the workspace's language
    when the plugin's `language` option says none."""
    theme = mkdocs.get("theme")
    language = theme.get("language") if isinstance(theme, dict) else None
    return language if isinstance(language, str) and language in i18n.languages() else None


class IntroUnreadable(Exception):
    """The file the `customer_intro` option names is missing or cannot be read."""


def read_customer_intro(root: Path, settings: WorkspaceConfig) -> str | None:
    """The text of the workspace's `customer_intro` file, or None when the option is unset.

    Raises `IntroUnreadable` (a message in the workspace's language, naming the file)
    when the file is missing, is a folder or is not UTF-8 text."""
    if settings.customer_intro is None:
        return None
    path = root / settings.customer_intro
    language = settings.language or i18n.DEFAULT_LANGUAGE
    try:
        return path.read_text(encoding="utf-8-sig")
    except (FileNotFoundError, NotADirectoryError):
        key, reason = "config.customer_intro.missing", ""
    except IsADirectoryError:
        key, reason = "config.customer_intro.folder", ""
    except UnicodeDecodeError:
        key, reason = "config.customer_intro.not_text", ""
    except OSError as exc:
        key, reason = "config.customer_intro.unreadable", exc.strerror or str(exc)
    raise IntroUnreadable(i18n.text(language, key, path=settings.customer_intro,
                                    reason=reason))


def _option_position(config_file: Path, name: str) -> tuple[int, int]:
    """(line, column) of a plugin option's key in mkdocs.yml; (1, 1) when not found."""
    try:
        lines = config_file.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1, 1
    for number, line in enumerate(lines, start=1):
        match = re.match(rf"^(\s*(?:-\s+)?){re.escape(name)}\s*:", line)
        if match:
            return number, len(match.group(1)) + 1
    return 1, 1


def load_config(config_file: Path | None) -> tuple[WorkspaceConfig, Path, list[Diagnostic]]:
    """Settings and the workspace root; defaults when there is no mkdocs.yml."""
    if config_file is None:
        candidate = Path("mkdocs.yml")
        if not candidate.is_file():
            return WorkspaceConfig(), Path("."), []
        config_file = candidate
    root = config_file.parent
    try:
        mkdocs = read_mkdocs_yml(config_file)
        options = plugin_options(mkdocs) or {}
        config = WorkspaceConfig.model_validate(options)
        if config.language is None and theme_language(mkdocs) is not None:
            config = config.model_copy(update={"language": theme_language(mkdocs)})
        try:
            read_customer_intro(root, config)
        except IntroUnreadable as exc:
            line, column = _option_position(config_file, "customer_intro")
            return config, root, [
                Diagnostic(str(config_file), line, column, Severity.ERROR, "CX100", str(exc))
            ]
        return config, root, []
    except (OSError, yaml.YAMLError) as exc:
        message = i18n.Text.of("config.unreadable", reason=(str(exc).splitlines() or [""])[0])
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = i18n.Text.of("config.option", option=where, problem=first["msg"])
    return WorkspaceConfig(), root, [
        Diagnostic.said(str(config_file), (1, 1), Severity.ERROR, "CX100", message)
    ]


def today() -> dt.date:
    """The default as-of date. The only place that reads the clock."""
    return dt.date.today()
