"""Making plan text inert in the published site.

Every string in a plan (a name, a title, a promise) reaches the site through one of
three doors, and each door has one function here:

- `md_inline`: text placed in generated Markdown (headings, table cells, list items,
  link labels). Everything Markdown or an extension could read as syntax is escaped, so
  the text shows exactly as typed and can never become a link, an image, raw HTML, an
  attribute list (`{: onclick=... }`) or a new table column.
- `md_to_safe_html`: the fields where the format allows Markdown (`plan.summary`,
  `plan.customer_intro` and the workspace's `customer_intro` file, `actions[].notes`).
  The Markdown is rendered to HTML with the `markdown` library, then cleaned by nh3 (a
  whitelist sanitiser): only harmless tags survive, links keep only http, https and
  mailto URLs, and images are not allowed at all (an image is a request to another
  host, and the site makes none). The caller embeds the result as a raw HTML
  block, where Markdown never processes it again.
- `inert_svg`: the pictures made by the chart and power-map renderers are inlined as
  raw HTML. They escape their own text; this is a second, independent guard that drops
  any script, event handler or off-page link from the SVG tree.

`html_text` escapes text for raw HTML blocks written by the templates.
"""

from __future__ import annotations

import functools
import html
import json
import re
import xml.etree.ElementTree as ET
from typing import Final

import markdown
import nh3
from markupsafe import Markup, escape

# Characters that are Markdown syntax wherever they stand (emphasis, code, links, images,
# attribute lists `{: ...}`, headings' closing `#`). Python-Markdown un-escapes them
# after a backslash.
_BACKSLASHED: Final = frozenset("\\`*_{}[]()#>")
# These become character references instead: `<`, `&` and `"` are HTML syntax (raw
# tags, entities, attribute values) and `|` splits table cells. A character reference
# is inert in every Markdown context, including table cells and extensions that do not
# know the backslash rule.
_REFERENCES: Final = {"&": "&amp;", "<": "&lt;", '"': "&quot;", "|": "&#124;"}
# Block markers only mean something at the start of a line (lists `-`, `+`, `1.`,
# quotes, headings, definitions `:`, rules and setext underlines `-`/`=`, snippets
# `--8<--`, and `!` of an image), so they are escaped there and left readable inside a
# value ("2026-07-30", "v1.2").
_LEADING_MARKER: Final = re.compile(r"^(\s*)(\d+(?=[.)])|)([-+.=:!~%)])")
_LINE_BREAKS: Final = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")


_ESCAPES: Final = str.maketrans(
    {**{char: "\\" + char for char in _BACKSLASHED}, **_REFERENCES}
)


def md_inline(text: object) -> str:
    """Text for one line of Markdown that renders exactly as written, anywhere on a
    line: at its start, in a table cell, a heading, a list item or a link label.

    Line breaks become spaces: one plan value is one line of the page (a newline inside
    a table cell would end the table row). Leading spaces go too (four of them would
    start a code block).
    """
    return _md_inline(str(text))


# The same names, titles and labels are printed on many pages: each is escaped once.
@functools.lru_cache(maxsize=1 << 16)
def _md_inline(text: str) -> str:
    escaped = _LINE_BREAKS.sub(" ", text).strip().translate(_ESCAPES)
    return _LEADING_MARKER.sub(_escape_marker, escaped, count=1)


def _escape_marker(match: re.Match[str]) -> str:
    space, digits, marker = match.groups()
    # `.`, `-`, `+`, `!` and `:` have backslash escapes; the rest become references.
    if marker in ".-+!":
        return f"{space}{digits}\\{marker}"
    return f"{space}{digits}&#{ord(marker)};"


def html_text(text: object) -> Markup:
    """Text for a raw HTML block (no Markdown there, so plain HTML escaping)."""
    return escape(str(text))


def page_title(text: object) -> str:
    """A page title as MkDocs themes print it: unescaped, in `<title>`, the header and
    the navigation. So the title itself is HTML-escaped, once, here."""
    return html.escape(" ".join(_LINE_BREAKS.sub(" ", str(text)).split()), quote=True)


def front_matter(text: object) -> Markup:
    """A page title for the YAML front matter (a JSON string is valid YAML)."""
    return Markup(json.dumps(page_title(text), ensure_ascii=False))


# --- Markdown fields -----------------------------------------------------------------

SAFE_TAGS: Final = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h3", "h4", "h5", "h6",
        "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody",
        "td", "th", "thead", "tr", "ul",
    }
)
SAFE_ATTRIBUTES: Final = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"},
                          "th": {"align"}}
