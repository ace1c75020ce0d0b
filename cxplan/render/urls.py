"""Site addresses: the one owner of page paths, anchors and URLs (the paths and anchors
held by the base module `cxplan.addresses`, re-exported here).

Everything that links into the site asks here: the page generators (`pages.py`,
`site_views.py`), the templates (through the `href` filter of `site_env.py`), the rule
findings (`rules/run.py`, through `cxplan.addresses.item_link`) and the
publisher (`cxplan.publish`), which mounts each account's own MkDocs site under the
portfolio.

The source paths and anchors are `cxplan.addresses`' (a base module, so the rules can
use them too); they are re-exported here. Two kinds of address:

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

from cxplan.addresses import (  # noqa: F401  (re-exported: one owner, two layers)
    CSS_PATH,
    HOME,
    ITEM_PAGES,
    PEOPLE,
    PLANS_FOLDER,
    PORTFOLIO,
    PORTFOLIO_QUICK_WINS,
    RESERVED_CUSTOMER_IDS,
    RESERVED_TEAM_IDS,
    area_page,
    area_path,
    customer_page_url,
    item_anchor,
    item_link,
    item_target,
    person_calendar,
    person_page,
    plan_downloads,
    plan_page,
    plan_root,
    plan_target,
)

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
