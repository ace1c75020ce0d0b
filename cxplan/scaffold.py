"""New workspaces (`cxplan init`) and new plans (`cxplan new`) that validate at once.

The files come from `cxplan/scaffold_templates/` (package data, so they travel in the
wheel): `*.j2` files are Jinja2 templates, every other file is copied as it is.
Nothing here ever overwrites a file: each one is opened with O_EXCL, so an existing
file (or a symlink in its place) is reported as skipped, even if it appeared after the
check. Dates in the templates are written relative to the day the command runs, so a
fresh workspace has no overdue action and no stale relationship.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from cxplan import __version__, defaults, i18n
from cxplan.files import cannot_write
from cxplan.install_route import InstallRoute, install_route
from cxplan.load import parse, resolve_plain
from cxplan.model.build import build_plan
from cxplan.model.plan import ID_PATTERN, PLAN_ID_PATTERN, json_schema

Language = i18n.Language
LANGUAGES: tuple[str, ...] = i18n.languages()
"""The languages `init` and `new` offer: every language of the catalogue."""

TEMPLATES_DIR = Path(__file__).with_name("scaffold_templates")
EXAMPLE_TEMPLATE = "example-plan.yaml.j2"
"""The example plan of a language: `scaffold_templates/<language>/example-plan.yaml.j2`."""
# The line an example template starts with to name the plan it is (its file name in
# `plans/`): a Jinja comment, so it is not written into the plan.
_EXAMPLE_ID = re.compile(r"\{#-?\s*plan id:\s*(\S+?)\s*-?#\}")
FALLBACK_EXAMPLE_ID = "example-plan"
"""The file name of an example template that names no plan id."""


def _example_plans() -> dict[str, str]:
    """Language -> plan id of its example, for every folder holding an example plan.

    Derived from the folders present, so a language gets its own example by adding
    `<language>/example-plan.yaml.j2`; a language without one gets the English example
    (its comments and story in English) with its own site name and `language:`.
    """
    plans: dict[str, str] = {}
    for template in sorted(TEMPLATES_DIR.glob(f"*/{EXAMPLE_TEMPLATE}")):
        first_line = template.read_text("utf-8").partition("\n")[0]
        declared = _EXAMPLE_ID.fullmatch(first_line.strip())
        plans[template.parent.name] = declared.group(1) if declared else FALLBACK_EXAMPLE_ID
    return plans


EXAMPLE_PLAN: dict[str, str] = _example_plans()
"""Language -> the plan id (file name without extension) of the example `init` writes."""
NEW_PLAN_TEMPLATE = "common/new-plan.yaml.j2"
"""The template of `cxplan new`, one for every language: its texts are the catalogue's."""
SCHEMA_PATH = "schema/plan.schema.json"
# The modeline that points editors at the schema; every plan template starts with it.
SCHEMA_MODELINE = "# yaml-language-server: $schema=../schema/plan.schema.json"

# Workspace file -> template (`{language}` filled in). Order is the order reported.
WORKSPACE_TEMPLATES: tuple[tuple[str, str], ...] = (
    ("mkdocs.yml", "common/mkdocs.yml.j2"),
    ("requirements.txt", "common/requirements.txt.j2"),
    ("docs/index.md", "common/docs-index.md.j2"),
    ("plans/{example}.yaml", "{language}/" + EXAMPLE_TEMPLATE),
    (".github/workflows/cxplan.yml", "common/github-workflow.yml"),
    (".pre-commit-config.yaml", "common/pre-commit-config.yaml.j2"),
    (".gitignore", "common/gitignore"),
    (".editorconfig", "common/editorconfig"),
    (".vscode/settings.json", "common/vscode-settings.json"),
    (".vscode/extensions.json", "common/vscode-extensions.json"),
)

# Characters that would break a YAML comment or hide text from a reviewer.
_UNSAFE_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


# Text that YAML reads as a plain string: words, digits, spaces, '.', '_' and '-'
# (never first), no trailing space. `resolve_plain` then rules out numbers and null.
_PLAIN_SAFE = re.compile(r"[^\W_](?:[\w .-]*[\w.])?")

# Words older YAML tools read as booleans; quoted so every tool reads the same text.
_YAML11_WORDS = frozenset({"yes", "no", "on", "off", "y", "n", "true", "false"})


class ScaffoldError(i18n.Said):
    """A request `init` or `new` cannot carry out; the message says why and what to do."""


