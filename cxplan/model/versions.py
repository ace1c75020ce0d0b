"""Validating many versions of one plan fast: parse and validate only what changed.

History (`cxplan.analyse.history`) reads every committed version of a plan file.
Consecutive versions share almost all of their text, so a version is split into its
top-level sections and list items, each piece parsed by the project's loader and cached
by its text, and each distinct item validated once by its model. The verdict is the one
`build_plan` gives: whatever the splitter or the field shapes do not recognise goes
through `cxplan.load.parse` and `build_plan` whole.

It lives in the model stage because it reads the plan model's own declaration
(`FIELD_SHAPES`): a change to the model is judged here, next to it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any, TypeVar, get_args, get_origin

from annotated_types import MinLen
from pydantic import BaseModel, ValidationError

from cxplan.load import Source, parse
from cxplan.model.build import build_plan
from cxplan.model.checks import check_plan_data
from cxplan.model.plan import PLAN_ID_PATTERN, Audience, Plan

# multi-line `^` is tried at every character.
#
# Lines at column 0 that are not blank, a comment or an item of a list: top-level keys,
# or something the splitter leaves to the loader (document markers `---` and `...`
# among them: several documents are the loader's to judge).
_COLUMN_ZERO = re.compile(r"\n(?:[^ #\-\r\n]|-(?! |\r?$))", re.MULTILINE)
# A top-level key of a block mapping: `actions:` or `title: value`.
_TOP_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?=\s|$)", re.MULTILINE)
# The first line with content (not blank, not a comment).
_FIRST_CONTENT = re.compile(r"\n( *)([^ #\r\n])")
_FAILED = object()
_T = TypeVar("_T")


def _field_shapes() -> dict[str, tuple[type[BaseModel], bool, int, bool]] | None:
    """How each top-level field of the plan validates: (the model of its value or of
    its items, a list of them, at least how many items, None allowed). None when the
    plan model has a validator of its own, takes unknown keys, or has a field of another
    type, another constraint or an alias: then versions are validated by `build_plan`."""
    decorators = Plan.__pydantic_decorators__
    if decorators.model_validators or decorators.field_validators:
        return None
    if Plan.model_config.get("extra") != "forbid":
        return None
    shapes = {}
    for name, info in Plan.model_fields.items():
        if info.alias is not None or info.validation_alias is not None:
            return None
        least = 0
        for mark in info.metadata:
            if isinstance(mark, MinLen):
                least = mark.min_length
            elif not isinstance(mark, Audience):  # a marker pydantic ignores
                return None
        args = [a for a in get_args(info.annotation) if a is not type(None)]
        nullable = len(args) < len(get_args(info.annotation))
        many = get_origin(info.annotation) is list
        model = args[0] if (many or nullable) and len(args) == 1 else info.annotation
        if get_origin(model) is not None or not isinstance(model, type):
            return None
        if not issubclass(model, BaseModel) or (many and nullable):
            return None
        shapes[name] = (model, many, least, nullable)
    return shapes


FIELD_SHAPES = _field_shapes()


class VersionParser:
    """Parses many versions of one plan, re-parsing only the pieces that changed.

    A block-style plan splits into top-level sections at column-0 keys, and a list
    section into items at its dash column. Each piece (the exact text, indentation
    kept) is parsed alone by the project's loader and cached by its text, so an
    unchanged item is one dictionary look-up. Anything unusual (document markers,
    directives, flow style at the top, a tab, a line less indented than the items, a
    piece that does not parse cleanly or repeats a key) sends the whole version
    through `cxplan.load.parse` instead, so the values are always what the loader
    reads from the file.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._pieces: dict[str, Any] = {}
        self._known: dict[tuple[object, int], tuple[Any, Any]] = {}
        self._item_patterns: dict[int, tuple[re.Pattern[str], re.Pattern[str]]] = {}

    def data(self, text: str) -> Any:
        """The values of `text` as the loader reads them, or None when it cannot."""
        fast = self.split(text)
        if fast is not None:
            return fast
        source, problems = parse(self.path, text)
        return None if problems else source.data

    def split(self, text: str) -> dict[str, Any] | None:
        """The values of `text` read piece by piece, or None when the layout is not one
        the splitter knows (then `data` parses the whole text)."""
        return self._split("\n" + text)

    def _piece(self, text: str) -> Any:
        value = self._pieces.get(text)
        if value is None:
            source, problems = parse(self.path, text)
            value = _FAILED if problems or source.data is None else source.data
            self._pieces[text] = value
        return value

    def _split(self, text: str) -> dict[str, Any] | None:
        starts: list[tuple[int, int, str]] = []  # (start, end of the key, key)
        for line in _COLUMN_ZERO.finditer(text):
            found = _TOP_KEY.match(text, line.start() + 1)
            if found is None:
                return None  # a directive, flow style, a tab...
            starts.append((line.start() + 1, found.end(), found.group(1)))
        if not starts or _FIRST_CONTENT.search(text, 0, starts[0][0]):
            return None  # empty, or content before the first key
        result: dict[str, Any] = {}
        for index, (start, key_end, name) in enumerate(starts):
            end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
            if name in result:
                return None  # a duplicate key: the loader reports it
            value = self._section(name, text, start, key_end, end)
            if value is _FAILED:
                return None
            result[name] = value
        return result

    def _section(self, key: str, text: str, start: int, key_end: int, end: int) -> Any:
        whole = text[start:end]
        known = self._pieces.get(whole)
        if known is not None:
            return known
        line_end = text.find("\n", key_end, end)
        line_end = end if line_end < 0 else line_end
        rest = text[key_end:line_end].strip()
        value: Any = None
        if not rest or rest.startswith("#"):  # a block value follows: maybe a list
            value = self._list(text, line_end, end)
        if value is None:
            parsed = self._piece(whole)
            if parsed is _FAILED or not isinstance(parsed, dict) or list(parsed) != [key]:
                return _FAILED
            value = parsed[key]
        # The same section text gives the same object: unchanged items stay identical.
        self._pieces[whole] = value
        return value

    def _patterns(self, column: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
        """(a line that breaks the item layout, an item's first line) at `column`."""
        patterns = self._item_patterns.get(column)
        if patterns is None:
            less = f" {{0,{column - 1}}}[^ #\\r\\n]|" if column else ""
            broken = re.compile(
                f"\\n(?:{less} {{{column}}}(?!- |-\\r?$)[^ #\\r\\n])", re.MULTILINE
            )
            item = re.compile(f"\\n {{{column}}}-(?= |\\r?$)", re.MULTILINE)
            patterns = self._item_patterns[column] = (broken, item)
        return patterns

    def _list(self, text: str, start: int, end: int) -> list[Any] | None:
        """A block sequence split into items, each parsed alone; None when it is not one.

        Every content line must be indented at least as much as the dashes, and a line
        at the dashes' column must start an item; comments may sit anywhere.
        """
        first = _FIRST_CONTENT.search(text, start, end)
        if first is None or first.group(2) != "-":
            return None
        column = len(first.group(1))
        broken, item = self._patterns(column)
        bounds = [m.start() + 1 for m in item.finditer(text, start, end)] + [end]
        items = []
        for item_start, item_end in itertools.pairwise(bounds):
            piece = text[item_start:item_end]
            value = self._pieces.get(piece)
            if value is None:  # a new item: its lines checked (a known one passed)
                if broken.search(text, item_start - 1, item_end):
                    return None
                value = self._piece(piece)
            if value is _FAILED or not isinstance(value, list) or len(value) != 1:
                return None
            items.append(value[0])
        return items

    def valid(self, source: Source, plan_id: str) -> bool:
        """Whether `build_plan` finds no problem in `source`, reusing what is known.

        `build_plan` is the plan-id check, `Plan.model_validate` and the reference and
        format checks. The model is validated here field by field instead, each item
        once per distinct value (an unchanged item is the same object, see `_piece`):
        the same verdict, as long as the plan model is only lists of models and models
        (`FIELD_SHAPES`). The checks run on every version: they read across sections.
        """
        if FIELD_SHAPES is None:
            _plan, problems = build_plan(source, plan_id)
            return not problems
        data = source.data
        if not re.match(PLAN_ID_PATTERN, plan_id) or not isinstance(data, dict):
            return False
        if not data.keys() <= FIELD_SHAPES.keys():
            return False
        for name, shape in FIELD_SHAPES.items():
            if name not in data:
                if Plan.model_fields[name].is_required():
                    return False
            elif not self.once(name, data[name], self._field_valid, shape):
                return False
        return not check_plan_data(data, source)

    def _field_valid(self, shape: tuple[type[BaseModel], bool, int, bool], value: Any) -> bool:
        model, many, least, nullable = shape
        if many:
            return (
                isinstance(value, list) and len(value) >= least
                and all(self.model(model, raw) for raw in value)
            )
        return (nullable and value is None) or self.model(model, value) is not None

    def model(self, model: type[BaseModel], raw: Any) -> BaseModel | None:
        """`raw` validated by `model`, or None when it is not valid."""
        return self.once(model, raw, _validated, model)

    def once(self, kind: object, value: Any, compute: Callable[..., _T], *args: Any) -> _T:
        """`compute(*args, value)`, once per object: parsed pieces are cached objects
        (see `_piece`), so an unchanged item or section costs one look-up."""
        key = (kind, id(value))
        known = self._known.get(key)
        if known is None or known[0] is not value:
            # The entry keeps `value` alive, so its id is not given to another object.
            known = self._known[key] = (value, compute(*args, value))
        result: _T = known[1]
        return result


def _validated(model: type[BaseModel], raw: Any) -> BaseModel | None:
    try:
        return model.model_validate(raw)
    except ValidationError:
        return None
