"""`cxplan build`: one MkDocs site per account, stitched under the portfolio.

The team site is the portfolio site at the root of the output (the workspace's docs,
the portfolio, the quick-win board, the people pages) with each plan's own site
mounted at `plans/<plan-id>/`, where its pages have always been; a customer edition is
one self-contained site per plan at `OUT/<plan-id>/` and nothing else of any account
(`OUT/plans/` holds only redirects from the addresses of the old single-site edition).

Each account's site is a plain MkDocs build of the workspace's own `mkdocs.yml` (same
theme, extensions, plugins and extra assets) with the plan's pages handed to the
cxplan plugin ready-made (`Prepared`), its own navigation, search index, sitemap and
404. What makes a rebuild follow the change:

- every account has a fingerprint, the hash of everything its site is made of (the
  plan file, its rule findings, its history, mkdocs.yml, the plugin's settings, the
  templates, the theme overrides and assets it carries, the as-of date, the audience,
  cxplan's version); the fingerprints are kept in `.cxplan-build.json` at the root
  of the output, and a rebuild copies every account whose fingerprint did not change
  from the previous site and builds only the others;
- the portfolio is rebuilt whenever anything changed (it is a few pages per plan);
- accounts are built in parallel worker processes forked after cxplan and MkDocs are
  imported and the plans loaded (`jobs`, default: the cores there are);
- everything goes into a fresh folder beside the target that replaces it only when
  every site was built: a failed account leaves the previous site byte-identical.

Shards (`--shard K/N`) build every N-th account into their own output; `stitch` is the
same build with the shards' outputs as the previous sites it may copy from, and it
refuses to build an account no shard holds. Outputs are therefore byte-identical
whichever way they were made.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.config import load_config as load_mkdocs_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import File
from mkdocs.utils import nest_paths
from mkdocs.utils.meta import get_data

import cxplan
from cxplan import i18n
from cxplan.analyse.history import PlanHistory
from cxplan.files import describe, is_environment_error
from cxplan.model.build import PlanFile
from cxplan.model.workspace import Workspace
from cxplan.publish import build as publish_build
from cxplan.publish.build import BuildFailed, Built, reproducible
from cxplan.publish.outputs import overlap, workspace_inputs
from cxplan.publish.plugin import CxplanPlugin, Prepared
from cxplan.publish.site import (
    SiteInputs,
    account_pages,
    read_history,
    render_options,
    site_inputs,
)
from cxplan.publish.swap import SwapFailed, publish, staging
from cxplan.render import urls
from cxplan.render.pages import RenderOptions, SiteFiles, render_portfolio
from cxplan.render.site_env import shipped_templates_dir
from cxplan.render.site_views import PAGES
from cxplan.render.text import page_title
from cxplan.rules import Finding

MANIFEST = ".cxplan-build.json"
MANIFEST_FORMAT = 1
CUSTOMER_MARK = "audience"
"""Front matter `audience: customer` puts a workspace page into every customer edition."""


class BuildRefused(Exception):
    """The request itself is wrong (unknown plan, shard out of range, reserved id):
    nothing was written."""


@dataclass(frozen=True)
class Shard:
    index: int
    """1-based."""
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`K/N` with 1 <= K <= N."""
        head, sep, tail = text.partition("/")
        if not (sep and head.isdigit() and tail.isdigit()):
            raise ValueError(f"'{text}' is not K/N (for example 2/3)")
        shard = cls(int(head), int(tail))
        if not 1 <= shard.index <= shard.count:
            raise ValueError(f"shard {text}: K must be between 1 and N")
        return shard

    def takes(self, position: int) -> bool:
        return position % self.count == self.index - 1


@dataclass(frozen=True)
class Request:
    config_file: Path
    workspace: Workspace
    findings: Mapping[str, Sequence[Finding]] | None
    as_of: Any
    audience: str | None = None
    site_dir: Path | None = None
    plans: Sequence[str] = ()
    jobs: int | None = None
    shard: Shard | None = None
    reuse: Sequence[Path] = ()
    """Outputs of earlier builds (shards) whose accounts may be copied."""
    stitch: bool = False
    """Every account must come from `reuse` (a plan none holds is an error)."""
    progress: Callable[[int, int], None] | None = None
    """Called with (accounts done, accounts in total) as accounts finish."""


