"""Every text cxplan shows a person, in every language it ships: one catalogue.

The texts live in data files beside this module, one per language
(`catalogue/<code>.yaml`, a flat mapping of dotted keys to templates), so a new
language is one new file: the list of languages is the list of files present.

This is the base layer: every stage (load, model, analyse, rules, render,
publish, the CLI) may import it, and it imports nothing of cxplan's.

Templates are `str.format` strings with named placeholders. The format spec of a
placeholder chooses how its value is shown, with Babel doing the locale's work:

- `{count}` an int is written with the language's digit grouping;
- `{share:percent}` a fraction (0.25) as the language writes a percentage;
- `{ids:list}` a sequence joined the language's way ("a, b and c" / "a, b y c");
- `{day:date}` a date in the language's medium form, `{day:month}` its month and year;
- `{days:one=# day|other=# days}` chooses by the CLDR plural category of a number
  (`#` stands for the number); `=0=...` matches an exact number first;
- `{status:todo=por hacer|doing=en curso|other=...}` chooses by a text value
  (a value not listed and no `other`: shown as it is).

Two ways in: `text(language, key, **params)` fills a template; `labels(language)` is
the whole catalogue of a language as a read-only mapping (English for a key it lacks),
which the site's templates and the pictures index by key.

A stage that speaks before the language is known (the loader and the model report on
a file before anyone has read its `plan.language`) says a `Text`: a key and what fills
it, shown later in whichever language the reader has.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections import ChainMap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml

CATALOGUE_DIR = Path(__file__).with_name("catalogue")
DEFAULT_LANGUAGE = "en"


@cache
def languages() -> tuple[str, ...]:
    """The languages cxplan ships: one catalogue file each, English first."""
    found = sorted(p.stem for p in CATALOGUE_DIR.glob("*.yaml"))
    return (DEFAULT_LANGUAGE, *(code for code in found if code != DEFAULT_LANGUAGE))


if TYPE_CHECKING:
    Language = str
else:
    Language = Literal[languages()]
"""A language cxplan ships (the catalogue files present), as a type for the models."""


@cache
def catalogue(language: str) -> Mapping[str, str]:
    """Key -> template for `language` (English for a language not shipped)."""
    if language not in languages():
        language = DEFAULT_LANGUAGE
    path = CATALOGUE_DIR / f"{language}.yaml"
    raw = path.read_bytes()

    def texts(data: Any) -> bool:
        # YAML reads an unquoted `no` or `12` as a boolean or a number: a text is text
        return isinstance(data, dict) and all(
            isinstance(key, str) and isinstance(value, str) for key, value in data.items())

    def read() -> dict[str, str]:
        data = yaml.load(raw.decode("utf-8"), Loader=yaml.CSafeLoader)
        if not texts(data):
            raise ValueError(f"{path.name}: a catalogue maps dotted keys to texts (quote "
                             "a text YAML would read as a number or true/false)")
        return dict(data)

    # From the cache of parsed files (JSON) when these bytes were read before: 0.3 ms
    # instead of 8 ms a language, in every cxplan process. (Imported here: the texts
    # are a foundation of every stage, the cache belongs to the first.)
    from cxplan.load_cache import cached_json

    return dict(cached_json("catalogue/1", language, raw, read, texts))


def written(language: str, key: str) -> str:
    """The template of `key` as `language`'s catalogue writes it (English without one),
    read from its own line of the file.

    A rule that needs one key of every language (CX516's words for "social media")
    would otherwise read every catalogue whole: 5 to 9 ms a language from YAML on a
    first run, where the line is found in a tenth of a millisecond. The line (and its
    indented continuation) is read by the same YAML loader, so it gives what the whole
    file gives; a key written any other way (quoted) is read from the catalogue."""
    if language not in languages():
        return text(language, key)
    raw = (CATALOGUE_DIR / f"{language}.yaml").read_text(encoding="utf-8")
    # The key's line, then every line indented or blank (a text of several paragraphs).
    found = re.search(rf"^{re.escape(key)}:.*\n(?:(?:[ \t].*)?\n)*", raw, re.MULTILINE)
    try:
        value = yaml.load(found.group(), Loader=yaml.CSafeLoader) if found else None
    except yaml.YAMLError:
        value = None
    if isinstance(value, dict) and isinstance(value.get(key), str):
        return str(value[key])
    return text(language, key)


@cache
def labels(language: str) -> Mapping[str, str]:
    """Every text of `language` by key, English where the language lacks one."""
    if language not in languages() or language == DEFAULT_LANGUAGE:
        return catalogue(DEFAULT_LANGUAGE)
    return ChainMap(dict(catalogue(language)), dict(catalogue(DEFAULT_LANGUAGE)))


def label(language: str, key: str) -> str:
    """The text of `key` as written (no placeholder filled)."""
    return labels(language)[key]


def text(language: str, key: str, /, **params: Any) -> str:
    """The text of `key` in `language`, its placeholders filled from `params`."""
    template = catalogue(language).get(key)
    if template is None:
        template = catalogue(DEFAULT_LANGUAGE)[key]
    if not params:
        return str(template)
    return _formatter(_locale_code(language)).format(str(template), **params)


@dataclass(frozen=True)
class Text:
    """A text said before its language is known: a catalogue key and what fills it."""

    key: str
    params: tuple[tuple[str, Param], ...] = ()

    @classmethod
    def of(cls, key: str, /, **params: Param) -> Text:
        return cls(key, tuple(params.items()))

    def in_language(self, language: str) -> str:
        return text(language, self.key, **{
            name: value.in_language(language) if isinstance(value, Text) else value
            for name, value in self.params})

    def to_json(self) -> list[Any]:
        """[key, {name: value}], a nested text as {"text": [...]}, a date as {"date": ...}:
        how the cache of parsed plans keeps a loader's warnings."""
        def plain(value: Param) -> Any:
            if isinstance(value, Text):
                return {"text": value.to_json()}
            if isinstance(value, dt.date):
                return {"date": value.isoformat()}
            return list(value) if isinstance(value, tuple) else value

        return [self.key, {name: plain(value) for name, value in self.params}]

    @classmethod
    def from_json(cls, data: Any) -> Text:
        """The `Text` of `to_json`; `ValueError` for anything else (a damaged cache)."""
        def value(item: Any) -> Param:
            if isinstance(item, dict) and "text" in item:
                return cls.from_json(item["text"])
            if isinstance(item, dict) and "date" in item:
                return dt.date.fromisoformat(item["date"])
            if isinstance(item, list) and all(isinstance(i, str) for i in item):
                return tuple(item)
            if isinstance(item, str | int | float) and not isinstance(item, bool):
                return item
            raise ValueError(f"not a text parameter: {item!r}")

        if not (isinstance(data, list) and len(data) == 2 and isinstance(data[0], str)
                and isinstance(data[1], dict)):
            raise ValueError(f"not a text: {data!r}")
        return cls(data[0], tuple((str(k), value(v)) for k, v in data[1].items()))


Param = str | int | float | dt.date | tuple[str, ...] | Text
"""What fills a `Text`: a value shown as the catalogue shows it, or another `Text`
(shown in the same language first)."""


class Said(Exception):
    """An exception whose message is a catalogue text, shown in the reader's language
    (`in_language`); its `str()` is the English. A plain string is words cxplan does not
    translate (a library's, MkDocs' own), shown as they are."""

    def __init__(self, said: Text | str) -> None:
        self.said = said
        super().__init__(said.in_language(DEFAULT_LANGUAGE) if isinstance(said, Text) else said)

    def in_language(self, language: str) -> str:
        return self.said.in_language(language) if isinstance(self.said, Text) else self.said


def has_key(language: str, key: str) -> bool:
    return key in catalogue(language)


def _locale_code(language: str) -> str:
    return language if language in languages() else DEFAULT_LANGUAGE


@cache
def _formatter(locale: str) -> _CatalogueFormatter:
    return _CatalogueFormatter(locale)


class _CatalogueFormatter(string.Formatter):
    def __init__(self, locale: str) -> None:
        from babel import Locale

        self.locale = locale
        self._babel = Locale.parse(locale)

    def vformat(
        self, format_string: str, args: Sequence[Any], kwargs: Mapping[str, Any]
    ) -> str:
        """The template parsed once, not on every call: a portfolio's thousands of
        messages are made of a few hundred templates."""
        pieces = _pieces(format_string)
        if pieces is None:  # positional or nested fields: the general way
            return super().vformat(format_string, args, kwargs)
        out = []
        for literal, field, spec, conversion in pieces:
            out.append(literal)
            if field is not None:
                value, _ = self.get_field(field, args, kwargs)
                out.append(self.format_field(self.convert_field(value, conversion), spec or ""))
        return "".join(out)

    def format_field(self, value: Any, format_spec: str) -> str:
        # Babel's modules imported where a field needs them: an import statement costs
        # a lookup at every call, and most fields are plain text.
        if format_spec == "percent":
            from babel import numbers

            return numbers.format_percent(value, locale=self.locale)
        if format_spec == "list":
            from babel import lists

            return lists.format_list([str(v) for v in value], locale=self.locale)
        if format_spec == "date":
            from babel import dates

            return dates.format_date(value, format="medium", locale=self.locale)
        if format_spec == "month":  # "March 2027", "marzo de 2027"
            from babel import dates

            return dates.format_skeleton("yMMMM", value, locale=self.locale)
        if "=" in format_spec:
            return self._choose(value, format_spec)
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int | float) and not format_spec:
            return numbers_text(value, self.locale)
        if isinstance(value, dt.date) and not format_spec:
            return value.isoformat()
        return super().format_field(value, format_spec)

    def _choose(self, value: Any, spec: str) -> str:
        choices = _choices(spec)
        if isinstance(value, int | float) and not isinstance(value, bool):
            shown = numbers_text(value, self.locale)
            chosen = choices.get(f"={value}")
            if chosen is None:
                chosen = choices.get(self._babel.plural_form(abs(value)), choices.get("other", ""))
            return chosen.replace("#", shown)
        return choices.get(str(value), choices.get("other", str(value)))