def as_language(value: str) -> Language:
    _check_language(value)
    return value


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ScaffoldError(i18n.Text.of("scaffold.unknown_language", language=language,
                                         languages=", ".join(LANGUAGES)))


def template_language(language: str) -> str:
    """The folder of the example plan for `language`: its own, else English's."""
    return language if language in EXAMPLE_PLAN else i18n.DEFAULT_LANGUAGE


@dataclass
class ScaffoldReport:
    """Which files a scaffolding step created and which it left alone."""

    root: Path
    created: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(path, why it was skipped: `exists` or `has_plans`, a key of `init.reason.*`)"""
    install: InstallRoute | None = None
    """Where the workspace's requirements.txt installs cxplan from."""


def yaml_string(value: str) -> str:
    """`value` as a YAML scalar that reads back as exactly this string.

    Plain when it is made of words (`Acme Corp`, `ana.silva`) and would not be read
    as a number, boolean or null; otherwise double-quoted. A JSON string is a valid
    YAML double-quoted scalar; U+2028/U+2029 are escaped too because YAML 1.1
    parsers treat them as line breaks inside quotes.
    """
    if (
        _PLAIN_SAFE.fullmatch(value)
        and value.lower() not in _YAML11_WORDS
        and resolve_plain(value, (1, 1)) == value
    ):
        return value
    quoted = json.dumps(value, ensure_ascii=False)
    return quoted.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("cxplan", "scaffold_templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # YAML and Markdown, not HTML; values go through `yaml`
    )
    env.filters["yaml"] = yaml_string
    env.filters["text"] = yaml_text
    env.filters["comment"] = yaml_comment
    return env


def yaml_text(value: str) -> str:
    """A catalogue text as a YAML value: plain when the loader reads it back as exactly
    this text (most prose: commas, accents, a final period), else `yaml_string`'s."""
    source, problems = parse("text.yaml", f"k: {value}\n")
    if not problems and not source.warnings and source.data == {"k": value}:
        return value
    return yaml_string(value)


def yaml_comment(text: str, indent: int = 0) -> str:
    """`text` as YAML comment lines at `indent` spaces (a catalogue text may hold
    several lines; a blank one stays a bare `#`)."""
    pad = " " * indent
    return "\n".join(f"{pad}# {line}".rstrip() for line in text.splitlines())


def _texts(language: str) -> Callable[..., str]:
    """`t(key, **params)` for the templates: the catalogue's text `scaffold.<key>` in
    `language` (every comment and placeholder text a template writes is one)."""

    def t(key: str, /, **params: object) -> str:
        return i18n.text(language, f"scaffold.{key}", **params)

    return t


def _day_function(today: dt.date) -> Callable[[int], str]:
    def day(offset: int) -> str:
        return (today + dt.timedelta(days=offset)).isoformat()

    return day


def _read_template(env: jinja2.Environment, name: str, context: Mapping[str, object]) -> bytes:
    if name.endswith(".j2"):
        return env.get_template(name).render(**context).encode("utf-8")
    loader = env.loader
    assert loader is not None
    source, _, _ = loader.get_source(env, name)
    return source.encode("utf-8")


