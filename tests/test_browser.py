"""The built site in a real browser (Debian's headless Chromium, driven by Playwright),
served from a local HTTP server under a sub-path, the way a team publishes it: pages
load without a console error or a request to any other host, and search works."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from browser_helpers import Watched, chromium, serve
from playwright.sync_api import Browser
from site_helpers import make_workspace

from cxplan.cli import cli

SUBPATH = "cx"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from click.testing import CliRunner

    workspace = make_workspace(tmp_path_factory.mktemp("browser"))
    www = workspace / "www"
    result = CliRunner().invoke(
        cli,
        ["build", "--config", str(workspace / "mkdocs.yml"), "--as-of", "2026-11-23",
         "--site-dir", str(www / SUBPATH)],
        standalone_mode=False,
    )
    assert result.return_value == 0, result.output
    with serve(www) as url:
        yield f"{url}{SUBPATH}/"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield Watched(context.new_page())
    context.close()


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("", "Portfolio"),
        ("plans/northwind-logistics/", "Northwind Logistics - CX plan 2026-27"),
        ("plans/northwind-logistics/power-map/", "Power map: Northwind Logistics"),
    ],
)
def test_page_loads_offline_without_errors(
    watched: Watched, base_url: str, path: str, heading: str
) -> None:
    response = watched.page.goto(base_url + path, wait_until="networkidle")
    assert response is not None and response.status == 200
    assert watched.page.locator("article h1").first.inner_text() == heading
    # Stylesheets and scripts resolved under the sub-path (a broken relative URL
    # would be a 404, which Chromium reports as a console error).
    assert watched.page.evaluate("getComputedStyle(document.body).fontFamily") != ""
    assert watched.errors == []
    assert watched.other_hosts(base_url) == []
    assert all(urlsplit(u).path.startswith(f"/{SUBPATH}/") for u in watched.requests)


def test_power_map_nodes_link_to_the_stakeholder_table(watched: Watched, base_url: str) -> None:
    page = watched.page
    page.goto(base_url + "plans/northwind-logistics/power-map/", wait_until="networkidle")
    page.locator('.cx-map a[href="#stakeholder-a.brennan"]').first.click()
    assert page.evaluate("location.hash") == "#stakeholder-a.brennan"
    row = page.locator('tr:has([id="stakeholder-a.brennan"])')
    assert "Aidan Brennan" in row.inner_text()
    box = row.bounding_box()
    assert box is not None and 0 <= box["y"] < 900  # scrolled into view
    assert watched.errors == []


def test_search_finds_an_action_by_a_word_of_its_title(watched: Watched, base_url: str) -> None:
    page = watched.page
    page.goto(base_url, wait_until="networkidle")
    page.locator("input.md-search__input").click()
    page.keyboard.type("benchmark")  # key by key, as a person types (search listens to keys)
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=15_000)
    links = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    assert any("plans/northwind-logistics/actions/" in link for link in links), links
    texts = page.locator(".md-search-result").inner_text()
    assert "benchmark" in texts.lower()
    assert watched.errors == []
    assert watched.other_hosts(base_url) == []
