"""The Jinja2 environment the site's pages are rendered with.

Templates produce Markdown, so the environment escapes for Markdown the way an HTML
environment autoescapes for HTML: every `{{ value }}` goes through `finalize`, which
escapes plain strings with `md_inline` and lets through only `Markup` values, which
the Python side creates for things it built itself (links from validated ids,
sanitised HTML, SVG pictures). A template cannot forget to escape a plan's text.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from cxplan import i18n
from cxplan.render import urls
from cxplan.render.text import front_matter, html_text, md_inline


def shipped_templates_dir() -> Path:
    """Where the templates that come with cxplan are.

    Installed from a wheel, they are package data (`cxplan/site_templates`: pyproject
    force-includes the repository's `site_templates/` there). In an editable install of
    a checkout they are not copied into the package, so they are read from the
    repository root next to it.
    """
    packaged = importlib.resources.files("cxplan").joinpath("site_templates")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "site_templates"


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return md_inline(value)


def format_number(value: float) -> str:
    """Numbers as a person writes them: 96 not 96.0, 3.8 not 3.80000001."""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.6g}"
    return str(value)


@jinja2.pass_context
def _href(context: jinja2.runtime.Context, target: str) -> Markup:
    """A link from the page being rendered to `target` (a source path, maybe with
    `#anchor`). Targets are built from validated ids, so the result is trusted."""
    page = context["page_path"]
    path, _, anchor = str(target).partition("#")
    if not path or path == page:
        return Markup("#" + anchor if anchor else "#")
    if context.get("split_sites") and urls.site_of(path) != urls.site_of(page):
        # Each account is its own MkDocs site: the plugin resolves this address.
        return Markup(urls.cross_site(path) + ("#" + anchor if anchor else ""))
    return Markup(relative_path(path, page) + ("#" + anchor if anchor else ""))


@functools.lru_cache(maxsize=65536)
def relative_path(target: str, page: str) -> str:
    """`target` relative to the folder of `page`; both are paths inside the site.
    (posixpath.relpath would ask the operating system for the current folder twice
    per link, and a page has hundreds of links.)"""
    here = page.split("/")[:-1]
    there = target.split("/")
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])


@jinja2.pass_context
def _link(context: jinja2.runtime.Context, target: Any) -> Markup:
    """A Markdown link to a `Link` (text and target); empty for None."""
    if target is None:
        return Markup("")
    return Markup(f"[{md_inline(target.text)}]({_href(context, target.target)})")


def _raw_href(target: str) -> Markup:
    """The address of `target` (a source path, maybe with `#anchor`) in raw HTML,
    where MkDocs does not turn source paths into URLs: a `cxsite:` address, which the
    plugin resolves on every page of a per-account build (`split_sites` only)."""
    path, _, anchor = str(target).partition("#")
    return Markup((urls.cross_site(path) if path else "") + ("#" + anchor if anchor else ""))


def _anchor(target: Any) -> Markup:
    """An HTML link to a `Link` (text and target), for raw HTML; empty for None."""
    if target is None:
        return Markup("")
    # An f-string of escaped parts, not `Markup.format`: the same text, made four
    # times faster (the portfolio's board and people pages hold thousands of links).
    return Markup(f'<a href="{_raw_href(target.target)}">{escape(target.text)}</a>')


@jinja2.pass_context
def _links(context: jinja2.runtime.Context, targets: Any, separator: str = ", ") -> Markup:
    """Several links, comma-separated (or `separator`)."""
    return Markup(separator.join(_link(context, t) for t in targets if t is not None))


def _html(value: Any) -> Markup:
    """Text for a raw HTML element of a template (no Markdown runs there)."""
    return html_text("" if value is None else value)


def _percent(share: float | None, language: str) -> str:
    if share is None:
        return "—"
    return i18n.percent(share, language)


@functools.cache
def bytecode_cache() -> jinja2.BytecodeCache:
    """Compiled templates kept between processes (each `cxplan build` is a new one):
    compiling cxplan's templates costs about 0.2 s a build, loading them 5 ms. Jinja's
    default folder is per user in the temporary folder, checked to be the user's own;
    an entry is keyed by the template's source, so an edited template compiles again."""
    return jinja2.FileSystemBytecodeCache()


RAW_HTML = (Markup("<!--cxplan:raw-->"), Markup("<!--/cxplan:raw-->"))
"""The markers around raw HTML that Markdown need not read (a portfolio's board and a
person's table, hundreds of rows): in a per-account build the plugin takes what is
between them out before Markdown runs and puts it back in the page's HTML (Python-
Markdown reads raw HTML with its own parser, in Python: 0.26 s for the board of 100
plans). Plan text inside is escaped for HTML, so it cannot write a marker."""


def make_environment(override_dir: Path | None = None) -> jinja2.Environment:
    """The environment; templates in `override_dir` win over shipped ones by name."""
    return _environment(override_dir if override_dir is not None and override_dir.is_dir()
                        else None)


@functools.lru_cache(maxsize=8)
def _environment(override_dir: Path | None) -> jinja2.Environment:
    # Kept between builds (`mkdocs serve` rebuilds often): compiled templates are
    # reused, and Jinja reloads a template whose file changed. The cache key says
    # whether the override folder exists, so one created while serving is picked up.
    loaders: list[jinja2.BaseLoader] = []
    if override_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(override_dir)))
    loaders.append(jinja2.FileSystemLoader(str(shipped_templates_dir())))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=bytecode_cache(),
        autoescape=False,  # Markdown, not HTML: `finalize` does the escaping
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["href"] = _href
    env.filters["link"] = _link
    env.filters["links"] = _links
    env.filters["raw_href"] = _raw_href
    env.filters["a"] = _anchor
    env.filters["fm"] = front_matter
    env.filters["html"] = _html
    env.filters["md"] = lambda value: Markup(md_inline(value))
    env.filters["percent"] = _percent
    env.filters["number"] = lambda value: Markup(format_number(value))
    # The workspace-wide pages, by name: templates link to `pages.people|href` rather
    # than spelling the path (`cxplan.addresses` owns it).
    env.globals["raw_start"], env.globals["raw_end"] = RAW_HTML
    env.globals["pages"] = {
        "people": urls.PEOPLE, "portfolio": urls.PORTFOLIO,
        "quick_wins": urls.PORTFOLIO_QUICK_WINS,
    }
    return env
