"""Site addresses: the one owner of page paths, anchors and URLs.

Everything that links into the site asks here: the page generators (`pages.py`,
`site_views.py`), the templates (through the `href` filter of `site_env.py`), the rule
findings (`rules/run.py` names a page and an anchor per kind of item) and the
publisher (`cxplan.publish`), which mounts each account's own MkDocs site under the
portfolio.

Two kinds of address:

- a *source path* (`plans/acme/actions.md#action-a1`), what generators and templates
  use; one namespace for the whole workspace, whether it is published as one site (the
  MkDocs plugin on its own) or as one site per account (`cxplan build`);
- a *URL*, what a browser follows, which depends on `use_directory_urls`.

When each account is its own site, a link from one site to another (a plan page to a
person's page, the portfolio to a plan) cannot be a Markdown link to a source file:
MkDocs would look for it among the linking site's own files. Such links are written
as `cxsite:<source path>` (a scheme MkDocs leaves alone) and turned into relative URLs
by the plugin once the page's own URL is known (`resolve_cross_site`).
"""

from __future__ import annotations

import re

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


def area_page(plan_id: str, area_id: str) -> str:
    return f"{plan_root(plan_id)}areas/{area_id}.md"


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


# --- sites ----------------------------------------------------------------------------

_PLAN_PATH = re.compile(r"plans/([^/]+)/")


def site_of(path: str) -> str:
    """The mount of the site that holds the source path `path` when each account is its
    own site: `plans/<id>/` for a plan's pages and downloads, "" for the portfolio."""
    match = _PLAN_PATH.match(path)
    return match.group(0) if match else ""


CROSS_SITE = "cxsite:"
_CROSS_SITE_LINK = re.compile(r'(href|src)="cxsite:([^"#]*)(#[^"]*)?"')


def cross_site(target: str) -> str:
    """A link to another account's (or the portfolio's) site, resolved later."""
    return CROSS_SITE + target


def page_url(path: str, directory_urls: bool) -> str:
    """The URL (from the root of the whole output) of the source path `path`, as
    MkDocs makes it: `a/index.md` -> `a/`, `a/b.md` -> `a/b/` or `a/b.html`; other
    files keep their path."""
    if not path.endswith(".md"):
        return path
    stem = path[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5] if directory_urls else stem + ".html"
    return stem + "/" if directory_urls else stem + ".html"


def relative_url(target_url: str, from_url: str) -> str:
    """`target_url` relative to the page at `from_url` (both from the output's root)."""
    here = from_url.split("/")[:-1]
    there = target_url.split("/")
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    relative = "/".join([".."] * (len(here) - common) + there[common:])
    return relative or "./"


def resolve_cross_site(html: str, page: str, directory_urls: bool) -> str:
    """Every `cxsite:` link of `html` as a URL relative to `page` (the URL of the page
    from the output's root)."""

    def resolve(match: re.Match[str]) -> str:
        url = relative_url(page_url(match.group(2), directory_urls), page)
        return f'{match.group(1)}="{url}{match.group(3) or ""}"'

    return _CROSS_SITE_LINK.sub(resolve, html)


def cross_site_targets(html: str) -> list[str]:
    """The source paths `html` links to in other sites (to check that they exist)."""
    return [m.group(2) for m in _CROSS_SITE_LINK.finditer(html)]
