"""The YAML traps of a hand-written plan: what silently changes, or stops, what a person typed.

Part of the load stage (used by `cxplan.load`). Three groups:

- Line checks run before parsing (`scan_lines`): a tab in the indentation and an
  unquoted ': ' inside a value stop a YAML parser at the first one, so a draft with
  five of them would take five runs. Every line is checked at once, and `repair` gives
  the text with those lines fixed, so the later stages can still report the rest.
- Values YAML reads differently from how they look (`comment_in_value`,
  `null_word`): a ` #` inside a plain value starts a comment (the rest of the title
  is lost), `~` and `null` mean "no value". These are warnings at the exact column.
- Explanations for the characters that cannot start plain text (`*`, `&`, `!`, `%`,
  `@`, a backtick, a lone `-`, `?`, `|`, `>`): the parser's error becomes "put it in
  quotes", with the quoted line to write.

What they say is catalogue texts (`cxplan.i18n.Text`), shown in the reader's language.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from cxplan.i18n import Text

# -- line checks before parsing -------------------------------------------------

# `key: value` after the indentation and any `- ` of list items. The key is plain
# text; the value is what follows the first ': '.
_KEY_VALUE = re.compile(r"(?P<lead>[ ]*(?:-[ ]+)*)(?P<key>[^\s#'\"\[\]{}&*!|>%@`,?:-][^\n]*?):[ ]+")
_BLOCK_HEADER = re.compile(r"[|>][0-9+-]*[ \t]*(?:#.*)?$")
# A value that does not start plain text: quoted, flow, block, anchor, alias, tag...
_NOT_PLAIN_START = frozenset("\"'[{|>!&*#%@`")
_LINE_WITH_TWO_COLONS = re.compile(r":[ ][^\n]*:(?:[ ]|$)", re.MULTILINE)


@dataclass(frozen=True)
class LineFinding:
    """A problem found on one line before parsing, and how that line reads once fixed."""

    line: int
    column: int
    message: Text
    hint: Text
    fixed: str


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _key_column(line: str) -> int:
    """Where the key (or the value of a `- ` item) of a line starts, 0-based."""
    match = re.match(r"[ ]*(?:-[ ]+)*", line)
    return match.end() if match else 0


def _closes_quote(value: str) -> bool:
    """Whether a value that starts with a quote also ends it on this line."""
    quote, rest = value[0], value[1:]
    if quote == "'":
        return "'" in rest.replace("''", "")
    escaped = False
    for char in rest:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            return True
    return False


def _plain_part(value: str) -> str:
    """The value up to a comment (' #')."""
    cut = value.find(" #")
    return (value[:cut] if cut != -1 else value).rstrip()


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def scan_lines(text: str) -> list[LineFinding]:
    """Tabs in the indentation and unquoted ': ' in values, every line at once.

    A valid file costs two C-level searches (a tab, a line with two ': '); the line
    by line walk, which knows block text (`|`, `>`) and multi-line quotes, runs only
    when one of them matches.
    """
    if "\t" not in text and _LINE_WITH_TWO_COLONS.search(text) is None:
        return []
    findings: list[LineFinding] = []
    lines = text.split("\n")
    block_parent: int | None = None  # inside `|`/`>` text: the parent's indentation
    open_quote = False  # inside a quoted value that runs over several lines
    previous = ""  # the last line with content, as fixed
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r")
        stripped = line.strip(" \t")
        if block_parent is not None:
            if not stripped or _indent(line) > block_parent:
                continue
            block_parent = None
        if open_quote:
            open_quote = not (('"' in line) or ("'" in line))
            continue
        if not stripped:
            continue
        fixed = line
        found: list[LineFinding] = []
        lead = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in lead:
            width = _tab_width(previous)
            fixed = " " * width + line.lstrip(" \t")
            found.append(LineFinding(
                number, lead.index("\t") + 1,
                Text.of("load.syntax", problem=Text.of("traps.tab")),
                Text.of("load.hint.tab", width=Text.of("traps.tab.width", width=width)
                        if width else ""),
                fixed,
            ))
        match = _KEY_VALUE.match(fixed)
        if match is not None and not fixed[match.end():].startswith("#"):
            value = fixed[match.end():]
            if value and value[0] in "\"'" and not _closes_quote(value):
                open_quote = True
            elif _BLOCK_HEADER.match(value):
                block_parent = _key_column(fixed)
            elif value and value[0] not in _NOT_PLAIN_START:
                plain = _plain_part(value)
                colon = plain.find(": ")
                if colon == -1 and plain.endswith(":"):
                    colon = len(plain) - 1
                if colon != -1:
                    start = match.end()
                    comment = value[len(plain):]
                    repaired = fixed[:start] + _quote(plain) + comment
                    key = match.group("key")
                    # The column in the line as written (a tab fix may have moved it).
                    shift = len(line) - len(fixed)
                    found.append(LineFinding(
                        number, start + colon + 1 + shift,
                        Text.of("load.syntax", problem=Text.of("traps.colon")),
                        Text.of("traps.colon.hint", fix=f"{key}: {_quote(plain)}"), repaired,
                    ))
                    fixed = repaired
        # Both findings of a line carry the line fixed for both.
        findings.extend(LineFinding(f.line, f.column, f.message, f.hint, fixed) for f in found)
        if not stripped.startswith("#"):
            previous = fixed
    return findings


def _tab_width(previous: str) -> int:
    """The indentation a tab most likely stands for: a sibling of the line above, or
    its child when the line above opens a mapping or list (`key:` at its end)."""
    column = _key_column(previous)
    if _plain_part(previous).endswith(":"):
        return _indent(previous) + 2 if not previous.lstrip().startswith("- ") else column + 2
    return column


def repair(text: str, findings: list[LineFinding]) -> str:
    """`text` with each finding's line replaced by its fixed form (same line count)."""
    lines = text.split("\n")
    for finding in findings:
        ending = "\r" if lines[finding.line - 1].endswith("\r") else ""
        lines[finding.line - 1] = finding.fixed + ending
    return "\n".join(lines)


