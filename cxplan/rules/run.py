"""Running the rules: severity settings, inline ignore comments, positions and links.

This is the one place where a rule's `Hit` becomes a `Diagnostic`:

1. the workspace's `rules` option switches a rule off or re-grades it
   (`{CX503: error, CX513: off}`);
2. an inline comment `# cxplan: ignore[CX503]` (or `ignore[CX503,CX521]`) silences a
   finding when it is written on the first line of the item the finding is about
   (the `- id: ...` line) or on the finding's own line; a finding about the plan as a
   whole is also silenced from the `plan:` line;
3. the position comes from the source, so `validate` prints `file:line:col`.
4. the message and hint are the hit's facts in the workspace's language (the
   plugin's `language` option, English without one), as `validate` prints them; the
   `Finding` keeps the facts, so the site can show them in each plan's language.

The comment is found by text on those lines: a `# cxplan: ignore[...]` written inside
a quoted string on them would count too, which is harmless and keeps this simple.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from cxplan.addresses import item_link
from cxplan.analyse.history import HistoryBook
from cxplan.analyse.moves import moved
from cxplan.analyse.tracking import is_open
from cxplan.config import WorkspaceConfig
from cxplan.diagnostics import Diagnostic, Severity
from cxplan.model.build import PlanFile
from cxplan.model.workspace import Workspace
from cxplan.rules.base import Context, Hit, ItemRef, Rule
from cxplan.rules.kept_findings import kept_findings
from cxplan.rules.registry import REGISTRY, UNKNOWN_RULE_CODE
from cxplan.rules.wording import Fact, render_text

_IGNORE = re.compile(r"#\s*cxplan:\s*ignore\[([^\]]*)\]", re.IGNORECASE)

@dataclass(frozen=True)
class Finding:
    """A rule finding as the site shows it: the diagnostic and where its item lives.

    `page` is relative to the plan's folder (`actions.md`, `areas/it.md`; empty for the
    overview itself); `anchor` is without `#` (`action-a1`), empty when the page itself
    is the target.
    """

    diagnostic: Diagnostic
    rule: Rule
    item: ItemRef | None
    page: str
    anchor: str
    message_key: str
    hint_key: str
    facts: Mapping[str, Fact]
    """What the rule found; the diagnostic's message and hint are these facts in the
    workspace's templates, `message_in` / `hint_in` give them in another language."""

    def message_in(self, language: str) -> str:
        """The message in `language` (English when the language is unknown)."""
        return render_text(language, self.message_key, self.facts)

    def hint_in(self, language: str) -> str:
        return render_text(language, self.hint_key, self.facts)

    # The diagnostic's fields, readable on the finding itself (templates use them).
    @property
    def code(self) -> str:
        return self.diagnostic.code

    @property
    def severity(self) -> Severity:
        return self.diagnostic.severity

    @property
    def message(self) -> str:
        return self.diagnostic.message

    @property
    def hint(self) -> str:
        return self.diagnostic.hint

    @property
    def path(self) -> str:
        return self.diagnostic.path

    @property
    def line(self) -> int:
        return self.diagnostic.line

    @property
    def column(self) -> int:
        return self.diagnostic.column

    @property
    def link(self) -> str:
        """`page#anchor`, relative to the plan's overview page."""
        return self.page + (f"#{self.anchor}" if self.anchor else "")


def ignored_codes(line: str) -> set[str]:
    """Codes named by `# cxplan: ignore[...]` comments on one source line, uppercased."""
    codes: set[str] = set()
    for match in _IGNORE.finditer(line):
        codes.update(c.strip().upper() for c in match.group(1).split(",") if c.strip())
    return codes


def _link(rule: Rule, item: ItemRef | None) -> tuple[str, str]:
    if item is None:
        return rule.page, ""
    return item_link(item.section, item.id)


def _item_line(plan_file: PlanFile, item: ItemRef | None) -> int:
    source = plan_file.source
    if item is None:
        return source.position(("plan",), key=True)[0]
    for index, entry in enumerate(getattr(plan_file.plan, item.section)):
        if entry.id == item.id:
            return source.position((item.section, index))[0]
    return 0


def _is_ignored(plan_file: PlanFile, lines: list[str], code: str, hit: Hit, line: int) -> bool:
    if not lines:
        return False
    for number in {line, _item_line(plan_file, hit.item)}:
        if 1 <= number <= len(lines) and code in ignored_codes(lines[number - 1]):
            return True
    return False


def _level(rule: Rule, config: WorkspaceConfig) -> Severity | None:
    setting = config.rules.get(rule.code)
    if setting is None:
        return rule.severity
    if setting == "off":
        return None
    return Severity(setting)


def _open_actions(plan_files: Iterable[PlanFile]) -> tuple[Counter[str], Counter[str]]:
    """Open actions per person over all plans, and in how many plans each has some."""
    actions: Counter[str] = Counter()
    plans: Counter[str] = Counter()
    for plan_file in plan_files:
        mine = Counter(a.owner for a in plan_file.plan.actions if is_open(a))
        actions.update(mine)
        plans.update(mine.keys())
    return actions, plans


