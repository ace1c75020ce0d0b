"""`cxplan init` and `cxplan new` as a user meets them: real files, real commands.

Also the pieces a workspace plugs into: the GitHub workflow (its steps must call
commands that exist) and pre-commit (the hook runs through pre-commit itself).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from catalogue_tables import english_left

from cxplan import i18n
from cxplan.cli import all_commands
from cxplan.model.plan import PLAN_ID_PATTERN, json_schema
from cxplan.scaffold import (
    EXAMPLE_PLAN,
    EXAMPLE_TEMPLATE,
    NEW_PLAN_TEMPLATE,
    SCHEMA_MODELINE,
    WORKSPACE_TEMPLATES,
    template_language,
    workspace_files,
)

REPO = Path(__file__).resolve().parent.parent
# `cxplan validate` on a clean workspace, in the workspace's language.
CLEAN = {"en": "1 file checked: no problems.\n", "es": "1 archivo revisado: sin problemas.\n",
         "pt": "1 ficheiro verificado: sem problemas.\n"}
LANGUAGES = ("en", "es", "pt")


def cxplan(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cxplan", *args],
        cwd=cwd, capture_output=True, text=True, timeout=300, env=env,
    )


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def init(tmp_path: Path, language: str) -> Path:
    result = cxplan("init", "ws", "--language", language, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path / "ws"


@pytest.mark.parametrize("language", LANGUAGES)
def test_init_creates_a_workspace_that_validates_with_no_problem(
    tmp_path: Path, language: str
) -> None:
    workspace = init(tmp_path, language)
    files = snapshot(workspace)
    expected = {
        "mkdocs.yml", "requirements.txt", "docs/index.md",
        f"plans/{EXAMPLE_PLAN[language]}.yaml", ".github/workflows/cxplan.yml",
        ".pre-commit-config.yaml", ".gitignore", ".editorconfig",
        ".vscode/settings.json", ".vscode/extensions.json", "schema/plan.schema.json",
    }
    assert set(files) == expected
    result = cxplan("validate", "--strict", cwd=workspace)
    assert result.returncode == 0, result.stdout
    # Not one diagnostic, not even a method warning: the example shows the method.
    assert result.stdout == CLEAN[language]
    mkdocs = yaml.safe_load(files["mkdocs.yml"])
    assert mkdocs["theme"] == mkdocs["theme"] | {"name": "material", "language": language}
    assert mkdocs["theme"]["font"] is False
    assert {"cxplan": {"plans_dir": "plans"}} in mkdocs["plugins"]
    plan = yaml.safe_load(files[f"plans/{EXAMPLE_PLAN[language]}.yaml"])
    assert plan["plan"]["language"] == language
    # Every section of the format is shown in the example.
    assert set(plan) == set(json_schema()["properties"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_init_then_build_publishes_the_example_plan(tmp_path: Path, language: str) -> None:
    workspace = init(tmp_path, language)
    result = cxplan("build", cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    plan_id = EXAMPLE_PLAN[language]
    assert (workspace / "site" / "index.html").is_file()
    overview = workspace / "site" / "plans" / plan_id / "index.html"
    assert overview.is_file()
    html = overview.read_text(encoding="utf-8")
    customer = {
        "en": "Harbor Insurance Group", "es": "Hoteles Costa Azul", "pt": "Conservas Atlântida",
    }
    assert customer[language] in html
    assert f'lang="{language}"' in (workspace / "site" / "index.html").read_text("utf-8")


def comment_lines(text: str) -> list[str]:
    """The teaching comments of a plan: the words of its `#` lines, the modeline and
    the template's own Jinja lines aside."""
    return [
        line.strip().lstrip("#").strip()
        for line in text.splitlines()
        if line.strip().startswith("#") and line != SCHEMA_MODELINE
    ]


