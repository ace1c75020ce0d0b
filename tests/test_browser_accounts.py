"""One site per account in a real browser (Debian's headless Chromium): a customer
edition is one account (its home, overview and actions load offline; searching for
another account's customer finds nothing), and the team portfolio's search finds an
action inside a plan's own site, whose pages lead back to the portfolio."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_helpers import ARGS, CHROMIUM, Watched, build_editions, serve
from click.testing import CliRunner
from playwright.sync_api import Browser, sync_playwright
from site_helpers import make_workspace

from cxplan.cli import cli

SUBPATH = "cx"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workspace = make_workspace(tmp_path_factory.mktemp("accounts-browser"))
    www = workspace / "www"
    build_editions(workspace / "mkdocs.yml", www / SUBPATH)
    with serve(www, f"{SUBPATH}/") as address:
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).is_file(), "Debian's chromium is needed: apt-get install chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield Watched(context.new_page())
    context.close()


def search(watched: Watched, words: str) -> None:
    page = watched.page
    page.locator("input.md-search__input").click()
    page.keyboard.type(words)  # key by key, as a person types
    page.locator(".md-search-result__meta").filter(has_text=" ").first.wait_for(
        timeout=15_000)
    page.wait_for_timeout(500)  # the result list follows the last key


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("", "Northwind Logistics - CX plan 2026-27"),
        ("actions/", "Actions: Northwind Logistics"),
        ("commitments/", "Commitments: Northwind Logistics"),
    ],
)
def test_a_customer_edition_loads_offline_as_its_own_site(
    watched: Watched, base_url: str, path: str, heading: str
) -> None:
    edition = base_url + "customers/northwind-logistics/"
    response = watched.page.goto(edition + path, wait_until="networkidle")
    assert response is not None and response.status == 200
    assert watched.page.locator("article h1").first.inner_text() == heading
    assert watched.page.evaluate("getComputedStyle(document.body).fontFamily") != ""
    # Every request stays inside this account's own folder: no shared asset, no host.
    assert watched.errors == [] and watched.other_hosts(base_url) == []
    assert all(urlsplit(u).path.startswith(f"/{SUBPATH}/customers/northwind-logistics/")
               for u in watched.requests), watched.requests
    nav = watched.page.locator("nav.md-nav--primary").inner_text()
    assert "Hospital" not in nav and "People" not in nav and "Portfolio" not in nav


def test_a_customer_edition_searches_its_own_account_only(
    watched: Watched, base_url: str
) -> None:
    page = watched.page
    page.goto(base_url + "customers/northwind-logistics/", wait_until="networkidle")
    search(watched, "Santa Lucía")
    assert page.locator(".md-search-result__item").count() == 0
    page.locator("input.md-search__input").fill("")
    search(watched, "benchmark")
    links = [a.get_attribute("href") or "" for a in
             page.locator(".md-search-result__item a").all()]
    assert links and any("actions/" in link for link in links), links
    assert watched.errors == [] and watched.other_hosts(base_url) == []


def test_the_customer_home_page_opens_with_the_team_introduction(
    watched: Watched, base_url: str
) -> None:
    """The example plan's `customer_intro`: first on the customer's home page, and on
    the team's overview under the note that the customer reads it there."""
    page = watched.page
    page.goto(base_url + "customers/northwind-logistics/", wait_until="networkidle")
    intro = page.locator("article .cx-intro")
    assert intro.is_visible()
    assert intro.inner_text().startswith("Welcome to the plan Cascade and Northwind Logistics")
    intro_box = intro.bounding_box()
    figures_box = page.locator("article .cx-figures").bounding_box()
    assert intro_box is not None and figures_box is not None
    assert intro_box["y"] < figures_box["y"]
    assert page.locator(".cx-intro-note").count() == 0
    page.goto(base_url + "team/plans/northwind-logistics/", wait_until="networkidle")
    note = page.locator("article .cx-intro-note")
    assert note.inner_text() == "Shown to the customer at the top of their home page."
    note_box, intro_box = note.bounding_box(), page.locator("article .cx-intro").bounding_box()
    assert note_box is not None and intro_box is not None and note_box["y"] < intro_box["y"]
    assert watched.errors == [] and watched.other_hosts(base_url) == []


def test_portfolio_search_finds_an_action_inside_a_plan_site(
    watched: Watched, base_url: str
) -> None:
    page = watched.page
    page.goto(base_url + "team/", wait_until="networkidle")
    search(watched, "benchmark")
    result = page.locator('.md-search-result__item a[href*="plans/northwind-logistics/actions/"]')
    result.first.click()
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == f"/{SUBPATH}/team/plans/northwind-logistics/actions/"
    assert page.locator("article h1").first.inner_text() == "Actions: Northwind Logistics"
    assert watched.errors == [] and watched.other_hosts(base_url) == []


def test_a_plan_page_links_back_to_the_portfolio(watched: Watched, base_url: str) -> None:
    page = watched.page
    page.goto(base_url + "team/plans/northwind-logistics/kpis/", wait_until="networkidle")
    page.locator("nav.md-nav--primary a", has_text="Portfolio").first.click()
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == f"/{SUBPATH}/team/plans/"
    assert page.locator("article h1").first.inner_text() == "Portfolio"
    # ... and the portfolio links to the plan's own site.
    page.locator("article a", has_text="Northwind Logistics").first.click()
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == f"/{SUBPATH}/team/plans/northwind-logistics/"
    assert watched.errors == []


def test_a_zipped_customer_edition_is_browsable_from_disk(
    browser: Browser, tmp_path: Path
) -> None:
    """Issue 13, item 5: with `use_directory_urls: false` (as docs/publishing.md says),
    an edition mailed as a zip opens from disk: its links are files, and it asks no
    other host for anything. (Material's `offline` plugin would make search work from
    disk too, but it loads a script from unpkg.com for that: not for customers.)"""
    import zipfile

    yml = ("site_name: CX plans\nuse_directory_urls: false\ntheme:\n  name: material\n"
           "  font: false\nplugins:\n  - search\n  - cxplan\n")
    workspace = make_workspace(tmp_path / "ws", mkdocs_yml=yml)
    out = tmp_path / "editions"
    result = CliRunner().invoke(
        cli, ["build", "--config", str(workspace / "mkdocs.yml"), "--as-of", "2026-11-23",
              "--audience", "customer", "--site-dir", str(out)], standalone_mode=False)
    assert result.return_value == 0, result.output
    assert "http.server" not in result.output  # no advice needed: it opens from disk
    mailed = tmp_path / "northwind.zip"
    with zipfile.ZipFile(mailed, "w") as archive:
        for path in sorted((out / "northwind-logistics").rglob("*")):
            archive.write(path, path.relative_to(out))
    unpacked = tmp_path / "inbox"
    with zipfile.ZipFile(mailed) as archive:
        archive.extractall(unpacked)
    context = browser.new_context()
    watched = Watched(context.new_page())
    page = watched.page
    page.goto((unpacked / "northwind-logistics" / "index.html").as_uri(), wait_until="load")
    assert page.locator("article h1").first.inner_text() == "Northwind Logistics - CX plan 2026-27"
    # A link of the page itself, followed as the browser resolves it from disk.
    with page.expect_navigation():
        page.evaluate("document.querySelector('article a[href=\"actions.html\"]').click()")
    page.wait_for_load_state("load")
    assert page.url.endswith("/northwind-logistics/actions.html")
    assert page.locator("article h1").first.inner_text() == "Actions: Northwind Logistics"
    assert watched.other_hosts("file:///") == []
    context.close()
