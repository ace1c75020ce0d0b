"""Bytes to plain Python values with a position for every key and value.

The file is read from PyYAML's event stream (the C parser when present) and the tree
is built here, iteratively, instead of by PyYAML's composer and constructor, because:

- anchors, aliases and explicit tags must be refused before any tree exists (alias
  bombs, `!!python/object`), and duplicate keys reported rather than overwritten;
- the C composer recurses and kills the process at about 30k nested brackets, while
  an event loop with a depth cap cannot;
- plans use YAML 1.2 scalars (`no`, `on`, `yes`, `off` stay text, `0755` is decimal,
  no base 60), and dates stay text until the model checks them, so an impossible date
  gets a positioned message instead of a traceback;
- every value's line and column is kept, for messages a person can act on;
- libyaml accepts a few things the YAML spec forbids (a `#` glued to a value, flow
  and quoted continuation lines at the parent's indentation...); those are refused
  here, so every invalid case of the yaml-test-suite is reported with a position.

Every failure becomes a `Diagnostic`; nothing here raises to the caller.
"""

from __future__ import annotations

import math
import re
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cxplan import parser_words, yaml_traps
from cxplan.diagnostics import Diagnostic, Severity
from cxplan.i18n import Text

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_NUMBER_DIGITS = 100

Loc = tuple[str | int, ...]
Position = tuple[int, int]

# C0 controls except tab, LF and CR; DEL; C1 controls (NEL included); the Unicode line
# and paragraph separators (line breaks to YAML 1.1 parsers, text to YAML 1.2 ones, so
# refused rather than read one way or the other); bidirectional embeddings, overrides
# and isolates (the "Trojan Source" characters); a BOM after the start; non-characters
# (U+FDD0..U+FDEF and the last two code points of every plane).
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_FORBIDDEN_SET = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff"
    + _NONCHARACTERS
)
_FORBIDDEN = re.compile(f"[{_FORBIDDEN_SET}]")
# Judged again after YAML decoded a double-quoted value: its escapes ("\0", "\e",
# "\x01", "\u202e", "\N", "\L", "\P") produce characters the raw text never showed.
# Lone surrogates ("\ud800") are refused there too: they are no characters at all, and
# no output format can encode them.
_FORBIDDEN_DECODED = re.compile(f"[{_FORBIDDEN_SET}\ud800-\udfff]")
# The bytes of ASCII text none of which is refused: a file made only of them needs no
# search for the characters above (a check ten times faster, for history's many versions).
_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"

# YAML 1.2 core schema, for plain (unquoted) scalars only.
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT_DEC = re.compile(r"^[-+]?[0-9]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_INF = frozenset({".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})
_NEG_INF = frozenset({"-.inf", "-.Inf", "-.INF"})
_NAN = frozenset({".nan", ".NaN", ".NAN"})
_NUMBER_START = frozenset("0123456789+-.")
"""The characters every number, infinity and NaN above starts with."""


