"""libyaml's own words for a syntax error, as catalogue texts (load stage).

The parser says what stopped it in English ("did not find expected key", "while
parsing a block mapping"). Those it says for hand-written plans are catalogue texts
here, so a Spanish workspace reads them in Spanish; a text not listed is shown as the
parser wrote it. English stays word for word libyaml's: it is what a search for the
error finds.
"""

from __future__ import annotations

from cxplan.i18n import Text

# libyaml's text -> the catalogue's `yaml.problem.<name>` (the English is the same).
PROBLEMS = {
    "did not find expected key": "expected_key",
    "could not find expected ':'": "expected_colon",
    "did not find expected <document start>": "expected_document",
    "did not find expected node content": "expected_content",
    "found character that cannot start any token": "bad_character",
    "mapping values are not allowed in this context": "mapping_values",
    "mapping keys are not allowed in this context": "mapping_keys",
    "block sequence entries are not allowed in this context": "sequence_entries",
    "found a tab character where an indentation space is expected": "tab_expected_space",
    "found a tab character that violates indentation": "tab_violates",
    "found unknown directive name": "unknown_directive",
    "found unexpected document indicator": "unexpected_document",
    "did not find expected comment or line break": "expected_comment_or_break",
    "did not find expected whitespace or line break": "expected_space_or_break",
    "found unexpected ':'": "unexpected_colon",
    "found unknown escape character": "unknown_escape",
    "did not find expected alphabetic or numeric character": "expected_alphanumeric",
    "did not find expected '-' indicator": "expected_dash",
    "found an indentation indicator equal to 0": "indentation_zero",
    "found unexpected end of stream": "unexpected_end",
    "found undefined tag handle": "undefined_tag",
    "control characters are not allowed": "control_characters",
}
# Two of them name a closing bracket, which a catalogue text cannot hold as written.
CLOSERS = {"did not find expected ',' or '}'": "}", "did not find expected ',' or ']'": "]"}

# libyaml's "while ..." -> the catalogue's `yaml.context.<name>`.
CONTEXTS = {
    "while parsing a block mapping": "block_mapping",
    "while parsing a block collection": "block_collection",
    "while parsing a block node": "block_node",
    "while parsing a flow mapping": "flow_mapping",
    "while parsing a flow sequence": "flow_sequence",
    "while parsing a flow node": "flow_node",
    "while parsing a node": "node",
    "while parsing a quoted scalar": "quoted_scalar",
    "while scanning a quoted scalar": "quoted_scalar_scan",
    "while scanning a plain scalar": "plain_scalar",
    "while scanning a block scalar": "block_scalar",
    "while scanning a simple key": "simple_key",
    "while scanning for the next token": "next_token",
    "while scanning a directive": "directive",
    "while scanning an anchor": "anchor",
    "while scanning an alias": "alias",
    "while scanning a tag": "tag",
}


def problem_text(problem: str) -> Text | str:
    """The catalogue text of libyaml's `problem`, or the problem as written."""
    if problem in PROBLEMS:
        return Text.of(f"yaml.problem.{PROBLEMS[problem]}")
    if problem in CLOSERS:
        return Text.of("yaml.problem.expected_comma_or", closer=CLOSERS[problem])
    return problem


def context_text(context: str) -> Text | str:
    """The catalogue text of libyaml's `context` ("while ..."), or it as written."""
    return Text.of(f"yaml.context.{CONTEXTS[context]}") if context in CONTEXTS else context


def said(problem: str, context: str | None) -> Text | str:
    """`problem (context)` in the reader's language."""
    if not context:
        return problem_text(problem)
    return Text.of("yaml.problem.in_context", problem=problem_text(problem),
                   context=context_text(context))
