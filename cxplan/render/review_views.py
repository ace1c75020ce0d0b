"""The plan's "since the last review" page (`plans/<id>/review.md`), both editions.

The page holds the review pack (`cxplan.analyse.review`) as `cxplan review` prints it,
each item linked to its entry on the plan's pages. The team site always has the page
when history is read: the pack since the last `review/*` tag, or a note saying how to
set one (or that the plan is outside git). The customer edition has it only when there
is a pack, and then in its customer-safe form (`review.customer_pack`), computed here
from the customer view the site renders, so no caller can hand the customer the
team's pack.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from cxplan import i18n
from cxplan.analyse.review import SiteReview, customer_pack
from cxplan.render.review_pack import known_ids, page_linker, review_body
from cxplan.render.site_views import PlanSite

REVIEW_PAGE = "review"


def review_view(site: PlanSite, review: SiteReview) -> dict[str, Any] | None:
    """The page's context, or None when this edition has no such page."""
    team = site.audience == "team"
    if review.pack is None:
        if not team:
            return None
        key = "review.no_tag" if review.state == "no-tag" else "review.no_history"
        # Catalogue text (ours, not the plan's): its `code` spans are meant as Markdown.
        return {"note": Markup(i18n.text(site.language, key)), "body": Markup(""),
                "summary": i18n.text(site.language, f"{key}_short")}
    pack = review.pack if team else customer_pack(review.pack, site.plan, site.alerts)
    link = page_linker(site.id, site.page(REVIEW_PAGE), known_ids(site.plan))
    # The body is Markdown built from escaped plan text and validated ids.
    return {"note": None, "body": Markup(review_body(pack, site.language, link)),
            "summary": i18n.text(site.language, "review.summary", day=pack.since.day,
                                 done=len(pack.done), slipped=len(pack.slipped),
                                 added=len(pack.added))}
