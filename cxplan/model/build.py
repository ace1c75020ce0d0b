"""Building a typed plan from a loaded file: format, reference and format-rule errors.

`load_plan` is the one way every later stage gets a plan. It returns the `PlanFile`
(the typed plan with its source positions) when the plan has no error, and always the
diagnostics found on the way.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from cxplan import load_cache
from cxplan.diagnostics import Diagnostic, Severity
from cxplan.i18n import Text
from cxplan.load import LoadError, Source, read_capped
from cxplan.model.checks import Folded, check_plan_data
from cxplan.model.messages import translate_all
from cxplan.model.plan import PLAN_ID_PATTERN, Plan, share_repeats
from cxplan.model.reserved import reserved_plan_id


@dataclass(frozen=True)
class PlanFile:
    """A valid plan, its id (the file name) and where each of its values was written."""

    id: str
    plan: Plan
    source: Source
    text_digest: str = ""
    """The file's text's digest, once the text itself is let go (`checked`)."""

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def digest(self) -> str:
        """A digest of the file's text: what a rebuild compares to see a plan changed."""
        return self.text_digest or hashlib.sha256(self.source.text.encode()).hexdigest()

    def position(self, *loc: str | int) -> tuple[int, int]:
        return self.source.position(tuple(loc))

    def item_position(self, section: str, item_id: str, key: str | None = None) -> tuple[int, int]:
        for index, item in enumerate(getattr(self.plan, section)):
            if item.id == item_id:
                return self.position(section, index, *((key,) if key else ()))
        return 1, 1

    def checked(self) -> PlanFile:
        """The plan once every check has run: its file's path and its text's digest
        kept; the text, the values as read and where each was written let go (half of
        what a loaded plan holds in memory; what a build of a large portfolio keeps of
        every plan). Every finding carries its line already."""
        return PlanFile(self.id, self.plan, Source(path=self.source.path, text=""),
                        text_digest=self.digest)


def plan_id_from_path(path: Path) -> str:
    return path.stem


def _merge(schema: list[Diagnostic], checks: list[Diagnostic]) -> list[Diagnostic]:
    """Both layers' findings, sorted, without repeats.

    Where a reference check recognised a name written in place of an id, its message
    (which names the id to write) replaces the schema layer's "not a valid id" there.
    """
    named = {(d.line, d.column) for d in checks if d.code == "CX300"}
    kept = [d for d in schema if not (d.code == "CX204" and (d.line, d.column) in named)]
    return sorted(set(kept + checks))


def _fold_cascades(schema: list[Diagnostic], folded: Folded, source: Source) -> list[Diagnostic]:
    """The misspelt section's "unknown key" message also names the references that
    fail only because of it, instead of each being reported on its own."""
    if not folded:
        return schema
    result = []
    for d in schema:
        for (key, section), lines in folded.items():
            if (d.code == "CX201" and d.texts is not None
                    and (d.line, d.column) == source.position((key,), key=True)):
                shown = ", ".join(str(n) for n in sorted(set(lines))[:10])
                more = ", ..." if len(set(lines)) > 10 else ""
                count = len(lines)
                d = Diagnostic.said(
                    d.path, (d.line, d.column), d.severity, d.code,
                    Text.of("model.build.folded", message=d.texts[0], section=section,
                            count=count, lines=shown + more),
                    Text.of("model.build.folded.hint", section=section, key=key, count=count),
                )
        result.append(d)
    return result


def build_plan(source: Source, plan_id: str) -> tuple[PlanFile | None, list[Diagnostic]]:
    """Validate loaded data into a `PlanFile`; `None` when there is any error.

    Schema validation and the reference and format-rule checks all run, whatever the
    others found, so every problem of the file is reported at once.
    """
    found: list[Diagnostic] = []
    if not re.match(PLAN_ID_PATTERN, plan_id):
        found.append(Diagnostic.said(
            source.path, source.position(()), Severity.ERROR, "CX404",
            Text.of("model.build.plan_id", id=plan_id), Text.of("model.build.plan_id.hint")))
    elif reserved_plan_id(plan_id):
        found.append(Diagnostic.said(
            source.path, source.position(()), Severity.ERROR, "CX405",
            Text.of("model.build.reserved_plan", id=plan_id),
            Text.of("model.build.reserved_plan.hint", id=plan_id)))
    plan: Plan | None = None
    schema: list[Diagnostic] = []
    try:
        plan = Plan.model_validate(source.data)
    except ValidationError as exc:
        schema = translate_all(exc, source)
    folded: Folded = {}
    checks = check_plan_data(source.data, source, folded)
    problems = _merge(found + _fold_cascades(schema, folded, source), checks)
    if problems or plan is None:
        return None, problems
    # What repeats is shared with the other plans: half of what a typed plan holds,
    # for about a tenth of the time building it takes (0.9 ms a plan).
    share_repeats(plan)
    return PlanFile(id=plan_id, plan=plan, source=source), []


