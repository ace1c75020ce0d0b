"""The built site in a real browser (Debian's headless Chromium, driven by Playwright),
served from a local HTTP server under a sub-path, the way a team publishes it: pages
load without a console error or a request to any other host, and search works."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, sync_playwright
from site_helpers import make_workspace

from cxplan.cli import cli

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SUBPATH = "cx"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


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
    handler = functools.partial(_Quiet, directory=str(www))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{SUBPATH}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).is_file(), "Debian's chromium is needed: apt-get install chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


class Watched:
    """A page with every console error and every request it made recorded."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("request", self._request)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _request(self, request: Request) -> None:
        self.requests.append(request.url)

    def other_hosts(self, base_url: str) -> list[str]:
        ours = urlsplit(base_url).netloc
        return [u for u in self.requests
                if urlsplit(u).scheme in ("http", "https", "ws", "wss")
                and urlsplit(u).netloc != ours]


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


def test_print_gives_clean_pages_without_navigation_or_search(
    browser: Browser, base_url: str
) -> None:
    """The print stylesheet, in the browser's print mode and its real PDF output."""
    page = browser.new_page()
    page.goto(base_url + "plans/northwind-logistics/mutual/")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-search',
        '.md-footer', '.cx-menu'].map(s => {
            const e = document.querySelector(s);
            return e === null ? 'none' : getComputedStyle(e).display; })""")
    assert hidden == ["none"] * 5
    rows = page.evaluate("""() => [...document.querySelectorAll('article tr')]
        .map(r => getComputedStyle(r).breakInside)""")
    assert rows and set(rows) == {"avoid"}
    assert page.locator("article table").first.is_visible()
    overview = browser.new_page()
    overview.goto(base_url + "plans/northwind-logistics/power-map/")
    overview.emulate_media(media="print")
    assert overview.locator("article svg").first.is_visible()  # pictures are kept
    pdf = overview.pdf(format="A4", print_background=True)
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)  # page objects, not the page tree
    assert pdf.startswith(b"%PDF-") and len(pages) >= 2
    page.close()
    overview.close()