# -- values read differently from how they look -----------------------------------

_NULL_WORDS = frozenset({"~", "null", "Null", "NULL"})


def _line_at(text: str, index: int) -> tuple[int, str]:
    """(start offset, text) of the line holding `index`."""
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    return start, text[start : end if end != -1 else len(text)].rstrip("\r")


def comment_in_value(text: str, end: int) -> tuple[int, Text, Text] | None:
    """A `#` glued to a word after a plain value: (offset of '#', message, hint).

    `title: Cut over wave #1` reads as 'Cut over wave': the rest is a comment. A
    comment written on purpose has a space after its '#' (`# note`), so only a '#'
    followed by a character is taken for part of the value.
    """
    index = end
    while index < len(text) and text[index] in " \t":
        index += 1
    if index == end and not (end > 0 and text[end - 1] in " \t"):
        return None
    if not text.startswith("#", index) or index + 1 >= len(text):
        return None
    if text[index + 1] in " \t\r\n#!":
        return None
    start, line = _line_at(text, index)
    column = index - start
    match = _KEY_VALUE.match(line)
    if match is not None and match.end() <= column:
        key, lead = match.group("key"), match.end()
        written = line[lead:].rstrip()
        fix = f"{key}: {_quote(written)}"
    else:
        lead = _key_column(line)
        written = line[lead:].rstrip()
        fix = f"{line[:lead].strip()} {_quote(written)}".strip()
    kept_value = line[lead:column].strip()
    shown = Text.of("traps.comment.kept", value=kept_value) if kept_value else Text.of(
        "traps.comment.nothing")
    return index, Text.of("traps.comment", shown=shown), Text.of("traps.comment.hint", fix=fix)


def null_word(value: str) -> tuple[Text, Text] | None:
    """`~` or `null` written as a value: it means "no value", not the text."""
    if value not in _NULL_WORDS:
        return None
    return Text.of("traps.null", value=value), Text.of("traps.null.hint", value=value)


# -- characters that cannot start plain text --------------------------------------

# What each character starts: the catalogue's `traps.indicator.<name>`.
_INDICATOR_NAMES = {
    "*": "alias", "&": "anchor", "!": "tag", "%": "directive", "@": "at", "`": "backtick",
    "-": "dash", "?": "question", "|": "block", ">": "block",
}


def indicator_at(text: str, index: int) -> tuple[Text, Text] | None:
    """When the value at `index` starts with a YAML indicator that the author most
    likely meant as text: (message, hint with the quoted line to write)."""
    if index >= len(text):
        return None
    char = text[index]
    if char not in _INDICATOR_NAMES:
        return None
    start, line = _line_at(text, index)
    column = index - start
    before = line[:column].rstrip()
    if before and not before.endswith((":", "-")):
        return None  # not the start of a value
    if char == "-" and not before.endswith(":"):
        return None  # the '- ' of a list item
    written = _plain_part(line[column:]) if char != "-" else line[column:].strip()
    if not written:
        return None
    prefix = before.strip() + " " if before.strip() else ""
    what = Text.of(f"traps.indicator.{_INDICATOR_NAMES[char]}", char=char)
    return (Text.of("traps.indicator", what=what, written=written),
            Text.of("load.hint.quote", fix=f"{prefix}{_quote(written)}"))