@dataclass(frozen=True)
class Outcome:
    built: Built
    rebuilt: list[str]
    reused: list[str]
    directory_urls: bool = True
    """Addresses are folders (`actions/`): the site needs a web server to be browsed."""
    language: str = "en"


# --- the build ----------------------------------------------------------------------


def build_accounts(request: Request) -> Outcome:
    """Build the workspace as one site per account (see the module docstring).

    Raises `BuildRefused` before writing anything when the request is wrong, and
    `BuildFailed` (the previous site untouched) when a site could not be built."""
    config = _load_config(request.config_file)
    plugin = config.plugins.get("cxplan")
    if not isinstance(plugin, CxplanPlugin):
        raise BuildFailed(f"{request.config_file} does not enable the cxplan plugin "
                          "(add '- cxplan' under 'plugins:')")
    root = request.config_file.resolve().parent
    audience = request.audience or os.environ.get("CXPLAN_AUDIENCE") or plugin.settings.audience
    inputs = site_inputs(root, plugin.settings, theme_language=config.theme.get("language"),
                         as_of=request.as_of, audience=audience)
    chosen = _chosen_plans(request, inputs)
    target = (request.site_dir or Path(config.site_dir)).resolve()
    refused = overlap(request.site_dir or Path(config.site_dir),
                      workspace_inputs(root, plugin.settings, {"docs_dir": config.docs_dir}),
                      what="site folder")
    if refused:
        raise BuildRefused(refused)
    if target.exists() and not target.is_dir():
        raise BuildRefused(f"{target} exists and is not a folder")
    team = inputs.audience == "team"
    with reproducible(request.as_of):
        history = read_history(chosen) if team and inputs.settings.history else {}
        job = _Job(
            config_file=request.config_file.resolve(),
            inputs=inputs,
            plans={p.id: p for p in chosen},
            findings={p.id: list((request.findings or {}).get(p.id, ())) for p in chosen},
            history=history,
            directory_urls=config.use_directory_urls,
            keep_extra=_extra_assets(config),
            customer_pages=_customer_pages(config) if not team else frozenset(),
            targets=frozenset(),
            fresh=Path(),
        )
        common = job.common()
        prints = {p.id: job.fingerprint(p.id, common) for p in chosen}
        try:
            with staging(target) as fresh:
                # After `staging` recovered the target: a killed build's is whole again.
                previous = _previous_sites(
                    [target] if not request.stitch else [], request.reuse, inputs.audience)
                if request.stitch:
                    orphans = [i for i, f in prints.items()
                               if previous.get(i, (None, None))[0] != f]
                    if orphans:
                        raise BuildRefused(
                            "no shard holds a site built from the current inputs of "
                            + ", ".join(orphans)
                            + " (build its shard again with the same inputs)")
                job = job.with_output(fresh, _targets(job, chosen))
                rebuilt, reused = _assemble(job, request, prints, previous)
                files = sum(1 for p in fresh.rglob("*") if p.is_file())
                publish(fresh, target)
        except SwapFailed as exc:
            raise BuildFailed(str(exc)) from None
        except OSError as exc:
            if not is_environment_error(exc):
                raise
            raise BuildFailed(describe(exc, target)) from None
    return Outcome(Built(target, files), sorted(rebuilt), sorted(reused),
                   directory_urls=config.use_directory_urls, language=inputs.language)


