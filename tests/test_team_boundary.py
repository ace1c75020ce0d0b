"""The team sees the boundary: on the team site of the example plans, a "team only"
badge (lock and words, in the plan's language) marks exactly what the customer edition
leaves out, and each action's id is shown, small and copyable.

"Exactly" is measured against the real customer edition, not against the code that
places the badges: both sites are built by a strict MkDocs build, and what the team
site has and the customer edition lacks (action and commitment anchors, pages, tags)
is the set the badges must name, one for one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from browser_helpers import Watched, chromium, serve
from site_helpers import (
    EXAMPLES,
    MKDOCS_YML,
    Element,
    make_workspace,
    mkdocs_site,
    parse_html,
)

from cxplan import i18n
from cxplan.i18n import labels
from cxplan.render.site_views import customer_page_url

PLANS = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    workspace = make_workspace(tmp_path_factory.mktemp("boundary"))
    return (mkdocs_site(workspace, workspace / "team"),
            mkdocs_site(workspace, workspace / "customer", audience="customer"))


def pages(site: Path) -> dict[str, Element]:
    return {p.relative_to(site).as_posix(): parse_html(p.read_text(encoding="utf-8"))
            for p in sorted(site.rglob("*.html"))}


def anchors(site: Path, plan: str, page: str, prefix: str) -> set[str]:
    tree = parse_html((site / "plans" / plan / page / "index.html").read_text(encoding="utf-8"))
    return {e.attrs["id"][len(prefix):] for e in tree.iter()
            if e.attrs.get("id", "").startswith(prefix)}


def badges(tree: Element) -> list[Element]:
    return [e for e in tree.iter() if "data-cx-team-only" in e.attrs]


def plan_language(plan: str) -> str:
    data = yaml.safe_load((EXAMPLES / f"{plan}.yaml").read_text(encoding="utf-8"))
    return str(data["plan"].get("language") or "en")


@pytest.mark.parametrize("plan", PLANS)
def test_badges_mark_exactly_the_items_the_customer_edition_leaves_out(
    sites: tuple[Path, Path], plan: str
) -> None:
    team, customer = sites
    expected = {
        f"actions:{i}" for i in anchors(team, plan, "actions", "action-")
        - anchors(customer, plan, "actions", "action-")
    } | {
        f"commitments:{i}" for i in anchors(team, plan, "commitments", "commitment-")
        - anchors(customer, plan, "commitments", "commitment-")
    }
    badged = {
        e.attrs["data-cx-team-only"]
        for path, tree in pages(team).items() if path.startswith(f"plans/{plan}/")
        for e in badges(tree)
        if e.attrs["data-cx-team-only"].split(":")[0] in ("actions", "commitments")
    }
    assert badged == expected
    if plan == "hospital-santa-lucia":  # the example with internal items
        assert len(expected) >= 2


@pytest.mark.parametrize("plan", PLANS)
def test_each_badge_sits_on_its_item_and_speaks_the_plans_language(
    sites: tuple[Path, Path], plan: str
) -> None:
    team, _ = sites
    language = plan_language(plan)
    words = f"🔒 {i18n.text(language, 'audience.team_only')}"
    for page_name, kind, prefix in (("actions", "actions", "action-"),
                                    ("commitments", "commitments", "commitment-")):
        tree = parse_html(
            (team / "plans" / plan / page_name / "index.html").read_text(encoding="utf-8"))
        for badge in badges(tree):
            assert badge.text() == words  # words, not colour alone
            assert badge.attrs["title"] == i18n.text(language, "audience.team_only_hint")
            item = badge.attrs["data-cx-team-only"]
            if not item.startswith(f"{kind}:"):
                continue
            row = badge.ancestor("tr")
            assert any(e.attrs.get("id") == prefix + item.split(":", 1)[1]
                       for e in row.iter()), item


@pytest.mark.parametrize("plan", PLANS)
def test_team_only_pages_and_tags_are_badged(sites: tuple[Path, Path], plan: str) -> None:
    team, customer = sites
    team_pages = {p.parent.name for p in (team / "plans" / plan).glob("*/index.html")}
    customer_pages = {p.parent.name for p in (customer / "plans" / plan).glob("*/index.html")}
    missing = team_pages - customer_pages
    assert "power-map" in missing
    overview = parse_html((team / "plans" / plan / "index.html").read_text(encoding="utf-8"))
    marked = {e.attrs["data-cx-team-only"] for e in badges(overview)}
    assert {m.split(":", 1)[1] for m in marked if m.startswith("page:")} == missing
    # A team-only page says so under its heading too.
    power_map = parse_html(
        (team / "plans" / plan / "power-map" / "index.html").read_text(encoding="utf-8"))
    heading = power_map.find_all("h1")[0]
    after = heading.parent.children[heading.parent.children.index(heading) + 1:]
    first = next(e for e in after if isinstance(e, Element))
    assert any(e.attrs.get("data-cx-team-only") == "page:power-map" for e in first.iter())
    # Tags: those the customer overview lacks are badged, by their place in `plan.tags`.
    data = yaml.safe_load((EXAMPLES / f"{plan}.yaml").read_text(encoding="utf-8"))
    tags, for_customer = data["plan"].get("tags", []), data["plan"].get("customer_tags", [])
    hidden = {f"tags:{i}" for i, tag in enumerate(tags) if tag not in for_customer}
    assert tags and hidden
    assert {m for m in marked if m.startswith("tags:")} == hidden
    customer_overview = parse_html(
        (customer / "plans" / plan / "index.html").read_text(encoding="utf-8"))
    tag_line = next(p.text() for p in customer_overview.find_all("p")
                    if p.text().startswith(labels(plan_language(plan))["site.customer"]))
    for tag in for_customer:
        assert tag in tag_line


def test_the_customer_edition_has_no_badge_and_no_id_chip(sites: tuple[Path, Path]) -> None:
    _, customer = sites
    for path, tree in pages(customer).items():
        assert badges(tree) == [], path
        assert tree.find_all("span", class_="cx-id") == [], path


@pytest.mark.parametrize("plan", PLANS)
def test_every_action_shows_its_id_small_and_copyable(
    sites: tuple[Path, Path], plan: str
) -> None:
    team, _ = sites
    text = (EXAMPLES / f"{plan}.yaml").read_text(encoding="utf-8")
    # The plan's actions (customer steps have ids and titles too, on their own page).
    ids = {action["id"] for action in yaml.safe_load(text)["actions"]}
    tree = parse_html((team / "plans" / plan / "actions" / "index.html").read_text("utf-8"))
    chips = tree.find_all("span", class_="cx-id")
    shown = {chip.find_all("code")[0].text() for chip in chips}
    assert shown == ids
    for chip in chips:
        button = chip.find_all("button", class_="cx-copy")[0]
        assert button.attrs["data-clipboard-text"] == chip.find_all("code")[0].text()
        assert button.attrs["aria-label"]


def test_the_badge_words_exist_in_every_language() -> None:
    words = {language: i18n.text(language, "audience.team_only")
             for language in i18n.languages()}
    assert {"en", "es", "pt"} <= set(words)
    assert len(set(words.values())) == len(words)  # each really translated


@pytest.fixture(scope="module")
def watched_actions(sites: tuple[Path, Path]) -> Iterator[tuple[Watched, str]]:
    team, _ = sites
    with chromium() as browser, serve(team) as base_url:
        context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
        try:
            yield Watched(context.new_page()), base_url
        finally:
            context.close()


def test_the_copy_button_copies_the_id(watched_actions: tuple[Watched, str]) -> None:
    watched, base_url = watched_actions
    page = watched.page
    page.goto(base_url + "plans/northwind-logistics/actions/", wait_until="networkidle")
    button = page.locator("button.cx-copy").first
    expected = button.get_attribute("data-clipboard-text")
    button.click()
    page.wait_for_function("navigator.clipboard.readText().then(t => t.length > 0)")
    assert page.evaluate("navigator.clipboard.readText()") == expected
    assert watched.errors == []


def test_team_pages_link_to_the_same_page_of_the_customer_edition(tmp_path: Path) -> None:
    """With `customer_site_url` (the editions built alongside), each plan page the
    customer edition has links to its counterpart there; team-only pages do not."""
    base = "https://plans.example.com/customer/"
    yml = MKDOCS_YML.replace("  - cxplan\n", f"  - cxplan:\n      customer_site_url: {base}\n")
    workspace = make_workspace(tmp_path / "ws", mkdocs_yml=yml)
    team = mkdocs_site(workspace, tmp_path / "team")
    plan = "northwind-logistics"
    language = plan_language(plan)
    for current in ("index", "actions", "commitments", "journey", "areas/procurement", "power-map"):
        url = "" if current == "index" else f"{current}/"
        tree = parse_html((team / "plans" / plan / url / "index.html").read_text("utf-8"))
        links = [a for a in tree.find_all("a")
                 if a.text().startswith(labels(language)["audience.customer_view"])]
        if current == "power-map":
            assert links == []
        else:
            assert [a.attrs["href"] for a in links] == [customer_page_url(base, plan, current)]
    assert customer_page_url(base, plan, "areas/procurement") == f"{base}{plan}/areas/procurement/"
    customer = mkdocs_site(workspace, tmp_path / "customer", audience="customer")
    assert "customer/northwind" not in (customer / "plans" / plan / "index.html").read_text(
        "utf-8")
