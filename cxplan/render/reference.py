"""Reference pages generated from the code that they document.

The format reference comes from the pydantic models, the settings reference from
`WorkspaceConfig`, the CLI reference from the click group, the diagnostic codes from
`FORMAT_CODES` (and the rules layer's own codes) and the method rules from
`cxplan.rules.REGISTRY`. Nothing here is written by hand twice: a new field, option,
command, code or rule appears in the docs the next time they are built, and a test
fails if one of them has no description.

These functions return Markdown; the MkDocs hook in `docs/hooks/reference.py` adds
them to the site as in-memory pages. The CLI group is passed in (the render stage
does not import the CLI).
"""

from __future__ import annotations

import datetime as dt
import html
import inspect
import re
import textwrap
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import click
import jinja2
import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from cxplan import defaults
from cxplan.analyse.tracking import plan_status
from cxplan.config import WorkspaceConfig
from cxplan.diagnostics import FORMAT_CODES, CodeDoc
from cxplan.load import parse
from cxplan.model.build import build_plan
from cxplan.model.field_docs import field_doc
from cxplan.model.plan import ID_PATTERN, Plan
from cxplan.render import status_report
from cxplan.rules import REGISTRY, RULES_LAYER_CODES

# Site paths of the generated pages (relative to docs_dir).
FORMAT_PAGE = "reference/format.md"
SETTINGS_PAGE = "reference/settings.md"
CLI_PAGE = "reference/cli.md"
CODES_PAGE = "reference/codes.md"
RULES_PAGE = "reference/rules.md"
STATUS_JSON_PAGE = "reference/status-json.md"

# The date the examples are rendered for, fixed so the docs build reproducibly.
EXAMPLE_DATE = dt.date(2027, 1, 4)

# Descriptions for fields whose meaning is plain from their name and section; a field
# not listed here needs its own attribute docstring in the model (a test checks).
GENERIC_DESCRIPTIONS: dict[str, str] = {
    "id": "Identifier, unique within its section; other items refer to the item by it.",
    "name": "Name shown on the site.",
    "email": "Email address, shown on the team site and in calendar exports.",
    "description": "What happens at this moment; Markdown allowed.",
    "promise": "What was promised, in words the customer would recognise.",
    "due": "The date it is due.",
    "title": "Short title, shown in lists and on the site.",
    "status": "Where the action stands.",
    "moments": "Ids of the moments (`moments[].id`) this action concerns.",
    "areas": "Ids of the buyer areas (`areas[].id`) this action serves.",
    "stakeholders": "Ids of the stakeholders (`stakeholders[].id`) this action involves.",
    "date": "The date of the measurement.",
    "value": "The measured value.",
    "unit": "Unit shown next to values (`%`, `days`, `complaints`...).",
    "baseline": "The value before the plan started.",
    "target": "The value the plan aims for.",
    "area": "The buyer area (`areas[].id`) it belongs to.",
    "plan": "The plan as a whole: title, customer, owner and dates.",
    "commitments": "Promises made to the customer.",
    "actions": "What we do: each action has one owner and one due date.",
    "kpis": "The key performance indicators and their readings.",
}


@dataclass(frozen=True)
class FieldDoc:
    """One row of the format reference."""

    name: str
    type: str
    required: bool
    default: str
    allowed: tuple[str, ...]
    constraints: str
    description: str


@dataclass(frozen=True)
class SectionDoc:
    """One model, at the place it takes in a plan file (`team[]`, `kpis[].readings[]`)."""

    path: str
    model: type[BaseModel]
    fields: tuple[FieldDoc, ...]

    @property
    def anchor(self) -> str:
        return anchor_for(self.path)


def anchor_for(path: str) -> str:
    slug = path.replace("[]", "").replace(".", "-") or "top-level"
    return "section-" + slug


# --- types -----------------------------------------------------------------------


def _strip_none(args: tuple[Any, ...]) -> list[Any]:
    return [a for a in args if a is not type(None)]


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _pattern_of(metadata: list[Any]) -> str | None:
    for item in metadata:
        pattern = getattr(item, "pattern", None)
        if pattern is None and isinstance(item, FieldInfo):
            pattern = _pattern_of(item.metadata)
        if pattern:
            return str(pattern)
    return None


_SCALAR_NAMES: dict[Any, str] = {
    str: "text", int: "integer", float: "number", bool: "`true` or `false`",
    dt.date: "date (YYYY-MM-DD)",
}


