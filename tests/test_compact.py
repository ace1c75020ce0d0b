"""Built pages in fewer bytes, rendered the same: `cxplan.publish.compact`."""

from __future__ import annotations

from cxplan.publish.compact import compact_html


def test_runs_of_whitespace_become_one_character() -> None:
    html = '<nav>\n      <ul>\n        <li>  <a href="x">A   b</a></li>\n      </ul>\n</nav>'
    assert compact_html(html) == '<nav>\n<ul>\n<li> <a href="x">A b</a></li>\n</ul>\n</nav>'


def test_whitespace_that_shows_is_kept() -> None:
    kept = [
        "<pre><code>a    b\n    c</code></pre>",
        "<textarea>  two  </textarea>",
        "<code>x  =  1</code>",
        "<kbd>Ctrl  +  C</kbd>",
        "<script>var  a =\n    1;</script>",
        "<style>a  {  color: red }</style>",
    ]
    for part in kept:
        assert compact_html(f"<p>  {part}  </p>") == f"<p> {part} </p>"


def test_a_no_break_space_is_not_whitespace_to_collapse() -> None:
    assert compact_html("<td>12\xa0\xa0%</td>") == "<td>12\xa0\xa0%</td>"


def test_compacting_twice_changes_nothing_more() -> None:
    html = "<div>\n   <p>a  b</p>\n\n\n   <pre>  x  </pre>  </div>"
    once = compact_html(html)
    assert compact_html(once) == once
