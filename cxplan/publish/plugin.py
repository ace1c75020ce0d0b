"""The `cxplan` MkDocs plugin: a thin adapter from MkDocs to `render_site`.

Kept thin on purpose: MkDocs 1.x gets no more releases and 2.0 drops plugins, so
everything that matters lives in `cxplan.render` (usable without MkDocs through
`cxplan render --out DIR`, for ProperDocs or Zensical). What this module does:

- validates its options with `cxplan.config.WorkspaceConfig`, the one declaration of
  them that `cxplan validate` reads too;
- `on_config`: settles the as-of date, audience and language, switches on the three
  Markdown extensions the pages use, adds the site's stylesheet, and turns Material's
  web fonts off unless the workspace names a font (`offline_fonts`);
- `on_files`: loads and validates the plans (errors stop the build with the same
  diagnostics `cxplan validate` prints), renders every page in memory and adds it
  with `File.generated` (nothing is written into `docs/`), and shapes the navigation;
- `on_serve`: watches the plans and the templates folder, so `mkdocs serve` rebuilds
  when a plan changes.

Labels: each plan's pages speak the plan's `language`; pages that belong to no plan
speak the `language` option, else `theme.language`, else English. Material's own
labels (search box, navigation) follow `theme.language` for the whole site: a theme
has one language per site, so a Spanish plan in an English site has Spanish pages in
English chrome.

`cxplan build` publishes each account as its own MkDocs site and the portfolio as
another (`cxplan.publish.accounts`): there the pages are made before MkDocs starts,
and the plugin is handed them as a `Prepared` site. It then adds those pages instead
of loading the plans, keeps only the workspace files that site may show, resolves
the links between sites (`cxplan.render.urls.resolve_cross_site`) and adds the
portfolio's search entries of the plans' items. A plain `mkdocs build` or `mkdocs
serve` with the plugin still gives the whole workspace as one site.

Navigation is built for portfolios of hundreds of plans: MkDocs renders the whole
navigation into every page, so a navigation listing every generated page grows with
the square of the portfolio (measured: 1,000 pages in one flat nav took 44 s against
7 s without). Only the portfolio, one entry per plan (its overview) and the people
index are in the navigation; a plan's own pages are reached from its overview and the
menu at the top of each plan page, and stay searchable.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import os
import re
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import ChoiceLoader, DictLoader
from mkdocs.config.base import Config, ConfigErrors, ConfigWarnings
from mkdocs.config.base import ValidationError as MkDocsValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel, file_sort_key, set_exclusions
from mkdocs.structure.pages import Page
from mkdocs.utils import nest_paths, write_file, yaml_load
from pydantic import ValidationError

from cxplan import i18n
from cxplan.config import IntroUnreadable, WorkspaceConfig, today
from cxplan.diagnostics import Diagnostic, format_text, has_errors
from cxplan.model.build import remember_loaded_plans
from cxplan.model.workspace import Workspace, load_workspace
from cxplan.publish.compact import compact_html
from cxplan.publish.outputs import overlap, workspace_inputs
from cxplan.publish.site import SiteInputs, generated_pages, nav_paths, plan_nav, site_inputs
from cxplan.render import urls
from cxplan.render.pages import CSS_PATH, Made
from cxplan.render.site_env import RAW_HTML, bytecode_cache
from cxplan.rules import Finding, config_problems

if TYPE_CHECKING:
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.plugins.cxplan")

AS_OF_ENV = "CXPLAN_AS_OF"
"""`cxplan build --as-of` and `cxplan serve --as-of` reach the plugin through this."""
AUDIENCE_ENV = "CXPLAN_AUDIENCE"
"""`--audience` of `cxplan build` and `cxplan serve` (overrides the `audience` option)."""
REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "tables")
REUSED_TEMPLATE = "cxplan-reused.html"


_RAW_BLOCK = re.compile(re.escape(RAW_HTML[0]) + r"\n?(.*?)\n?" + re.escape(RAW_HTML[1]),
                        re.DOTALL)
_RAW_PLACE = re.compile(r"<!--cxplan:raw:([0-9]+)-->")


@dataclass
class Prepared:
    """One site of a per-account build, its pages made already (`cxplan build`)."""

    pages: Mapping[str, str | bytes | Made]
    """Source path (relative to this site) -> content, or what makes it when MkDocs
    reads it (`MadeFile`)."""
    nav: list[Any]
    mount: str
    """Where this site's root is in the whole output: "", `plans/<id>/` or `<id>/`."""
    keep: Callable[[File], bool]
    """Which of the workspace's own files (docs_dir) this site holds."""
    targets: frozenset[str] = frozenset()
    """Source paths other sites of the build publish (what `cxsite:` links may name)."""
    search: Callable[[], Iterable[dict[str, str]]] | None = None
    """What makes the entries added to this site's search index (the portfolio's
    entries of plan items, each a title and a location in a plan's own site): made as
    the index is written, not held through the build."""
    reused: frozenset[str] = frozenset()
    """Source paths whose output the previous site already has, made of the same
    inputs: a page keeps its place (navigation, sitemap, the links to it) but is not
    built or written (`ReusedPage`); the build's caller carries the previous outputs
    over, the other files' too."""


