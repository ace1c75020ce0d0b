"""The account is single-threaded: every stakeholder relationship that has an `owner` is
owned by the same one person of ours (stakeholders without an owner do not count; a
power map with no owner at all is not judged here).

Why: the method asks to share the customer's interlocutors out inside the team. An
account held by one person of ours depends on that person's calendar, memory and
continued presence; when they leave or fall out with the customer, the relationship
goes with them. Several threads also carry the plan into more of our departments.

Fix: give the other stakeholders owners from the team (`owner:` on each stakeholder),
ideally matching each of their areas with our department that serves it.

Example:
    stakeholders:
      - id: coo
        owner: mara
      - id: cfo
        owner: mara
      - id: it-director
        owner: mara            # one thread only
"""

from __future__ import annotations

from collections.abc import Iterator

from cxplan.analyse.powermap import single_threaded
from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit

CODE = "CX520"
NAME = "single-threaded"
SEVERITY = "warning"
PAGE = "power-map.md"


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    thread = single_threaded(plan_file.plan)
    if not thread.is_single:
        return
    yield Hit(
        "rules.CX520.message",
        loc=("stakeholders",),
        key=True,
        facts={"owner": thread.owners[0], "stakeholders": tuple(thread.covered)},
    )
