"""Method rules: checks that coach a valid plan towards the method.

Each rule is a small module (its docstring is its documentation) registered in
`REGISTRY`; `run_rules` applies the workspace's settings (off, re-graded) and inline
`# cxplan: ignore[CODE]` comments, and `plan_findings` does the same for one plan with
the link target of each finding, for the site's plan-health panel.
"""

from __future__ import annotations

from cxplan.rules.base import Context, Hit, ItemRef, Rule, RuleDoc
from cxplan.rules.registry import REGISTRY, RULES_LAYER_CODES, UNKNOWN_RULE_CODE
from cxplan.rules.run import Finding, config_problems, ignored_codes, plan_findings, run_rules

__all__ = [
    "REGISTRY",
    "RULES_LAYER_CODES",
    "UNKNOWN_RULE_CODE",
    "Context",
    "Finding",
    "Hit",
    "ItemRef",
    "Rule",
    "RuleDoc",
    "config_problems",
    "ignored_codes",
    "plan_findings",
    "run_rules",
]