class MadeFile(File):
    """A generated file made when MkDocs reads or writes it, not held from the start
    (a person's page and calendar: see `cxplan.render.pages.portfolio_pages`)."""

    make: Made

    @classmethod
    def made(cls, config: MkDocsConfig, src_uri: str, make: Made,
             inclusion: InclusionLevel) -> MadeFile:
        file = cls.generated(config, src_uri, content="", inclusion=inclusion)
        assert isinstance(file, cls)  # `File.generated` makes its own class
        file.make = make
        return file

    @property
    def content_bytes(self) -> bytes:
        content = self.make()
        return content.encode() if isinstance(content, str) else content

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        self.make = lambda: value

    @property
    def content_string(self) -> str:
        content = self.make()
        return content if isinstance(content, str) else content.decode("utf-8-sig")

    @content_string.setter
    def content_string(self, value: str) -> None:
        self.make = lambda: value

    def copy_file(self, dirty: bool = False) -> None:
        write_file(self.content_bytes, self.abs_dest_path)


def _add_to_search_index(index: Path, entries: Iterable[dict[str, str]]) -> None:
    """The search plugin's index with `entries` after its own, written one entry at a
    time (the portfolio's entries of 1,000 plans are 75,000 of them): the same bytes
    as the whole index turned to JSON at once."""
    data = json.loads(index.read_text(encoding="utf-8"))
    docs = data.pop("docs")
    head = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    with index.open("w", encoding="utf-8") as out:
        out.write(head[:-1] + ("," if data else "") + '"docs":[')
        for number, entry in enumerate(itertools.chain(docs, entries)):
            out.write(("," if number else "")
                      + json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
        out.write("]}")


def offline_fonts(config: MkDocsConfig) -> None:
    """Material loads Google Fonts on every page unless `theme.font` says otherwise: a
    third-party request a plan site must not make (and a site that breaks offline). So
    the font is switched off, unless the workspace's own configuration names one (then
    the request is the team's explicit choice). What the workspace wrote is read again
    from its file with MkDocs' own YAML loader (INHERIT merged in, `!ENV` understood):
    the validated theme has Material's defaults mixed in and cannot tell."""
    if config.theme.name != "material":
        return
    if _names_a_font(config.config_file_path):
        return
    config.theme["font"] = False


def _names_a_font(config_file: str | None) -> bool:
    if not config_file or not os.path.isfile(config_file):
        return False
    try:
        with open(config_file, "rb") as stream:
            raw = yaml_load(stream)
    except Exception:  # MkDocs has just read this file; were a second
        return False  # read to fail, the fonts stay off: the safe side, never a crash
    theme = raw.get("theme") if isinstance(raw, Mapping) else None
    return isinstance(theme, Mapping) and "font" in theme


class ReusedPage(Page):
    """A page whose output the previous build wrote from the same inputs (a person's
    page in a portfolio where one plan changed): it keeps its place in the site (the
    sitemap, the links to it) but is neither read, converted nor written. Its output
    is carried over from the previous site at the swap (`cxplan.publish.accounts`):
    creating the folder and the file of each of 170 people's pages cost a one-plan
    rebuild at 100 plans a quarter of a second, converting them another tenth."""

    def read_source(self, config: MkDocsConfig) -> None:
        # Out of the search, as the page it stands for is: the index has no entry of it.
        self.markdown, self.meta = "", {"template": REUSED_TEMPLATE, "search": {"exclude": True}}

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""


class _QuietReused(logging.Filter):
    """MkDocs says of each page with an empty output that it skipped it: not of a
    reused page, skipped on purpose (`cxplan serve` shows MkDocs' information)."""

    def __init__(self, paths: frozenset[str]) -> None:
        super().__init__()
        self.paths = paths

    def filter(self, record: logging.LogRecord) -> bool:
        said = _SKIPPED.match(str(record.msg))
        return said is None or said.group(1) not in self.paths


_SKIPPED = re.compile(r"Page skipped: '(.*)'\. Generated empty output\.$")
_BUILD_LOG = logging.getLogger("mkdocs.commands.build")


class PassThroughOptions(Config):
    """MkDocs' view of the options: none of its own. `CxplanPlugin.load_config` hands
    the raw mapping to `WorkspaceConfig`, the single declaration of the options."""


class CxplanPlugin(BasePlugin[PassThroughOptions]):
    """`plugins: [cxplan]` in mkdocs.yml (options: see `WorkspaceConfig`)."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        """No state from an earlier build. MkDocs keeps one instance of a plugin that
        has `on_startup` for the whole process and loads each configuration into it
        again: the per-account build loads one configuration per site."""
        self.settings = WorkspaceConfig()
        self.inputs: SiteInputs | None = None
        # Set by `cxplan build`, which has already loaded and validated the plans: the
        # build then reuses them instead of reading every plan a second time.
        self.preloaded: Workspace | None = None
        self.preloaded_findings: Mapping[str, Sequence[Finding]] | None = None
        self.as_of_override: dt.date | None = None
        self.audience_override: str | None = None
        self.prepared: Prepared | None = None
        self._raw_html: dict[str, list[str]] = {}
        """Page source path -> the raw HTML taken out of its Markdown (`RAW_HTML`)."""
        self._made_aside: dict[str, tuple[bytes, bytes]] = {}
        """Page source path -> a made page's Markdown and HTML, compressed, between
        MkDocs converting it and writing it (`_set_made_page_aside`)."""
        self._quiet: _QuietReused | None = None
        """While a site with reused pages is built: what keeps MkDocs quiet of them."""

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[ConfigErrors, ConfigWarnings]:
        """Options are validated by `WorkspaceConfig`, not by a second declaration."""
        self._reset()
        self.config = PassThroughOptions(config_file_path=config_file_path)
        try:
            self.settings = WorkspaceConfig.model_validate(options)
        except ValidationError as exc:
            errors: ConfigErrors = []
            for error in exc.errors():
                where = ".".join(str(p) for p in error["loc"]) or "cxplan"
                errors.append((where, MkDocsValidationError(error["msg"])))
            return errors, []
        return [], []

    # --- events ---------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Only MkDocs' own command line calls this. A workspace that asks for a sealed
        site (`seal_password_env`) is never published in clear by `mkdocs build` or
        `mkdocs gh-deploy`: only `cxplan build` seals it (`cxplan.publish.sealed`)."""
        if command == "serve":  # each rebuild loads again only the plans that changed
            remember_loaded_plans()
        if command in ("build", "gh-deploy") and self.settings.seal_password_env:
            raise PluginError(i18n.text(
                self.settings.language or i18n.DEFAULT_LANGUAGE, "seal.mkdocs_refused",
                command=f"mkdocs {command}", name=self.settings.seal_password_env))

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        # Before MkDocs empties the site folder: a plain `mkdocs build` with
        # `site_dir: plans` would otherwise delete the plans.
        refused = overlap(
            Path(config.site_dir),
            workspace_inputs(root, self.settings, {"docs_dir": config.docs_dir}),
            what="site", language=self.settings.language,
        )
        if refused:
            raise PluginError(f"cxplan: {refused}")
        try:
            self.inputs = site_inputs(
                root, self.settings, theme_language=config.theme.get("language"),
                as_of=self._as_of(), audience=self._audience(),
            )
        except IntroUnreadable as exc:
            raise PluginError(f"cxplan: {exc}") from None
        for name in REQUIRED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        if CSS_PATH not in config.extra_css:
            config.extra_css.append(CSS_PATH)
        offline_fonts(config)
        return config

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        # The theme's templates (Material's: about 0.25 s to compile) are compiled
        # once and reused by every build, every account's site and every process.
        if env.bytecode_cache is None:
            env.bytecode_cache = bytecode_cache()
        if self.prepared is not None and self.prepared.reused:
            env.loader = ChoiceLoader([DictLoader({REUSED_TEMPLATE: ""}), env.loader])
        return env

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.prepared is not None:
            return self._prepared_files(self.prepared, files, config)
        inputs = self._inputs()
        if not inputs.plans_dir.is_dir():
            raise PluginError(f"cxplan: the plans folder {inputs.plans_dir} does not exist")
        workspace = self.preloaded or load_workspace(
            [inputs.plans_dir], follow_outside_links=self.settings.follow_outside_links
        )
        problems: list[Diagnostic] = config_problems(self.settings) + workspace.diagnostics
        if has_errors(problems):
            raise PluginError(
                "cxplan: the plans have errors; fix them and build again\n"
                + format_text(sorted(problems), workspace.files,
                              self.settings.language or i18n.DEFAULT_LANGUAGE)
            )
        home = files.get_file_from_path("index.md") is None
        findings = self.preloaded_findings if self.preloaded is not None else None
        pages = generated_pages(workspace.plans, inputs, findings=findings, home=home)
        # Apply `exclude_docs` / `not_in_nav` to the workspace's own pages now (MkDocs
        # would after this event) so the navigation below leaves out what it should.
        set_exclusions(files, config)
        own_pages = [f for f in files.documentation_pages() if f.inclusion.is_in_nav()]
        generated_nav = plan_nav(workspace.plans, inputs.language, home=home)
        in_nav = nav_paths(generated_nav) if config.nav is None else set()
        for path, content in pages.items():
            if files.get_file_from_path(path) is not None:
                log.info("cxplan: docs/%s replaces the generated page of the same path", path)
                continue
            inclusion = InclusionLevel.INCLUDED if path in in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, path, content=content, inclusion=inclusion))
        if config.nav is None:
            # What MkDocs would make of the workspace's own pages, then the plans.
            own = sorted(own_pages, key=file_sort_key)
            config.nav = [*nest_paths(f.src_uri for f in own), *generated_nav]
        return files

    def _prepared_files(self, prepared: Prepared, files: Files, config: MkDocsConfig) -> Files:
        set_exclusions(files, config)
        # The theme's own files stay; of the workspace's (docs_dir), what this site shows.
        docs = os.path.normpath(config.docs_dir)
        kept = Files([f for f in files
                      if os.path.normpath(f.src_dir or "") != docs or prepared.keep(f)])
        # Pages out of the navigation said so: MkDocs would otherwise list each of them
        # (every person's page) at every build.
        in_nav = nav_paths(prepared.nav)

        def inclusion(path: str) -> InclusionLevel:
            return InclusionLevel.INCLUDED if path in in_nav else InclusionLevel.NOT_IN_NAV

        for path, content in prepared.pages.items():
            if kept.get_file_from_path(path) is not None:
                log.info("cxplan: docs/%s replaces the generated page of the same path", path)
                continue
            if callable(content):
                kept.append(MadeFile.made(config, path, content, inclusion(path)))
            else:
                kept.append(File.generated(config, path, content=content,
                                           inclusion=inclusion(path)))
        for path in sorted(prepared.reused):
            if path.endswith(".md"):  # other files are simply carried over
                file = File.generated(config, path, content="", inclusion=inclusion(path))
                ReusedPage(None, file, config)
                kept.append(file)
        config.nav = prepared.nav
        if prepared.reused:
            self._quiet = _QuietReused(prepared.reused)
            _BUILD_LOG.addFilter(self._quiet)
        return kept

    def on_page_markdown(self, markdown: str, *, page: Any, config: MkDocsConfig,
                         files: Files) -> str:
        # Raw HTML of a generated page kept away from Markdown (see `RAW_HTML`), each
        # block replaced by a comment that Markdown passes through as it is.
        prepared = self.prepared
        if prepared is None or RAW_HTML[0] not in markdown \
                or page.file.src_uri not in prepared.pages:
            return markdown
        blocks: list[str] = []

        def set_aside(match: re.Match[str]) -> str:
            blocks.append(match.group(1))
            return f"\n\n<!--cxplan:raw:{len(blocks) - 1}-->\n\n"

        self._raw_html[page.file.src_uri] = blocks
        return _RAW_BLOCK.sub(set_aside, markdown)

    def _put_raw_html_back(self, html: str, *, page: Any, config: MkDocsConfig,
                           files: Files) -> str:
        blocks = self._raw_html.pop(page.file.src_uri, None)
        if not blocks:
            return html
        return _RAW_PLACE.sub(lambda m: blocks[int(m.group(1))], html)

    # MkDocs converts every page of a site before it writes the first, and holds each
    # page's Markdown and HTML to the end. The people's pages of a large portfolio are
    # most of that (every item once per person on it), so a made page is kept
    # compressed from its conversion (after every plugin's `on_page_content`) to its
    # writing (before any plugin's `on_page_context`), and let go once written.
    @event_priority(-100)
    def _set_made_page_aside(self, html: str, *, page: Any, config: MkDocsConfig,
                             files: Files) -> str:
        if not isinstance(page.file, MadeFile):
            return html
        self._made_aside[page.file.src_uri] = (
            zlib.compress(page.markdown.encode(), 1), zlib.compress(html.encode(), 1))
        page.markdown = None
        return ""

    on_page_content = CombinedEvent(_put_raw_html_back, _set_made_page_aside)

    @event_priority(100)
    def on_page_context(self, context: Any, *, page: Any, config: MkDocsConfig,
                        nav: Any) -> Any:
        aside = self._made_aside.pop(page.file.src_uri, None)
        if aside is not None:
            page.markdown, page.content = (zlib.decompress(b).decode() for b in aside)
        return context

    # Last: the output is compacted after every other plugin had its say, and a reused
    # page's is dropped (its previous output, kept, is what they made of it then).
    @event_priority(-100)
    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        prepared = self.prepared
        if prepared is None:
            return output
        if isinstance(page, ReusedPage):
            return ""  # not written: the previous output is carried over
        if isinstance(page.file, MadeFile):
            page.markdown = page.content = None
        return compact_html(self._resolve(output, page.url, config))

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        # 404.html carries the navigation too; it is served from the site's root.
        resolved = self._resolve(output_content, template_name, config)
        if self.prepared is None or not template_name.endswith(".html"):
            return resolved
        return compact_html(resolved)

    def _resolve(self, html: str, url: str, config: MkDocsConfig) -> str:
        prepared = self.prepared
        if prepared is None or urls.CROSS_SITE not in html:
            return html
        missing = sorted(set(urls.cross_site_targets(html)) - prepared.targets)
        if missing:
            raise PluginError(f"cxplan: {url or 'index'} links to {', '.join(missing)}, "
                              "which no site of this build publishes")
        return urls.resolve_cross_site(html, prepared.mount + url, config.use_directory_urls)

    # After the search plugin has written its index, before Material's offline plugin
    # (-100) turns it into a script for sites opened from disk.
    @event_priority(-50)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._unquiet()
        if self.prepared is None:
            return
        index = Path(config.site_dir) / "search" / "search_index.json"
        if self.prepared.search is not None and index.is_file():
            _add_to_search_index(index, self.prepared.search())

    def on_build_error(self, *, error: Exception) -> None:
        self._unquiet()

    def _unquiet(self) -> None:
        """MkDocs heard again on skipped pages, once this site is built or failed."""
        if self._quiet is not None:
            _BUILD_LOG.removeFilter(self._quiet)
            self._quiet = None

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> Any:
        inputs = self._inputs()
        server.watch(str(inputs.plans_dir))
        if inputs.templates_dir.is_dir():
            server.watch(str(inputs.templates_dir))
        return server

    # --- helpers --------------------------------------------------------------------

    def _inputs(self) -> SiteInputs:
        if self.inputs is None:  # pragma: no cover - MkDocs always runs on_config first
            raise PluginError("cxplan: on_config did not run")
        return self.inputs

    def _as_of(self) -> dt.date:
        if self.as_of_override is not None:
            return self.as_of_override
        text = os.environ.get(AS_OF_ENV)
        if not text:
            return today()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise PluginError(
                f"cxplan: {AS_OF_ENV}={text!r} is not a date written YYYY-MM-DD"
            ) from None

    def _audience(self) -> str:
        audience = self.audience_override or os.environ.get(AUDIENCE_ENV) or self.settings.audience
        if audience not in ("team", "customer"):
            raise PluginError(f"cxplan: audience {audience!r} is not 'team' or 'customer'")
        return audience
