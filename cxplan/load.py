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
- every value's line and column is kept, for messages a person can act on.

Every failure becomes a `Diagnostic`; nothing here raises to the caller.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cxplan.diagnostics import Diagnostic, Severity

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_NUMBER_DIGITS = 100

Loc = tuple[str | int, ...]
Position = tuple[int, int]

# C0 controls except tab, LF and CR; DEL; C1 controls; bidirectional embeddings,
# overrides and isolates (the "Trojan Source" characters); a BOM after the start.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")

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


@dataclass
class Source:
    """A loaded YAML document: its values and where each one was written."""

    path: str
    text: str
    data: Any = None
    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)

    def position(self, loc: Loc, *, key: bool = False) -> Position:
        """The position of `loc`, or of its nearest written ancestor."""
        table = self.keys if key else self.values
        while loc:
            if loc in table:
                return table[loc]
            if not key and loc in self.keys:
                return self.keys[loc]
            loc = loc[:-1]
        return self.values.get((), (1, 1))

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


class LoadError(Exception):
    def __init__(self, code: str, message: str, position: Position, hint: str = "") -> None:
        super().__init__(message)
        self.code, self.message, self.position, self.hint = code, message, position, hint


def _position_of_offset(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(
            "CX101", "the file is UTF-16, not UTF-8", (1, 1), "save the file as UTF-8"
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The column counts characters before the bad byte on its line.
        prefix = raw[: exc.start].decode("utf-8", "replace")
        line, col = _position_of_offset(prefix, len(prefix))
        raise LoadError(
            "CX101",
            f"byte 0x{raw[exc.start]:02x} is not UTF-8 (the file looks like Latin-1 or "
            "Windows-1252)",
            (line, col),
            "save the file as UTF-8 (in most editors: 'Save with encoding', UTF-8)",
        ) from None
    bad = _FORBIDDEN.search(text)
    if bad:
        char = bad.group()
        kind = "a bidirectional control" if "\u202a" <= char <= "\u2069" else "a control"
        raise LoadError(
            "CX102",
            f"{kind} character U+{ord(char):04X} is not allowed in a plan",
            _position_of_offset(text, bad.start()),
            "delete it; retype the text around it if you pasted it from elsewhere",
        )
    return text


def resolve_plain(value: str, position: Position) -> Any:
    """YAML 1.2 core schema resolution of a plain scalar."""
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if len(value) > MAX_NUMBER_DIGITS and (_INT_DEC.match(value) or _FLOAT.match(value)):
        raise LoadError(
            "CX117",
            f"a number with {len(value)} digits is too large",
            position,
            f"numbers in a plan have at most {MAX_NUMBER_DIGITS} digits",
        )
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


class _Builder:
    """Turns the event stream into values, recording positions and duplicate keys."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.duplicates: list[Diagnostic] = []
        # Each frame: [container, loc, pending key or None, key position]
        self.stack: list[list[Any]] = []
        self.documents = 0

    def _reject_decorations(self, event: Any) -> None:
        if getattr(event, "anchor", None) is not None:
            raise LoadError(
                "CX111",
                f"anchor '&{event.anchor}' is not allowed",
                _mark(event),
                "write the value out in full where it is used",
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            raise LoadError(
                "CX112",
                f"tag '{tag}' is not allowed",
                _mark(event),
                "remove the tag: plans hold plain text, numbers, dates, lists and mappings",
            )

    def _place(self, value: Any, position: Position) -> Loc | None:
        """Attach a finished value to its parent; returns its loc, or None for a key."""
        if not self.stack:
            self.source.data = value
            self.source.values[()] = position
            return ()
        frame = self.stack[-1]
        container, loc = frame[0], frame[1]
        if isinstance(container, list):
            child: Loc = (*loc, len(container))
            container.append(value)
            self.source.values[child] = position
            return child
        if frame[2] is None:
            if not isinstance(value, str):
                raise LoadError(
                    "CX116", "a mapping key must be plain text", position, "write the key as text"
                )
            frame[2], frame[3] = value, position
            return None
        key, key_position = frame[2], frame[3]
        frame[2] = None
        child = (*loc, key)
        if key in container:
            first = self.source.keys[child]
            self.duplicates.append(
                Diagnostic(
                    self.source.path,
                    key_position[0],
                    key_position[1],
                    Severity.ERROR,
                    "CX113",
                    f"duplicate key '{key}' (first written at line {first[0]})",
                    "keep one of the two; YAML forbids the same key twice in a mapping",
                )
            )
            return child
        container[key] = value
        self.source.keys[child] = key_position
        self.source.values[child] = position
        return child

    def feed(self, event: Any) -> None:
        if isinstance(event, yaml.ScalarEvent):
            self._reject_decorations(event)
            position = _mark(event)
            frame = self.stack[-1] if self.stack else None
            is_key = frame is not None and isinstance(frame[0], dict) and frame[2] is None
            # implicit[0] is true only for plain (unquoted, untagged) scalars.
            if is_key or not event.implicit[0]:
                value: Any = event.value
            else:
                value = resolve_plain(event.value, position)
            self._place(value, position)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._reject_decorations(event)
            position = _mark(event)
            if len(self.stack) >= MAX_DEPTH:
                raise LoadError(
                    "CX104",
                    f"nesting deeper than {MAX_DEPTH} levels",
                    position,
                    "a plan never nests this deep; check the brackets and indentation",
                )
            if self.stack and isinstance(self.stack[-1][0], dict) and self.stack[-1][2] is None:
                raise LoadError(
                    "CX116", "a mapping key must be plain text", position, "write the key as text"
                )
            container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
            loc = self._place(container, position)
            self.stack.append([container, loc, None, None])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.stack.pop()
        elif isinstance(event, yaml.AliasEvent):
            raise LoadError(
                "CX111",
                f"alias '*{event.anchor}' is not allowed",
                _mark(event),
                "write the value out in full where it is used",
            )
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise LoadError(
                    "CX114",
                    "a second YAML document starts here",
                    _mark(event),
                    "a plan file holds one document: remove the '---' line or split the file",
                )
            if event.version is not None or event.tags:
                raise LoadError(
                    "CX118",
                    "YAML directives (%YAML, %TAG) are not supported",
                    _mark(event),
                    "remove the directive line: plans are always read with YAML 1.2 rules",
                )


def _syntax_error(exc: yaml.YAMLError) -> LoadError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    position = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"{problem} ({context})" if context else problem
    hint = ""
    if "'\\t'" in message or "\\t" in message:
        hint = "YAML indentation uses spaces only: replace the tab with spaces"
    elif "mapping values are not allowed" in message:
        hint = "a value containing ': ' must be quoted, or the line is indented wrongly"
    else:
        hint = "check the indentation and quoting on this line and the one above"
    return LoadError("CX110", f"YAML syntax error: {message}", position, hint)


def parse(path: str, text: str) -> tuple[Source, list[Diagnostic]]:
    """Parse YAML text; the diagnostics list is empty exactly when `source.data` is usable."""
    source = Source(path=path, text=text)
    builder = _Builder(source)
    try:
        for event in yaml.parse(text, Loader=_Parser):
            builder.feed(event)
    except LoadError as exc:
        return source, [_diagnostic(path, exc)]
    except yaml.YAMLError as exc:
        return source, [_diagnostic(path, _syntax_error(exc))]
    except (RecursionError, MemoryError, ValueError) as exc:  # defensive: never a traceback
        return source, [_diagnostic(path, LoadError("CX110", f"cannot read YAML: {exc}", (1, 1)))]
    if builder.documents == 0:
        return source, [
            _diagnostic(
                path,
                LoadError("CX115", "the file is empty", (1, 1), "start from `cxplan new PLAN_ID`"),
            )
        ]
    return source, builder.duplicates


def _diagnostic(path: str, exc: LoadError) -> Diagnostic:
    line, column = exc.position
    return Diagnostic(path, line, column, Severity.ERROR, exc.code, exc.message, exc.hint)


def load_file(path: Path, display: str | None = None) -> tuple[Source, list[Diagnostic]]:
    """Read, decode and parse one file; every failure comes back as a diagnostic."""
    shown = display if display is not None else str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise LoadError(
                "CX103",
                f"the file is {size / 1024 / 1024:.1f} MiB; plans are capped at 1 MiB",
                (1, 1),
                "split the plan into several files",
            )
        raw = path.read_bytes()
        text = decode(raw)
    except LoadError as exc:
        return Source(path=shown, text=""), [_diagnostic(shown, exc)]
    except OSError as exc:
        reason = exc.strerror or str(exc)
        error = LoadError("CX100", f"cannot read the file: {reason}", (1, 1))
        return Source(path=shown, text=""), [_diagnostic(shown, error)]
    return parse(shown, text)
