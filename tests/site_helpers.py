"""Helpers for the site tests: a workspace in a temporary folder, a real MkDocs build of
it, and a small HTML tree (from the standard library's html.parser) to assert on
elements and attributes rather than on substrings."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from cxplan.publish.plugin import CxplanPlugin

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "plans"
AS_OF = dt.date(2026, 11, 23)

MKDOCS_YML = """\
site_name: CX plans
theme:
  name: material
  font: false
  language: en
plugins:
  - search
  - cxplan
validation:
  links:
    anchors: warn
"""


def make_workspace(
    root: Path, plans: dict[str, str] | None = None, mkdocs_yml: str = MKDOCS_YML
) -> Path:
    """A workspace: mkdocs.yml, an empty docs/ and plans/ (the examples by default)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(mkdocs_yml, encoding="utf-8")
    (root / "docs").mkdir(exist_ok=True)
    (root / "plans").mkdir(exist_ok=True)
    if plans is None:
        for example in sorted(EXAMPLES.glob("*.yaml")):
            shutil.copy(example, root / "plans" / example.name)
    else:
        for name, text in plans.items():
            (root / "plans" / name).write_text(text, encoding="utf-8")
    return root


def mkdocs_site(workspace: Path, site_dir: Path, *, as_of: dt.date = AS_OF,
                audience: str | None = None) -> Path:
    """A real, strict `mkdocs build` of the workspace (the plugin loads the plans)."""
    config = load_config(config_file=str(workspace / "mkdocs.yml"), site_dir=str(site_dir),
                         strict=True)
    plugin = config.plugins["cxplan"]
    assert isinstance(plugin, CxplanPlugin)
    plugin.as_of_override = as_of
    plugin.audience_override = audience
    mkdocs_build(config)
    return site_dir


# --- HTML --------------------------------------------------------------------------

VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})


BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "nav", "ol", "p", "pre",
    "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)
    parent: Element | None = None

    def iter(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def text(self) -> str:
        """The text as a reader sees it: inline elements run on, blocks are apart."""
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag in BLOCKS:
                parts.append(f" {child.text()} ")
            else:
                parts.append(child.text())
        return " ".join("".join(parts).split())

    def by_id(self, element_id: str) -> Element:
        for element in self.iter():
            if element.attrs.get("id") == element_id:
                return element
        raise AssertionError(f"no element with id {element_id!r}")

    def ancestor(self, tag: str) -> Element:
        node = self.parent
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None, f"no <{tag}> around <{self.tag}>"
        return node

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        return [
            e for e in self.iter()
            if e.tag == tag and all(
                value in e.attrs.get(name.rstrip("_"), "").split() for name, value in attrs.items()
            )
        ]

    def links(self) -> list[str]:
        return [e.attrs["href"] for e in self.iter() if e.tag == "a" and "href" in e.attrs]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(element)

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse_html(text: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def page(site: Path, path: str) -> Element:
    """The parsed HTML of a page, by its URL path (`plans/acme/actions/`)."""
    return parse_html((site / path / "index.html").read_text(encoding="utf-8"))


def content(site: Path, path: str) -> Element:
    """The article of a page (without navigation, header and footer)."""
    articles = page(site, path).find_all("article")
    assert articles, f"{path} has no <article>"
    return articles[0]


def row_of(root: Element, element_id: str) -> str:
    """The text of the table row holding the element with this id."""
    return root.by_id(element_id).ancestor("tr").text()