def _assemble(
    job: _Job, request: Request, prints: Mapping[str, str],
    previous: Mapping[str, tuple[str, Path]],
) -> tuple[list[str], list[str]]:
    """Fill the fresh folder: the portfolio, each account copied or built, the
    redirects and the manifest. Returns the accounts (built, copied)."""
    fresh = job.fresh
    if job.team and request.shard is None:
        _run_or_fail(job, None)
    rebuilt, reused = [], []
    for plan_id, fingerprint in prints.items():
        old = previous.get(plan_id)
        mount = job.mount(plan_id)
        if old is not None and old[0] == fingerprint and (old[1] / mount).is_dir():
            _copy_tree(old[1] / mount, fresh / mount)
            reused.append(plan_id)
        else:
            rebuilt.append(plan_id)
    done = len(reused)
    if request.progress:
        request.progress(done, len(prints))
    for plan_id, error in _run_all(job, rebuilt, request.jobs):
        if error is not None:
            raise BuildFailed(f"{plan_id}: {error}")
        done += 1
        if request.progress:
            request.progress(done, len(prints))
    if not job.team:
        _write_redirects(job, [job.plans[i] for i in prints])
    manifest = {"format": MANIFEST_FORMAT, "audience": job.inputs.audience,
                "plans": dict(sorted(prints.items()))}
    (fresh / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return rebuilt, reused


def _load_config(config_file: Path) -> MkDocsConfig:
    """The workspace's configuration as its plugins leave it (Material's `offline`
    plugin, for one, turns `use_directory_urls` off: addresses depend on it)."""
    try:
        config = load_mkdocs_config(config_file=str(config_file), strict=True)
        return config.plugins.on_config(config)
    except MkDocsException as exc:
        raise BuildFailed(str(exc)) from None


def _chosen_plans(request: Request, inputs: SiteInputs) -> list[PlanFile]:
    plans = sorted(request.workspace.plans, key=lambda p: p.id)
    if request.plans:
        known = {p.id for p in plans}
        unknown = [i for i in request.plans if i not in known]
        if unknown:
            raise BuildRefused(i18n.text(
                inputs.language, "publish.unknown_plan", ids=unknown,
                known=sorted(known) or ["-"]))
        wanted = set(request.plans)
        plans = [p for p in plans if p.id in wanted]
    reserved = urls.RESERVED_TEAM_IDS if inputs.audience == "team" else urls.RESERVED_CUSTOMER_IDS
    clash = [p.id for p in plans if p.id in reserved or p.id.startswith(".")]
    if clash:
        raise BuildRefused(i18n.text(inputs.language, "publish.reserved_id", ids=clash,
                                     reserved=sorted(reserved)))
    if request.shard is not None:
        plans = [p for n, p in enumerate(plans) if request.shard.takes(n)]
    return plans


def _previous_sites(
    targets: Sequence[Path], reuse: Sequence[Path], audience: str
) -> dict[str, tuple[str, Path]]:
    """plan id -> (fingerprint, output folder) of the sites earlier builds left."""
    found: dict[str, tuple[str, Path]] = {}
    for folder in [*targets, *reuse]:
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if manifest.get("format") != MANIFEST_FORMAT or manifest.get("audience") != audience:
            continue
        for plan_id, fingerprint in manifest.get("plans", {}).items():
            found.setdefault(plan_id, (str(fingerprint), folder.resolve()))
    return found


def _copy_tree(source: Path, destination: Path) -> None:
    """A previous account's site into the new output: hard links where the file system
    allows (the old output is deleted after the swap, the files are never written
    again), copies otherwise."""
    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, destination, copy_function=link)


