"""Outputs never overlap inputs, the site swap survives a kill, and a hostile
environment (read-only folder, full disk) is a message: real builds, real processes,
real `SIGKILL`s, a real small tmpfs where the machine allows one."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from environment import full_disk, read_only
from site_helpers import MKDOCS_YML, make_workspace

from cxplan.cli import cli
from cxplan.publish.swap import recover

AS_OF = "2026-11-23"
LATER = "2026-12-01"
HANG_GUARD = 300  # seconds: only against a hang, never a speed check


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), standalone_mode=False)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.return_value, result.output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".site."))


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = make_workspace(tmp_path / "ws")
    (root / "docs" / "notes.md").write_text("# Notes\n", encoding="utf-8")
    (root / "site_templates").mkdir()
    return root


def _inputs(root: Path) -> dict[str, bytes]:
    return {**snapshot(root / "plans"), **snapshot(root / "docs"),
            "mkdocs.yml": (root / "mkdocs.yml").read_bytes()}


# --- 1. outputs never overlap inputs ----------------------------------------------------


@pytest.mark.parametrize(("site_dir", "words"), [
    ("plans", "is the plans folder"),
    ("docs", "is the docs folder"),
    ("site_templates", "is the templates folder"),
    (".", "is the workspace root"),
    ("..", "contains the workspace root"),
    ("plans/site", "is inside the plans folder"),
    ("docs/public", "is inside the docs folder"),
])
def test_build_refuses_a_site_folder_over_the_inputs(
    workspace: Path, site_dir: str, words: str
) -> None:
    before = _inputs(workspace)
    code, output = run("build", "--config", str(workspace / "mkdocs.yml"), "--as-of", AS_OF,
                       "--site-dir", str(workspace / site_dir))
    assert code == 1, output
    assert words in output and "Site built" not in output
    assert _inputs(workspace) == before
    assert not (workspace / "plans" / "site").exists()
    assert leftovers(workspace) == [] and leftovers(workspace.parent) == []


def test_build_refuses_site_dir_plans_in_mkdocs_yml(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", mkdocs_yml=MKDOCS_YML + "site_dir: plans\n")
    before = _inputs(root)
    code, output = run("build", "--config", str(root / "mkdocs.yml"), "--as-of", AS_OF)
    assert code == 1
    assert "is the plans folder" in output and str(root / "plans") in output
    assert _inputs(root) == before


def test_plain_mkdocs_build_refuses_site_dir_plans(tmp_path: Path) -> None:
    """`mkdocs build` itself (the plugin's check runs before MkDocs empties the folder)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    root = make_workspace(tmp_path / "ws", mkdocs_yml=MKDOCS_YML + "site_dir: plans\n")
    before = _inputs(root)
    config = load_config(config_file=str(root / "mkdocs.yml"), strict=True)
    with pytest.raises(Abort) as caught:  # MkDocs wraps the plugin's error
        mkdocs_build(config)
    assert "is the plans folder" in str(caught.value.__context__)
    assert _inputs(root) == before


def test_build_refuses_a_symlink_to_the_plans(workspace: Path, tmp_path: Path) -> None:
    link = tmp_path / "public"
    link.symlink_to(workspace / "plans")
    before = _inputs(workspace)
    code, output = run("build", "--config", str(workspace / "mkdocs.yml"), "--as-of", AS_OF,
                       "--site-dir", str(link))
    assert code == 1
    assert f"site folder {link}" in output and "is the plans folder" in output
    assert _inputs(workspace) == before and link.is_symlink()


@pytest.mark.parametrize(("out", "words"), [
    ("plans", "is the plans folder"),
    ("docs", "is the docs folder"),
    (".", "is the workspace root"),
])
def test_render_refuses_an_output_folder_over_the_inputs(
    workspace: Path, out: str, words: str
) -> None:
    before = _inputs(workspace)
    code, output = run("render", "--out", str(workspace / out), "--config",
                       str(workspace / "mkdocs.yml"), "--as-of", AS_OF)
    assert code == 1 and words in output and "nothing was written" in output
    assert _inputs(workspace) == before


def test_the_usual_site_folder_inside_the_workspace_is_fine(workspace: Path) -> None:
    code, output = run("build", "--config", str(workspace / "mkdocs.yml"), "--as-of", AS_OF)
    assert code == 0, output
    assert (workspace / "site" / "index.html").is_file()


# --- 4. the swap: recoverable, clean, normal permissions ------------------------------

# A real `cxplan build` in its own process that kills itself (SIGKILL: no clean-up code
# runs) at one moment of the swap.
_KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    moment = sys.argv[1]
    real_rename = Path.rename
    def rename(self, target):
        result = real_rename(self, target)
        # "carry": the first account's site moved over from the previous one.
        carried = moment == "carry" and ".site.ready-" in str(Path(target).parent)
        if f".{moment}-" in Path(target).name or carried:
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    Path.rename = rename
    if moment == "building":
        import multiprocessing
        import cxplan.publish.build as build
        real_build = build.mkdocs_build
        def killed_build(config):
            real_build(config)
            # The build itself is killed, from whichever of its processes gets here
            # first (the sites are built in worker processes).
            if multiprocessing.parent_process() is not None:
                os.kill(os.getppid(), signal.SIGKILL)
            os.kill(os.getpid(), signal.SIGKILL)
        build.mkdocs_build = killed_build
    from cxplan.cli import main
    sys.argv = ["cxplan", "build", "--config", sys.argv[2], "--as-of", sys.argv[3]]
    main()
""")


def _killed_build(workspace: Path, moment: str, as_of: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _KILLER, moment, str(workspace / "mkdocs.yml"), as_of],
        capture_output=True, timeout=HANG_GUARD, check=False,
    )
    assert done.returncode == -9, done.stderr.decode()


def _built_as_of(site: Path, day: str) -> bool:
    """Whether the site was built as of `day` (the home page shows the date)."""
    return day in (site / "index.html").read_text(encoding="utf-8")


def test_a_kill_between_the_renames_is_finished_by_the_next_build(workspace: Path) -> None:
    config = str(workspace / "mkdocs.yml")
    assert run("build", "--config", config, "--as-of", AS_OF)[0] == 0
    _killed_build(workspace, "old", LATER)  # killed after the old site was moved away
    assert not (workspace / "site").exists()  # the window the issue reproduced
    assert any(name.startswith(".site.ready-") for name in leftovers(workspace))
    recover(workspace / "site")
    # The killed build had finished: its site is the one put in place.
    assert _built_as_of(workspace / "site", LATER)
    assert leftovers(workspace) == []


def test_a_kill_with_no_finished_build_restores_the_previous_site(workspace: Path) -> None:
    config = str(workspace / "mkdocs.yml")
    assert run("build", "--config", config, "--as-of", AS_OF)[0] == 0
    before = snapshot(workspace / "site")
    _killed_build(workspace, "old", LATER)
    for ready in workspace.glob(".site.ready-*"):  # as if the new build were incomplete
        os.rename(ready, workspace / f".site.building-{ready.name.rsplit('-', 1)[1]}")
    code, output = run("build", "--config", config, "--site-dir", str(workspace / "other"),
                       "--as-of", AS_OF)
    assert code == 0, output
    recover(workspace / "site")
    assert snapshot(workspace / "site") == before
    assert leftovers(workspace) == []


def test_a_kill_while_unchanged_accounts_move_over_is_finished_by_the_next_build(
    workspace: Path,
) -> None:
    """The sites of unchanged accounts are moved from the previous site, not copied:
    killed after the first of those moves, the next build finishes the swap, and the
    site is the one a build from scratch makes."""
    config = str(workspace / "mkdocs.yml")
    assert run("build", "--config", config, "--as-of", AS_OF)[0] == 0
    plans = sorted((workspace / "plans").glob("*.yaml"))
    assert len(plans) >= 3
    text = plans[0].read_text(encoding="utf-8")
    plans[0].write_text(text.replace("title: ", "title: Renamed ", 1), encoding="utf-8")
    _killed_build(workspace, "carry", AS_OF)
    assert not (workspace / "site").exists()
    code, output = run("build", "--config", config, "--as-of", AS_OF)
    assert code == 0, output
    assert "0 accounts built" in output  # the killed build's sites were all kept
    assert leftovers(workspace) == []
    code, output = run("build", "--config", config, "--as-of", AS_OF,
                       "--site-dir", str(workspace / "scratch"))
    assert code == 0, output
    assert snapshot(workspace / "site") == snapshot(workspace / "scratch")


def test_killed_builds_leave_no_pile_of_leftovers(workspace: Path) -> None:
    config = str(workspace / "mkdocs.yml")
    assert run("build", "--config", config, "--as-of", AS_OF)[0] == 0
    for day, moment in enumerate(("building", "ready", "old", "building", "old"), start=1):
        # A new as-of date each time: a build with nothing to change swaps nothing.
        _killed_build(workspace, moment, f"2026-12-0{day}")
        # Each kill leaves something, but each build first cleans what the previous
        # one left: no pile (the issue counted 23 after 50 kills).
        assert 1 <= len(leftovers(workspace)) <= 2, leftovers(workspace)
    code, output = run("build", "--config", config, "--as-of", AS_OF)
    assert code == 0, output
    assert leftovers(workspace) == []
    assert _built_as_of(workspace / "site", AS_OF)


def test_the_site_gets_normal_permissions(workspace: Path) -> None:
    previous = os.umask(0o022)
    try:
        assert run("build", "--config", str(workspace / "mkdocs.yml"), "--as-of", AS_OF)[0] == 0
    finally:
        os.umask(previous)
    site = workspace / "site"
    assert stat.S_IMODE(site.stat().st_mode) == 0o755
    assert stat.S_IMODE((site / "index.html").stat().st_mode) == 0o644
    assert stat.S_IMODE((site / "plans").stat().st_mode) == 0o755


# --- 4. read-only and full disks are messages ---------------------------------------


def _cxplan(*args: str, cwd: Path | None = None,
            preexec: object = None) -> subprocess.CompletedProcess[str]:
    """The real console script in its own process."""
    script = Path(sys.executable).parent / "cxplan"
    return subprocess.run(
        [str(script), *args], capture_output=True, text=True, cwd=cwd,
        timeout=HANG_GUARD, check=False, preexec_fn=preexec,  # type: ignore[arg-type]
    )


def test_build_into_a_read_only_folder_is_a_message(workspace: Path, tmp_path: Path) -> None:
    with read_only(tmp_path / "ro") as folder:
        done = _cxplan("build", "--config", str(workspace / "mkdocs.yml"), "--as-of", AS_OF,
                       "--site-dir", str(folder / "site"))
        assert done.returncode == 1, done.stderr
        assert "internal error" not in done.stderr and "Traceback" not in done.stderr
        assert str(folder) in done.stderr
        assert "Read-only file system" in done.stderr or "Permission denied" in done.stderr


def test_build_on_a_full_disk_is_a_message_and_keeps_the_site(
    workspace: Path, tmp_path: Path
) -> None:
    with full_disk(tmp_path / "full") as disk:
        site = disk.folder / "site"
        site.mkdir()
        (site / "index.html").write_text("previous", encoding="utf-8")
        done = _cxplan("build", "--config", str(workspace / "mkdocs.yml"), "--as-of", AS_OF,
                       "--site-dir", str(site), preexec=disk.limit())
        assert done.returncode == 1, done.stderr
        assert "internal error" not in done.stderr and "Traceback" not in done.stderr
        assert "No space left on device" in done.stderr or "File too large" in done.stderr
        assert str(disk.folder) in done.stderr
        assert (site / "index.html").read_text(encoding="utf-8") == "previous"
        assert leftovers(disk.folder) == []


def test_render_on_a_full_disk_is_a_message(workspace: Path, tmp_path: Path) -> None:
    with full_disk(tmp_path / "full") as disk:
        done = _cxplan("render", "--out", str(disk.folder / "pages"), "--config",
                       str(workspace / "mkdocs.yml"), "--as-of", AS_OF, preexec=disk.limit())
        assert done.returncode == 1, done.stderr
        assert "internal error" not in done.stderr and "Traceback" not in done.stderr
        assert str(disk.folder) in done.stderr


def test_the_workers_end_when_the_build_is_killed(tmp_path: Path) -> None:
    """A build (or `cxplan serve`) killed while its worker processes build accounts
    takes them with it: none is left waiting for work that will never come."""
    import signal
    import time

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from validate import write_portfolio

    root = tmp_path / "ws"
    (root / "plans").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    write_portfolio(root / "plans", 12)
    build = subprocess.Popen(
        [sys.executable, "-m", "cxplan", "build", "--as-of", "2026-11-23", "--jobs", "2"],
        cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def children() -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except (OSError, ValueError):
                continue
            if entry.name.isdigit() and int(fields[1]) == build.pid:
                found.append(int(entry.name))
        return found

    guard = time.monotonic() + 60  # against a hang only
    workers: list[int] = []
    while len(workers) < 2 and build.poll() is None and time.monotonic() < guard:
        workers = children()
        time.sleep(0.05)
    assert len(workers) == 2, "the build ended before its workers were seen"
    build.send_signal(signal.SIGKILL)
    build.wait()
    while any(Path(f"/proc/{pid}").exists() and "Z" not in
              Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
              for pid in workers) and time.monotonic() < guard:
        time.sleep(0.05)
    left = [pid for pid in workers if Path(f"/proc/{pid}").exists()
            and Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"]
    assert not left, f"worker processes {left} outlived the killed build"
