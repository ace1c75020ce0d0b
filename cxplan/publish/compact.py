"""Whitespace of a built page, collapsed: the same page in fewer bytes.

Material's templates indent every element of the navigation, the table of contents and
the header; in a plan's page a sixth of the bytes are that indentation. A browser
collapses every run of whitespace outside preformatted text into one space anyway, so
a run becomes one character (a line break if it held one, else a space) and the page
renders exactly as before. Left alone: the elements whose whitespace shows, `pre` and
`textarea` by HTML, `code` and `kbd` by Material's stylesheet (`white-space:
pre-wrap`), and `script` and `style`, whose text is not HTML.

Written here rather than taken from a minifier: minify-html drops the quotes around
attribute values (what every reader of the HTML, and the tests, look for), and htmlmin
(unmaintained since 2017) parses each page in Python, which would cost more than the
rest of a page's build; this is one regular-expression pass and keeps everything but
the whitespace.
"""

from __future__ import annotations

import re

_KEPT = re.compile(r"<(pre|textarea|code|kbd|script|style)\b.*?</\1\s*>", re.S | re.I)
_RUN = re.compile(r"[ \t\n\r\f]{2,}")
"""HTML's whitespace only: a no-break space (which `\\s` would match) shows."""


def _collapse(text: str) -> str:
    return _RUN.sub(lambda run: "\n" if "\n" in run.group() else " ", text)


def compact_html(html: str) -> str:
    """`html` with each run of whitespace outside the kept elements made one character."""
    out, position = [], 0
    for kept in _KEPT.finditer(html):
        out.append(_collapse(html[position:kept.start()]))
        out.append(kept.group())
        position = kept.end()
    out.append(_collapse(html[position:]))
    return "".join(out)