def workspace_files(
    language: Language, today: dt.date, install: InstallRoute | None = None
) -> dict[str, bytes]:
    """Every file of a new workspace: relative path -> content."""
    install = install or install_route(None)
    _check_language(language)
    env = _environment()
    folder = template_language(language)
    context: dict[str, object] = {
        "language": language,
        "site_name": i18n.text(language, "scaffold.site_name"),
        "version": __version__,
        "day": _day_function(today),
        "install_requirement": install.requirement,
        "install_stated": install.stated,
        "install_git_url": install.git_url if install.stated else None,
        "t": _texts(language),
    }
    files: dict[str, bytes] = {}
    for target, template in WORKSPACE_TEMPLATES:
        path = target.format(example=EXAMPLE_PLAN[folder])
        files[path] = _read_template(env, template.format(language=folder), context)
    files[SCHEMA_PATH] = (json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n").encode()
    return files


def _write_new(path: Path, content: bytes) -> bool:
    """Write `content` to a new file; False (and nothing written) if `path` exists."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as stream:
            stream.write(content)
    except FileExistsError:
        return False
    except OSError as exc:
        raise ScaffoldError(cannot_write(OSError(exc.errno, exc.strerror), path)) from None
    return True


def init_workspace(
    root: Path, language: Language, today: dt.date, install_from: str | None = None
) -> ScaffoldReport:
    """Create a workspace in `root`, never touching a file that is already there.

    `install_from` is where the workspace installs cxplan from (see
    `cxplan.install_route`); without it, the route this cxplan came by, if usable.
    """
    if root.exists() and not root.is_dir():
        raise ScaffoldError(i18n.Text.of("files.not_a_folder", path=str(root)))
    if install_from is not None and (not install_from.strip() or "\n" in install_from):
        raise ScaffoldError(i18n.Text.of("scaffold.install_from_line"))
    install = install_route(install_from)
    report = ScaffoldReport(root=root, install=install)
    plans = root / "plans"
    has_plans = plans.is_dir() and any(
        p.suffix in (".yaml", ".yml") for p in plans.iterdir() if p.is_file()
    )
    example = f"plans/{EXAMPLE_PLAN[template_language(language)]}.yaml"
    for relative, content in workspace_files(language, today, install).items():
        if relative == example and has_plans:
            # A workspace that has plans needs no example among them.
            report.skipped.append((relative, "has_plans"))
        elif _write_new(root / relative, content):
            report.created.append(relative)
        else:
            report.skipped.append((relative, "exists"))
    return report


def owner_name_from_id(owner: str) -> str:
    """A readable placeholder name: `mara.okafor` -> `Mara Okafor`."""
    words = [w for w in re.split(r"[._-]+", owner) if w]
    return " ".join(w[:1].upper() + w[1:] for w in words) or owner


def customer_from_plan_id(plan_id: str) -> str:
    """A placeholder customer name: `acme-corp` -> `Acme Corp`."""
    return " ".join(w[:1].upper() + w[1:] for w in plan_id.split("-") if w) or plan_id


def check_plan_id(plan_id: str) -> None:
    if not re.fullmatch(PLAN_ID_PATTERN, plan_id):
        raise ScaffoldError(i18n.Text.of("scaffold.bad_plan_id", id=plan_id))


def render_new_plan(
    plan_id: str, *, customer: str | None, owner: str, language: Language, today: dt.date
) -> str:
    """The text of a new plan; raises ScaffoldError for input it cannot use."""
    check_plan_id(plan_id)
    _check_language(language)
    if not re.fullmatch(ID_PATTERN, owner):
        raise ScaffoldError(i18n.Text.of("scaffold.bad_person_id", id=owner))
    name = customer_from_plan_id(plan_id) if customer is None else customer.strip()
    if not name:
        raise ScaffoldError(i18n.Text.of("scaffold.empty_customer"))
    if _UNSAFE_TEXT.search(name):
        raise ScaffoldError(i18n.Text.of("scaffold.unsafe_customer"))
    context = {
        "title": i18n.text(language, "scaffold.new_plan_title", customer=name),
        "language": language,
        "customer": name,
        "customer_comment": name,
        "owner": owner,
        "owner_name": owner_name_from_id(owner),
        "day": _day_function(today),
        "quick_win_days": defaults.QUICK_WIN_DAYS,
        "t": _texts(language),
    }
    return _environment().get_template(NEW_PLAN_TEMPLATE).render(**context)


def new_plan(
    plans_dir: Path,
    plan_id: str,
    *,
    customer: str | None,
    owner: str,
    language: Language,
    today: dt.date,
) -> Path:
    """Write `plans_dir/PLAN_ID.yaml` from the template; never over an existing plan."""
    text = render_new_plan(plan_id, customer=customer, owner=owner, language=language, today=today)
    path = plans_dir / f"{plan_id}.yaml"
    for existing in (plans_dir / f"{plan_id}.yaml", plans_dir / f"{plan_id}.yml"):
        if existing.exists() or existing.is_symlink():
            raise ScaffoldError(i18n.Text.of("scaffold.plan_exists", path=str(existing)))
    # The template is trusted, the values are not: refuse to write a plan that would
    # not validate rather than hand the user a broken file.
    source, problems = parse(str(path), text)
    if not problems:
        _, problems = build_plan(source, plan_id)
    if problems:
        first = problems[0]
        raise ScaffoldError(i18n.Text.of(
            "scaffold.would_not_validate",
            problem=first.texts[0] if first.texts is not None else first.message))
    if not _write_new(path, text.encode("utf-8")):
        raise ScaffoldError(i18n.Text.of("scaffold.plan_exists", path=str(path)))
    return path
