"""A commitment was perceived below the expectation it created: `perceived` is lower
than `expectation` (its satisfaction, `perceived - expectation`, is below zero).

Why: satisfaction is what is perceived minus what was expected. A broken commitment
produces dissatisfaction even when what was delivered is good, and the person who
received the promise remembers it. The method treats it as something to repair
openly, not to file away.

Fix: plan a recovery: an action owned by someone that addresses the gap with the
person or area who received the promise (list the commitment in its `commitments` or
the stakeholder in its `stakeholders`). When it is repaired and measured again, update
`perceived`. If the finding is understood and handled, silence it on the commitment's
line with `# cxplan: ignore[CX506]`.

Example:
    commitments:
      - id: c-invoice-credits
        promise: Credit the 14 disputed invoices within 30 days
        to: finance
        owner: lena
        due: 2026-09-30
        expectation: 4
        perceived: 2            # satisfaction -2: broken
"""

from __future__ import annotations

from collections.abc import Iterator

from cxplan.analyse.tracking import satisfaction
from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit, item_hit

CODE = "CX506"
NAME = "broken-commitment"
SEVERITY = "warning"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    for commitment in plan_file.plan.commitments:
        score = satisfaction(commitment)
        if score is None or score >= 0 or commitment.perceived is None:
            continue
        yield item_hit(
            "rules.CX506.message", plan_file, "commitments", commitment.id, "perceived",
            facts={
                "commitment": commitment.id,
                "to": commitment.to,
                "perceived": commitment.perceived,
                "expectation": commitment.expectation,
                "satisfaction": score,
                "owner": commitment.owner,
            },
        )
