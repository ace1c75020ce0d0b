"""The rule findings of a plan kept between runs, for the same plan in the same context.

Checking a portfolio's rules is about half of what `cxplan build` spends before its
first page when one plan of 100 changed (0.5 s: the rules themselves, then thousands
of messages put in words), and all but one plan's findings are the ones the run before
found. An entry is used only when everything a rule reads is the same:

- the plan file (its name, where it is shown from, the digest of its text: the
  positions and the `# cxplan: ignore[...]` comments follow from the text);
- the workspace's settings and the as-of date;
- what the portfolio tells of this plan: the open actions and plans of each person on
  its team (CX518), the moves of people to or from it (CX532), its git history when
  the settings read it (CX522);
- cxplan's own code and texts (`files.folder_digest` of the package): a new rule or
  a reworded message makes every entry stale.

Entries are JSON data in the cache of parsed plans (`load_cache.cached_json`), never
code; the cache turned off (`CXPLAN_CACHE_DIR=`) turns this off too.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cxplan
from cxplan.diagnostics import Diagnostic, Severity
from cxplan.files import folder_digest
from cxplan.load_cache import cached_json
from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, ItemRef

KIND = "findings/1"


@functools.cache
def _code_digest() -> str:
    """cxplan's code and texts as this process runs them (read once)."""
    return "\0".join([cxplan.__version__, *folder_digest(Path(cxplan.__file__).parent)])


def context_of(plan_file: PlanFile, context: Context) -> bytes:
    """Everything the findings of `plan_file` are made of (see the module docstring)."""
    config = context.config
    team = sorted({m.id for m in plan_file.plan.team})
    parts = [
        _code_digest(), plan_file.id, plan_file.path, plan_file.digest,
        config.model_dump_json(), context.as_of.isoformat(),
        repr([(p, context.open_actions.get(p), context.plans_by_person.get(p)) for p in team]),
        repr([m for m in context.moves if plan_file.id in (m.from_plan, m.to_plan)]),
    ]
    if config.history:
        parts.append(repr(context.history.of(Path(plan_file.path))))
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogateescape")).digest()


def kept_findings(plan_file: PlanFile, context: Context,
                  find: Callable[[], list[Any]], rebuild: Callable[..., Any]) -> list[Any]:
    """`find()` (the plan's findings, in order), or the findings kept for this plan in
    this context. `rebuild(diagnostic, rule_code, item, page, anchor, message_key,
    hint_key, facts)` makes a finding again from what was kept."""
    found: list[list[Any]] = []  # what `find()` gave, when the cache had nothing

    def make() -> list[Any] | None:
        found.append(find())
        try:
            return [_finding_json(f) for f in found[0]]
        except TypeError:  # a fact JSON cannot keep: nothing kept, found each time
            return None

    slot = str(Path(plan_file.path).absolute())
    kept = cached_json(KIND, slot, context_of(plan_file, context), make, _valid)
    if found:
        return found[0]
    try:
        return [_finding_from_json(plan_file.path, entry, rebuild) for entry in kept]
    except (ValueError, KeyError, TypeError):  # a damaged entry: found again
        return find()


def _valid(kept: Any) -> bool:
    return isinstance(kept, list) and all(isinstance(e, list) and len(e) == 12 for e in kept)


def _finding_json(finding: Any) -> list[Any]:
    d = finding.diagnostic
    item = [finding.item.section, finding.item.id] if finding.item is not None else None
    return [d.line, d.column, str(d.severity), d.code, d.message, d.hint, item,
            finding.page, finding.anchor, finding.message_key, finding.hint_key,
            {name: _fact_json(value) for name, value in finding.facts.items()}]


def _fact_json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, tuple):
        return {"ids": list(value)}
    if isinstance(value, str | int) and not isinstance(value, bool):
        return value
    raise TypeError(f"not a fact: {value!r}")  # not kept: the plan is checked each time


def _fact_from_json(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"date"}:
        return dt.date.fromisoformat(value["date"])
    if isinstance(value, dict) and set(value) == {"ids"} and isinstance(value["ids"], list):
        return tuple(str(i) for i in value["ids"])
    if isinstance(value, str | int) and not isinstance(value, bool):
        return value
    raise ValueError(f"not a fact: {value!r}")


def _finding_from_json(path: str, entry: list[Any], rebuild: Callable[..., Any]) -> Any:
    line, column, severity, code, message, hint, item, page, anchor, mkey, hkey, facts = entry
    diagnostic = Diagnostic.as_made(path, int(line), int(column), Severity(severity),
                                    str(code), str(message), str(hint))
    ref = ItemRef(str(item[0]), str(item[1])) if item is not None else None
    return rebuild(diagnostic, code, ref, str(page), str(anchor), str(mkey), str(hkey),
                   {str(k): _fact_from_json(v) for k, v in facts.items()})