class PositionTable(Mapping[Loc, Position]):
    """Loc -> (line, column), frozen and packed: two sorted arrays, the locs' hashes
    and their positions as one integer each (16 bytes a position). A plan has
    thousands of positions, and a dict of them costs a tuple, an integer and a slot
    each, about 150 bytes: they were most of a loaded plan's memory. The locs
    themselves are not kept; the few whose hash another loc shares are, in a dict,
    so every answer is exact. Lookups are rare (one per diagnostic)."""

    __slots__ = ("_hashes", "_packed", "_pending", "_shared")
    _hashes: array[int]
    _packed: array[int]
    _pending: Callable[[], PositionTable] | None
    _shared: dict[Loc, Position]
    _SHIFT = 24  # columns stay below 2**24: a plan is capped at 1 MiB

    def __init__(self, positions: Mapping[Loc, Position] | None = None) -> None:
        positions = positions or {}
        self._fill(list(positions), [self.pack(position) for position in positions.values()])

    @classmethod
    def packed(cls, locs: list[Loc], packed: Sequence[int]) -> PositionTable:
        """The table of `locs[i]` at the packed position `packed[i]` (see `pack`)."""
        table = cls.__new__(cls)
        table._fill(locs, packed)
        return table

    @classmethod
    def later(cls, make: Callable[[], PositionTable]) -> PositionTable:
        """The table `make()` gives, made when first asked (a cached plan's positions:
        the plans whose findings are kept are never asked)."""
        table = cls.__new__(cls)
        table._pending = make
        return table

    def _ready(self) -> None:
        if self._pending is not None:
            made, self._pending = self._pending(), None
            self._hashes, self._packed, self._shared = made._hashes, made._packed, made._shared

    @classmethod
    def pack(cls, position: Position) -> int:
        line, column = position
        return line << cls._SHIFT | column

    def _fill(self, locs: list[Loc], packed: Sequence[int]) -> None:
        self._pending = None
        hashes = list(map(hash, locs))
        self._shared = {}
        if len(set(hashes)) < len(hashes):  # rare: locs sharing a hash are kept apart
            count = Counter(hashes)
            keep = [i for i, h in enumerate(hashes) if count[h] == 1]
            mask = (1 << self._SHIFT) - 1
            self._shared = {loc: (code >> self._SHIFT, code & mask)
                            for loc, code in zip(locs, packed, strict=True) if count[hash(loc)] > 1}
            hashes, packed = [hashes[i] for i in keep], [packed[i] for i in keep]
        order = sorted(range(len(hashes)), key=hashes.__getitem__)
        self._hashes = array("q", map(hashes.__getitem__, order))
        self._packed = array("q", map(packed.__getitem__, order))

    def _find(self, loc: Loc) -> int:
        """The index of `loc`'s hash in the arrays, or -1."""
        hashed = hash(loc)
        index = bisect_left(self._hashes, hashed)
        return index if index < len(self._hashes) and self._hashes[index] == hashed else -1

    def __getitem__(self, loc: Loc) -> Position:
        self._ready()
        if loc in self._shared:
            return self._shared[loc]
        index = self._find(loc)
        if index < 0:
            raise KeyError(loc)
        packed = self._packed[index]
        return packed >> self._SHIFT, packed & ((1 << self._SHIFT) - 1)

    def __contains__(self, loc: object) -> bool:
        if not isinstance(loc, tuple):
            return False
        self._ready()
        return loc in self._shared or self._find(loc) >= 0

    def __iter__(self) -> Iterator[Loc]:
        raise TypeError("a PositionTable answers lookups only: it does not keep its locs")

    def __len__(self) -> int:
        self._ready()
        return len(self._hashes) + len(self._shared)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PositionTable):
            return NotImplemented
        self._ready()
        other._ready()
        return (self._hashes, self._packed, self._shared) == (
            other._hashes, other._packed, other._shared)

    __hash__ = None  # type: ignore[assignment]  # as a Mapping's


@dataclass
class Written:
    """A parse's positions in file order: each loc with its packed position
    (`PositionTable.pack`), values and keys apart."""

    value_locs: list[Loc]
    values: list[int]
    key_locs: list[Loc]
    keys: list[int]


@dataclass
class Source:
    """A loaded YAML document: its values and where each one was written."""

    path: str
    text: str
    data: Any = None
    values: Mapping[Loc, Position] = field(default_factory=dict)
    keys: Mapping[Loc, Position] = field(default_factory=dict)
    raw: dict[Loc, str] = field(default_factory=dict)
    """How a plain value that YAML read as a number, boolean or null was written
    (`007` for 7): messages quote what the person typed."""
    warnings: list[Diagnostic] = field(default_factory=list)
    """Values YAML reads differently from how they look (a ` #` inside a value...)."""
    written: Written | None = None
    """The positions in the order the file holds them, when the parse was asked to
    keep them (`keep_written`): what the cache of parsed plans writes."""
    repaired: Source | None = None
    """After line errors (tabs, unquoted ': '), the file read with those lines fixed,
    so the later stages can report the file's other problems in the same run. Its
    values are never used for anything but diagnostics."""

    def position(self, loc: Loc, *, key: bool = False) -> Position:
        """Where the value at `loc` (or with `key`, its key) was written.

        For a loc that was not written (a missing key), the nearest written ancestor's
        value: the mapping the key is missing from.
        """
        if key and loc in self.keys:
            return self.keys[loc]
        while loc:
            if loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get((), (1, 1))

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


class LoadError(Exception):
    """The loader's refusal: a code, what it says (catalogue texts) and where."""

    def __init__(
        self, code: str, message: Text, position: Position, hint: Text | None = None
    ) -> None:
        self.code, self.position, self.texts = code, position, (message, hint)
        self.message = message.in_language("en")
        super().__init__(self.message)

    def diagnostic(self, path: str) -> Diagnostic:
        return Diagnostic.said(path, self.position, Severity.ERROR, self.code, *self.texts)


