"""The documentation: generated reference pages cover everything, and the docs build.

Driven from the models, the settings, the click group and the registries, so a new
field, option, command, code or rule that is not documented fails here.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import click
import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from cxplan.cli import all_commands, cli
from cxplan.config import WorkspaceConfig
from cxplan.model.field_docs import field_doc
from cxplan.render import reference
from cxplan.rules import REGISTRY, RULES_LAYER_CODES

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
HOOK = DOCS / "hooks" / "reference.py"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return reference.reference_pages(cli)


def _section_text(page: str, anchor: str) -> str:
    start = page.index(f"{{ #{anchor} }}")
    following = page.find("\n## ", start)
    return page[start : following if following != -1 else len(page)]


def test_format_reference_lists_every_field_of_every_model(pages: dict[str, str]) -> None:
    page = pages[reference.FORMAT_PAGE]
    sections = reference.plan_sections()
    models = {s.model.__name__ for s in sections}
    # Every model of the format is reached from Plan.
    assert {"Plan", "PlanInfo", "Person", "Area", "Moment", "Stakeholder", "Commitment",
            "Action", "Reading", "Kpi", "Engagement"} <= models
    for section in sections:
        text = _section_text(page, section.anchor)
        for name in section.model.model_fields:
            assert f"| `{name}` |" in text, f"{section.path or 'top level'}: {name} missing"


def test_every_field_has_a_description_type_and_required_flag() -> None:
    for section in reference.plan_sections():
        for field in section.fields:
            where = f"{section.path or 'top level'}.{field.name}"
            assert field.description, f"{where} has no description: add an attribute docstring"
            assert field.type and "typing" not in field.type, where


def test_format_reference_shows_allowed_values_defaults_and_examples(
    pages: dict[str, str],
) -> None:
    page = pages[reference.FORMAT_PAGE]
    support = _section_text(page, "section-stakeholders")
    assert "`blocker`, `skeptic`, `neutral`, `supporter`, `champion`" in support
    assert "integer (1 to 5)" in support
    action = _section_text(page, "section-actions")
    assert "| `status` | choice | no | `todo` |" in action
    # An example snippet for each section that the example plan fills in, valid YAML.
    for section in reference.plan_sections()[1:]:
        text = _section_text(page, section.anchor)
        assert "Example:\n\n```yaml\n" in text, section.path
        snippet = text.split("```yaml\n", 1)[1].split("```", 1)[0]
        assert isinstance(yaml.safe_load(snippet), dict)
    assert "{ #complete-example }" in page


def test_settings_reference_lists_every_plugin_option(pages: dict[str, str]) -> None:
    page = pages[reference.SETTINGS_PAGE]
    for name in WorkspaceConfig.model_fields:
        assert f"| `{name}` |" in page
        assert field_doc(WorkspaceConfig, name), f"plugin option {name} has no description"


def test_cli_reference_lists_every_command_and_option(pages: dict[str, str]) -> None:
    page = pages[reference.CLI_PAGE]
    assert all_commands(), "the click group has no command"
    for name, command in all_commands().items():
        section = _section_text(page, name)
        assert section.startswith(f"{{ #{name} }}")
        assert f"Usage: cxplan {name}" in section
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                for opt in param.opts:
                    assert f"<code>{opt}" in section or f", {opt}" in section, (
                        f"cxplan {name}: option {opt} missing"
                    )
    assert "<code>--version</code>" in page


def _examples(help_text: str) -> list[str]:
    """The command lines under a help text's `Example:` / `Examples:` label."""
    lines = help_text.splitlines()
    found: list[str] = []
    for index, line in enumerate(lines):
        label, _, rest = line.strip().partition(":")
        if label not in ("Example", "Examples"):
            continue
        found += [rest.strip()] if rest.strip() else []
        for following in lines[index + 1 :]:
            if not following.strip().startswith("cxplan "):
                break
            found.append(following.strip())
    return found


@pytest.mark.parametrize("name", sorted(all_commands()))
def test_every_command_has_a_summary_and_a_working_example(name: str) -> None:
    command = all_commands()[name]
    help_text = command.help or ""
    summary = help_text.strip().splitlines()[0] if help_text.strip() else ""
    assert summary and len(summary) <= 90 and summary.endswith("."), (
        f"cxplan {name}: the first help line must be a one-line summary ending with '.'"
    )
    assert "not available" not in summary.lower(), f"cxplan {name} is still a stub"
    examples = _examples(help_text)
    assert examples, f"cxplan {name} --help has no 'Example:' line"
    for example in examples:
        words = shlex.split(example.split(" > ")[0].split(" | ")[0])
        assert words[:2] == ["cxplan", name], example
        # The example's options parse with the real command.
        with command.make_context(name, words[2:]) as ctx:
            assert ctx.command is command


def test_codes_reference_lists_every_code_and_rule(pages: dict[str, str]) -> None:
    page = pages[reference.CODES_PAGE]
    from cxplan.diagnostics import FORMAT_CODES

    for code, doc in {**FORMAT_CODES, **RULES_LAYER_CODES}.items():
        assert f'<a id="{code}"></a>`{code}`' in page
        assert doc.title in page
    for code in REGISTRY:
        assert f"[`{code}`](rules.md#{code})" in page


def test_rules_reference_documents_every_rule_in_full(pages: dict[str, str]) -> None:
    page = pages[reference.RULES_PAGE]
    assert REGISTRY
    for code, rule in REGISTRY.items():
        section = _section_text(page, code)
        assert rule.title in page
        assert f"Severity: **{rule.severity}**" in section
        for part in (rule.doc.what, rule.doc.why, rule.doc.fix, rule.doc.example):
            assert part and part.splitlines()[0] in section, f"{code}: a part is missing"


