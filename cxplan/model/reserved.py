"""Names the published site writes itself, at each level: refused as ids.

A plan becomes the folder `plans/<plan id>/` and a team member the page
`people/<person id>.md` and calendar `people/<person id>.ics`, next to the site's own
files at those levels. An id equal to one of those (`index` would replace the people
index, `quick-wins` the portfolio's quick-win board) or ending like a generated file
(`x.ics` next to person `x`'s calendar) would silently replace a page or crash the
build, so the model refuses them. The table lives here, in the model layer, because a
model check may not import the renderer; a test keeps it in step with what
`cxplan.render.pages` actually writes.
"""

from __future__ import annotations

# What the site writes in `plans/` besides the plan folders: `index.md` (the portfolio)
# and `quick-wins.md` (the portfolio's quick-win board).
PLAN_LEVEL = frozenset({"index", "quick-wins"})
# What it writes in `people/` besides the person pages: `index.md` (the people index).
PEOPLE_LEVEL = frozenset({"index"})
# The site's top level, which a plan or person never reaches, listed for completeness
# (the site's own folders: MkDocs' `assets`, `search`, `404.html`, `sitemap.xml`).
TOP_LEVEL = frozenset({"index", "plans", "people", "assets", "search", "404", "sitemap"})
# Endings of generated files: a person id ending so would collide with another
# person's files (`x.ics` is person `x`'s calendar).
OUTPUT_SUFFIXES = (".md", ".ics", ".csv", ".html", ".svg", ".xml", ".json", ".gz")


def reserved_plan_id(plan_id: str) -> bool:
    return plan_id.lower() in PLAN_LEVEL


def reserved_person_id(person_id: str) -> bool:
    folded = person_id.lower()
    return folded in PEOPLE_LEVEL or folded.endswith(OUTPUT_SUFFIXES)
