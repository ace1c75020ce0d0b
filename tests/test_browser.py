"""The built site in a real browser (Debian's headless Chromium, driven by Playwright),
served from a local HTTP server under a sub-path, the way a team publishes it: pages
load without a console error or a request to any other host, and search works."""

from __future__ import annotations

import re
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
    # The list is drawn again after each key: wait for the result itself, rather than
    # read the links one by one from a list that may change in between.
    action = page.locator('.md-search-result__item a[href*="plans/northwind-logistics/actions/"]')
    action.first.wait_for(timeout=15_000)
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
_MEASURE_MAP = """() => {
  const box = (element) => {
    const b = element.getBoundingClientRect();
    return {left: b.left, top: b.top, right: b.right, bottom: b.bottom};
  };
  const svg = document.querySelector('.cx-map svg');
  const frame = svg.closest('.cx-map');
  const nodes = [...svg.querySelectorAll('a')].map((a) => {
    const group = a.querySelector('g');
    return {
      href: a.getAttribute('href'),
      tooltip: a.querySelector('title').textContent,
      shape: box(group.firstElementChild),
      texts: [...group.querySelectorAll('text')].map((t) => ({
        text: t.textContent, box: box(t), size: parseFloat(getComputedStyle(t).fontSize),
        badge: (t.previousElementSibling || {}).tagName === 'circle',
      })),
    };
  });
  const legend = [...svg.querySelectorAll('g.cx-legend-item')].map((g) => {
    const parts = [...g.children];
    return {icon: parts.slice(0, -1).map(box), text: box(parts[parts.length - 1])};
  });
  return {
    drawn: svg.getBoundingClientRect().width, width: parseFloat(svg.getAttribute('width')),
    frame: frame.clientWidth, scroll: frame.scrollWidth, nodes: nodes, legend: legend,
  };
}"""


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and (
        a["top"] < b["bottom"] and b["top"] < a["bottom"]
    )


def test_power_map_is_readable_on_a_400_px_phone(browser: Browser, base_url: str) -> None:
    """Issue 13 item 6: on a phone the map keeps its size in a frame that scrolls, every
    label stays inside its box, the legend's icons never cover their words, and a long
    job title cut in the box is whole in the tooltip and in the stakeholder table."""
    context = browser.new_context(viewport={"width": 400, "height": 800})
    page = context.new_page()
    page.goto(base_url + "plans/conservas-atlantida/power-map/", wait_until="networkidle")
    facts = page.evaluate(_MEASURE_MAP)
    # Drawn at its own size (not shrunk to a third), in a frame narrower than the page
    # that scrolls sideways.
    assert abs(facts["drawn"] - facts["width"]) < 1
    assert facts["frame"] <= 400 < facts["scroll"]
    assert len(facts["nodes"]) == 9
    for node in facts["nodes"]:
        shape = node["shape"]
        for text in node["texts"]:
            assert text["size"] >= 10, (node["href"], text)
            if text["badge"]:
                continue  # the owner's badge sits on the corner of the box, by design
            # Every label inside its person's box (a too-long name is squeezed, a long
            # title shortened).
            assert shape["left"] - 1 <= text["box"]["left"], (node["href"], text)
            assert text["box"]["right"] <= shape["right"] + 1, (node["href"], text)
    names = [t for n in facts["nodes"] for t in n["texts"] if t["size"] >= 12.5]
    assert names and all(t["box"]["bottom"] - t["box"]["top"] >= 12 for t in names)
    assert len(facts["legend"]) == 12  # five support levels and seven marks
    for item in facts["legend"]:
        for icon in item["icon"]:
            assert icon["right"] <= item["text"]["left"], item
    texts = [item["text"] for item in facts["legend"]]
    for index, one in enumerate(texts):
        assert not any(_overlap(one, other) for other in texts[index + 1:]), one
    # The long title: shortened in the box, whole in the tooltip and in the table.
    (quality,) = [n for n in facts["nodes"] if n["href"] == "#stakeholder-figueiredo"]
    full = "Diretora de Qualidade e Segurança Alimentar"
    shown = [t["text"] for t in quality["texts"] if t["text"].startswith("Diretora")]
    assert shown and shown[0] != full and shown[0].endswith("…")
    assert full in quality["tooltip"]
    row = page.locator('tr:has([id="stakeholder-figueiredo"])')
    assert full in row.inner_text()
    context.close()
