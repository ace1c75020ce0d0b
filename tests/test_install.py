"""The install routes the documentation gives, run as a newcomer runs them.

One sdist and one wheel are built per module with `python -m build` (the wheel from
the sdist, as `build` does, so the sdist is proven complete). A fresh virtual
environment then runs docs/tutorial.md's own commands, extracted from the page so it
cannot drift: step 1 creates the environment and installs the wheel, and the later
steps run with that environment first on PATH.

The environment has no access to this test run's packages: its dependencies come
from the package index, as on any fresh machine (pip here uses the index the machine
is configured with). That costs one install of the dependencies per module, the price
of proving that the wheel's declared dependencies install and suffice; reusing this
run's site-packages through a .pth would hide a missing dependency.

Then the generated CI recipe's shell steps and the generated pre-commit hook run
against that installed wheel, and the git-URL route installs from a clone at a tag.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from cxplan import __version__

TUTORIAL = REPO / "docs" / "tutorial.md"
WALL = 600  # against hangs only; installs on a loaded machine are slow
WHEEL = f"cxplan-{__version__}-py3-none-any.whl"


@dataclass
class Command:
    line: str
    output: list[str]


def tutorial_steps() -> dict[str, list[Command]]:
    """Each '## N.' section's console commands with the output the page shows."""
    steps: dict[str, list[Command]] = {}
    section = ""
    in_console = False
    for line in TUTORIAL.read_text("utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:]
            steps.setdefault(section, [])
        elif line.startswith("```console"):
            in_console = True
        elif line.startswith("```"):
            in_console = False
        elif in_console and line.startswith("$ "):
            steps[section].append(Command(line[2:].split("  #")[0].strip(), []))
        elif in_console and steps[section]:
            steps[section][-1].output.append(line)
    return steps


def step(name_start: str) -> list[Command]:
    (commands,) = [c for name, c in tutorial_steps().items() if name.startswith(name_start)]
    return commands


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(REPO)],
        capture_output=True, text=True, timeout=WALL, check=False,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return out


@dataclass
class Env:
    root: Path
    bin: Path
    environ: dict[str, str]

    def run(self, command: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            ["bash", "-c", command], cwd=cwd, env=self.environ, capture_output=True,
            text=True, timeout=WALL, check=False,
        )
        if check:
            assert done.returncode == 0, f"$ {command}\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
        return done


