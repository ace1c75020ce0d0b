"""The loader: YAML 1.2 values, positions, duplicate keys, encodings and its guards."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from conftest import minimal_plan_text, write_plan

from cxplan.diagnostics import Diagnostic
from cxplan.load import MAX_DEPTH, MAX_NUMBER_DIGITS, PositionTable, Source, load_file, parse


def value_of(text: str) -> Any:
    source, problems = parse("t.yaml", f"v: {text}\n")
    assert problems == []
    return source.data["v"]


def only_problem(text: str) -> Diagnostic:
    _source, problems = parse("t.yaml", text)
    assert len(problems) == 1, problems
    return problems[0]


# -- YAML 1.2 scalars ---------------------------------------------------------------


@pytest.mark.parametrize("word", ["no", "No", "NO", "yes", "Yes", "on", "On", "off", "OFF",
                                  "y", "n", "Y", "N"])
def test_yaml_1_1_booleans_are_text(word: str) -> None:
    assert value_of(word) == word


@pytest.mark.parametrize(("written", "expected"), [
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False),
])
def test_only_true_and_false_are_booleans(written: str, expected: bool) -> None:
    assert value_of(written) is expected


@pytest.mark.parametrize("written", ["", "~", "null", "Null", "NULL"])
def test_nulls(written: str) -> None:
    assert value_of(written) is None


@pytest.mark.parametrize(("written", "expected"), [
    ("0755", 755),          # decimal, not octal
    ("0o17", 15),           # YAML 1.2 octal
    ("0x1F", 31),
    ("-0", 0),
    ("+12", 12),
    ("007", 7),
    (".5", 0.5),
    ("1.", 1.0),
    ("1e3", 1000.0),
    ("-2.5E-1", -0.25),
])
def test_numbers(written: str, expected: float) -> None:
    value = value_of(written)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("written", [
    "1:30",          # base 60 in YAML 1.1
    "12:00:00",
    "1_000",         # underscores in YAML 1.1
    "0b101",         # binary in YAML 1.1
    "0o8",
    "0xG",
    "1e",
    "2027-01-04",    # dates stay text until the model checks them
    "2027-02-30",
    "2027-01-04T10:00:00",
    "=",
    "<<",
])
def test_text_that_yaml_1_1_would_convert(written: str) -> None:
    assert value_of(written) == written


def test_special_floats() -> None:
    assert value_of(".inf") == math.inf
    assert value_of("-.Inf") == -math.inf
    assert math.isnan(value_of(".NaN"))


@pytest.mark.parametrize("written", ['"true"', "'123'", '"2027-01-04"', "'null'", '""'])
def test_quoted_values_stay_text(written: str) -> None:
    assert value_of(written) == written[1:-1]


def test_block_scalars_are_text() -> None:
    source, problems = parse("t.yaml", "a: |\n  123\nb: >-\n  true\n  no\n")
    assert problems == []
    assert source.data == {"a": "123\n", "b": "true no"}


def test_keys_stay_text() -> None:
    source, problems = parse("t.yaml", "true: 1\n1: 2\nnull: 3\n2027-01-04: 4\n")
    assert problems == []
    assert source.data == {"true": 1, "1": 2, "null": 3, "2027-01-04": 4}


def test_number_digit_cap() -> None:
    assert value_of("9" * MAX_NUMBER_DIGITS) == int("9" * MAX_NUMBER_DIGITS)
    problem = only_problem("v: " + "9" * (MAX_NUMBER_DIGITS + 1) + "\n")
    assert (problem.code, problem.line, problem.column) == ("CX117", 1, 4)
    assert value_of('"' + "9" * 5000 + '"') == "9" * 5000  # quoted: just text


# -- positions ----------------------------------------------------------------------


def test_positions_of_keys_and_values() -> None:
    source, _ = parse("t.yaml", minimal_plan_text())
    assert source.values[()] == (1, 1)
    assert source.keys[("plan", "owner")] == (4, 3)
    assert source.values[("plan", "owner")] == (4, 10)
    assert source.values[("team", 1)] == (12, 5)
    assert source.keys[("team", 1, "name")] == (13, 5)
    assert source.values[("team", 1, "name")] == (13, 11)
    assert source.values[("kpis", 0, "readings", 1, "value")] == (72, 16)
    assert source.values[("kpis", 0, "unit")] == (65, 11)  # the opening quote


def test_position_table_is_exact_when_locs_share_a_hash() -> None:
    # In CPython hash(-1) == hash(-2), so these two locs share a hash.
    assert hash(("a", -1)) == hash(("a", -2))
    written = {("a", -1): (3, 4), ("a", -2): (5, 6), ("b",): (1, 2), (): (1, 1)}
    table = PositionTable(written)
    assert {loc: table[loc] for loc in written} == written
    assert len(table) == 4
    assert ("a", -3) not in table and ("c",) not in table and "a" not in table
    with pytest.raises(KeyError):
        table[("c",)]
    assert table.get(("c",), (9, 9)) == (9, 9)
    assert table == PositionTable(dict(reversed(written.items())))
    assert table != PositionTable({("b",): (1, 2)})


def test_flow_positions() -> None:
    source, _ = parse("t.yaml", "a: [x, {b: y}]\n")
    assert source.values[("a",)] == (1, 4)
    assert source.values[("a", 0)] == (1, 5)
    assert source.keys[("a", 1, "b")] == (1, 9)
    assert source.values[("a", 1, "b")] == (1, 12)


def test_position_falls_back_to_the_nearest_written_ancestor() -> None:
    source, _ = parse("t.yaml", minimal_plan_text())
    assert source.position(("actions", 1, "status")) == (56, 5)  # a2 has no status
    assert source.position(("actions", 1, "status"), key=True) == (56, 5)
    assert source.position(("nothing", "here")) == (1, 1)


def test_positions_count_characters_not_bytes() -> None:
    source, _ = parse("t.yaml", "a: ñandú\nb: [é, ü]\n")
    assert source.values[("b", 1)] == (2, 8)  # 9 if counted in UTF-8 bytes


# -- duplicate keys -----------------------------------------------------------------


def test_duplicate_key_names_both_lines_and_keeps_the_first() -> None:
    text = "plan:\n  title: First\n  customer: C\n  title: Second\n"
    source, problems = parse("t.yaml", text)
    assert [(d.code, d.line, d.column) for d in problems] == [("CX113", 4, 3)]
    assert problems[0].message == "duplicate key 'title' (first written at line 2)"
    assert source.data["plan"]["title"] == "First"


def test_duplicate_keys_in_flow_mappings_and_at_several_levels() -> None:
    text = "a: {x: 1, x: 2}\nb: 1\nb: {y: 1, y: 2}\n"
    _, problems = parse("t.yaml", text)
    # The second 'b' is refused, and its own value's duplicate is reported too.
    assert [(d.line, d.column) for d in problems] == [(1, 11), (3, 1), (3, 11)]


# -- encodings and line ends --------------------------------------------------------


def test_bom_is_tolerated_and_positions_unchanged(tmp_path: Path) -> None:
    plain, _ = load_file(write_plan(tmp_path, minimal_plan_text(), name="a.yaml"))
    bom, problems = load_file(write_plan(tmp_path, b"\xef\xbb\xbf" + minimal_plan_text().encode(),
                                         name="b.yaml"))
    assert problems == []
    assert bom.data == plain.data
    assert bom.values == plain.values and bom.keys == plain.keys


def test_crlf_positions_match_lf(tmp_path: Path) -> None:
    lf, _ = load_file(write_plan(tmp_path, minimal_plan_text(), name="a.yaml"))
    crlf_text = minimal_plan_text().replace("\n", "\r\n")
    crlf, problems = load_file(write_plan(tmp_path, crlf_text, name="b.yaml"))
    assert problems == []
    assert crlf.data == lf.data
    assert crlf.values == lf.values and crlf.keys == lf.keys


def test_crlf_positions_of_errors() -> None:
    problem = only_problem('a: 1\r\nb: "x"# glued\r\n')
    assert (problem.code, problem.line, problem.column) == ("CX110", 2, 7)


def test_latin_1_is_refused_at_the_bad_byte(tmp_path: Path) -> None:
    path = write_plan(tmp_path, "plan:\n  title: Café\n".encode("latin-1"))
    source, problems = load_file(path)
    assert source.data is None
    assert [(d.code, d.line, d.column) for d in problems] == [("CX101", 2, 13)]
    assert "UTF-8" in problems[0].hint


def test_utf_16_is_refused(tmp_path: Path) -> None:
    path = write_plan(tmp_path, "plan: x\n".encode("utf-16"))
    _, problems = load_file(path)
    assert [(d.code, d.message) for d in problems] == [("CX101", "the file is UTF-16, not UTF-8")]


@pytest.mark.parametrize(("char", "kind"), [
    ("\x00", "a control"), ("\x1b", "a control"), ("\x85", "a control"),
    ("\u202e", "a bidirectional control"), ("\u2066", "a bidirectional control"),
    ("\u2028", "a line or paragraph separator"), ("\ufeff", "a byte-order mark"),
    ("\uffff", "a non-character"),
])
def test_forbidden_characters_with_their_position(tmp_path: Path, char: str, kind: str) -> None:
    path = write_plan(tmp_path, f"plan:\n  title: ab{char}c\n")
    _, problems = load_file(path)
    assert [(d.code, d.line, d.column) for d in problems] == [("CX102", 2, 12)]
    assert problems[0].message.startswith(kind)


def test_tab_inside_text_is_allowed() -> None:
    assert value_of('"a\tb"') == "a\tb"


def test_missing_file_is_a_diagnostic(tmp_path: Path) -> None:
    _, problems = load_file(tmp_path / "nope.yaml")
    assert [d.code for d in problems] == ["CX100"]


def test_size_cap(tmp_path: Path) -> None:
    path = write_plan(tmp_path, "a: " + "x" * (1024 * 1024) + "\n")
    _, problems = load_file(path)
    assert [d.code for d in problems] == ["CX103"]


# -- guards -------------------------------------------------------------------------


def test_depth_cap() -> None:
    ok = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert parse("t.yaml", ok)[1] == []
    problem = only_problem("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert (problem.code, problem.line, problem.column) == ("CX104", 1, MAX_DEPTH + 1)


@pytest.mark.parametrize(("text", "code", "position"), [
    ("a: &x 1\nb: *x\n", "CX111", (1, 4)),
    ("a: *x\n", "CX111", (1, 4)),
    ("a: !!str 1\n", "CX112", (1, 4)),
    ("a: !custom {b: 1}\n", "CX112", (1, 4)),
    ("a: 1\n---\nb: 2\n", "CX114", (2, 1)),
    ("", "CX115", (1, 1)),
    ("# nothing\n", "CX115", (1, 1)),
    ("? [a]\n: 1\n", "CX116", (1, 3)),
    ("%YAML 1.1\n---\na: 1\n", "CX118", (1, 1)),
    ("a: [1\n", "CX110", (2, 1)),
])
def test_refusals(text: str, code: str, position: tuple[int, int]) -> None:
    source, problems = parse("t.yaml", text)
    assert [(d.code, (d.line, d.column)) for d in problems] == [(code, position)]
    assert problems[0].hint
    assert source.data is None, "no half-built data after a fatal problem"


def test_a_syntax_error_leaves_no_partial_data() -> None:
    text = minimal_plan_text().replace("    name: Ben Cole", "\tname: Ben Cole")
    source, problems = parse("t.yaml", text)
    assert [(d.code, d.line, d.column) for d in problems] == [("CX110", 13, 1)]
    assert "replace the tab with spaces" in problems[0].hint
    assert source.data is None and source.values == {}


# -- the YAML spec where libyaml is lenient -----------------------------------------


@pytest.mark.parametrize(("text", "position"), [
    ('key: "value"# note\n', (1, 13)),
    ("key: 'value'# note\n", (1, 13)),
    ("key: [a, b]# note\n", (1, 12)),
    ("key: [a, b,# note\n  ]\n", (1, 12)),
    ("key: >#note\n  text\n", (1, 6)),
    ("key: >-#note\n  text\n", (1, 6)),
    ("key: [a,\nb]\n", (2, 1)),
    ("- [a,\n\tb]\n", (2, 1)),
    ('key: "first\nsecond"\n', (2, 1)),
    ('- key: "first\n  second"\n', (2, 1)),
    ("key: >\n   \n  text\n", (3, 1)),
    ("key: [-]\n", (1, 7)),
    ("key: [a, - b]\n", (1, 10)),
])
def test_invalid_yaml_that_libyaml_would_accept(text: str, position: tuple[int, int]) -> None:
    problem = only_problem(text)
    assert (problem.code, (problem.line, problem.column)) == ("CX110", position)
    assert problem.hint


@pytest.mark.parametrize("text", [
    'key: "value" # note\n',
    'key: "a#b"\n',
    "key: a#b\n",
    "key: [a, b] # note\n",
    "key: [a, b, # note\n  c]\n",
    "key: [a,\n # a comment may sit anywhere\n  b]\n",
    "key: >  # note\n  text\n",
    "key: |2-\n   text\n",
    "key: >-\n\n  text\n",
    "key: >\n  \n  text\n",
    "key: [a,\n  b\n  ]\n",
    'key: "first\n  second"\n',
    '- key: "first\n   second"\n',
    "key: [-1, -a, a-b, ?a]\n",
    "[a,\nb]\n",
    "key: {a: 1,\n  b: 2}\n",
])
def test_valid_yaml_near_those_rules_is_accepted(text: str) -> None:
    assert parse("t.yaml", text)[1] == []


def test_the_minimal_plan_loads_cleanly() -> None:
    source, problems = parse("t.yaml", minimal_plan_text())
    assert problems == []
    assert isinstance(source, Source) and set(source.data) == {
        "plan", "team", "areas", "moments", "stakeholders", "commitments", "actions", "kpis"
    }


# -- YAML traps: nothing a person wrote is changed silently -------------------------


def _warnings(text: str) -> list[tuple[int, int, str, str]]:
    source, problems = parse("t.yaml", text)
    assert problems == []
    return [(w.line, w.column, w.code, w.message + " | " + w.hint) for w in source.warnings]


def test_a_hash_inside_a_plain_value_is_a_warning_at_the_hash() -> None:
    ((line, column, code, text),) = _warnings("title: Cut over wave #1 (12 branches)\n")
    assert (line, column, code) == (1, 22, "CX120")
    assert "reads as 'Cut over wave'" in text
    assert 'title: "Cut over wave #1 (12 branches)"' in text


def test_a_comment_written_as_a_comment_is_no_warning() -> None:
    assert _warnings("owner: ana # the account lead\nb: x #\nc: 'quoted #1'\n") == []


def test_a_hash_glued_to_a_list_item_is_a_warning() -> None:
    ((line, column, code, text),) = _warnings("tags:\n  - wave #2\n")
    assert (line, column, code) == (2, 10, "CX120")
    assert '- "wave #2"' in text


@pytest.mark.parametrize("word", ["~", "null", "Null", "NULL"])
def test_null_words_are_a_warning(word: str) -> None:
    ((line, column, code, text),) = _warnings(f"a: 1\nsummary: {word}\n")
    assert (line, column, code) == (2, 10, "CX121")
    assert f'put it in quotes: "{word}"' in text


def test_an_empty_value_is_no_null_warning() -> None:
    assert _warnings("summary:\nend: ''\n") == []


@pytest.mark.parametrize(("text", "code", "position", "fix"), [
    ("title: *urgent* review\n", "CX110", (1, 8), 'title: "*urgent* review"'),
    ("title: *urgent\n", "CX111", (1, 8), 'title: "*urgent"'),
    ("name: &Co Finance\n", "CX111", (1, 7), 'name: "&Co Finance"'),
    ("title: !important review\n", "CX112", (1, 8), 'title: "!important review"'),
    ("promise: %95 on time\n", "CX110", (1, 10), 'promise: "%95 on time"'),
    ("owner: @ana\n", "CX110", (1, 8), 'owner: "@ana"'),
    ("title: `code` review\n", "CX110", (1, 8), 'title: "`code` review"'),
    ("unit: -\n", "CX110", (1, 7), 'unit: "-"'),
    ("title: ? maybe\n", "CX110", (1, 8), 'title: "? maybe"'),
    ("plan:\n  title: Note: read this\n", "CX110", (2, 14), 'title: "Note: read this"'),
    ("plan:\n\ttitle: x\n", "CX110", (2, 1), "replace the tab with spaces"),
])
def test_a_value_starting_with_a_yaml_indicator_says_to_quote_it(
    text: str, code: str, position: tuple[int, int], fix: str
) -> None:
    problem = only_problem(text)
    assert (problem.code, (problem.line, problem.column)) == (code, position)
    assert fix in problem.hint


@pytest.mark.parametrize(("written", "expected"), [
    ("2027-03-31", "2027-03-31"),   # a date stays the text typed
    ("12:30", "12:30"),             # no base 60
    ("1_000", "1_000"),
    ("yes", "yes"),
])
def test_values_other_yaml_tools_change_stay_as_typed(written: str, expected: str) -> None:
    assert value_of(written) == expected
    assert _warnings(f"v: {written}\n") == []


def test_leading_zeros_are_remembered_as_typed() -> None:
    source, problems = parse("t.yaml", "id: 007\nn: 1.10\nt: true\n")
    assert problems == [] and source.data == {"id": 7, "n": 1.1, "t": True}
    assert source.raw == {("id",): "007", ("n",): "1.10", ("t",): "true"}


def test_every_tab_and_unquoted_colon_in_one_run() -> None:
    text = "plan:\n\ttitle: a\n  customer: Note: b\n\towner: c\nteam: x: y\n"
    source, problems = parse("t.yaml", text)
    assert [(d.line, d.column, d.code) for d in problems] == [
        (2, 1, "CX110"), (3, 17, "CX110"), (4, 1, "CX110"), (5, 8, "CX110"),
    ]
    assert source.data is None, "no data from a file with errors"
    assert source.repaired is not None
    assert source.repaired.data == {
        "plan": {"title": "a", "customer": "Note: b", "owner": "c"}, "team": "x: y",
    }
    assert source.repaired.text == text


def test_block_text_and_quoted_values_are_not_line_checked() -> None:
    text = (
        "summary: |\n  Note: this is text: all of it\n  \tand a tab inside\n"
        "title: \"Note: quoted\"\nmore: 'a: b'\nlong: \"first\n  second: x: y\"\n"
    )
    source, problems = parse("t.yaml", text)
    assert problems == [], problems
    assert source.data["title"] == "Note: quoted"


def test_a_missing_dash_is_one_error_not_one_per_key() -> None:
    text = "actions:\n  - id: a1\n    title: x\n    id: a2\n    title: y\n    owner: z\n"
    _source, problems = parse("t.yaml", text)
    assert [(d.line, d.column, d.code) for d in problems] == [(4, 5, "CX113")]
    assert "without '- '" in problems[0].message