def _context(
    config: WorkspaceConfig, as_of: dt.date, portfolio: Sequence[PlanFile]
) -> Context:
    actions, plans = _open_actions(portfolio)
    return Context(
        config=config, as_of=as_of, open_actions=actions, plans_by_person=plans,
        moves=tuple(moved(portfolio)),
    )


def _findings(plan_file: PlanFile, context: Context) -> list[Finding]:
    found: list[Finding] = []
    # Only a file that has an ignore comment at all needs its lines looked at.
    text = plan_file.source.text
    lines = text.splitlines() if _IGNORE.search(text) else []
    language = context.config.language or "en"
    for rule in REGISTRY.values():
        severity = _level(rule, context.config)
        if severity is None:
            continue
        for hit in rule.check(plan_file, context):
            line, column = plan_file.source.position(hit.loc, key=hit.key)
            if _is_ignored(plan_file, lines, rule.code, hit, line):
                continue
            hint_key = hit.hint or f"rules.{rule.code}.hint"
            diagnostic = Diagnostic(
                plan_file.path, line, column, severity, rule.code,
                render_text(language, hit.message, hit.facts),
                render_text(language, hint_key, hit.facts),
            )
            page, anchor = _link(rule, hit.item)
            found.append(
                Finding(diagnostic, rule, hit.item, page, anchor, hit.message, hint_key, hit.facts)
            )
    return sorted(found, key=lambda f: f.diagnostic)


def plan_findings(
    plan_file: PlanFile,
    config: WorkspaceConfig,
    as_of: dt.date,
    *,
    portfolio: Sequence[PlanFile] | None = None,
) -> list[Finding]:
    """The findings of one plan after settings and ignore comments, sorted by position.

    `portfolio` is every plan published together (the plan itself included): people's
    open actions are counted across it. Without it, only this plan counts. Give the
    full (team) plan: findings name stakeholders, so they belong on the team site only.
    """
    plans = list(portfolio) if portfolio is not None else [plan_file]
    if all(p is not plan_file for p in plans):
        plans.append(plan_file)
    return _findings(plan_file, _context(config, as_of, plans))


def config_problems(config: WorkspaceConfig) -> list[Diagnostic]:
    """Rule codes in the `rules` option that no rule has (a typo would silently do nothing)."""
    problems = []
    for code in sorted(config.rules):
        if code in REGISTRY:
            continue
        close = difflib.get_close_matches(code.upper(), list(REGISTRY), n=1)
        hint = f"did you mean '{close[0]}'?" if close else "the docs' rules reference lists them"
        if code.upper() in REGISTRY:
            hint = f"rule codes are uppercase: '{code.upper()}'"
        problems.append(
            Diagnostic(
                "mkdocs.yml", 1, 1, Severity.ERROR, UNKNOWN_RULE_CODE,
                f"plugin option 'rules' names '{code}', which is not a rule code "
                f"(method rules are {min(REGISTRY)}..{max(REGISTRY)})",
                hint,
            )
        )
    return problems


def portfolio_findings(
    plan_files: Sequence[PlanFile], config: WorkspaceConfig, as_of: dt.date,
    *, only: Callable[[PlanFile], bool] | None = None,
) -> dict[str, list[Finding]]:
    """Every plan's findings (plan id -> findings), with the one shared context
    `run_rules` uses: the site's plan-health panels show what `validate` reports.
    (Calling `plan_findings` per plan would count the portfolio's open actions once per
    plan, which grows with the square of the portfolio.) With `only`, the findings of
    the plans it picks, in the same context: the same findings those plans have among
    all of them (`cxplan serve` shows a saved plan first with these)."""
    picked = [p for p in plan_files if only is None or only(p)]
    context = _context(config, as_of, plan_files)
    # The histories of the plans checked read together, if a rule asks (one `git log`
    # per repository); a rule reads the history of the plan it checks only.
    context = replace(context, history=HistoryBook([p.path for p in picked]))
    return {plan_file.id: kept_findings(plan_file, context,
                                        partial(_findings, plan_file, context), _finding)
            for plan_file in picked}


def _finding(diagnostic: Diagnostic, code: str, *fields: Any) -> Finding:
    """A kept finding made again (`kept_findings`); KeyError for a rule gone."""
    return Finding(diagnostic, REGISTRY[code], *fields)


def run_rules(workspace: Workspace, config: WorkspaceConfig, as_of: dt.date) -> list[Diagnostic]:
    """Findings of every enabled rule on every valid plan of the workspace."""
    diagnostics = config_problems(config)
    for found in portfolio_findings(workspace.plans, config, as_of).values():
        diagnostics.extend(f.diagnostic for f in found)
    return diagnostics