def test_init_in_portuguese_writes_a_portuguese_example_plan(tmp_path: Path) -> None:
    """Validating and building it are the parametrized tests above; here: its words."""
    workspace = init(tmp_path, "pt")
    plans = sorted(p.name for p in (workspace / "plans").iterdir())
    assert plans == [f"{EXAMPLE_PLAN['pt']}.yaml"] != [f"{EXAMPLE_PLAN['en']}.yaml"]
    text = (workspace / "plans" / plans[0]).read_text("utf-8")
    comments = comment_lines(text)
    assert len(comments) >= 30
    english_template = REPO / "cxplan" / "scaffold_templates" / "en" / "example-plan.yaml.j2"
    english = [line for line in comment_lines(english_template.read_text("utf-8")) if line]
    assert len(english) >= 30
    assert [line for line in english if line in text] == []
    # Not one English word in a comment (keys and commands in backticks aside).
    words = set(re.findall(r"[a-z']+", re.sub(r"`[^`]*`", "", " ".join(comments).lower())))
    assert words & {"the", "and", "of", "our", "every", "with", "which", "first"} == set()
    for taught in (
        "Uma ação = UM responsável + UM prazo",
        "O mapa de poder",
        "Nunca é publicado no site do cliente",
        "ganhos rápidos",
        "Medir para ganhar",
    ):
        assert taught in text, taught
    # Every section comes after a comment that teaches it, as in the other languages.
    data = yaml.safe_load(text)
    for section in data:
        index = text.index(f"\n{section}:")
        assert text[:index].rstrip().splitlines()[-1].startswith("#"), section
    assert data["plan"]["customer"] == "Conservas Atlântida"


def test_each_example_template_is_the_example_of_its_folders_language() -> None:
    """The languages with an example of their own are the folders holding one: a new
    language's example is one new file; a language without one gets the English one."""
    templates = REPO / "cxplan" / "scaffold_templates"
    folders = {path.parent.name for path in templates.glob(f"*/{EXAMPLE_TEMPLATE}")}
    assert set(EXAMPLE_PLAN) == folders >= {"en", "es", "pt"}
    assert len(set(EXAMPLE_PLAN.values())) == len(EXAMPLE_PLAN)
    today = dt.date(2026, 3, 2)
    english = yaml.safe_load(workspace_files("en", today)[f"plans/{EXAMPLE_PLAN['en']}.yaml"])
    for language, plan_id in EXAMPLE_PLAN.items():
        assert re.fullmatch(PLAN_ID_PATTERN, plan_id), plan_id
        assert template_language(language) == language
        if language in i18n.languages():
            files = workspace_files(language, today)
            plan = yaml.safe_load(files[f"plans/{plan_id}.yaml"])
            assert plan["plan"]["language"] == language
            # The same sections and plan settings as the English example shows.
            assert set(plan) == set(english) and set(plan["plan"]) == set(english["plan"])
            assert files[f"plans/{plan_id}.yaml"].decode().splitlines()[0] == SCHEMA_MODELINE
    assert template_language("xx") == "en"


