"""The three doors plan text takes into the site: Markdown escaping, sanitised Markdown
fields and inline SVG. Each is checked by rendering with the same Markdown extensions
the site uses and looking at the resulting HTML elements."""

from __future__ import annotations

import markdown
import pytest
from site_helpers import parse_html

from cxplan.render.text import inert_svg, md_inline, md_to_safe_html, page_title

EXTENSIONS = ["attr_list", "md_in_html", "tables", "toc"]


def rendered(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


@pytest.mark.parametrize(
    "value",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "![x](https://evil.example/p.png)",
        "x {: onclick=\"alert(1)\" }",
        "*em* _em_ **strong** `code`",
        "# heading",
        "- list item",
        "1986. A fine year",
        "> quote",
        "    four spaces",
        "a | b | c",
        "Smith & Sons \"quoted\" <b>",
        "--8<-- \"/etc/passwd\"",
        "=== not a heading",
        "\\*escaped already\\*",
    ],
)
def test_inline_text_renders_exactly_as_written(value: str) -> None:
    for template in ("{}", "- {}", "### {}", "| {} | x |\n|---|---|\n| {} | y |"):
        html = rendered(template.replace("{}", md_inline(value)))
        root = parse_html(html)
        tags = {e.tag for e in root.iter()} - {"#document"}
        assert tags <= {"p", "li", "ul", "h3", "table", "thead", "tbody", "tr", "th", "td"}, html
        assert all(not e.attrs for e in root.iter() if e.tag != "h3"), html
        assert value.strip() in root.text(), html


def test_newlines_never_leave_the_line() -> None:
    row = f"| {md_inline('one' + chr(10) + '# two' + chr(13) + '| three')} | x |"
    html = rendered("| a | b |\n|---|---|\n" + row)
    cells = parse_html(html).find_all("td")
    assert [c.text() for c in cells] == ["one # two | three", "x"]


def test_markdown_fields_keep_safe_html_only() -> None:
    html = md_to_safe_html(
        "**bold** [ok](https://example.org) [bad](javascript:alert(1)) "
        "<img src=x onerror=alert(1)> <script>alert(1)</script> ![i](https://e.example/i.png)"
        "\n\n# Big heading\n\n<div onclick=\"x\">div</div> [m](mailto:a@b.example)"
    )
    root = parse_html(str(html))
    assert root.links() == ["https://example.org", "mailto:a@b.example"]
    assert {e.tag for e in root.iter()} - {"#document"} <= {"p", "strong", "a", "h3"}
    assert not any(name.startswith("on") for e in root.iter() for name in e.attrs)
    assert "alert(1)" not in root.text().replace("javascript:alert(1)", "")
    assert root.find_all("h3")[0].text() == "Big heading"  # headings moved below the page's


def test_svg_is_cleaned_of_anything_active() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'onload="x()"><script>x()</script><foreignObject><div>x</div></foreignObject>'
        '<img src="https://evil.example/p.png"/><style>@import url(https://evil.example/a.css)'
        '</style><a href="javascript:x()"><text>a &lt;b&gt;</text></a>'
        '<a xlink:href="#stakeholder-s1"><rect fill="url(#g)" style="fill:url(https://e.x/p)"/>'
        '</a><image href="https://evil.example/i.png"/></svg>'
    )
    root = parse_html(str(inert_svg(svg)))
    tags = [e.tag for e in root.iter()]
    assert tags == ["#document", "svg", "a", "text", "a", "rect"]
    assert not any(n.startswith("on") for e in root.iter() for n in e.attrs)
    links = [e.attrs.get("href") or e.attrs.get("xlink:href") for e in root.find_all("a")]
    assert links == [None, "#stakeholder-s1"]
    assert root.find_all("rect")[0].attrs == {"fill": "url(#g)"}
    assert root.find_all("text")[0].text() == "a <b>"


def test_clean_svg_comes_back_unchanged_but_for_blank_lines() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg">\n\n<rect width="3"/>\n  \n<text>x</text></svg>'
    assert str(inert_svg(svg)) == (
        '<svg xmlns="http://www.w3.org/2000/svg">\n<rect width="3"/>\n<text>x</text></svg>'
    )


def test_page_titles_are_html_escaped_once() -> None:
    assert page_title("Smith & Sons <b>\nLtd") == "Smith &amp; Sons &lt;b&gt; Ltd"
