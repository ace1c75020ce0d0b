"""Site addresses as the stages before rendering know them: source paths and anchors.

The pages a plan's site is made of, where each kind of item has its entry, and the
anchor of that entry. A base module (it imports nothing of cxplan) so that the rules,
which come before rendering, name the same pages and anchors as the views and
templates do; `cxplan.render.urls` builds the URLs, sites and cross-site links on it.
"""

from __future__ import annotations

# --- source paths ---------------------------------------------------------------------

PORTFOLIO = "plans/index.md"
PORTFOLIO_QUICK_WINS = "plans/quick-wins.md"
PEOPLE = "people/index.md"
HOME = "index.md"
CSS_PATH = "assets/cxplan.css"

PLANS_FOLDER = "plans"
"""Each plan's pages are under `plans/<plan-id>/`."""

RESERVED_TEAM_IDS = frozenset({"index", "quick-wins"})
"""Plan ids whose folder `plans/<id>/` would meet a portfolio page's address."""
RESERVED_CUSTOMER_IDS = frozenset({PLANS_FOLDER})
"""A customer edition is `OUT/<plan-id>/`; `OUT/plans/` holds the redirects of the
addresses the single-site customer edition used."""


def plan_root(plan_id: str) -> str:
    """The folder of a plan's pages, `plans/<id>/`: the mount of its own site."""
    return f"{PLANS_FOLDER}/{plan_id}/"


def plan_page(plan_id: str, name: str = "index") -> str:
    return f"{plan_root(plan_id)}{name}.md"


def area_path(area_id: str) -> str:
    """An area's page relative to its plan's folder: `areas/<area-id>.md`."""
    return f"areas/{area_id}.md"


def area_page(plan_id: str, area_id: str) -> str:
    return plan_root(plan_id) + area_path(area_id)


def person_page(person_id: str) -> str:
    return f"people/{person_id}.md"


def person_calendar(person_id: str) -> str:
    return f"people/{person_id}.ics"


def plan_downloads(plan_id: str) -> tuple[str, str]:
    return f"{plan_root(plan_id)}{plan_id}.ics", f"{plan_root(plan_id)}{plan_id}.csv"


def customer_page_url(base: str, plan_id: str, current: str) -> str:
    """The address of page `current` (`index`, `actions`, `areas/ops`...) of plan
    `plan_id`'s customer edition published under `base`: one self-contained site per
    account at `<base>/<plan-id>/`, its pages named like the team site's pages of that
    plan (`cxplan build --audience customer`)."""
    return f"{base}{plan_id}/" + ("" if current == "index" else f"{current}/")


# --- anchors --------------------------------------------------------------------------

ITEM_PAGES: dict[str, tuple[str, str]] = {
    "actions": ("actions.md", "action-"),
    "commitments": ("commitments.md", "commitment-"),
    "stakeholders": ("power-map.md", "stakeholder-"),
    "kpis": ("kpis.md", "kpi-"),
    "customer_steps": ("mutual.md", "step-"),
    "moments": ("journey.md", "moment-"),
    "team": ("team.md", ""),
}
"""Where each kind of item is shown on a plan's site (the page relative to the plan's
folder) and the anchor prefix of its entry there."""


def item_anchor(kind: str, item_id: str) -> str:
    """The anchor (without `#`) of an item's entry on its page."""
    return ITEM_PAGES[kind][1] + item_id


def item_target(plan_id: str, kind: str, item_id: str) -> str:
    """The source path and anchor of an item's entry: `plans/acme/actions.md#action-a1`."""
    page, prefix = ITEM_PAGES[kind]
    return f"{plan_root(plan_id)}{page}#{prefix}{item_id}"


def item_link(kind: str, item_id: str) -> tuple[str, str]:
    """(the page relative to the plan's folder, the anchor without `#`) of an item of
    section `kind`: `("actions.md", "action-a1")`, `("areas/ops.md", "")` for an area
    (its own page), `("", "")` for a kind the site does not show as an entry."""
    if kind == "areas":
        return area_path(item_id), ""
    page, prefix = ITEM_PAGES.get(kind, ("", ""))
    return page, (prefix + item_id if prefix else "")


def plan_target(plan_id: str, page: str, anchor: str = "") -> str:
    """The source path of `page` (relative to the plan's folder; empty: the overview)
    with `#anchor` when there is one: `plans/acme/actions.md#action-a1`."""
    return plan_root(plan_id) + (page or "index.md") + (f"#{anchor}" if anchor else "")