def test_init_git_init_then_build_before_the_first_commit(tmp_path: Path) -> None:
    """Many users run `git init` (and `git add`) before their first build."""
    workspace = init(tmp_path, "en")
    subprocess.run(["git", "init", "-q"], cwd=workspace, check=True)
    subprocess.run(["git", "add", "-A"], cwd=workspace, check=True)
    result = cxplan("build", cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (workspace / "site" / "plans" / EXAMPLE_PLAN["en"] / "index.html").is_file()


def test_second_init_changes_nothing_and_reports_every_file_skipped(tmp_path: Path) -> None:
    workspace = init(tmp_path, "en")
    before = snapshot(workspace)
    result = cxplan("init", "ws", "--language", "es", cwd=tmp_path)
    assert result.returncode == 0
    assert snapshot(workspace) == before
    skipped = [line for line in result.stdout.splitlines() if line.startswith("skipped")]
    assert len(skipped) == len(before)
    assert "0 file(s) created" in result.stdout
    assert "created " not in result.stdout
    assert "skipped  ws/plans/hoteles-costa-azul.yaml (plans/ already holds plans)" in result.stdout


def test_init_keeps_existing_files_and_fills_in_the_rest(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    (workspace / "docs").mkdir(parents=True)
    (workspace / "docs" / "index.md").write_text("# Our own home page\n")
    (workspace / ".gitignore").write_text("secrets/\n")
    result = cxplan("init", "ws", cwd=tmp_path)
    assert result.returncode == 0
    assert (workspace / "docs" / "index.md").read_text() == "# Our own home page\n"
    assert (workspace / ".gitignore").read_text() == "secrets/\n"
    assert "skipped  ws/docs/index.md (already exists, left unchanged)" in result.stdout
    assert "skipped  ws/.gitignore (already exists, left unchanged)" in result.stdout
    assert "created  ws/mkdocs.yml" in result.stdout
    assert "9 file(s) created, 2 skipped." in result.stdout


def test_init_into_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ws").write_text("not a folder")
    result = cxplan("init", "ws", cwd=tmp_path)
    assert result.returncode in (1, 2)
    assert "Traceback" not in result.stderr


def test_workspace_schema_and_editor_settings_point_at_the_same_schema(tmp_path: Path) -> None:
    workspace = init(tmp_path, "en")
    schema = json.loads((workspace / "schema/plan.schema.json").read_text("utf-8"))
    assert schema == json_schema()
    settings = json.loads((workspace / ".vscode/settings.json").read_text("utf-8"))
    mapped = settings["yaml.schemas"]["./schema/plan.schema.json"]
    assert "plans/*.yaml" in mapped
    extensions = json.loads((workspace / ".vscode/extensions.json").read_text("utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]
    plan = workspace / "plans" / f"{EXAMPLE_PLAN['en']}.yaml"
    assert plan.read_text("utf-8").splitlines()[0] == SCHEMA_MODELINE
    # The modeline's relative path resolves to the schema file from the plan's folder.
    target = SCHEMA_MODELINE.split("$schema=")[1]
    assert (plan.parent / target).resolve() == (workspace / "schema/plan.schema.json").resolve()
    ignored = (workspace / ".gitignore").read_text().splitlines()
    assert "site/" in ignored and ".venv/" in ignored


@pytest.mark.parametrize("language", LANGUAGES)
def test_new_adds_a_plan_that_validates(tmp_path: Path, language: str) -> None:
    workspace = init(tmp_path, language)
    customer = 'Acme: "Yes" & Sons #1'
    result = cxplan(
        "new", "acme-sons", "--customer", customer, "--owner", "ana.silva",
        "--language", language, cwd=workspace,
    )
    assert result.returncode == 0, result.stderr
    path = workspace / "plans" / "acme-sons.yaml"
    text = path.read_text("utf-8")
    assert text.splitlines()[0] == SCHEMA_MODELINE
    data = yaml.safe_load(text)
    assert data["plan"]["customer"] == customer
    assert data["plan"]["owner"] == "ana.silva"
    assert data["plan"]["language"] == language
    assert data["team"][0]["id"] == "ana.silva"
    # Comments teach every section, in the plan's language.
    for section in data:
        index = text.index(f"\n{section}:")
        assert text[:index].rstrip().splitlines()[-1].startswith("#"), section
    teaching = {
        "en": "One action = ONE owner", "es": "Una acción = UNA persona",
        "pt": "Uma ação = UM responsável",
    }
    assert teaching[language] in text
    # No error and no method warning either: the template itself follows the method.
    checked = cxplan("validate", "--strict", "plans/acme-sons.yaml", cwd=workspace)
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout == CLEAN[language]


def test_new_defaults_come_from_the_workspace(tmp_path: Path) -> None:
    workspace = init(tmp_path, "es")
    result = cxplan("new", "cliente-nuevo", cwd=workspace)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load((workspace / "plans" / "cliente-nuevo.yaml").read_text("utf-8"))
    assert data["plan"]["language"] == "es"  # theme.language of the workspace
    assert data["plan"]["customer"] == "Cliente Nuevo"


def test_new_with_an_invalid_plan_id_says_why(tmp_path: Path) -> None:
    result = cxplan("new", "Acme_Corp", "--dir", "plans", cwd=tmp_path)
    assert result.returncode == 1
    assert "'Acme_Corp' is not a valid plan id" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "plans").exists() or not any((tmp_path / "plans").iterdir())


def test_new_refuses_to_overwrite_an_existing_plan(tmp_path: Path) -> None:
    workspace = init(tmp_path, "en")
    existing = workspace / "plans" / f"{EXAMPLE_PLAN['en']}.yaml"
    before = existing.read_bytes()
    result = cxplan("new", EXAMPLE_PLAN["en"], cwd=workspace)
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert existing.read_bytes() == before


def test_new_refuses_a_customer_name_with_a_line_break(tmp_path: Path) -> None:
    result = cxplan("new", "acme", "--customer", "Acme\nplan:", "--dir", "p", cwd=tmp_path)
    assert result.returncode == 1
    assert "line-break" in result.stderr
    assert not (tmp_path / "p" / "acme.yaml").exists()


def _run_lines(workflow: dict[str, object]) -> list[str]:
    lines = []
    for job in workflow["jobs"].values():  # type: ignore[attr-defined]
        for step in job["steps"]:
            if "run" in step:
                lines += [line for line in step["run"].splitlines() if line.strip()]
    return lines


def test_workflow_is_valid_yaml_whose_steps_call_existing_commands(tmp_path: Path) -> None:
    workspace = init(tmp_path, "en")
    workflow = yaml.safe_load((workspace / ".github/workflows/cxplan.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # PyYAML reads `on` as YAML 1.1 true
    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}
    invoked = []
    for line in _run_lines(workflow):
        words = shlex.split(line)
        if words[0] != "cxplan":
            assert words[:4] == ["python", "-m", "pip", "install"], line
            continue
        name, args = words[1], words[2:]
        command = all_commands().get(name)
        assert command is not None, f"the workflow calls 'cxplan {name}', which does not exist"
        # Parsing the arguments with the real command proves every option exists.
        with command.make_context(name, list(args)) as ctx:
            assert isinstance(ctx, click.Context)
        invoked.append(" ".join(words[1:]))
    assert "validate --format github" in invoked
    assert "build" in invoked
    jobs = workflow["jobs"]
    pr_job = jobs["validate"]
    assert pr_job["if"] == "github.event_name == 'pull_request'"
    # The pull-request job posts nothing: it only checks out, installs and validates.
    assert [s["uses"].split("@")[0] for s in pr_job["steps"] if "uses" in s] == [
        "actions/checkout", "actions/setup-python",
    ]
    assert "permissions" not in pr_job
    uses = [s.get("uses", "").split("@")[0] for job in jobs.values() for s in job["steps"]]
    assert "actions/upload-pages-artifact" in uses and "actions/deploy-pages" in uses
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert "main" in jobs["build"]["if"]


_CONDITION = re.compile(r"^(env\.CXPLAN_TEAM_SITE|needs\.build\.outputs\.team-site) "
                        r"(==|!=) '([a-z-]+)'$")


def _runs(condition: str | None, team_site: str) -> bool:
    """Whether a step or job whose `if:` is `condition` runs on a push to main, with
    CXPLAN_TEAM_SITE set to `team_site` (the few expression forms the recipe uses)."""
    if condition is None:
        return True
    if condition == "github.event_name == 'pull_request'":
        return False
    if condition.startswith("github.event_name != 'pull_request' && github.ref =="):
        return True
    match = _CONDITION.match(condition)
    assert match is not None, f"the test cannot read the condition {condition!r}"
    equal = team_site == match.group(3)
    return equal if match.group(2) == "==" else not equal


def _published(workflow: dict[str, Any], team_site: str) -> list[str]:
    """The actions of a push to main's run that hand the site to GitHub Pages."""
    jobs = workflow["jobs"]
    outputs = jobs["build"]["outputs"]
    assert outputs == {"team-site": "${{ env.CXPLAN_TEAM_SITE }}"}
    found = []
    for job in jobs.values():
        if not _runs(job.get("if"), team_site):
            continue
        for step in job["steps"]:
            action = step.get("uses", "").split("@")[0]
            if action in ("actions/upload-pages-artifact", "actions/deploy-pages") and _runs(
                step.get("if"), team_site
            ):
                found.append(action)
    return found


def test_the_workflow_never_publishes_the_team_site_unless_the_workspace_opts_in(
    tmp_path: Path,
) -> None:
    workspace = init(tmp_path, "en")
    text = (workspace / ".github/workflows/cxplan.yml").read_text()
    workflow = yaml.safe_load(text)
    assert workflow["env"] == {"CXPLAN_TEAM_SITE": "artifact"}
    # The default keeps the site as a run artifact (readable by who reads the repository).
    assert _published(workflow, "artifact") == []
    artifact = [s for s in workflow["jobs"]["build"]["steps"]
                if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert len(artifact) == 1 and _runs(artifact[0]["if"], "artifact")
    assert artifact[0]["with"]["path"] == "site"
    # A misspelt value publishes nothing either; only the exact opt-in deploys.
    assert _published(workflow, "github-page") == []
    assert _published(workflow, "github-pages") == [
        "actions/upload-pages-artifact", "actions/deploy-pages",
    ]
    assert not _runs(artifact[0]["if"], "github-pages")
    # The opt-in says, where it is made, who can read the result.
    assert "anyone on the internet can read it" in text


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def _pre_commit(
    workspace: Path, plan: str, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    _git("add", "-A", cwd=workspace)
    return subprocess.run(
        [str(Path(sys.executable).parent / "pre-commit"), "run", "--files", plan],
        cwd=workspace, capture_output=True, text=True, timeout=600, env=env,
    )


def _break_first_action(plan: Path) -> None:
    """Give the first action two owners: a format error (CX207)."""
    text = plan.read_text("utf-8")
    marker = (
        "  - id: a-supervisor-rota\n"
        "    title: Publish the night-supervisor rota with phone numbers\n"
    )
    assert marker + "    owner: ben.cho\n" in text
    broken = marker + "    owner: [ben.cho, ana.silva]\n"
    plan.write_text(text.replace(marker + "    owner: ben.cho\n", broken), "utf-8")


@pytest.fixture
def git_workspace(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    workspace = init(tmp_path, "en")
    _git("init", "-q", cwd=workspace)
    env = dict(os.environ)
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    # The workspace's hook is `language: system`: it runs the installed cxplan.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return workspace, env


def test_the_workspace_pre_commit_config_runs_cxplan_validate(
    git_workspace: tuple[Path, dict[str, str]],
) -> None:
    workspace, env = git_workspace
    plan = f"plans/{EXAMPLE_PLAN['en']}.yaml"
    passed = _pre_commit(workspace, plan, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "cxplan validate" in passed.stdout and "Passed" in passed.stdout
    _break_first_action(workspace / plan)
    failed = _pre_commit(workspace, plan, env)
    assert failed.returncode == 1, failed.stdout
    assert "error[CX207]" in failed.stdout


def test_the_project_hook_runs_through_pre_commit_from_this_repository(
    git_workspace: tuple[Path, dict[str, str]],
) -> None:
    """pre-commit clones this repository at HEAD and installs cxplan in its own venv.

    The install needs only the package index (cxplan's dependencies), as any user's
    `pre-commit install` does. It tests the committed `.pre-commit-hooks.yaml`.
    """
    workspace, env = git_workspace
    head = _git("rev-parse", "HEAD", cwd=REPO)
    (workspace / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO.as_posix()}\n    rev: {head}\n"
        "    hooks:\n      - id: cxplan-validate\n",
        "utf-8",
    )
    # Only git on PATH: the hook must not borrow the cxplan of this test run.
    env["PATH"] = f"{Path(shutil.which('git') or '/usr/bin/git').parent}{os.pathsep}{os.defpath}"
    plan = f"plans/{EXAMPLE_PLAN['en']}.yaml"
    passed = _pre_commit(workspace, plan, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "cxplan validate" in passed.stdout and "Passed" in passed.stdout
    _break_first_action(workspace / plan)
    failed = _pre_commit(workspace, plan, env)
    assert failed.returncode == 1, failed.stdout
    assert "error[CX207]" in failed.stdout


def test_hook_manifest_matches_the_workspace_config() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "cxplan-validate"
    assert hook["entry"] == "cxplan validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    assert hook["files"] == r"^plans/.*\.ya?ml$"
    assert hook["entry"].split()[1] in all_commands()


def test_scaffold_templates_travel_in_the_wheel(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        check=True, capture_output=True, timeout=600,
    )
    (wheel,) = tmp_path.glob("cxplan-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for _, template in WORKSPACE_TEMPLATES:
        for language in LANGUAGES:
            assert "cxplan/scaffold_templates/" + template.format(language=language) in names
    # `cxplan new` has one template for every language (its texts are the catalogue's).
    assert f"cxplan/scaffold_templates/{NEW_PLAN_TEMPLATE}" in names


@pytest.mark.parametrize("language", ["es", "pt"])
def test_init_and_new_speak_the_workspace_language(tmp_path: Path, language: str) -> None:
    result = cxplan("init", "ws", "--language", language, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    workspace = tmp_path / "ws"
    created = len(snapshot(workspace))
    assert i18n.text(language, "init.summary", created=created, skipped=0) in result.stdout
    assert i18n.text(language, "init.created", path="ws/mkdocs.yml") in result.stdout
    assert english_left(result.stdout, ("init.",), language) == []
    mkdocs = (workspace / "mkdocs.yml").read_text("utf-8")
    assert "# " + i18n.text(language, "scaffold.mkdocs.font") in mkdocs
    home = (workspace / "docs" / "index.md").read_text("utf-8")
    assert home.startswith("# " + i18n.text(language, "scaffold.docs.title"))
    assert english_left(mkdocs + home, ("scaffold.mkdocs.", "scaffold.docs."), language) == []
    new = cxplan("new", "acme", "--customer", "Acme", cwd=workspace)
    assert new.returncode == 0, new.stderr
    assert i18n.text(language, "new.next", path="plans/acme.yaml") in new.stdout
    plan = (workspace / "plans" / "acme.yaml").read_text("utf-8")
    assert "# " + i18n.text(language, "scaffold.new.plan") in plan
    values = re.sub(r"^[ #-]*[a-z_]+:", "", plan, flags=re.MULTILINE)  # keys stay English
    assert english_left(values, ("scaffold.new.",), language) == []
    checked = cxplan("validate", "--strict", "plans/acme.yaml", cwd=workspace)
    assert checked.stdout == CLEAN[language]
    # Run again, even asking for English: the messages follow the workspace.
    again = cxplan("init", "ws", "--language", "en", cwd=tmp_path)
    reason = i18n.text(language, "init.reason.exists")
    assert i18n.text(language, "init.skipped", path="ws/mkdocs.yml", reason=reason) in again.stdout


@pytest.mark.parametrize("language", LANGUAGES)
def test_validate_prints_the_rules_findings_in_the_workspace_language(
    tmp_path: Path, language: str
) -> None:
    import datetime as dt

    from cxplan.config import load_config
    from cxplan.model.workspace import load_workspace
    from cxplan.rules.run import portfolio_findings

    workspace = init(tmp_path, language)
    later = "2031-06-30"  # the example's actions are long overdue by then
    result = cxplan("validate", "--as-of", later, cwd=workspace)
    config, root, _ = load_config(workspace / "mkdocs.yml")
    plans = load_workspace([root / config.plans_dir]).plans
    found = [f for fs in portfolio_findings(plans, config, dt.date.fromisoformat(later)).values()
             for f in fs]
    assert found, result.stdout
    for finding in found:
        assert finding.message_in(language) in result.stdout
        assert finding.hint_in(language) in result.stdout
    if language != "en":
        assert any(f.message_in("en") not in result.stdout for f in found)