_LOADED: dict[tuple[str, str | None], tuple[bytes, PlanFile | None, list[Diagnostic]]] | None = None
"""(path, display) -> (the digest of the bytes last loaded, their plan and
diagnostics), in a process that asked for it (`remember_loaded_plans`). A valid plan
is never changed after it is built."""


def remember_loaded_plans() -> None:
    """Keep every plan this process loads, so that loading the workspace again (`cxplan
    serve` after each save) builds again only the plans whose bytes changed. A command
    that loads the workspace once does not ask: it would keep where each value of every
    plan was written, long after the checks that need it (a third of what a large
    portfolio's build holds)."""
    global _LOADED
    if _LOADED is None:
        _LOADED = {}


def load_plan(path: Path, display: str | None = None) -> tuple[PlanFile | None, list[Diagnostic]]:
    """Load and build one plan file; the diagnostics are sorted.

    A valid plan comes back with the loader's warnings (a ` #` inside a value...),
    an invalid one with every error found. After line errors (tabs, unquoted ': ')
    the file is also checked as repaired, so the rest of its problems show in the
    same run.
    """
    try:
        raw = read_capped(path)
    except (LoadError, OSError):
        return _load_plan(path, display, None)  # which reports why
    if _LOADED is None:
        return _load_plan(path, display, raw)
    key = (str(path), display)
    seen = _LOADED.get(key)
    digest = hashlib.blake2b(raw).digest()
    if seen is not None and seen[0] == digest:
        return seen[1], list(seen[2])
    plan_file, problems = _load_plan(path, display, raw)
    _LOADED[key] = (digest, plan_file, problems)
    return plan_file, list(problems)


def _load_plan(
    path: Path, display: str | None, raw: bytes | None
) -> tuple[PlanFile | None, list[Diagnostic]]:
    source, problems = load_cache.load_file(path, display, raw=raw)
    plan_id = plan_id_from_path(path)
    if problems and source.data is None:
        if source.repaired is not None:
            lines = {d.line for d in problems}
            _, found = build_plan(source.repaired, plan_id)
            problems = problems + [d for d in found if d.line not in lines]
        return None, sorted(set(problems + source.warnings))
    plan_file, found = build_plan(source, plan_id)
    problems = problems + found
    if problems:
        return None, sorted(set(problems + source.warnings))
    # The YAML tree has become the plan: a loaded plan keeps its text and positions
    # only (a portfolio holds hundreds of plans in memory).
    source.data = None
    return plan_file, sorted(source.warnings)


PLAN_SUFFIXES = (".yaml", ".yml")


def _workspace_root(folder: Path) -> Path:
    """The workspace a plans folder belongs to: the nearest folder holding mkdocs.yml
    or a git repository, else the folder itself."""
    folder = folder.absolute()
    for candidate in (folder, *folder.parents):
        if (candidate / "mkdocs.yml").is_file() or (candidate / ".git").exists():
            return candidate
    return folder


def _outside_link(path: Path, root: Path) -> Diagnostic | None:
    """A refusal when `path` is a symlink (or inside a linked folder) whose real file
    lies outside the workspace: reading it would publish, or quote in messages, a file
    the workspace does not own (a link to /etc/passwd)."""
    real = path.resolve()
    inside = root.resolve()
    if real == inside or inside in real.parents:
        return None
    return Diagnostic.said(str(path), (1, 1), Severity.ERROR, "CX100",
                           Text.of("model.build.outside_link", root=str(inside)),
                           Text.of("model.build.outside_link.hint"))


def find_plan_files(
    paths: Iterable[Path], *, follow_outside_links: bool = False
) -> tuple[list[Path], list[Diagnostic]]:
    """Expand files and folders into plan files, sorted; a missing path is a diagnostic,
    and so is a plan file that is a symlink leading out of the workspace (unless
    `follow_outside_links`)."""
    found: list[Path] = []
    problems: list[Diagnostic] = []
    for path in paths:
        if path.is_dir():
            candidates = sorted(
                p for p in path.iterdir() if p.suffix in PLAN_SUFFIXES and p.is_file()
            )
            root = _workspace_root(path)
        elif path.is_file():
            candidates = [path]
            root = _workspace_root(path.parent)
        else:
            problems.append(Diagnostic.said(str(path), (1, 1), Severity.ERROR, "CX100",
                                            Text.of("model.build.missing_path")))
            continue
        for candidate in candidates:
            refused = None if follow_outside_links else _outside_link(candidate, root)
            if refused is None:
                found.append(candidate)
            else:
                problems.append(refused)
    return found, problems
