"""`cxplan serve` never hangs (issue 13, item 4), in a real browser: a plan saved with
an error keeps the last good site, whose pages show the problem (file:line:col,
message and hint) within seconds; fixing the file brings the new content."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import ARGS, CHROMIUM
from playwright.sync_api import Browser, sync_playwright
from site_helpers import make_workspace

HANG_GUARD_MS = 60_000  # against a hang only; the preview reacts in a few seconds


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    yield from serving(tmp_path)


@pytest.fixture
def served_customer(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    yield from serving(tmp_path, "--audience", "customer")


def serving(tmp_path: Path, *args: str) -> Iterator[tuple[Path, str]]:
    workspace = make_workspace(tmp_path / "ws")
    with started_serve(workspace, tmp_path / "tmp", *args) as url:
        yield workspace, url


@contextlib.contextmanager
def started_serve(workspace: Path, temporary: Path, *args: str) -> Iterator[str]:
    """`cxplan serve` in `workspace`, its temporary folder in `temporary`; stopped
    with SIGTERM at the end, as `kill`, systemd or CI stop it."""
    temporary.mkdir(exist_ok=True)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "cxplan", "serve", "--as-of", "2026-11-23", "--dev-addr",
         f"127.0.0.1:{port}", *args], cwd=workspace, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, env={**os.environ, "TMPDIR": str(temporary)})
    try:
        assert process.stdout is not None
        for line in process.stdout:  # ends if the process exits
            if "Serving on" in line:
                break
        assert process.poll() is None, "cxplan serve exited"
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=60)


def test_a_preview_stopped_by_sigterm_removes_its_folder(tmp_path: Path) -> None:
    """SIGTERM ends `cxplan serve` as Ctrl-C does: the built preview (hundreds of
    megabytes for a large portfolio) does not stay in the temporary directory."""
    workspace = make_workspace(tmp_path / "ws")
    temporary = tmp_path / "tmp"
    with started_serve(workspace, temporary) as url:
        with urllib.request.urlopen(url + "plans/northwind-logistics/", timeout=60) as page:
            assert page.status == 200
        folders = list(temporary.glob("cxplan-serve-*"))
        assert len(folders) == 1 and (folders[0] / "site" / "index.html").is_file()
    assert not list(temporary.glob("cxplan-serve-*"))  # (Jinja's bytecode cache stays)


@pytest.fixture
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).is_file(), "Debian's chromium is needed: apt-get install chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


def test_a_broken_save_shows_the_problem_and_a_fix_shows_the_new_content(
    served: tuple[Path, str], browser: Browser
) -> None:
    workspace, url = served
    page = browser.new_page()
    page.goto(url + "plans/northwind-logistics/actions/", wait_until="load")
    assert "Actions" in page.locator("article h1").first.inner_text()
    plan = workspace / "plans" / "northwind-logistics.yaml"
    good = plan.read_text(encoding="utf-8")
    line = next(n for n, text in enumerate(good.splitlines(), 1) if "horizon: quick-win" in text)
    plan.write_text(good.replace("horizon: quick-win", "horizon: quick-wins", 1),
                    encoding="utf-8")
    panel = page.locator("#cxplan-problems")
    panel.wait_for(timeout=HANG_GUARD_MS)
    text = panel.inner_text()
    assert f"northwind-logistics.yaml:{line}:" in text and "quick-wins" in text
    assert "hint:" in text and "The plans have errors." in text
    # The last good site is still what is served underneath.
    assert "Actions" in page.locator("article h1").first.inner_text()
    fixed = good.replace("title: Northwind Logistics - CX plan 2026-27",
                         "title: Northwind Logistics - CX plan 2026-28", 1)
    plan.write_text(fixed, encoding="utf-8")
    page.goto(url + "plans/northwind-logistics/", wait_until="load")
    page.locator("article h1", has_text="CX plan 2026-28").wait_for(timeout=HANG_GUARD_MS)
    assert page.locator("#cxplan-problems").count() == 0


def test_the_panel_speaks_the_page_language(served: tuple[Path, str], browser: Browser) -> None:
    workspace, url = served
    plan = workspace / "plans" / "hospital-santa-lucia.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("  title:", "  titel:", 1),
                    encoding="utf-8")
    page = browser.new_page()
    page.goto(url + "plans/hospital-santa-lucia/", wait_until="load")
    page.locator("#cxplan-problems").wait_for(timeout=HANG_GUARD_MS)
    text = page.locator("#cxplan-problems").inner_text()
    assert "Los planes tienen errores." in text and "hospital-santa-lucia.yaml:" in text


def test_the_customer_preview_lists_the_editions_at_its_root(
    served_customer: tuple[Path, str], browser: Browser
) -> None:
    _, url = served_customer
    page = browser.new_page()
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200
    assert page.locator("h1").inner_text() == "Customer editions"
    links = page.locator("li a")
    assert links.count() >= 2
    page.locator("li a", has_text="Northwind").click()
    page.wait_for_url(url + "northwind-logistics/", timeout=HANG_GUARD_MS)
    assert "Northwind" in page.locator("article h1").first.inner_text()
