"""Method rules: checks that coach a valid plan towards the method.

Each rule is a small module registering itself in `REGISTRY`; `run_rules` applies the
workspace's settings (off, re-graded) and inline `# cxplan: ignore[CODE]` comments.
"""

from __future__ import annotations

import datetime as dt

from cxplan.config import WorkspaceConfig
from cxplan.diagnostics import Diagnostic
from cxplan.model.workspace import Workspace


def run_rules(workspace: Workspace, config: WorkspaceConfig, as_of: dt.date) -> list[Diagnostic]:
    """Findings of every enabled rule on every valid plan of the workspace."""
    return []
