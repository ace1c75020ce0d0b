"""A moment of the purchase or consumption sequence has no `values` for any area.

Why: the method lays out the moments first, then finds what the customer values at
each one, by area. A moment with nothing valued is a step of the sequence the plan has
not thought through: nobody knows what would make it go well for the customer.

Fix: add, under the moment, what each area taking part values there (a text or a list
of texts per area id), or remove the moment if it is not part of this customer's
sequence.

Example:
    moments:
      - id: invoicing
        name: Invoicing and disputes
        phase: consumption
        # missing:
        # values:
        #   finance: Invoice matches PO and ASN line by line
"""

from __future__ import annotations

from collections.abc import Iterator

from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit, item_hit

CODE = "CX513"
NAME = "moment-without-value"
SEVERITY = "info"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    for moment in plan_file.plan.moments:
        if any(_has_text(v) for v in moment.values.values()):
            continue
        yield item_hit(
            "rules.CX513.message", plan_file, "moments", moment.id,
            facts={"moment": moment.id, "name": moment.name},
        )


def _has_text(value: str | list[str]) -> bool:
    texts = [value] if isinstance(value, str) else value
    return any(text.strip() for text in texts)
