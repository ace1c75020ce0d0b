"""Text XML 1.0 can hold: the second guard of every SVG and GraphML writer.

The loader already refuses control characters, however they were written; but a writer
must not depend on every input path having been checked (a plan built in code, a future
field), because one character XML 1.0 forbids (a form feed, a NUL) makes the whole
document unreadable: a chart that breaks the page, a GraphML file no tool opens.
"""

from __future__ import annotations

import re

# Everything outside XML 1.0's `Char` production (tab, LF, CR and U+0020..U+D7FF,
# U+E000..U+FFFD, U+10000..U+10FFFF): controls, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` with every character XML 1.0 cannot hold replaced by U+FFFD (visible,
    so nothing disappears silently); escaping `&`, `<`... is the caller's job."""
    return _NOT_XML.sub("\ufffd", text)
