"""Offline whatever mkdocs.yml says: the plugin switches Material's web fonts off unless
the workspace names a font, so a workspace whose mkdocs.yml is the minimal
`theme: material` + `plugins: [search, cxplan]` makes no request to another host (a
real build, served locally, loaded in headless Chromium with its network log kept)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import Watched, chromium, serve
from playwright.sync_api import Browser
from site_helpers import make_workspace

MINIMAL_YML = "site_name: Plans\ntheme: material\nplugins: [search, cxplan]\n"
FONT_HOSTS = ("fonts.googleapis.com", "fonts.gstatic.com")


def build(workspace: Path, site: Path) -> Path:
    result = subprocess.run(
        [sys.executable, "-m", "cxplan", "build", "--site-dir", str(site),
         "--as-of", "2026-11-23"],
        cwd=workspace, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="module")
def minimal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workspace = make_workspace(tmp_path_factory.mktemp("minimal"), mkdocs_yml=MINIMAL_YML)
    return build(workspace, workspace / "site")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def html_files(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(site.rglob("*.html"))}


def test_no_built_page_names_a_font_host(minimal_site: Path) -> None:
    pages = html_files(minimal_site)
    assert len(pages) > 20
    assert [path for path, html in pages.items() if any(h in html for h in FONT_HOSTS)] == []


def test_a_font_the_workspace_names_is_kept(tmp_path: Path) -> None:
    """Naming a font is the team's explicit choice of a third-party request."""
    yml = ("site_name: Plans\ntheme:\n  name: material\n  font:\n    text: Inter\n"
           "plugins: [search, cxplan]\n")
    site = build(make_workspace(tmp_path / "ws", mkdocs_yml=yml), tmp_path / "site")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" in home and "Inter" in home


@pytest.mark.parametrize(
    "path",
    ["", "plans/", "plans/northwind-logistics/", "plans/northwind-logistics/power-map/",
     "plans/hospital-santa-lucia/actions/", "people/"],
)
def test_pages_make_no_request_to_another_host(
    browser: Browser, minimal_site: Path, path: str
) -> None:
    context = browser.new_context()
    try:
        watched = Watched(context.new_page())
        with serve(minimal_site) as base_url:
            response = watched.page.goto(base_url + path, wait_until="networkidle")
            assert response is not None and response.status == 200
            # Search loads its worker and index on first use: type to make it load.
            watched.page.locator("input.md-search__input").click()
            # Each account is its own site with its own index: a word of that site.
            watched.page.keyboard.type("farmacia" if "hospital" in path else "quick")
            watched.page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
            watched.page.wait_for_load_state("networkidle")
            assert len(watched.requests) > 3  # the log did record the page's requests
            assert watched.other_hosts(base_url) == []
            assert watched.errors == []
    finally:
        context.close()