@pytest.fixture(scope="module")
def newcomer(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    """Step 1 of the tutorial, as written, in a folder holding the built wheel."""
    home = tmp_path_factory.mktemp("newcomer")
    shutil.copy(dist / WHEEL, home / WHEEL)
    environ = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    # Only the system's tools on PATH: nothing of this test run's environment.
    environ["PATH"] = os.pathsep.join(
        p for p in environ.get("PATH", os.defpath).split(os.pathsep)
        if not Path(p).resolve().is_relative_to(Path(sys.prefix).resolve())
    )
    environ["HOME"] = str(home)
    python = shutil.which("python3", path=environ["PATH"])
    assert python is not None
    lines = []
    for command in step("1."):
        if command.line.startswith("source "):
            continue  # activation is PATH, set below for every later command
        lines.append(command.line.replace("python -m venv", f"{python} -m venv", 1))
    venv = home / ".venv"
    env = Env(venv, venv / "bin", environ)
    assert lines[0].endswith("-m venv .venv"), lines
    env.run(lines[0], home)
    environ["PATH"] = f"{venv / 'bin'}{os.pathsep}{environ['PATH']}"
    environ["VIRTUAL_ENV"] = str(venv)
    outputs = [env.run(line, home).stdout for line in lines[1:]]
    assert outputs[-1].strip() == "\n".join(step("1.")[-1].output).strip()
    yield env


def test_the_sdist_and_the_wheel_carry_templates_and_catalogue(dist: Path) -> None:
    wheel = set(zipfile.ZipFile(dist / WHEEL).namelist())
    (sdist_path,) = dist.glob("cxplan-*.tar.gz")
    with tarfile.open(sdist_path) as archive:
        sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for language in ("en", "es", "pt"):
        assert f"cxplan/i18n/catalogue/{language}.yaml" in wheel
        assert f"cxplan/i18n/catalogue/{language}.yaml" in sdist
    assert any(n.startswith("cxplan/site_templates/") for n in wheel)
    assert any(n.startswith("site_templates/") for n in sdist)
    assert "cxplan/scaffold_templates/common/requirements.txt.j2" in wheel
    assert "cxplan/scaffold_templates/common/new-plan.yaml.j2" in wheel
    assert "cxplan/scaffold_templates/en/example-plan.yaml.j2" in wheel
    assert not any(n.startswith(("tests/", "plans/")) for n in wheel)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _same(shown: list[str], got: str) -> None:
    """The page's output, line by line; dates differ from day to day (the page says so)."""
    expected = [_DATE.sub("DATE", line) for line in shown if line.strip()]
    actual = [_DATE.sub("DATE", line) for line in got.splitlines() if line.strip()]
    assert actual == expected


def test_the_tutorial_runs_as_written(newcomer: Env, tmp_path: Path) -> None:
    """Steps 2 to 6, command by command, with the outputs the page shows."""
    cwd = tmp_path
    plan = "plans/northwind-logistics.yaml"
    for name in ("2.", "3.", "4.", "5.", "6."):
        validated = 0
        for command in step(name):
            if command.line.startswith("cd "):
                cwd = cwd / command.line[3:]
                continue
            if name == "5." and command.line == "cxplan validate":
                validated += 1
                if validated == 1:
                    # The page's edit: two owners and a misspelt kind, then undone.
                    original = (cwd / plan).read_text("utf-8")
                    start = original.index("  - id: a-first-quick-win\n")
                    head, action = original[:start], original[start:]
                    action = action.replace("    owner: ops.lead\n",
                                            "    owner: [ops.lead, mara.okafor]\n", 1)
                    action = action.replace("    kind: process\n", "    kind: proces\n", 1)
                    assert "[ops.lead, mara.okafor]" in action and "proces\n" in action
                    (cwd / plan).write_text(head + action, "utf-8")
                else:
                    (cwd / plan).write_text(original, "utf-8")
            expect_error = any("error[" in line for line in command.output)
            done = newcomer.run(command.line, cwd, check=not expect_error)
            assert done.returncode == (1 if expect_error else 0), done.stdout + done.stderr
            if name == "4.":  # the site's folder and file count are this machine's
                assert done.stdout.splitlines()[0] == command.output[0]
                assert (cwd / "site" / "index.html").is_file()
            elif command.output:
                _same(command.output, done.stdout + done.stderr)


def _workflow_run_lines(workspace: Path) -> list[str]:
    workflow = yaml.safe_load((workspace / ".github/workflows/cxplan.yml").read_text("utf-8"))
    lines: list[str] = []
    for job in workflow["jobs"].values():
        for item in job["steps"]:
            lines += [line for line in item.get("run", "").splitlines() if line.strip()]
    return lines


def test_the_ci_recipe_and_the_pre_commit_hook_run_against_the_wheel(
    newcomer: Env, dist: Path, tmp_path: Path
) -> None:
    workspace = tmp_path / "ws"
    route = f"./wheels/{WHEEL}"
    newcomer.run(f"cxplan init ws --install-from {shlex.quote(route)}", tmp_path)
    (workspace / "wheels").mkdir()
    shutil.copy(dist / WHEEL, workspace / "wheels" / WHEEL)
    requirements = (workspace / "requirements.txt").read_text("utf-8")
    assert requirements.splitlines()[-1] == route
    assert "FILL-IN" not in requirements
    # The CI recipe's shell steps, in order, as the runner runs them.
    ran = []
    for line in _workflow_run_lines(workspace):
        done = newcomer.run(line, workspace)
        ran.append(line)
        if line.startswith("cxplan validate"):
            assert "1 file checked: 0 error(s)" in done.stdout
    assert any("pip install -r requirements.txt" in line for line in ran)
    assert "cxplan build" in ran and (workspace / "site" / "index.html").is_file()
    # The generated pre-commit hook, with the wheel's cxplan (the test run's pre-commit).
    newcomer.run("git init -q && git add -A", workspace)
    pre_commit = Path(sys.executable).with_name("pre-commit")
    environ = dict(newcomer.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    hook = subprocess.run(
        [str(pre_commit), "run", "--all-files"], cwd=workspace, env=environ,
        capture_output=True, text=True, timeout=WALL, check=False,
    )
    assert hook.returncode == 0, hook.stdout + hook.stderr
    assert "cxplan validate" in hook.stdout and "Passed" in hook.stdout


def test_init_without_a_route_says_what_to_fill_in(newcomer: Env, tmp_path: Path) -> None:
    done = newcomer.run("cxplan init ws", tmp_path)
    assert "Fill in: requirements.txt" in done.stdout
    last = (tmp_path / "ws" / "requirements.txt").read_text("utf-8").splitlines()[-1]
    assert "FILL-IN" in last and f"@v{__version__}" in last
    # Never a registry name that does not exist.
    assert last != "cxplan" and not last.startswith("cxplan==")
    failed = newcomer.run("python -m pip install -r requirements.txt", tmp_path / "ws",
                          check=False)
    assert failed.returncode != 0
    assert "FILL-IN" in failed.stdout + failed.stderr


def test_the_git_url_route_and_init_writes_it_for_ci(newcomer: Env, tmp_path: Path) -> None:
    """`pip install "cxplan @ git+URL@TAG"`, then `init` writes that same route."""
    clone = tmp_path / "cxplan-repo"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True, timeout=WALL)
    subprocess.run(["git", "-C", str(clone), "tag", f"v{__version__}"], check=True)
    # `file://localhost/`: some pip versions refuse the empty host of `file:///` in a
    # `name @ URL` requirement.
    where = clone.as_uri().replace("file:///", "file://localhost/", 1)
    url = f"git+{where}@v{__version__}"
    newcomer.run(
        f"python -m pip install -q --no-deps --force-reinstall {shlex.quote('cxplan @ ' + url)}",
        tmp_path,
    )
    done = newcomer.run("cxplan init ws", tmp_path)
    assert f"requirements.txt installs: cxplan @ {url}" in done.stdout
    workspace = tmp_path / "ws"
    assert (workspace / "requirements.txt").read_text("utf-8").splitlines()[-1] == (
        f"cxplan @ {url}"
    )
    assert f'additional_dependencies: ["cxplan @ {url}"]' in (
        workspace / ".pre-commit-config.yaml"
    ).read_text("utf-8")
    newcomer.run("python -m pip install -q -r requirements.txt && cxplan validate", workspace)