SAFE_URL_SCHEMES: Final = frozenset({"http", "https", "mailto"})


@functools.cache
def _markdown() -> markdown.Markdown:
    # Building a Markdown parser costs more than converting a short note: one is kept
    # and reset between conversions.
    return markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")


def md_to_safe_html(text: str) -> Markup:
    """Render a Markdown field and keep only harmless HTML (see the module docstring).

    Headings are shifted down to level 3 and below: the field sits inside a page whose
    own structure uses levels 1 and 2.
    """
    html = _markdown().reset().convert(text)
    html = re.sub(r"<(/?)h[12](\s|>)", r"<\1h3\2", html)
    cleaned = nh3.clean(
        html,
        tags=set(SAFE_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in SAFE_ATTRIBUTES.items()},
        url_schemes=set(SAFE_URL_SCHEMES),
        link_rel="noopener noreferrer",
    )
    return Markup(cleaned.strip())


# --- SVG -----------------------------------------------------------------------------

_SVG_NS: Final = "http://www.w3.org/2000/svg"
_XLINK_NS: Final = "http://www.w3.org/1999/xlink"
ET.register_namespace("", _SVG_NS)
ET.register_namespace("xlink", _XLINK_NS)
_FORBIDDEN_ELEMENTS: Final = frozenset(
    {"script", "foreignObject", "iframe", "object", "embed", "image", "animate", "set",
     "animateTransform", "animateMotion", "handler", "listener"}
)
# A stylesheet may not fetch anything (`url(...)` to another file, `@import`).
_CSS_ATTRIBUTES: Final = frozenset(
    {"style", "fill", "stroke", "filter", "mask", "clip-path", "marker-start", "marker-mid",
     "marker-end", "cursor"}
)
_UNSAFE_CSS: Final = re.compile(r"url\s*\(\s*['\"]?(?!#)|@import|expression|javascript", re.I)
_LINK_ATTRIBUTES: Final = frozenset({"href", f"{{{_XLINK_NS}}}href"})
_SAFE_LINK: Final = re.compile(r"^(#[A-Za-z0-9._:-]*|[A-Za-z0-9._/-]+(#[A-Za-z0-9._:-]*)?)$")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# The SVG vocabulary our pictures use. Anything else is dropped: an HTML name such as
# `img` above all, on which an HTML parser "breaks out" of inline SVG.
_SVG_ELEMENTS: Final = frozenset(
    {"svg", "g", "defs", "title", "desc", "text", "tspan", "path", "rect", "circle",
     "ellipse", "line", "polyline", "polygon", "marker", "clipPath", "mask", "pattern",
     "linearGradient", "radialGradient", "stop", "symbol", "use", "a", "style", "metadata",
     "filter", "feBlend", "feColorMatrix", "feComposite", "feDropShadow", "feFlood",
     "feGaussianBlur", "feMerge", "feMergeNode", "feOffset"}
)


def inert_svg(svg: str) -> Markup:
    """The SVG with nothing active left: no script or embedding element, no `on*`
    attribute, no style that fetches a file, and links only to anchors or relative paths
    of plain characters. Its text and shapes are kept as they are.

    The picture is parsed as XML and checked element by element. A clean picture made
    only of SVG elements, with no markup declaration or processing instruction that
    an HTML parser could read differently, is returned as it came (serialising it again
    would cost more than drawing it); anything else is rebuilt from the cleaned tree.
    """
    root = ET.fromstring(svg)
    changed = "<!" in svg or "<?" in svg
    for parent in list(root.iter()):
        for child in list(parent):
            local = _local(child.tag)
            if local in _FORBIDDEN_ELEMENTS or (
                local == "style" and _UNSAFE_CSS.search(child.text or "")
            ):
                parent.remove(child)
                changed = True
            elif local not in _SVG_ELEMENTS:
                parent.remove(child)
                changed = True
    for element in root.iter():
        for name in list(element.attrib):
            local = _local(name).lower()
            value = element.attrib[name]
            if (
                local.startswith("on")
                or (name in _LINK_ATTRIBUTES and not _SAFE_LINK.match(value.strip()))
                or (local in _CSS_ATTRIBUTES and _UNSAFE_CSS.search(value))
            ):
                del element.attrib[name]
                changed = True
    if _local(root.tag) != "svg":
        changed = True
    text = ET.tostring(root, encoding="unicode", short_empty_elements=True) if changed else svg
    # No blank line may remain: the SVG is a raw HTML block inside Markdown.
    return Markup("\n".join(line for line in text.splitlines() if line.strip()))