# --- what each site is made of ---------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    """Everything a worker needs to build one site; inherited by forked workers."""

    config_file: Path
    inputs: SiteInputs
    plans: dict[str, PlanFile]
    findings: dict[str, list[Finding]]
    history: dict[str, PlanHistory]
    directory_urls: bool
    keep_extra: frozenset[str]
    customer_pages: frozenset[str]
    targets: frozenset[str]
    fresh: Path

    @property
    def team(self) -> bool:
        return self.inputs.audience == "team"

    def with_output(self, fresh: Path, targets: frozenset[str]) -> _Job:
        from dataclasses import replace

        return replace(self, fresh=fresh, targets=targets)

    def mount(self, plan_id: str | None) -> str:
        """Where a site is in the output: "" (the portfolio), `plans/<id>/` or `<id>/`."""
        if plan_id is None:
            return ""
        return urls.plan_root(plan_id) if self.team else f"{plan_id}/"

    def options(self) -> RenderOptions:
        return render_options(self.inputs, one_site_per_account=True)

    def plan_pages(self, plan_id: str) -> SiteFiles:
        """The plan's pages with paths relative to its own site."""
        return account_pages(self.plans[plan_id], self.inputs,
                             history=self.history.get(plan_id),
                             findings=self.findings.get(plan_id))

    def fingerprint(self, plan_id: str, common: str) -> str:
        """The hash of everything the plan's site is made of; `common` is `common()`."""
        digest = hashlib.sha256(common.encode())
        plan = self.plans[plan_id]
        digest.update(plan_id.encode() + b"\0" + plan.source.text.encode())
        for finding in self.findings.get(plan_id, ()):
            # Not the diagnostic's path: it names the checkout (shards run elsewhere).
            d = finding.diagnostic
            digest.update(repr((d.line, d.column, str(d.severity), d.code, d.message, d.hint,
                                finding.page, finding.anchor,
                                finding.message_key, finding.hint_key,
                                sorted(finding.facts.items()))).encode())
        if plan_id in self.history:
            digest.update(repr(dataclasses.replace(self.history[plan_id], path="")).encode())
        return digest.hexdigest()

    def common(self) -> str:
        """What every account's site is made of (cxplan itself included: an editable
        install changes without a new version)."""
        root = self.inputs.root
        parts = [
            f"cxplan {cxplan.__version__} layout {MANIFEST_FORMAT}",
            self.inputs.audience, self.inputs.as_of.isoformat(), self.inputs.language,
            os.environ.get("SOURCE_DATE_EPOCH", ""),
            self.config_file.read_text(encoding="utf-8"),
            self.inputs.settings.model_dump_json(),
        ]
        folders = [Path(cxplan.__file__).parent, shipped_templates_dir(),
                   self.inputs.templates_dir, *_theme_dirs(self.config_file)]
        for folder in folders:
            parts += _folder_digest(folder)
        docs = root / "docs"
        for name in sorted(self.keep_extra | self.customer_pages):
            path = docs / name
            parts.append(name + ":" + (hashlib.sha256(path.read_bytes()).hexdigest()
                                       if path.is_file() else "-"))
        return "\0".join(parts)

    def keep(self, file: File) -> bool:
        """The workspace files an account's site carries: the extra stylesheets and
        scripts mkdocs.yml names and, in a customer edition, the pages marked for
        customers; never the workspace's home page (the plan's overview is)."""
        uri = file.src_uri
        if uri in self.keep_extra:
            return True
        return not self.team and uri in self.customer_pages and uri != urls.HOME


def _folder_digest(folder: Path) -> list[str]:
    if not folder.is_dir():
        return [f"{folder.name}:-"]
    return [
        f"{p.relative_to(folder).as_posix()}:{hashlib.sha256(p.read_bytes()).hexdigest()}"
        for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts
    ]


def _theme_dirs(config_file: Path) -> list[Path]:
    """The workspace's theme overrides (`theme.custom_dir`), if any."""
    from cxplan.config import read_mkdocs_yml

    theme = read_mkdocs_yml(config_file).get("theme")
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    return [config_file.parent / str(custom)] if custom else []


def _extra_assets(config: MkDocsConfig) -> frozenset[str]:
    """The docs files mkdocs.yml names as extra stylesheets and scripts: every site of
    the build carries them, so each looks like the workspace's."""
    names = [str(getattr(x, "path", x)) for x in [*config.extra_css, *config.extra_javascript]]
    return frozenset(n for n in names if "://" not in n and n != urls.CSS_PATH)


