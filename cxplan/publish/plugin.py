"""The `cxplan` MkDocs plugin: a thin adapter from MkDocs to `render_site`.

Kept thin on purpose: MkDocs 1.x gets no more releases and 2.0 drops plugins, so
everything that matters lives in `cxplan.render` (usable without MkDocs through
`cxplan render --out DIR`, for ProperDocs or Zensical). What this module does:

- validates its options with `cxplan.config.WorkspaceConfig`, the one declaration of
  them that `cxplan validate` reads too;
- `on_config`: settles the as-of date, audience and language, switches on the three
  Markdown extensions the pages use, and adds the site's stylesheet;
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

Navigation is built for portfolios of hundreds of plans: MkDocs renders the whole
navigation into every page, so a navigation listing every generated page grows with
the square of the portfolio (measured: 1,000 pages in one flat nav took 44 s against
7 s without). Only the portfolio, one entry per plan (its overview) and the people
index are in the navigation; a plan's own pages are reached from its overview and the
menu at the top of each plan page, and stay searchable.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config.base import Config, ConfigErrors, ConfigWarnings
from mkdocs.config.base import ValidationError as MkDocsValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel, file_sort_key, set_exclusions
from mkdocs.utils import nest_paths
from pydantic import ValidationError

from cxplan.config import WorkspaceConfig, today
from cxplan.diagnostics import Diagnostic, format_text, has_errors
from cxplan.model.workspace import Workspace, load_workspace
from cxplan.publish.site import SiteInputs, generated_pages, nav_paths, plan_nav, site_inputs
from cxplan.render.pages import CSS_PATH
from cxplan.rules import Finding, config_problems

if TYPE_CHECKING:
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.plugins.cxplan")

AS_OF_ENV = "CXPLAN_AS_OF"
"""`cxplan build --as-of` and `cxplan serve --as-of` reach the plugin through this."""
AUDIENCE_ENV = "CXPLAN_AUDIENCE"
"""`--audience` of `cxplan build` and `cxplan serve` (overrides the `audience` option)."""
REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "tables")


class PassThroughOptions(Config):
    """MkDocs' view of the options: none of its own. `CxplanPlugin.load_config` hands
    the raw mapping to `WorkspaceConfig`, the single declaration of the options."""


class CxplanPlugin(BasePlugin[PassThroughOptions]):
    """`plugins: [cxplan]` in mkdocs.yml (options: see `WorkspaceConfig`)."""

    def __init__(self) -> None:
        self.settings = WorkspaceConfig()
        self.inputs: SiteInputs | None = None
        # Set by `cxplan build`, which has already loaded and validated the plans: the
        # build then reuses them instead of reading every plan a second time.
        self.preloaded: Workspace | None = None
        self.preloaded_findings: Mapping[str, Sequence[Finding]] | None = None
        self.as_of_override: dt.date | None = None
        self.audience_override: str | None = None

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[ConfigErrors, ConfigWarnings]:
        """Options are validated by `WorkspaceConfig`, not by a second declaration."""
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

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        self.inputs = site_inputs(
            root, self.settings, theme_language=config.theme.get("language"),
            as_of=self._as_of(), audience=self._audience(),
        )
        for name in REQUIRED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        if CSS_PATH not in config.extra_css:
            config.extra_css.append(CSS_PATH)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
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
                + format_text(sorted(problems), workspace.files)
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