_Piece = tuple[str, str | None, str | None, str | None]


@lru_cache(maxsize=4096)
def _pieces(template: str) -> tuple[_Piece, ...] | None:
    """(literal, field, spec, conversion) of each part of `template`, or None when a
    field is positional or a spec holds a field (left to `string.Formatter`)."""
    pieces = tuple(string.Formatter().parse(template))
    for _literal, field, spec, _conversion in pieces:
        if field is not None and (not field or field[0].isdigit() or "{" in (spec or "")):
            return None
    return pieces


@lru_cache(maxsize=256)
def _choices(spec: str) -> dict[str, str]:
    """`one=# day|other=# days` as {"one": "# day", "other": "# days"}."""
    choices: dict[str, str] = {}
    for part in spec.split("|"):
        name, _, words = part.partition("=")
        if name == "" and "=" in words:  # an exact number: "=0=none"
            name, _, words = words.partition("=")
            name = "=" + name
        choices[name] = words
    return choices


# Remembered: a portfolio's thousands of rule messages carry the same few numbers
# (days, counts), and Babel parses the locale's pattern on every call.
@lru_cache(maxsize=4096)
def numbers_text(value: int | float, locale: str) -> str:
    from babel import numbers

    return numbers.format_decimal(value, locale=locale)


def percent(share: float, language: str) -> str:
    """A fraction (0.25) as `language` writes a percentage: "25%", "25\xa0%"."""
    from babel import numbers

    return numbers.format_percent(share, locale=_locale_code(language))


def join_list(items: Sequence[str], language: str) -> str:
    """`items` joined the language's way: "a, b and c"."""
    from babel import lists

    return lists.format_list(list(items), locale=_locale_code(language))