def type_name(tp: Any, metadata: list[Any] | None = None) -> str:
    """A reader's name for an annotation: `id`, `list of date`, `number`..."""
    if metadata and _pattern_of(metadata) == ID_PATTERN:
        return "id"
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        return type_name(args[0], list(args[1:]))
    if origin in (typing.Union, types.UnionType):
        parts = _strip_none(args)
        if set(parts) == {int, float}:
            return "number"
        names = list(dict.fromkeys(type_name(p) for p in parts))
        return " or ".join(names)
    if origin is Literal:
        return "choice"
    if origin is list:
        item = type_name(args[0])
        return "list" if item == "mapping" else f"list of {item}"
    if origin is dict:
        return f"mapping of keys to {type_name(args[1])}"
    if _is_model(tp):
        return "mapping"
    if tp in _SCALAR_NAMES:
        return _SCALAR_NAMES[tp]
    return getattr(tp, "__name__", str(tp))


def allowed_values(tp: Any) -> tuple[str, ...]:
    """Every Literal value found in an annotation, in declaration order."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is Literal:
        return tuple(str(a) for a in args)
    found: list[str] = []
    for arg in args:
        for value in allowed_values(arg):
            if value not in found:
                found.append(value)
    return tuple(found)


def nested_models(tp: Any) -> list[type[BaseModel]]:
    if _is_model(tp):
        return [tp]
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(tp):
        found += [m for m in nested_models(arg) if m not in found]
    return found


def _constraints(info: FieldInfo) -> str:
    low = high = None
    notes = []
    for item in info.metadata:
        low = getattr(item, "ge", low)
        high = getattr(item, "le", high)
        min_length = getattr(item, "min_length", None)
        if min_length:
            notes.append("not empty" if info.annotation is str else f"at least {min_length}")
    if low is not None and high is not None:
        notes.insert(0, f"{low} to {high}")
    elif low is not None:
        notes.insert(0, f"at least {low}")
    return ", ".join(notes)


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return ""
    value = info.get_default(call_default_factory=True)
    if value is None:
        return "none"
    if value in ([], {}):
        return "empty"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def field_description(model: type[BaseModel], name: str, info: FieldInfo) -> str:
    text = field_doc(model, name) or GENERIC_DESCRIPTIONS.get(name, "")
    return " ".join(text.split())


def _field_doc(model: type[BaseModel], name: str, info: FieldInfo) -> FieldDoc:
    return FieldDoc(
        name=name,
        type=type_name(info.annotation, list(info.metadata)),
        required=info.is_required(),
        default=_default(info),
        allowed=allowed_values(info.annotation),
        constraints=_constraints(info),
        description=field_description(model, name, info),
    )


def plan_sections(root: type[BaseModel] = Plan) -> list[SectionDoc]:
    """Every model of the format, depth first, each at its path in a plan file."""
    sections: list[SectionDoc] = []

    def visit(model: type[BaseModel], path: str) -> None:
        fields = tuple(_field_doc(model, n, f) for n, f in model.model_fields.items())
        sections.append(SectionDoc(path, model, fields))
        for name, info in model.model_fields.items():
            for child in nested_models(info.annotation):
                is_list = typing.get_origin(_unwrap_optional(info.annotation)) is list
                child_path = (f"{path}." if path else "") + name + ("[]" if is_list else "")
                visit(child, child_path)

    visit(root, "")
    return sections


def _unwrap_optional(tp: Any) -> Any:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        parts = _strip_none(typing.get_args(tp))
        if len(parts) == 1:
            return parts[0]
    return tp


# --- the format reference ----------------------------------------------------------


def example_plan_text(language: str = "en") -> str:
    """The example plan `cxplan init` writes, with its dates as of EXAMPLE_DATE.

    Read from the scaffold templates (package data) so the docs show exactly the
    plan users get, which a test keeps valid.
    """
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("cxplan", "scaffold_templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # YAML, not HTML
    )

    def day(offset: int) -> str:
        return (EXAMPLE_DATE + dt.timedelta(days=offset)).isoformat()

    return env.get_template(f"{language}/example-plan.yaml.j2").render(day=day, language=language)


def _example_value(data: Any, path: str) -> Any:
    """The value at `path` (`kpis[].readings[]`) in the example plan, or None.

    In a list, the first item that has the next key is taken; a path ending in `[]`
    gives a one-item list.
    """
    value = data
    parts = path.split(".")
    for part in parts:
        key = part.removesuffix("[]")
        if isinstance(value, list):
            value = next((v for v in value if isinstance(v, dict) and v.get(key)), None)
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    if parts[-1].endswith("[]") and isinstance(value, list):
        value = value[:1]
    return value


def example_snippet(data: dict[str, Any], path: str) -> str:
    """The example plan's first item at `path`, nested under its keys."""
    if not path:
        return ""
    value = _example_value(data, path)
    if value in (None, [], {}):
        return ""
    parts = path.split(".")
    node: Any = {parts[-1].removesuffix("[]"): value}
    for part in reversed(parts[:-1]):
        node = {part.removesuffix("[]"): [node] if part.endswith("[]") else node}
    return yaml.dump(
        node, Dumper=_SnippetDumper, sort_keys=False, allow_unicode=True, width=88
    ).rstrip()