def _customer_pages(config: MkDocsConfig) -> frozenset[str]:
    """The workspace's own pages marked `audience: customer` in their front matter."""
    docs = Path(config.docs_dir)
    found = set()
    for path in sorted(docs.rglob("*.md")) if docs.is_dir() else []:
        try:
            _text, meta = get_data(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            continue
        if meta.get(CUSTOMER_MARK) == "customer":
            found.add(path.relative_to(docs).as_posix())
    return frozenset(found)


def _targets(job: _Job, plans: Sequence[PlanFile]) -> frozenset[str]:
    """Every source path some site of this build publishes (`cxsite:` links' targets)."""
    found = {urls.PORTFOLIO, urls.PORTFOLIO_QUICK_WINS, urls.PEOPLE, urls.HOME}
    for plan in plans:
        for name, _key in PAGES:
            found.add(urls.plan_page(plan.id, name))
        found.update(urls.area_page(plan.id, a.id) for a in plan.plan.areas)
        found.update(urls.plan_downloads(plan.id))
        for member in plan.plan.team:
            found.add(urls.person_page(member.id))
            found.add(urls.person_calendar(member.id))
    return frozenset(found)


# --- workers ---------------------------------------------------------------------------

_CURRENT: _Job | None = None
"""The job of the build under way, for forked workers (they inherit it)."""


def _run_all(
    job: _Job, plan_ids: Sequence[str], jobs: int | None
) -> Iterator[tuple[str, str | None]]:
    """(plan id, error or None) for each account built, in parallel processes."""
    global _CURRENT
    workers = max(1, min(jobs or os.cpu_count() or 1, len(plan_ids)))
    if workers == 1 or "fork" not in multiprocessing.get_all_start_methods():
        for plan_id in plan_ids:
            yield plan_id, _run(job, plan_id)
        return
    _CURRENT = job
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            try:
                yield from zip(plan_ids, pool.map(_run_current, plan_ids, chunksize=1),
                               strict=True)
            except BrokenProcessPool:
                raise BuildFailed("a worker building the accounts' sites died "
                                  "(out of memory, or killed); try fewer --jobs") from None
    finally:
        _CURRENT = None


def _run_current(plan_id: str) -> str | None:
    assert _CURRENT is not None
    return _run(_CURRENT, plan_id)


def _run_or_fail(job: _Job, plan_id: str | None) -> None:
    error = _run(job, plan_id)
    if error is not None:
        raise BuildFailed(error)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def _run(job: _Job, plan_id: str | None) -> str | None:
    """Build one site (a plan's, or the portfolio for None); the error, or None."""
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        config = load_mkdocs_config(config_file=str(job.config_file), strict=True)
        mount = job.mount(plan_id)
        config["site_dir"] = str(job.fresh / mount)
        if config.site_url:
            config["site_url"] = config.site_url.rstrip("/") + "/" + mount
        plugin = config.plugins["cxplan"]
        assert isinstance(plugin, CxplanPlugin)
        plugin.as_of_override = job.inputs.as_of
        plugin.audience_override = job.inputs.audience
        plugin.prepared = _plan_site(job, plan_id, config) if plan_id else _portfolio(job, config)
        # Through the module: one place to wrap MkDocs' build (the tests kill it there).
        publish_build.mkdocs_build(config)
    except MkDocsException as exc:
        return ("\n".join(collect.messages) + f"\n{exc}").strip()
    except OSError as exc:
        if not is_environment_error(exc):
            raise
        return f"cannot write the site in {job.fresh}: {exc.strerror or exc}"
    finally:
        logger.removeHandler(collect)
    return None


def _plan_site(job: _Job, plan_id: str, config: MkDocsConfig) -> Prepared:
    plan = job.plans[plan_id]
    pages = job.plan_pages(plan_id)
    language = plan.plan.plan.language or job.inputs.language
    from cxplan.i18n import labels

    L = labels(language)
    config["site_name"] = plan.plan.plan.customer
    if config.theme.name == "material" and plan.plan.plan.language:
        # An account's own site can speak its plan's language in the theme's chrome too
        # (search box, navigation labels), which one site of many plans could not.
        config.theme["language"] = plan.plan.plan.language
    nav: list[Any] = []
    if job.team:
        nav.append({page_title(i18n.text(language, "publish.back_to_portfolio")):
                    urls.cross_site(urls.PORTFOLIO)})
    for name, key in PAGES:
        if f"{name}.md" in pages:
            nav.append({page_title(L[key]): f"{name}.md"})
    areas = [{page_title(a.name): urls.area_path(a.id)} for a in plan.plan.areas
             if urls.area_path(a.id) in pages]
    if areas:
        nav.append({page_title(L["site.areas"]): areas})
    extra = sorted(p for p in job.customer_pages if p != urls.HOME) if not job.team else []
    nav += nest_paths(extra)
    return Prepared(pages=pages, nav=nav, mount=job.mount(plan_id), keep=job.keep,
                    targets=job.targets)


def _portfolio(job: _Job, config: MkDocsConfig) -> Prepared:
    """The team's portfolio site: the workspace's docs and the pages across plans."""
    plans = list(job.plans.values())
    docs = Path(config.docs_dir)
    home = not any((docs / name).is_file() for name in ("index.md", "README.md"))
    pages = render_portfolio(plans, job.options(), home=home)
    nav = config.nav
    if nav is None:
        own = sorted(
            p.relative_to(docs).as_posix() for p in docs.rglob("*.md")
            if not any(part.startswith(".") for part in p.relative_to(docs).parts)
        ) if docs.is_dir() else []
        from cxplan.i18n import labels

        L = labels(job.inputs.language)
        entries: list[Any] = [urls.PORTFOLIO]
        for plan in sorted(plans, key=lambda p: (p.plan.plan.customer.casefold(), p.id)):
            entries.append({page_title(plan.plan.plan.customer):
                            urls.cross_site(urls.plan_page(plan.id))})
        nav = [*(["index.md"] if home else []), *nest_paths(own),
               {page_title(L["site.plans"]): entries}, {page_title(L["site.people"]): urls.PEOPLE}]
    return Prepared(pages=pages, nav=nav, mount="", keep=lambda _file: True,
                    targets=job.targets, search=_search_entries(job, plans))


def _search_entries(job: _Job, plans: Sequence[PlanFile]) -> list[dict[str, str]]:
    """The portfolio's search entries of each plan's items: a title and the address of
    the item in the plan's own site, so a search of the portfolio finds an action of
    any plan without downloading every plan's index (each plan's site has the full
    text of its pages in its own index)."""
    entries = []
    for plan in sorted(plans, key=lambda p: p.id):
        customer = plan.plan.plan.customer
        items: list[tuple[str, str, str]] = [
            *(("actions", a.id, a.title) for a in plan.plan.actions),
            *(("commitments", c.id, c.promise) for c in plan.plan.commitments),
            *(("kpis", k.id, k.name) for k in plan.plan.kpis),
        ]
        entries.append({"location": urls.page_url(urls.plan_page(plan.id), job.directory_urls),
                        "title": str(escape(plan.plan.plan.title)), "text": str(escape(customer))})
        for kind, item_id, title in items:
            path, _, anchor = urls.item_target(plan.id, kind, item_id).partition("#")
            entries.append({
                "location": f"{urls.page_url(path, job.directory_urls)}#{anchor}",
                "title": str(escape(title)),
                "text": str(escape(customer)),
            })
    return entries


def _write_redirects(job: _Job, plans: Sequence[PlanFile]) -> None:
    """`plans/<id>/...` of the old single-site customer edition, each a page that sends
    the reader to the same page of `<id>/`."""
    for plan in plans:
        language = plan.plan.plan.language or job.inputs.language
        moved = escape(i18n.text(language, "publish.moved"))
        for path in sorted(job.plan_pages(plan.id)):
            if not path.endswith(".md"):
                continue
            old = urls.page_url(urls.plan_root(plan.id) + path, job.directory_urls)
            new = urls.page_url(f"{plan.id}/{path}", job.directory_urls)
            file = old + "index.html" if old.endswith("/") or not old else old
            link = escape(urls.relative_url(new, old))
            out = job.fresh / file
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(
                f'<!doctype html>\n<html lang="{language}"><head><meta charset="utf-8">'
                f'<meta name="robots" content="noindex">'
                f'<meta http-equiv="refresh" content="0; url={link}">'
                f'<link rel="canonical" href="{link}"></head>'
                f'<body><p>{moved} <a href="{link}">{link}</a></p></body></html>\n',
                encoding="utf-8")
