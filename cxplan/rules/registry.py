"""Every method rule, registered once, by code.

To add a rule: write a module next to the others (its docstring is its documentation,
in the what / Why: / Fix: / Example: structure) and its title, advice, message and hint
in every catalogue file of `cxplan/i18n/catalogue/`; it is found here by its `CODE`
(no list to extend). Codes are stable:
a code never changes meaning and a retired code is never reused.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

from cxplan.diagnostics import CodeDoc
from cxplan.rules.base import Rule

_MACHINERY = frozenset({"base", "registry", "run", "wording"})
"""The modules of this package that run the rules rather than being one."""


def _rule_modules() -> list[ModuleType]:
    """Every module of this package that declares a rule (a `CODE` and a `check`)."""
    found = []
    # by folder, not by `cxplan.rules.__path__`: this runs while the package is imported
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name in _MACHINERY:
            continue
        module = importlib.import_module(f"{__package__}.{info.name}")
        if hasattr(module, "CODE") and hasattr(module, "check"):
            found.append(module)
    return found


REGISTRY: dict[str, Rule] = {
    rule.code: rule
    for rule in sorted((Rule.from_module(m) for m in _rule_modules()), key=lambda r: r.code)
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
