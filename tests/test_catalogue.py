"""The text catalogue: every language has every key, with the same placeholders."""

from __future__ import annotations

import datetime as dt
import string

import pytest

from cxplan import i18n


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_languages_are_the_files_present() -> None:
    assert i18n.languages()[0] == "en"
    assert set(i18n.languages()) == {p.stem for p in i18n.CATALOGUE_DIR.glob("*.yaml")}


@pytest.mark.parametrize("language", [code for code in i18n.languages() if code != "en"])
def test_every_language_has_every_key_with_the_same_placeholders(language: str) -> None:
    english = i18n.catalogue("en")
    other = i18n.catalogue(language)
    assert sorted(set(english) - set(other)) == [], "missing keys"
    assert sorted(set(other) - set(english)) == [], "keys English does not have"
    for key, template in english.items():
        assert _placeholders(str(other[key])) == _placeholders(str(template)), key


def test_plural_choice_follows_the_language() -> None:
    i18n.catalogue.cache_clear()
    fmt = i18n._formatter("en")
    assert fmt.format("{n:one=# day|other=# days}", n=1) == "1 day"
    assert fmt.format("{n:one=# day|other=# days}", n=1200) == "1,200 days"
    assert fmt.format("{n:=0=no day|one=# day|other=# days}", n=0) == "no day"
    assert i18n._formatter("es").format("{n:one=# día|other=# días}", n=12000) == "12.000 días"


def test_lists_percentages_dates_and_words() -> None:
    assert i18n._formatter("en").format("{x:list}", x=["a", "b", "c"]) == "a, b, and c"
    assert i18n._formatter("es").format("{x:list}", x=["a", "b", "c"]) == "a, b y c"
    assert i18n._formatter("es").format("{p:percent}", p=0.25) == "25\xa0%"
    assert i18n._formatter("en").format("{d:date}", d=dt.date(2027, 2, 3)) == "Feb 3, 2027"
    fmt = i18n._formatter("es")
    assert fmt.format("{s:todo=por hacer|other=otra}", s="todo") == "por hacer"
    assert fmt.format("{s:todo=por hacer|other=otra}", s="done") == "otra"
    assert fmt.format("{s:todo=por hacer}", s="done") == "done"


def test_unknown_language_falls_back_to_english() -> None:
    assert i18n.text("xx", "language.name") == "English"


@pytest.mark.parametrize("language", i18n.languages())
def test_every_catalogue_is_named_for_a_locale_babel_knows(language: str) -> None:
    """A language is its file's name: a name Babel does not know (`xx.yaml`) would have
    no plural rules, digit grouping or list words, so the suite refuses it here."""
    from babel import Locale

    assert Locale.parse(language).language == language
    assert i18n.text(language, "status.days", count=2)  # formats with that locale


@pytest.mark.parametrize("language", i18n.languages())
def test_a_text_read_from_its_line_is_the_catalogue_s(language: str) -> None:
    """`written` reads one key from its lines of the file (CX516 needs one text of every
    language): every key, one line or several paragraphs, gives what the whole file
    gives; a key it cannot find that way is read from the catalogue."""
    for key, template in i18n.catalogue(language).items():
        assert i18n.written(language, key) == template, key
    assert i18n.written("xx", "language.name") == "English"


def test_a_quoted_key_is_read_from_the_whole_catalogue(tmp_path, monkeypatch) -> None:
    (tmp_path / "en.yaml").write_text('"quoted.key": a text\nplain.key: another\n',
                                      encoding="utf-8")
    monkeypatch.setattr(i18n, "CATALOGUE_DIR", tmp_path)
    i18n.catalogue.cache_clear()
    i18n.languages.cache_clear()
    try:
        assert i18n.written("en", "quoted.key") == "a text"
        assert i18n.written("en", "plain.key") == "another"
    finally:
        i18n.catalogue.cache_clear()
        i18n.languages.cache_clear()
