"""The plan has no change management: no action (other than dropped ones) of
`kind: training` or `kind: people`.

Why: building the tool and assuming people will use it is a classic failure; culture
beats technology. Step 4 of the method makes the internal changes in processes *and
people*: training, roles, backups, briefings. A plan with only process, brand and
communication actions changes systems and hopes the people follow.

Fix: add the actions that prepare people: training for the customer's users or for
our own staff (`kind: training`), and named roles, backups or briefings
(`kind: people`).

Example:
    actions:                     # processes and communication only
      - id: a-edi
        kind: process
      - id: a-newsletter
        kind: communication
      # missing e.g.:
      # - id: a-shift-training
      #   kind: training
"""

from __future__ import annotations

from collections.abc import Iterator

from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit

CODE = "CX515"
NAME = "no-change-management"
SEVERITY = "warning"
PAGE = "actions.md"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    actions = plan_file.plan.actions
    if any(a.kind in ("training", "people") and a.status != "dropped" for a in actions):
        return
    yield Hit("rules.CX515.message", loc=("actions",), key=True)