class _SnippetDumper(yaml.SafeDumper):
    """Dumps like the example plans are written: lists indented, long text as `|`."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_SnippetDumper.add_representer(str, _represent_text)


def _code_cell(text: str) -> str:
    """Code in a table cell. A `|` inside backticks would stay backslash-escaped in
    Python-Markdown's tables, so this is HTML with the bar as an entity."""
    return "<code>" + html.escape(text).replace("|", "&#124;") + "</code>"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def format_reference() -> str:
    """The plan format, every model and field, with an example of each section."""
    sections = plan_sections()
    example_text = example_plan_text("en")
    example = yaml.safe_load(example_text)
    lines = [
        "# Plan format reference",
        "",
        "Generated from the models that validate plans (`cxplan/model/plan.py`), so it is",
        "always the format `cxplan validate` checks. A plan is one YAML file in `plans/`;",
        "its file name without extension is the plan id and must match",
        "`^[a-z0-9][a-z0-9-]{0,62}$`. Unknown keys are errors, as are duplicate keys.",
        "",
        "Types: **id** is 1 to 64 ASCII letters, digits, `.`, `_` or `-`, starting with a",
        "letter or digit; **date** is written `YYYY-MM-DD`; **text** is any string (quote",
        "it if it starts with a special character or is `yes`, `no`, `on`, `off`);",
        "**number** is an integer or a decimal.",
        "",
        "Sections:",
        "",
    ]
    for section in sections:
        lines.append(f"- [`{section.path or '(top level)'}`](#{section.anchor})")
    lines.append("")
    for section in sections:
        title = f"`{section.path}`" if section.path else "Top level"
        lines += [f"## {title} {{ #{section.anchor} }}", ""]
        doc = " ".join((section.model.__doc__ or "").split())
        if doc:
            lines += [doc, ""]
        lines += [
            "| key | type | required | default | allowed values | description |",
            "|---|---|---|---|---|---|",
        ]
        for f in section.fields:
            type_text = f.type
            if f.constraints:
                type_text += f" ({f.constraints})"
            target = _child_anchor(section, f.name)
            if target:
                type_text += f", see [`{target[0]}`](#{target[1]})"
            allowed = ", ".join(f"`{v}`" for v in f.allowed)
            lines.append(
                f"| `{f.name}` | {_cell(type_text)} | {'yes' if f.required else 'no'} "
                f"| {f.default} | {allowed} | {_cell(f.description)} |"
            )
        lines.append("")
        snippet = example_snippet(example, section.path)
        if snippet:
            lines += ["Example:", "", "```yaml", snippet, "```", ""]
    lines += [
        "## A complete example { #complete-example }",
        "",
        "The plan `cxplan init` writes (dates shown as of "
        f"{EXAMPLE_DATE.isoformat()}; `init` sets them relative to the day it runs):",
        "",
        "```yaml",
        example_text.rstrip(),
        "```",
        "",
    ]
    return "\n".join(lines)


def _child_anchor(section: SectionDoc, name: str) -> tuple[str, str] | None:
    info = section.model.model_fields[name]
    if not nested_models(info.annotation):
        return None
    is_list = typing.get_origin(_unwrap_optional(info.annotation)) is list
    path = (f"{section.path}." if section.path else "") + name + ("[]" if is_list else "")
    return path, anchor_for(path)


# --- settings ------------------------------------------------------------------------


