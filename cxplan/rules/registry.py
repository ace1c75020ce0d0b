"""Every method rule, registered once, by code.

To add a rule: write a module next to the others (its docstring is its documentation,
in the what / Why: / Fix: / Example: structure), add its message and hint templates in
English and Spanish to `cxplan.rules.texts`, then list it here. Codes are stable:
a code never changes meaning and a retired code is never reused.
"""

from __future__ import annotations

from cxplan.diagnostics import CodeDoc
from cxplan.rules import (
    area_without_action,
    area_without_stakeholder,
    area_without_value,
    broken_commitment,
    late_customer_step,
    late_delivery,
    late_quick_win,
    moment_without_value,
    moved_contact,
    moving_due_date,
    no_change_management,
    no_economic_buyer,
    no_quick_win,
    overdue_action,
    overloaded_person,
    owner_not_core,
    renewal_90,
    renewal_180,
    role_left,
    several_economic_buyers,
    silo,
    single_threaded,
    social_only_channels,
    stale_kpi,
    stale_relationship,
    undelivered_commitment,
    unowned_risk,
)
from cxplan.rules.base import Rule

_MODULES = (
    no_quick_win,
    late_quick_win,
    overdue_action,
    undelivered_commitment,
    late_delivery,
    broken_commitment,
    no_economic_buyer,
    several_economic_buyers,
    unowned_risk,
    area_without_stakeholder,
    area_without_action,
    area_without_value,
    moment_without_value,
    silo,
    no_change_management,
    social_only_channels,
    stale_kpi,
    overloaded_person,
    owner_not_core,
    single_threaded,
    stale_relationship,
    moving_due_date,
    late_customer_step,
    role_left,
    moved_contact,
    renewal_180,
    renewal_90,
)

REGISTRY: dict[str, Rule] = {
    rule.code: rule
    for rule in sorted((Rule.from_module(m) for m in _MODULES), key=lambda r: r.code)
}
"""Code -> rule, in code order."""

# Codes of the rules layer itself (not method rules), for the diagnostics reference.
UNKNOWN_RULE_CODE = "CX500"
RULES_LAYER_CODES: dict[str, CodeDoc] = {
    UNKNOWN_RULE_CODE: CodeDoc(
        UNKNOWN_RULE_CODE,
        "Unknown rule code in settings",
        "The `rules` option of the cxplan plugin in `mkdocs.yml` names a code that no "
        "method rule has; a typo there would silently leave the rule as it was.",
    ),
}
