"""Every default of a setting, in one place (base layer: every stage may import it).

The workspace settings (`cxplan.config.WorkspaceConfig`) take their defaults from here,
and so does any function that works without the settings (the power map drawn from the
command line, a report on one plan), so the two can never disagree.
"""

from __future__ import annotations

STALE_DAYS = 90
"""A relationship with no contact for longer than this is stale."""
KPI_STALE_DAYS = 90
"""A KPI with no reading for longer than this is not being measured."""
DUE_SOON_DAYS = 14
"""Open actions due within this many days are listed as due soon."""
MAX_OPEN_ACTIONS = 8
"""A person with more open actions than this is overloaded."""
MAX_DUE_MOVES = 2
"""An action whose due date moved more often than this is flagged."""
QUICK_WIN_DAYS = 30
"""A quick win must be due within this many days of the plan's start (a plan field)."""
RENEWAL_WINDOWS = (180, 90)
"""Days before the renewal at which the rules speak, the wider window first (CX535
speaks in the first, CX536 in the second)."""