def test_status_json_reference_matches_the_real_document(pages: dict[str, str]) -> None:
    page = pages[reference.STATUS_JSON_PAGE]
    example = json.loads(page.split("```json\n", 1)[1].split("```", 1)[0])
    shape = reference.status_json_shape()
    for key in example:
        assert f'"{key}"' in shape
    for key in example["plans"][0]:
        assert f'"{key}"' in shape
    assert example["plans"][0]["overdue"], "the example should show an overdue action"


def _docs_pages() -> list[str]:
    return sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))


def test_hand_written_docs_hold_no_machine_paths_and_no_generated_copies() -> None:
    generated = set(reference.reference_pages(cli))
    for page in _docs_pages():
        assert page not in generated, f"docs/{page} is generated; delete the hand-written copy"
        text = (DOCS / page).read_text("utf-8")
        assert not re.search(r"/(work|tmp|home|root)/", text), page


def _build_strict(config_file: Path, site: Path, **overrides: object) -> None:
    config = load_config(str(config_file), site_dir=str(site), strict=True, **overrides)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def test_docs_build_strictly_with_the_reference_hook(tmp_path: Path) -> None:
    """The docs folder alone, with the hook and nothing else, builds with no warning."""
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(
        yaml.safe_dump({
            "site_name": "cxplan docs",
            "docs_dir": str(DOCS),
            "exclude_docs": "hooks/\n",
            "hooks": [str(HOOK)],
            "theme": {"name": "material", "font": False},
            "markdown_extensions": ["attr_list", "md_in_html", "tables", "admonition"],
            "validation": {"anchors": "warn", "unrecognized_links": "warn"},
        }),
        "utf-8",
    )
    site = tmp_path / "site"
    _build_strict(config_file, site)
    for path in reference.reference_pages(cli):
        html = site / path.removesuffix(".md") / "index.html"
        assert html.is_file(), path
    cli_html = (site / "reference" / "cli" / "index.html").read_text("utf-8")
    assert 'id="validate"' in cli_html
    assert not (site / "hooks").exists()
    for page in _docs_pages():
        out = "index.html" if page == "index.md" else page.removesuffix(".md") + "/index.html"
        assert (site / out).is_file(), page


def test_project_mkdocs_yml_builds_strictly_with_every_docs_page_in_nav(tmp_path: Path) -> None:
    config_file = REPO / "mkdocs.yml"
    assert config_file.is_file(), "the project's mkdocs.yml is missing"
    raw = config_file.read_text("utf-8")
    assert "docs/hooks/reference.py" in raw
    for page in [*_docs_pages(), *reference.reference_pages(cli)]:
        assert page in raw, f"{page} is not in the nav of mkdocs.yml"
    site = tmp_path / "site"
    _build_strict(config_file, site)
    assert (site / "reference" / "format" / "index.html").is_file()
    assert (site / "tutorial" / "index.html").is_file()


# The mistakes the FAQ shows, made on the example plan of `cxplan init`: each one's
# real message and hint must appear in docs/faq.md as printed, so the FAQ cannot drift
# from what cxplan says.
FAQ_MISTAKES = [
    ("    name: Ben Cho\n", "\tname: Ben Cho\n"),
    ("    kind: people\n", "    kind: people\n    internal: yes\n"),
    ("    title: Build the monthly cost report per building\n",
     "    title: Cost report: per building, monthly\n"),
    ("    kind: measurement\n", "    kind: measurement\n    status: done\n"),
    ("  - id: a-day-porter\n", "  - id: a-cost-report\n"),
    ("    expectation: 3\n", "    expectation: 3\n    expectation: 4\n"),
    ("    title: Build the monthly cost report per building\n    owner: carla.mendes\n",
     "    title: Build the monthly cost report per building\n    onwer: carla.mendes\n"),
    ("    title: Build the monthly cost report per building\n    owner: carla.mendes\n",
     "    title: Build the monthly cost report per building\n    owner: carla.mendez\n"),
    ("    title: Staff a day porter at the head office\n    owner: ben.cho\n",
     "    title: Staff a day porter at the head office\n    owner:\n"
     "      - ben.cho\n      - ana.silva\n"),
]


@pytest.mark.parametrize("old, new", FAQ_MISTAKES)
def test_faq_shows_the_messages_cxplan_really_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str
) -> None:
    from click.testing import CliRunner

    from cxplan.scaffold import EXAMPLE_PLAN

    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(cli, ["init", "."]).exit_code == 0
    plan = tmp_path / "plans" / f"{EXAMPLE_PLAN['en']}.yaml"
    text = plan.read_text("utf-8")
    assert old in text
    plan.write_text(text.replace(old, new, 1), "utf-8")
    output = runner.invoke(cli, ["validate"]).output
    faq = (DOCS / "faq.md").read_text("utf-8")
    printed = [line for line in output.splitlines() if "error[" in line or "hint:" in line]
    assert printed, output
    for line in printed:
        # Positions depend on the example's layout; the words must match exactly.
        words = line.split(": ", 1)[1] if "error[" in line else line
        assert words in faq, f"docs/faq.md does not show: {words}"


def test_every_code_the_source_uses_is_documented(pages: dict[str, str]) -> None:
    """A diagnostic code written anywhere in cxplan/ has its entry in the reference."""
    used = set()
    for path in (REPO / "cxplan").rglob("*.py"):
        used |= set(re.findall(r"[\"'](CX\d{3})[\"']", path.read_text("utf-8")))
    assert used
    documented = set(reference.all_codes()) | set(REGISTRY)
    assert used <= documented, f"undocumented codes: {sorted(used - documented)}"
    for code in used:
        assert code in pages[reference.CODES_PAGE]