def _position_of_offset(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _character_kind(char: str) -> str:
    if char in "\u2028\u2029":
        return "separator"
    if "\u202a" <= char <= "\u2069":
        return "bidi"
    if char == "\ufeff":
        return "bom"
    if "\ud800" <= char <= "\udfff":
        return "surrogate"
    if "\ufdd0" <= char <= "\ufdef" or (ord(char) & 0xFFFE) == 0xFFFE:
        return "noncharacter"
    return "control"


def _named(char: str) -> Text:
    """`a control character U+0007`, `a non-character U+FFFF`."""
    return Text.of("load.char", kind=_character_kind(char), code=f"{ord(char):04X}")


def check_decoded(value: str, position: Position) -> None:
    """Refuse a value whose escapes decoded to a character the raw text may not hold;
    the position is the value's (the escape is somewhere inside it)."""
    bad = _FORBIDDEN_DECODED.search(value)
    if bad:
        char = bad.group()
        raise LoadError("CX102", Text.of("load.escape", char=_named(char)), position,
                        Text.of("load.escape.hint"))


def check_size(size: int) -> None:
    """Refuse a plan of more than `MAX_BYTES` (CX103), before anything parses it."""
    if size > MAX_BYTES:
        raise LoadError("CX103", Text.of("load.size", mib=f"{size / 1024 / 1024:.1f}"),
                        (1, 1), Text.of("load.size.hint"))


def plan_text(raw: bytes) -> str:
    """The text of a plan's bytes, a file's or one committed version's (`cxplan.analyse
    .history`): its size and its encoding checked, as `LoadError` when refused."""
    check_size(len(raw))
    return decode(raw)


def decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError("CX101", Text.of("load.utf16"), (1, 1), Text.of("load.utf16.hint"))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.isascii() and not raw.translate(None, _PLAIN_ASCII):
        return raw.decode("ascii")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The column counts characters before the bad byte on its line.
        prefix = raw[: exc.start].decode("utf-8", "replace")
        line, col = _position_of_offset(prefix, len(prefix))
        raise LoadError("CX101", Text.of("load.byte", byte=f"{raw[exc.start]:02x}"),
                        (line, col), Text.of("load.byte.hint")) from None
    bad = _FORBIDDEN.search(text)
    if bad:
        char = bad.group()
        raise LoadError("CX102", Text.of("load.forbidden", char=_named(char)),
                        _position_of_offset(text, bad.start()), Text.of("load.forbidden.hint"))
    return text


def resolve_plain(value: str, position: Position) -> Any:
    """YAML 1.2 core schema resolution of a plain scalar."""
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if value[:1] not in _NUMBER_START:
        return value  # most values are text: no number, infinity or NaN starts so
    if len(value) > MAX_NUMBER_DIGITS and (_INT_DEC.match(value) or _FLOAT.match(value)):
        raise LoadError("CX117", Text.of("load.number", digits=len(value)), position,
                        Text.of("load.number.hint", limit=MAX_NUMBER_DIGITS))
    if _INT_DEC.match(value):
        return int(value)
    if _INT_OCT.match(value):
        return int(value[2:], 8)
    if _INT_HEX.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    if value in _INF:
        return math.inf
    if value in _NEG_INF:
        return -math.inf
    if value in _NAN:
        return math.nan
    return value


def _mark(event: Any) -> Position:
    return event.start_mark.line + 1, event.start_mark.column + 1


_BLOCK_HEADER = re.compile(r"[|>]([1-9][-+]?|[-+][1-9]?)?([ \t]+#[^\n]*)?[ \t]*\r?$")


class _Builder:
    """Turns the event stream into values, recording positions and duplicate keys.

    libyaml is more lenient than the YAML spec in a few places (the yaml-test-suite
    cases it accepts although they are invalid); the checks marked "spec:" below refuse
    those, so a file that another YAML tool would reject is never silently accepted.
    """

    def __init__(self, source: Source) -> None:
        self.source = source
        self.text = source.text
        # Written as pairs while parsing (the fastest), packed when the file is read.
        self.values: dict[Loc, Position] = {}
        self.keys: dict[Loc, Position] = {}
        self.duplicates: list[Diagnostic] = []
        # Each frame: [container, loc, pending key or None, key position, block indent].
        # The block indent is the column of the innermost block collection (-1 at the
        # top), which continuation lines of flow nodes must exceed.
        self.stack: list[list[Any]] = []
        self.flow_depth = 0
        # Where the outermost flow collection started: (index, line, block indent).
        self.flow_start: tuple[int, int, int] = (0, 0, -1)
        self.documents = 0
        # Traps (cxplan.yaml_traps): a '#' anywhere makes every plain value worth a
        # look for a comment glued to it; the written form of a non-text value.
        self.hashes = "#" in source.text
        self.pending_raw: str | None = None
        self.folded: set[int] = set()
        self.handlers = {
            yaml.ScalarEvent: self._scalar,
            yaml.MappingStartEvent: self._start,
            yaml.SequenceStartEvent: self._start,
            yaml.MappingEndEvent: self._end,
            yaml.SequenceEndEvent: self._end,
            yaml.AliasEvent: self._alias,
            yaml.DocumentStartEvent: self._document,
        }

    def feed(self, event: Any) -> None:
        handler = self.handlers.get(type(event))
        if handler is not None:
            handler(event)

    def _reject_decorations(self, event: Any) -> None:
        as_text = _as_text_hint(self.text, event)
        if event.anchor is not None:
            raise LoadError("CX111", Text.of("load.anchor", name=event.anchor), _mark(event),
                            Text.of("load.anchor.hint", as_text=as_text))
        if event.tag is not None:
            raise LoadError("CX112", Text.of("load.tag", tag=event.tag), _mark(event),
                            Text.of("load.tag.hint", as_text=as_text))

    def _place(self, value: Any, position: Position) -> Loc | None:
        """Attach a finished value to its parent; returns its loc, or None for a key."""
        if not self.stack:
            self.source.data = value
            self.values[()] = position
            return ()
        frame = self.stack[-1]
        container = frame[0]
        if type(container) is list:
            child: Loc = (*frame[1], len(container))
            container.append(value)
            self.values[child] = position
            return child
        if frame[2] is None:
            if type(value) is not str:
                raise LoadError("CX116", Text.of("load.key"), position, Text.of("load.key.hint"))
            frame[2], frame[3] = value, position
            return None
        key, key_position = frame[2], frame[3]
        frame[2] = None
        child = (*frame[1], key)
        if key in container:
            first = self.keys[child]
            if id(container) in self.folded:
                return child  # part of a missing '- ' already reported
            if frame[1] and type(frame[1][-1]) is int and key == next(iter(container)):
                # The key that starts each item, again in the same item: a new item
                # without its '- '. Its other keys would repeat too; report it once.
                self.folded.add(id(container))
                self.duplicates.append(Diagnostic.said(
                    self.source.path, key_position, Severity.ERROR, "CX113",
                    Text.of("load.new_item", key=key, line=str(first[0])),
                    Text.of("load.new_item.hint", key=key)))
                return child
            self.duplicates.append(Diagnostic.said(
                self.source.path, key_position, Severity.ERROR, "CX113",
                Text.of("load.duplicate", key=key, line=str(first[0])),
                Text.of("load.duplicate.hint")))
            return child
        container[key] = value
        self.keys[child] = key_position
        self.values[child] = position
        return child

    def _scalar(self, event: Any) -> None:
        if event.anchor is not None or event.tag is not None:
            self._reject_decorations(event)
        mark = event.start_mark
        position = (mark.line + 1, mark.column + 1)
        style = event.style
        value: Any = event.value
        if style is None or style == "":
            # Plain: resolved by YAML 1.2 rules, except mapping keys, which stay text.
            if self.flow_depth:
                self._check_plain_in_flow(value, position)
                self._check_after(event.end_mark.index)
            frame = self.stack[-1] if self.stack else None
            if frame is None or type(frame[0]) is list or frame[2] is not None:
                value = resolve_plain(value, position)
                if type(value) is not str and event.value:
                    self.pending_raw = event.value
                    if value is None:
                        self._trap_null(event.value, position)
                if self.hashes and not self.flow_depth:
                    self._trap_comment(event.end_mark.index)
        elif style in "|>":
            self._check_block_scalar(event)
        else:
            if style == '"':  # the only style with escapes
                check_decoded(value, position)
            self._check_after(event.end_mark.index)
            if self.flow_depth == 0 and event.end_mark.line > mark.line and self.stack:
                self._check_continuation(mark.index, event.end_mark.index, self.stack[-1][4],
                                         Text.of("load.what.quoted"), comments=False)
        loc = self._place(value, position)
        if self.pending_raw is not None:
            if loc is not None:
                self.source.raw[loc] = self.pending_raw
            self.pending_raw = None

    def _start(self, event: Any) -> None:
        if event.anchor is not None or event.tag is not None:
            self._reject_decorations(event)
        position = _mark(event)
        if len(self.stack) >= MAX_DEPTH:
            raise LoadError("CX104", Text.of("load.depth", depth=MAX_DEPTH), position,
                            Text.of("load.depth.hint"))
        parent = self.stack[-1] if self.stack else None
        if parent is not None and type(parent[0]) is dict and parent[2] is None:
            raise LoadError("CX116", Text.of("load.key"), position, Text.of("load.key.hint"))
        indent = parent[4] if parent is not None else -1
        if event.flow_style:
            if self.flow_depth == 0:
                self.flow_start = (event.start_mark.index, event.start_mark.line, indent)
            self.flow_depth += 1
        else:
            indent = event.start_mark.column
        container: Any = {} if type(event) is yaml.MappingStartEvent else []
        loc = self._place(container, position)
        self.stack.append([container, loc, None, None, indent])

    def _end(self, event: Any) -> None:
        self.stack.pop()
        if self.flow_depth:
            self.flow_depth -= 1
            self._check_after(event.end_mark.index)
            if self.flow_depth == 0 and event.end_mark.line > self.flow_start[1]:
                index, _, indent = self.flow_start
                self._check_continuation(index, event.end_mark.index, indent,
                                         Text.of("load.what.flow", square="[ ]", curly="{ }"),
                                         comments=True)

    def _alias(self, event: Any) -> None:
        raise LoadError("CX111", Text.of("load.alias", name=event.anchor), _mark(event),
                        Text.of("load.anchor.hint",
                                as_text=_as_text_hint(self.text, event, always=True)))

    def _document(self, event: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            raise LoadError("CX114", Text.of("load.documents"), _mark(event),
                            Text.of("load.documents.hint"))
        if event.version is not None or event.tags:
            raise LoadError("CX118", Text.of("load.directive"), _mark(event),
                            Text.of("load.directive.hint"))

    # -- traps: values read differently from how they look (cxplan.yaml_traps) ------

    def _warn(self, position: Position, code: str, message: Text, hint: Text) -> None:
        self.source.warnings.append(
            Diagnostic.said(self.source.path, position, Severity.WARNING, code, message, hint))

    def _trap_comment(self, end: int) -> None:
        found = yaml_traps.comment_in_value(self.text, end)
        if found is not None:
            index, message, hint = found
            self._warn(_position_of_offset(self.text, index), "CX120", message, hint)

    def _trap_null(self, written: str, position: Position) -> None:
        found = yaml_traps.null_word(written)
        if found is not None:
            self._warn(position, "CX121", *found)

    # -- spec conformance where libyaml is lenient ---------------------------------

    def _syntax(self, problem: str, index: int, hint: str, **params: Any) -> LoadError:
        """CX110 with the catalogue's `load.syntax.<problem>` and `load.hint.<hint>`."""
        said = Text.of(f"load.syntax.{problem}", **params)
        return LoadError("CX110", Text.of("load.syntax", problem=said),
                         _position_of_offset(self.text, index),
                         Text.of(f"load.hint.{hint}", **params))

    def _check_after(self, index: int) -> None:
        """spec: a comment needs a space before its '#' (`"text"# note`, `]#`, `a,#`)."""
        text = self.text
        end = len(text)
        if index < end and text[index] == "#":
            raise self._syntax("comment_glued", index, "space_before_hash")
        if self.flow_depth:
            while index < end and text[index] in " \t":
                index += 1
            if text.startswith(",#", index):
                raise self._syntax("comment_after_comma", index + 1, "space_before_hash")

    def _check_plain_in_flow(self, value: str, position: Position) -> None:
        """spec: inside [ ] or { }, a lone '-', '?' or ':' is an indicator, not text."""
        if value and value[0] in "-?:" and (len(value) == 1 or value[1] in " \t,[]{}"):
            raise LoadError(
                "CX110", Text.of("load.syntax", problem=Text.of("load.syntax.flow_indicator",
                                                                char=value[0])),
                position, Text.of("load.hint.quote", fix=f'"{value}"'))

    def _check_block_scalar(self, event: Any) -> None:
        """spec: a well-formed `|`/`>` header, and no leading blank line more indented
        than the first line of text."""
        text = self.text
        start = event.start_mark.index
        eol = text.find("\n", start)
        if eol == -1:
            eol = len(text)
        header = _BLOCK_HEADER.match(text, start, eol)
        if header is None or header.end() != eol:
            raise self._syntax("block_header", start, "block_header")
        if any(c.isdigit() for c in header.group(1) or "") or not self.stack:
            return
        parent = self.stack[-1][4]
        widest = 0
        line_start = eol + 1
        while line_start < len(text):
            line_end = text.find("\n", line_start)
            if line_end == -1:
                line_end = len(text)
            line = text[line_start:line_end].rstrip("\r")
            spaces = len(line) - len(line.lstrip(" "))
            if spaces < len(line):  # the first line that is not blank
                if parent < spaces < widest:
                    raise self._syntax("block_blank", line_start, "block_blank")
                return
            widest = max(widest, spaces)
            line_start = line_end + 1

    def _check_continuation(
        self, start: int, end: int, indent: int, what: Text, *, comments: bool
    ) -> None:
        """spec: continuation lines of a flow node in a block are indented past it."""
        if indent < 0:
            return
        text = self.text
        newline = text.find("\n", start, end)
        while newline != -1:
            line_start = newline + 1
            probe = line_start
            while probe < end and text[probe] == " ":
                probe += 1
            rest = probe
            while rest < end and text[rest] == "\t":
                rest += 1
            first = text[rest] if rest < len(text) else "\n"
            blank = first in "\r\n" or (comments and first == "#")
            if not blank and probe - line_start <= indent:
                raise self._syntax("continuation", line_start, "continuation", what=what,
                                   spaces=indent + 1)
            newline = text.find("\n", line_start, end)


def _as_text_hint(text: str, event: Any, *, always: bool = False) -> Text | str:
    """'; if you meant text, put the value in quotes: ...' for an anchor, tag or alias
    on a plain value (`title: *urgent`, `name: &co and sons`)."""
    if not always and not isinstance(event, yaml.ScalarEvent):
        return ""
    if isinstance(event, yaml.ScalarEvent) and event.style not in (None, ""):
        return ""
    found = yaml_traps.indicator_at(text, event.start_mark.index)
    if found is None:
        return ""
    return Text.of("load.hint.as_text", how=found[1])


def _indicator_trap(exc: yaml.YAMLError, text: str) -> LoadError | None:
    """A value that starts with a character YAML reserves (`@ana`, `%50 off`,
    `*urgent* review`, a lone `-`): the error says so at that character, with the
    quoted form to write."""
    for name in ("problem_mark", "context_mark"):
        mark = getattr(exc, name, None)
        if mark is None or mark.index >= len(text):
            continue
        if name == "context_mark" and text[mark.index] != "*":
            continue  # only "while scanning an alias" points at the value's start
        found = yaml_traps.indicator_at(text, mark.index)
        if found is not None:
            message, hint = found
            return LoadError("CX110", Text.of("load.syntax", problem=message),
                             (mark.line + 1, mark.column + 1), hint)
    return None


def _syntax_error(exc: yaml.YAMLError, text: str) -> LoadError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        position = (mark.line + 1, mark.column + 1)
    elif isinstance(offset := getattr(exc, "position", None), int):  # ReaderError: bad char
        position = _position_of_offset(text, min(offset, len(text)))
    else:
        position = (1, 1)
    problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"{problem} ({context})" if context else str(problem)
    if "maximum nesting depth" in message:
        return LoadError("CX104", Text.of("load.depth.parser"), position,
                         Text.of("load.depth.hint"))
    trap = _indicator_trap(exc, text)
    if trap is not None:
        return trap
    if "tab" in message or "\\t" in message:
        hint = Text.of("load.hint.tab", width="")
    elif "mapping values are not allowed" in message:
        hint = Text.of("load.hint.colon")
    elif "did not find expected '-' indicator" in message:
        hint = Text.of("load.hint.dash")
    elif "could not find expected ':'" in message:
        hint = Text.of("load.hint.key_value")
    else:
        hint = Text.of("load.hint.generic")
    return LoadError("CX110", Text.of("load.syntax", problem=parser_words.said(
        str(problem), str(context) if context else None)), position, hint)


def parse(path: str, text: str, *, keep_written: bool = False) -> tuple[Source, list[Diagnostic]]:
    """Parse YAML text into `source.data` with positions (`source.written` too with
    `keep_written`, for a parse with no problem).

    After a fatal problem (syntax, anchors, tags, depth...) `source.data` is None: a
    half-built tree would only produce misleading follow-up errors. Duplicate keys are
    not fatal: the first value is kept, the data stays usable, and they are returned.
    """
    source = _parse(path, text, keep_written)
    first, found = source
    if first.data is not None:
        return source  # the parser read it: trust the parser (no line walk needed)
    findings = yaml_traps.scan_lines(text)
    if not findings:
        return source
    # Every tab and unquoted ': ' at once; the parser's own report of the first of
    # them is the same problem, so it gives way to the line findings.
    flagged = {finding.line for finding in findings}
    problems = [
        Diagnostic.said(path, (f.line, f.column), Severity.ERROR, "CX110", f.message, f.hint)
        for f in findings
    ]
    # The parser stopped at its first problem; one before the first line finding is
    # its own, one after it may be a consequence, and the repaired text tells.
    problems += [d for d in found if d.line < min(flagged)]
    repaired, after = _parse(path, yaml_traps.repair(text, findings))
    problems += [d for d in after if d.line not in flagged and d not in problems]
    first.warnings = [w for w in repaired.warnings if w.line not in flagged]
    first.data = None
    first.values, first.keys, first.raw = {}, {}, {}
    first.repaired = repaired if repaired.data is not None else None
    if first.repaired is not None:
        first.repaired.text = text  # positions and messages refer to the file as written
    return first, sorted(problems)


def _parse(path: str, text: str, keep_written: bool = False) -> tuple[Source, list[Diagnostic]]:
    source = Source(path=path, text=text)
    builder = _Builder(source)
    handlers = builder.handlers
    try:
        # The builder's dispatch, inlined: this loop runs once per YAML event.
        for event in yaml.parse(text, Loader=_Parser):
            handler = handlers.get(type(event))
            if handler is not None:
                handler(event)
    except LoadError as exc:
        fatal = exc
    except yaml.YAMLError as exc:
        fatal = _syntax_error(exc, text)
    except (RecursionError, MemoryError, ValueError, OverflowError) as exc:  # defensive
        fatal = LoadError("CX110", Text.of("load.unreadable_yaml", reason=str(exc)), (1, 1))
    else:
        if builder.documents == 0:
            fatal = LoadError("CX115", Text.of("load.empty"), (1, 1), Text.of("load.empty.hint"))
        else:
            source.values = PositionTable(builder.values)
            source.keys = PositionTable(builder.keys)
            if keep_written and not builder.duplicates:
                pack = PositionTable.pack
                source.written = Written(
                    list(builder.values), list(map(pack, builder.values.values())),
                    list(builder.keys), list(map(pack, builder.keys.values())))
            return source, builder.duplicates
    source.data = None
    source.values, source.keys, source.raw = {}, {}, {}
    return source, [fatal.diagnostic(path)]


def read_capped(path: Path) -> bytes:
    """The bytes of a plan file, refused (`LoadError` CX103) above `MAX_BYTES` before
    anything is read; `OSError` when it cannot be read."""
    check_size(path.stat().st_size)
    return path.read_bytes()


def load_file(
    path: Path, display: str | None = None, *, raw: bytes | None = None,
    keep_written: bool = False,
) -> tuple[Source, list[Diagnostic]]:
    """Read (unless `raw` is given: bytes `read_capped` read), decode and parse one
    file; every failure comes back as a diagnostic."""
    shown = display if display is not None else str(path)
    try:
        text = decode(raw if raw is not None else read_capped(path))
    except LoadError as exc:
        return Source(path=shown, text=""), [exc.diagnostic(shown)]
    except OSError as exc:
        return Source(path=shown, text=""), [unreadable(shown, exc)]
    return parse(shown, text, keep_written=keep_written)


def unreadable(path: str, exc: OSError) -> Diagnostic:
    """CX100 for a file the system would not give us, with the system's reason."""
    reason = exc.strerror or str(exc)
    return Diagnostic.said(path, (1, 1), Severity.ERROR, "CX100",
                           Text.of("load.unreadable", reason=reason))