def settings_reference() -> str:
    """The cxplan plugin's options in mkdocs.yml (also read by the CLI)."""
    lines = [
        "# Settings reference",
        "",
        "Options of the `cxplan` plugin in `mkdocs.yml`, generated from",
        "`cxplan.config.WorkspaceConfig`. The command line reads the same options, so",
        "`cxplan validate` and `mkdocs build` always agree.",
        "",
        "```yaml",
        "plugins:",
        "  - search",
        "  - cxplan:",
        "      plans_dir: plans",
        "      rules:",
        "        CX520: off",
        "```",
        "",
        "| option | type | default | allowed values | description |",
        "|---|---|---|---|---|",
    ]
    for name, info in WorkspaceConfig.model_fields.items():
        doc = _field_doc(WorkspaceConfig, name, info)
        type_text = doc.type + (f" ({doc.constraints})" if doc.constraints else "")
        allowed = ", ".join(f"`{v}`" for v in doc.allowed)
        lines.append(
            f"| `{name}` | {_cell(type_text)} | {doc.default} | {allowed} "
            f"| {_cell(doc.description)} |"
        )
    lines.append("")
    return "\n".join(lines)


# --- the command line ----------------------------------------------------------------


def iter_commands(group: click.Group) -> Iterator[tuple[str, click.Command]]:
    """Every command of the group, sorted by name."""
    ctx = click.Context(group, info_name="cxplan")
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is not None and not command.hidden:
            yield name, command


def _option_row(param: click.Parameter, ctx: click.Context) -> str:
    record = param.get_help_record(ctx) if isinstance(param, click.Option) else None
    if record is None:
        return ""
    names, help_text = record
    return f"| {_code_cell(names)} | {_cell(help_text)} |"


def cli_reference(group: click.Group) -> str:
    """Every command and option of the click group, with its help text."""
    lines = [
        "# Command-line reference",
        "",
        "Generated from the `cxplan` command itself; `cxplan COMMAND --help` shows the",
        "same text. Exit codes: 0 success, 1 a problem in the input, 2 a usage error,",
        "3 an internal error (with a log file to attach to a bug report), 130 Ctrl-C.",
        "",
    ]
    root_ctx = click.Context(group, info_name="cxplan")
    lines += ["## `cxplan`", "", group.help or "", "", "```text",
              group.get_usage(root_ctx), "```", ""]
    options = [_option_row(p, root_ctx) for p in group.get_params(root_ctx)]
    lines += ["| option | description |", "|---|---|", *[o for o in options if o], ""]
    for name, command in iter_commands(group):
        ctx = click.Context(command, info_name=f"cxplan {name}", parent=None)
        lines += [f"## `cxplan {name}` {{ #{name} }}", ""]
        help_text = (command.help or "").strip()
        lines += [_help_markdown(help_text), ""]
        lines += ["```text", command.get_usage(ctx), "```", ""]
        rows = [_option_row(p, ctx) for p in command.get_params(ctx)]
        rows = [r for r in rows if r]
        if rows:
            lines += ["| option | description |", "|---|---|", *rows, ""]
    return "\n".join(lines)


def _help_markdown(help_text: str) -> str:
    """Click help as Markdown: example lines become a console block."""
    out = []
    for paragraph in help_text.split("\n\n"):
        text = paragraph.strip().removeprefix("\b").strip()
        first, _, rest = text.partition("\n")
        label = first.split(":", 1)[0]
        if label in ("Example", "Examples"):
            commands = [first.split(":", 1)[1], *rest.splitlines()]
            body = "\n".join("$ " + c.strip() for c in commands if c.strip())
            out.append(f"{label}:\n\n```console\n{body}\n```")
        elif paragraph.strip().startswith("\b"):
            out.append("```text\n" + text + "\n```")
        else:
            out.append(" ".join(text.split()))
    return "\n\n".join(out)


# --- codes and rules ------------------------------------------------------------------


def all_codes() -> dict[str, CodeDoc]:
    """Every diagnostic code that is not a method rule's, in code order."""
    return dict(sorted({**FORMAT_CODES, **RULES_LAYER_CODES}.items()))


