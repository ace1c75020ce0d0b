"""The one diagnostic type that every stage reports with, and its output formats.

A diagnostic is a plain, sortable value: where (path, line, column), how bad
(severity), what (a stable code) and what to do about it (message and hint). Loading,
model building and method rules all produce these; the formatters below are the only
place that knows how they look on a terminal, in JSON or as GitHub annotations.

The loader and the model speak before anyone knows the reader's language: they make
diagnostics with `Diagnostic.said`, from catalogue texts, and the formatters show them
in the language asked for (`in_language`). `message` and `hint` hold the English.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from cxplan.i18n import Text


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# Text a message quotes from the input (a value, a key) is shortened to this many
# characters, and a whole message or hint to `MAX_MESSAGE`: a file that is not a plan
# (a symlink to /etc/passwd, a pasted log) must not be echoed whole into every CI log.
# The position already says where the text is.
MAX_QUOTED = 60
MAX_MESSAGE = 400
_LONG = "{" + str(MAX_QUOTED + 1) + ",}"
# A quote opens after a space, a bracket or the start, never right after a letter, and
# a quotation neither starts nor ends with a space: the closing quote of one short
# quoted text and the opening quote of the next ("'ana', split the action ... or set
# 'status: dropped'", "'@' is reserved ..., so '@ops'") are not one long quotation.
_QUOTED = re.compile(
    "(?<![\\w'\"])(?:'(?!\\s)[^'\\n]" + _LONG + "(?<!\\s)'"
    "|\"(?!\\s)[^\"\\n]" + _LONG + '(?<!\\s)")'
)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def shorten(text: str) -> str:
    """`text` with every long quoted part, then the whole, cut to a sensible length."""
    if len(text) <= MAX_QUOTED:
        return text

    def quoted(match: re.Match[str]) -> str:
        quote = match.group()[0]
        return quote + _cut(match.group()[1:-1], MAX_QUOTED) + quote

    return _cut(_QUOTED.sub(quoted, text), MAX_MESSAGE)


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str
    hint: str = ""
    texts: tuple[Text, Text | None] | None = field(default=None, compare=False, repr=False)
    """The message and hint as catalogue texts, for `in_language` (None: English only,
    or already in the reader's language, as the rules' findings are)."""

    def __post_init__(self) -> None:
        # Every producer gets the same limit, however it quoted the input.
        object.__setattr__(self, "message", shorten(self.message))
        object.__setattr__(self, "hint", shorten(self.hint))

    @classmethod
    def as_made(cls, path: str, line: int, column: int, severity: Severity, code: str,
                message: str, hint: str) -> Diagnostic:
        """A diagnostic as one was made before (kept in a cache): its message and hint
        were shortened then, so they are not again. Shortening is a regular expression
        over each text: 0.05 s of reading back the 4,600 kept findings of 100 plans."""
        made = object.__new__(cls)
        for name, value in (("path", path), ("line", line), ("column", column),
                            ("severity", severity), ("code", code), ("message", message),
                            ("hint", hint), ("texts", None)):
            object.__setattr__(made, name, value)
        return made

    @classmethod
    def said(
        cls, path: str, position: tuple[int, int], severity: Severity, code: str,
        message: Text, hint: Text | None = None,
    ) -> Diagnostic:
        """A diagnostic told by catalogue texts: English now, any language later."""
        return cls(path, position[0], position[1], severity, code, message.in_language("en"),
                   hint.in_language("en") if hint is not None else "", (message, hint))

    def in_language(self, language: str) -> Diagnostic:
        """This diagnostic with its message and hint in `language`."""
        if self.texts is None or language == "en":
            return self
        message, hint = self.texts
        return replace(self, message=message.in_language(language),
                       hint=hint.in_language(language) if hint is not None else "")

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "column": self.column,
                "severity": str(self.severity), "code": self.code, "message": self.message,
                "hint": self.hint}


@dataclass(frozen=True)
class CodeDoc:
    """What a diagnostic code means, for the generated reference page."""

    code: str
    title: str
    explanation: str


# Stable codes of the format layers (load, schema, references, format rules). Method
# rules register their own codes in `cxplan.rules`. A code never changes meaning; a
# retired code is never reused.
FORMAT_CODES: dict[str, CodeDoc] = {
    doc.code: doc
    for doc in [
        CodeDoc("CX100", "File cannot be read", "The file is missing or unreadable."),
        CodeDoc(
            "CX101",
            "Not UTF-8",
            "Plans are UTF-8 text (a byte-order mark is tolerated). Save the file as UTF-8.",
        ),
        CodeDoc(
            "CX102",
            "Forbidden character",
            "Control characters (other than tab and line breaks) and bidirectional "
            "override characters are refused: they hide text from reviewers "
            "(the 'Trojan Source' trick) or break the published site.",
        ),
        CodeDoc("CX103", "File too large", "A plan file is capped at 1 MiB; split the plan."),
        CodeDoc(
            "CX104",
            "Nesting too deep",
            "The plan format never nests deeper than a few levels; deeper input is refused "
            "before it reaches the parser's recursion limits.",
        ),
        CodeDoc("CX110", "YAML syntax error", "The file is not valid YAML at this position."),
        CodeDoc(
            "CX111",
            "Anchor or alias",
            "Anchors (`&x`) and aliases (`*x`) are refused: they make a reviewer read two "
            "places at once and allow 'billion laughs' expansion. Write the value out.",
        ),
        CodeDoc(
            "CX112",
            "Explicit tag",
            "Tags such as `!!python/object` or `!!binary` are refused; plans hold plain "
            "text, numbers, dates, lists and mappings.",
        ),
        CodeDoc(
            "CX113",
            "Duplicate key",
            "The same key twice in one mapping. YAML forbids it and most loaders silently "
            "keep the last one, losing data.",
        ),
        CodeDoc("CX114", "Several documents", "A plan file holds exactly one YAML document."),
        CodeDoc("CX115", "Empty file", "The file holds no YAML document."),
        CodeDoc(
            "CX116",
            "Complex key",
            "Mapping keys are plain text; a list or mapping as a key is refused.",
        ),
        CodeDoc("CX117", "Number too large", "A number with more than 100 digits is refused."),
        CodeDoc(
            "CX118",
            "Unsupported YAML directive",
            "cxplan reads plans with YAML 1.2 rules; a `%YAML 1.1` or `%TAG` directive "
            "would change how values are read, so it is refused.",
        ),
        CodeDoc(
            "CX120",
            "Comment inside a value",
            "A `#` after a space inside an unquoted value starts a YAML comment: "
            "`title: Cut over wave #1` reads as 'Cut over wave'. Put the value in quotes, "
            "or write a comment as `# ` with a space. A warning.",
        ),
        CodeDoc(
            "CX121",
            "`~` or `null` as a value",
            "`~` and `null` mean 'no value' in YAML, so the key is read as empty. Remove "
            "the key to leave it empty, or quote the text. A warning.",
        ),
        CodeDoc("CX200", "Missing key", "A required key is absent."),
        CodeDoc("CX201", "Unknown key", "A key the format does not define (often a typo)."),
        CodeDoc("CX202", "Wrong type", "A value of the wrong kind (text, number, list...)."),
        CodeDoc("CX203", "Value not allowed", "A value outside the allowed choices."),
        CodeDoc(
            "CX204",
            "Invalid id",
            "Ids are 1 to 64 ASCII letters, digits, `.`, `_` or `-`, starting with a letter "
            "or digit: they become anchors, file names and URLs.",
        ),
        CodeDoc("CX205", "Invalid date", "Dates are written `YYYY-MM-DD` and must exist."),
        CodeDoc("CX206", "Out of range", "A number outside its allowed range."),
        CodeDoc(
            "CX207",
            "More than one owner",
            "One action, one owner: responsibility shared by several people is "
            "responsibility of nobody. Name the single accountable person.",
        ),
        CodeDoc("CX208", "More than one date", "One action, one due date."),
        CodeDoc("CX300", "Unknown reference", "An id that points elsewhere does not resolve."),
        CodeDoc("CX301", "Duplicate id", "Two items of one section share an id."),
        CodeDoc(
            "CX302",
            "Ids differ only by case",
            "Two ids of one section differ only by letter case; they would collide as "
            "file names and anchors.",
        ),
        CodeDoc("CX303", "Reporting cycle", "`reports_to` lines form a loop."),
        CodeDoc(
            "CX304",
            "Output paths differ only by case",
            "Two ids of the portfolio (team members of different plans) differ only by "
            "letter case: their pages would be one file on a case-blind disk (macOS, "
            "Windows).",
        ),
        CodeDoc(
            "CX400",
            "`done_on` and `status`",
            "`done_on` is required when `status: done` and forbidden otherwise.",
        ),
        CodeDoc(
            "CX401",
            "Moments out of phase order",
            "All purchase moments come before the consumption moments.",
        ),
        CodeDoc("CX402", "Readings out of order", "KPI reading dates must strictly increase."),
        CodeDoc("CX403", "End before start", "`plan.end` is not before `plan.start`."),
        CodeDoc(
            "CX408",
            "Contact log out of order",
            "A stakeholder's `contact_log` is listed oldest first.",
        ),
        CodeDoc(
            "CX409",
            "Contact after leaving",
            "A contact logged after the stakeholder's `gone.on` date.",
        ),
        CodeDoc(
            "CX410",
            "Contact also on the power map",
            "A `contacts[].id` is also a `stakeholders[].id`; a step's owner must name one "
            "person.",
        ),
        CodeDoc(
            "CX404",
            "Invalid plan id",
            "The plan id is the file name without extension; it must match "
            "`^[a-z0-9][a-z0-9-]{0,62}$` because it becomes a URL and a folder.",
        ),
        CodeDoc(
            "CX405",
            "Reserved name",
            "A plan id or person id that is a name the site writes itself at that level "
            "(`index`, `quick-wins`) or ends like a generated file (`.ics`, `.md`...): "
            "it would replace a page or collide with another file.",
        ),
    ]
}


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def summarise(diagnostics: Sequence[Diagnostic], files: int) -> dict[str, int]:
    counts = Counter(str(d.severity) for d in diagnostics)
    return {
        "files": files,
        "errors": counts["error"],
        "warnings": counts["warning"],
        "infos": counts["info"],
    }


def format_text(diagnostics: Sequence[Diagnostic], files: int, language: str = "en") -> str:
    """Each diagnostic on its line (hint below), then a summary, all in `language`."""
    from cxplan import i18n

    lines = []
    for d in diagnostics:
        d = d.in_language(language)
        lines.append(f"{d.path}:{d.line}:{d.column}: {d.severity}[{d.code}]: {d.message}")
        if d.hint:
            # A hint of several lines (a YAML snippet to add) stays under "hint:".
            lines.append("    hint: " + d.hint.replace("\n", "\n          "))
    s = summarise(diagnostics, files)
    if not diagnostics:
        lines.append(i18n.text(language, "check.summary.clean", files=files))
    else:
        lines.append(i18n.text(language, "check.summary", files=files, errors=s["errors"],
                               warnings=s["warnings"], infos=s["infos"]))
    return "\n".join(lines) + "\n"


def format_json(diagnostics: Sequence[Diagnostic], files: int, language: str = "en") -> str:
    payload = {
        "diagnostics": [d.in_language(language).to_json() for d in diagnostics],
        "summary": summarise(diagnostics, files),
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def format_github(diagnostics: Sequence[Diagnostic], files: int, language: str = "en") -> str:
    """GitHub Actions workflow commands, escaped as the runner's rules require."""
    from cxplan import i18n

    lines = []
    for d in diagnostics:
        d = d.in_language(language)
        message = d.message + (f"\n{d.hint}" if d.hint else "")
        lines.append(
            f"::{_GITHUB_LEVEL[d.severity]} file={_escape_property(d.path)},"
            f"line={d.line},col={d.column},title={_escape_property(d.code)}::"
            f"{_escape_data(message)}"
        )
    s = summarise(diagnostics, files)
    # The summary of the text format: a runner's log reads like a terminal.
    lines.append(i18n.text(language, "check.summary", files=files, errors=s["errors"],
                           warnings=s["warnings"], infos=s["infos"]))
    return "\n".join(lines) + "\n"


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
