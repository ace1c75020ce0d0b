""""As the customer sees it", end to end: the team site and the customer editions
built alongside (`customer_site_url` saying where the editions are served), both served
on 127.0.0.1, and in a real browser (Debian's Chromium) the link of every page of a
plan's team site that has one lands on the same page of that account's edition: 200,
the same heading, inside that account's folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_helpers import Watched, build_editions, chromium, serve
from playwright.sync_api import Browser
from site_helpers import MKDOCS_YML, make_workspace

from cxplan import i18n
from cxplan.render.site_views import TEAM_ONLY_PAGES

SUBPATH = "cx"
PLAN = "northwind-logistics"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The base address (`/cx/`: team site at `team/`, editions at `customers/`) and the
    folder served. The server starts first: the team site must know the editions'
    address, port included."""
    root = tmp_path_factory.mktemp("customer-link")
    www = root / "www"
    (www / SUBPATH).mkdir(parents=True)
    with serve(www, f"{SUBPATH}/") as base:
        yml = MKDOCS_YML.replace(
            "  - cxplan\n", f"  - cxplan:\n      customer_site_url: {base}customers/\n")
        workspace = make_workspace(root / "ws", mkdocs_yml=yml)
        build_editions(workspace / "mkdocs.yml", www / SUBPATH)
        yield base, www / SUBPATH


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def plan_pages(output: Path, plan: str, root: str = "plans") -> list[str]:
    """Every page of the plan's site in `output` (the team site's `plans/<id>/`, a
    customer edition's `<id>/`), as an address below the plan ("" is the overview),
    the 404 page left out."""
    site = output / root / plan
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    return ["" if p == "." else f"{p}/" for p in pages]


def follow(watched: Watched, base: str, plan: str, page_path: str) -> tuple[str, str] | None:
    """Open the team page, follow its "as the customer sees it" link: the team page's
    heading and the edition's heading, or None when the page has no link."""
    page = watched.page
    page.goto(f"{base}team/plans/{plan}/{page_path}", wait_until="load")
    team_heading = page.locator("article h1").first.inner_text()
    link = page.locator("a.cx-customer-view")
    if link.count() == 0:
        return None
    assert link.count() == 1
    with page.expect_navigation() as navigation:
        link.click()
    response = navigation.value
    assert response is not None and response.status == 200, page.url
    assert urlsplit(page.url).path == f"/{SUBPATH}/customers/{plan}/{page_path}"
    return team_heading, page.locator("article h1").first.inner_text()


def test_every_team_page_of_a_plan_links_to_its_page_of_the_customer_edition(
    served: tuple[str, Path], browser: Browser
) -> None:
    base, folder = served
    context = browser.new_context()
    watched = Watched(context.new_page())
    linked, unlinked = [], []
    for page_path in plan_pages(folder / "team", PLAN):
        followed = follow(watched, base, PLAN, page_path)
        if followed is None:
            unlinked.append(page_path)
            continue
        team_heading, customer_heading = followed
        assert customer_heading == team_heading, page_path
        linked.append(page_path)
    # The pages the customer edition leaves out (the edition built beside it has no
    # such page) have no link; every other page has one.
    edition = plan_pages(folder / "customers", PLAN, root="")
    assert sorted(unlinked) == sorted(p for p in plan_pages(folder / "team", PLAN)
                                      if p not in edition)
    assert "power-map/" in unlinked
    assert all(p.rstrip("/") in TEAM_ONLY_PAGES | {"review"} for p in unlinked)
    assert "" in linked and "actions/" in linked and len(linked) >= 10
    assert watched.errors == [] and watched.other_hosts(base) == []
    context.close()


@pytest.mark.parametrize(("plan", "language"), [
    ("hospital-santa-lucia", "es"),
    ("conservas-atlantida", "pt"),
])
def test_the_link_speaks_the_plans_language_and_stays_in_its_account(
    served: tuple[str, Path], browser: Browser, plan: str, language: str
) -> None:
    base, _ = served
    context = browser.new_context()
    watched = Watched(context.new_page())
    page = watched.page
    page.goto(f"{base}team/plans/{plan}/commitments/", wait_until="load")
    link = page.locator("a.cx-customer-view")
    assert link.inner_text().startswith(i18n.labels(language)["audience.customer_view"])
    followed = follow(watched, base, plan, "commitments/")
    assert followed is not None and followed[0] == followed[1]
    assert all(f"/{SUBPATH}/customers/" not in u or f"/customers/{plan}/" in u
               for u in watched.requests)
    context.close()