def codes_reference() -> str:
    lines = [
        "# Diagnostic codes",
        "",
        "Every message `cxplan validate` prints carries a stable code: `CX1xx` reading",
        "the file, `CX2xx` the shape of the plan, `CX3xx` references between items,",
        "`CX4xx` format rules, `CX5xx` the method rules (see the",
        "[method rules](rules.md)). A code never changes meaning.",
        "",
        "| code | title | what it means |",
        "|---|---|---|",
    ]
    for code, doc in all_codes().items():
        lines.append(
            f'| <a id="{code}"></a>`{code}` | {_cell(doc.title)} | {_cell(doc.explanation)} |'
        )
    lines += ["", "Method rules:", "", "| code | severity | title |", "|---|---|---|"]
    for code, rule in REGISTRY.items():
        lines.append(f"| [`{code}`](rules.md#{code}) | {rule.severity} | {_cell(rule.title)} |")
    lines.append("")
    return "\n".join(lines)


def rules_reference() -> str:
    """The method rules: code, severity, title, what, why, fix and an example."""
    lines = [
        "# Method rules",
        "",
        "The method rules coach a valid plan towards the method. Each can be switched",
        "off or given another level in `mkdocs.yml` (`rules: {CX520: off}`), and a single",
        "finding can be silenced with a comment on the line it points at:",
        "`# cxplan: ignore[CX520]`.",
        "",
        "| code | severity | title |",
        "|---|---|---|",
    ]
    for code, rule in REGISTRY.items():
        lines.append(f"| [`{code}`](#{code}) | {rule.severity} | {_cell(rule.title)} |")
    lines.append("")
    for code, rule in REGISTRY.items():
        doc = rule.doc
        lines += [
            f"## {code}: {rule.title} {{ #{code} }}",
            "",
            f"Severity: **{rule.severity}** · name: `{rule.name}`",
            "",
            doc.what,
            "",
            f"**Why.** {doc.why}",
            "",
            f"**Fix.** {doc.fix}",
            "",
        ]
        if doc.example:
            lines += ["Example:", "", "```yaml", doc.example, "```", ""]
    return "\n".join(lines)


# --- the status JSON -----------------------------------------------------------------


def status_json_shape() -> str:
    """The JSON shape, as `cxplan.render.status_report` documents it."""
    doc = inspect.cleandoc(status_report.__doc__ or "")
    match = re.search(r"shape is:\n\n((?:    .*\n|\n)+)", doc + "\n")
    if not match:
        raise ValueError("cxplan.render.status_report no longer documents its JSON shape")
    return textwrap.dedent(match.group(1)).strip()


def status_json_example(as_of: dt.date) -> str:
    """`cxplan status --format json` for the example plan, as of `as_of`."""
    text = example_plan_text("en")
    source, problems = parse("plans/harbor-insurance.yaml", text)
    plan_file, found = build_plan(source, "harbor-insurance")
    if plan_file is None or problems or found:
        raise ValueError("the example plan does not validate")
    status = plan_status(plan_file, as_of, defaults.DUE_SOON_DAYS)
    names = {plan_file.id: {p.id: p.name for p in plan_file.plan.team}}
    document = status_report.status_document(
        [status], as_of, due_soon_days=defaults.DUE_SOON_DAYS,
        paths={plan_file.id: plan_file.path}, names=names,
    )
    return status_report.format_json(document).rstrip()


def status_json_reference() -> str:
    as_of = EXAMPLE_DATE + dt.timedelta(days=30)
    return "\n".join([
        "# Status JSON",
        "",
        "`cxplan status --format json` prints one JSON document for tools and dashboards.",
        "Its shape is a stable interface: keys are only ever added, never renamed or",
        "removed. The shape, as documented in `cxplan/render/status_report.py`:",
        "",
        "```text",
        status_json_shape(),
        "```",
        "",
        "Dates are ISO strings (`YYYY-MM-DD`), numbers are JSON numbers, and `unit` and",
        "`baseline` may be `null`. An example: the plan `cxplan init` writes, checked",
        f"with `cxplan status --format json --as-of {as_of.isoformat()}` a month after",
        "it was created:",
        "",
        "```json",
        status_json_example(as_of),
        "```",
        "",
    ])


def reference_pages(group: click.Group) -> dict[str, str]:
    """Every generated page: site path -> Markdown."""
    return {
        STATUS_JSON_PAGE: status_json_reference(),
        FORMAT_PAGE: format_reference(),
        SETTINGS_PAGE: settings_reference(),
        CLI_PAGE: cli_reference(group),
        CODES_PAGE: codes_reference(),
        RULES_PAGE: rules_reference(),
    }
