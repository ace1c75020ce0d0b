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
- the portfolio's own pages (the portfolio, the quick-win board, the people index,
  the workspace's docs) are rebuilt whenever anything changed; a person's page and
  calendar have a fingerprint of their own (the portfolio's frame: navigation,
  workspace docs, settings; and the fingerprints of the plans the person is on), and
  are reused from the previous site when it did not change: a save rebuilds the
  pages of the people on the plan saved, not the people of the whole portfolio;
- the accounts are built in parallel worker processes (`jobs`, default: the cores
  there are), forked after cxplan and MkDocs are imported and the plans loaded, or,
  for a large build, new processes handed each plan (`NEW_WORKERS_FROM`); the
  portfolio meanwhile in the main process (it reads every plan: in a forked worker it
  would copy the memory they are in);
- everything goes into a fresh folder beside the target that replaces it only when
  every site was built: a failed account leaves the previous site byte-identical.

Shards (`--shard K/N`) build every N-th account into their own output; `stitch` is the
same build with the shards' outputs as the previous sites it may copy from, and it
refuses to build an account no shard holds. Outputs are therefore byte-identical
whichever way they were made.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import logging
import multiprocessing
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import escape
from mkdocs.config import load_config as load_mkdocs_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import File, Files
from mkdocs.utils import nest_paths
from mkdocs.utils.meta import get_data

import cxplan
from cxplan import i18n
from cxplan.analyse import moves
from cxplan.analyse.history import PlanHistory
from cxplan.analyse.moves import Move
from cxplan.analyse.review import SiteReview
from cxplan.files import cannot_write, count_files, folder_digest, is_environment_error
from cxplan.model.build import PlanFile
from cxplan.model.workspace import Workspace
from cxplan.publish import build as publish_build
from cxplan.publish import shared_assets
from cxplan.publish.build import BuildFailed, Built, reproducible, site_unwritable
from cxplan.publish.outputs import overlap, workspace_inputs
from cxplan.publish.plugin import CxplanPlugin, Prepared
from cxplan.publish.site import (
    SiteInputs,
    account_pages,
    read_history,
    read_reviews,
    render_options,
    site_inputs,
)
from cxplan.publish.swap import SwapFailed, publish, recover, staging
from cxplan.render import urls
from cxplan.render.pages import RenderOptions, SiteFiles, portfolio_pages
from cxplan.render.site_env import bytecode_cache, shipped_templates_dir
from cxplan.render.site_views import PAGES
from cxplan.render.text import page_title
from cxplan.rules import Finding

MANIFEST = ".cxplan-build.json"
MANIFEST_FORMAT = 1
PORTFOLIO_STAGING = ".portfolio"
"""Where in the fresh output the portfolio is built, before it is moved into place."""
NAV_LISTS_PLANS_UP_TO = 50
"""The portfolio's navigation lists each plan up to this many plans; above, the
portfolio page (the table of every plan) and the search lead to them. Every page of
the portfolio carries its navigation: with 1,000 plans listed, 146 KB of each page
(the 404 page: 154 KB, 8 KB without)."""
CUSTOMER_MARK = "audience"
"""Front matter `audience: customer` puts a workspace page into every customer edition."""


class BuildRefused(i18n.Said):
    """The request itself is wrong (unknown plan, shard out of range, reserved id):
    nothing was written."""


@dataclass(frozen=True)
class Shard:
    index: int
    """1-based."""
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`K/N` with 1 <= K <= N; a ValueError holds the problem as a catalogue text."""
        head, sep, tail = text.partition("/")
        if not (sep and head.isdigit() and tail.isdigit()):
            raise ValueError(i18n.Text.of("publish.shard.form", value=text))
        shard = cls(int(head), int(tail))
        if not 1 <= shard.index <= shard.count:
            raise ValueError(i18n.Text.of("publish.shard.range", value=text))
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
    audience: str = "team"


# --- the build ----------------------------------------------------------------------


def build_accounts(request: Request) -> Outcome:
    """Build the workspace as one site per account (see the module docstring).

    Raises `BuildRefused` before writing anything when the request is wrong, and
    `BuildFailed` (the previous site untouched) when a site could not be built."""
    config = _load_config(request.config_file)
    plugin = config.plugins.get("cxplan")
    if not isinstance(plugin, CxplanPlugin):
        raise BuildFailed(i18n.Text.of("publish.not_cxplan", config=str(request.config_file)))
    root = request.config_file.resolve().parent
    audience = request.audience or os.environ.get("CXPLAN_AUDIENCE") or plugin.settings.audience
    inputs = site_inputs(root, plugin.settings, theme_language=config.theme.get("language"),
                         as_of=request.as_of, audience=audience)
    together, chosen = _chosen_plans(request, inputs)
    target = (request.site_dir or Path(config.site_dir)).resolve()
    refused = overlap(request.site_dir or Path(config.site_dir),
                      workspace_inputs(root, plugin.settings, {"docs_dir": config.docs_dir}),
                      what="site", language=plugin.settings.language)
    if refused:
        raise BuildRefused(refused)
    if target.exists() and not target.is_dir():
        raise BuildRefused(i18n.Text.of("files.not_a_folder", path=str(target)))
    team = inputs.audience == "team"
    with reproducible(request.as_of):
        history = read_history(chosen) if team and inputs.settings.history else {}
        # The "since the last review" pages (both editions; the customer's reads the
        # history of tagged plans only).
        reviews = read_reviews(chosen, history if team else None, request.as_of) \
            if inputs.settings.history else {}
        job = _Job(
            config_file=request.config_file.resolve(),
            inputs=inputs,
            plans={p.id: p for p in chosen},
            findings={p.id: list((request.findings or {}).get(p.id, ())) for p in chosen},
            history=history,
            reviews=reviews,
            # Who moved between plans, known across all the plans published together
            # (a shard's accounts link to plans other shards build).
            moves=tuple(moves.moved(together)) if team else (),
            directory_urls=config.use_directory_urls,
            keep_extra=_extra_assets(config),
            customer_pages=_customer_pages(config) if not team else frozenset(),
            targets=frozenset(),
            fresh=Path(),
        )
        common = job.common()
        prints = {p.id: job.fingerprint(p.id, common) for p in chosen}
        whole = team and request.shard is None
        frame = _portfolio_frame(job, config, common) if whole else ""
        people = _people_prints(job, frame, prints) if whole else {}
        manifest = _manifest(job, prints, people, frame if whole else None)
        if request.shard is None and not request.stitch and _is_built(target, manifest):
            # Nothing the site is made of changed: the site there is the one a build
            # would make, byte for byte.
            return Outcome(Built(target, count_files(target)), [], sorted(prints),
                           directory_urls=config.use_directory_urls, language=inputs.language,
                           audience=inputs.audience)
        try:
            with staging(target) as fresh:
                # After `staging` recovered the target: a killed build's is whole again.
                previous = _previous_sites(
                    [target] if not request.stitch else [], request.reuse, inputs.audience)
                if request.stitch:
                    orphans = [i for i, f in prints.items()
                               if previous.get(i, (None, None))[0] != f]
                    if orphans:
                        raise BuildRefused(i18n.Text.of("publish.no_shard_holds",
                                                        ids=", ".join(orphans)))
                job = dataclasses.replace(
                    job, fresh=fresh, targets=_targets(job, together), people=people,
                    reuse_people=_reusable_people(job, target, people)
                    if request.shard is None and not request.stitch else frozenset(),
                    previous_root=target)
                _warm_theme_files(config)
                rebuilt, reused, carry = _assemble(job, request, prints, previous, manifest)
                publish(fresh, target, carry=carry)
        except SwapFailed as exc:
            raise BuildFailed(exc.said) from None
        except OSError as exc:
            if not is_environment_error(exc):
                raise
            raise BuildFailed(cannot_write(exc, target)) from None
    files = count_files(target)
    return Outcome(Built(target, files), sorted(rebuilt), sorted(reused),
                   directory_urls=config.use_directory_urls, language=inputs.language,
                   audience=inputs.audience)


def put_accounts_in_place(request: Request, plan_ids: Sequence[str]) -> None:
    """Build the sites of `plan_ids` alone (no portfolio) and put each in place in the
    site at `request.site_dir`, one folder rename each: `cxplan serve` shows a saved
    plan's pages this way first, then builds the whole site (`build_accounts`), which
    brings the portfolio and the people pages up to date. Between the two, the
    portfolio still shows the plan as it was."""
    target = request.site_dir
    if target is None or not target.is_dir() or not plan_ids:
        return
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.first-", dir=target.parent))
    try:
        outcome = build_accounts(dataclasses.replace(
            request, plans=plan_ids, shard=Shard(1, 1), site_dir=scratch / "site"))
        team = outcome.audience == "team"
        for plan_id in plan_ids:
            mount = urls.plan_root(plan_id) if team else f"{plan_id}/"
            new, old = scratch / "site" / mount, target / mount
            if not new.is_dir():
                continue
            aside = scratch / "previous"
            if old.exists():
                old.rename(aside)
            old.parent.mkdir(parents=True, exist_ok=True)
            new.rename(old)
            shutil.rmtree(aside, ignore_errors=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _assemble(
    job: _Job, request: Request, prints: Mapping[str, str],
    previous: Mapping[str, tuple[str, Path]], manifest: Mapping[str, Any],
) -> tuple[list[str], list[str], list[str]]:
    """Fill the fresh folder: the portfolio, each account built or copied from a
    shard's output, the redirects and the manifest. Returns the accounts (built,
    reused) and the folders the swap carries over from the previous site (the
    accounts it has that did not change: moved, not copied)."""
    fresh = job.fresh
    rebuilt, reused, carry = [], [], []
    copies: list[tuple[Path, Path]] = []
    for plan_id, fingerprint in prints.items():
        old = previous.get(plan_id)
        mount = job.mount(plan_id)
        if old is not None and old[0] == fingerprint and (old[1] / mount).is_dir():
            if old[1] == job.previous_root:
                carry.append(mount.rstrip("/"))
            else:
                copies.append((old[1] / mount, fresh / mount))
            reused.append(plan_id)
        else:
            rebuilt.append(plan_id)
    _copy_trees(copies)
    done = len(reused)
    if request.progress:
        request.progress(done, len(prints))
    portfolio = job.team and request.shard is None
    for site_id, error in _run_all(job, rebuilt, request.jobs, portfolio=portfolio):
        if error is not None:
            raise BuildFailed(error if site_id is None
                              else i18n.Text.of("publish.site_failed", site=site_id, error=error))
        if site_id is None:
            continue
        done += 1
        if request.progress:
            request.progress(done, len(prints))
    if portfolio:
        _move_into(fresh / PORTFOLIO_STAGING, fresh)
        carry += _carried_people(job)
    if not job.team:
        _write_redirects(job, [job.plans[i] for i in prints])
    (fresh / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return rebuilt, reused, carry


def _load_config(config_file: Path) -> MkDocsConfig:
    """The workspace's configuration as its plugins leave it (Material's `offline`
    plugin, for one, turns `use_directory_urls` off: addresses depend on it).

    The search plugins' `on_config` is left out: it loads the index's language
    support (15 ms) and changes nothing read from this configuration; the build of
    each site runs every plugin's, as MkDocs does."""
    try:
        config = load_mkdocs_config(config_file=str(config_file), strict=True)
        plugins = config.plugins
        search = {id(plugins[name]) for name in SEARCH_PLUGINS if name in plugins}
        every = plugins.events["config"]
        plugins.events["config"] = [
            event for event in every if id(getattr(event, "__self__", None)) not in search]
        try:
            return plugins.on_config(config)
        finally:
            plugins.events["config"] = every
    except MkDocsException as exc:
        raise BuildFailed(str(exc)) from None


SEARCH_PLUGINS = ("search", "material/search")


def _chosen_plans(request: Request, inputs: SiteInputs) -> tuple[list[PlanFile], list[PlanFile]]:
    """(the plans published together: all, or those `--plan` names; the share of
    them this build makes: all, or the shard's)."""
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
    if request.shard is None:
        return plans, plans
    return plans, [p for n, p in enumerate(plans) if request.shard.takes(n)]


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


def _move_into(source: Path, destination: Path) -> None:
    """Every file of `source` to the same place under `destination`, which may hold
    folders of the same names already (the portfolio's `plans/index.html` beside the
    accounts' `plans/<id>/`); then `source` is gone."""
    for entry in sorted(source.iterdir()):
        there = destination / entry.name
        if entry.is_dir() and not entry.is_symlink() and there.is_dir():
            _move_into(entry, there)
        else:
            entry.rename(there)
    source.rmdir()


def _copy_trees(pairs: Sequence[tuple[Path, Path]]) -> None:
    """Previous accounts' sites into the new output: hard links where the file system
    allows (the old output is deleted after the swap, the files are never written
    again), copies otherwise. GNU `cp -al` links a hundred sites' files in a few
    hundredths of a second, where a walk in Python takes half a second; elsewhere
    (no GNU cp, another file system) the walk does it."""
    by_folder: dict[tuple[Path, Path], list[Path]] = {}
    for source, destination in pairs:
        by_folder.setdefault((source.parent, destination.parent), []).append(source)
    for (_, into), sources in by_folder.items():
        into.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["cp", "-al", "--", *map(str, sources), str(into)],
                              capture_output=True, check=False) if shutil.which("cp") else None
        if done is not None and done.returncode == 0:
            continue
        for source in sources:
            target = into / source.name
            if target.exists():
                shutil.rmtree(target)
            _copy_tree(source, target)


def _copy_tree(source: Path, destination: Path) -> None:
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
    reviews: dict[str, SiteReview]
    moves: tuple[Move, ...]
    directory_urls: bool
    keep_extra: frozenset[str]
    customer_pages: frozenset[str]
    targets: frozenset[str]
    fresh: Path
    people: Mapping[str, str] = dataclasses.field(default_factory=dict)
    """Person id -> fingerprint of their page and calendar (`_people_prints`)."""
    reuse_people: frozenset[str] = frozenset()
    """The people whose page and calendar the previous site at `previous_root` has,
    made of the same inputs: not built, carried over at the swap (`_carried_people`)."""
    previous_root: Path = Path()
    page_names: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    """Plan id -> the paths of its site's pages, for each plan whose pages this process
    rendered (`plan_pages`): the redirects need the names, not the pages again."""

    @property
    def team(self) -> bool:
        return self.inputs.audience == "team"

    def without_plans(self) -> _Job:
        """The job as a new worker is handed it: each plan comes with its site."""
        return dataclasses.replace(self, plans={}, findings={}, history={}, reviews={},
                                   page_names={})

    def handed(self, plan_id: str) -> Handed:
        """What a new worker is handed of one account (`with_handed` takes it back)."""
        return (plan_id, self.plans[plan_id], self.findings.get(plan_id, []),
                self.history.get(plan_id), self.reviews.get(plan_id))

    def with_handed(self, handed: Handed) -> _Job:
        """This job (`without_plans`) with the one account it was handed."""
        plan_id, plan, findings, history, review = handed
        return dataclasses.replace(
            self, plans={plan_id: plan}, findings={plan_id: findings},
            history={plan_id: history} if history else {},
            reviews={plan_id: review} if review else {}, page_names={})

    def mount(self, plan_id: str | None) -> str:
        """Where a site is in the output: "" (the portfolio), `plans/<id>/` or `<id>/`."""
        if plan_id is None:
            return ""
        return urls.plan_root(plan_id) if self.team else f"{plan_id}/"

    def options(self) -> RenderOptions:
        return render_options(self.inputs, one_site_per_account=True)

    def plan_pages(self, plan_id: str) -> SiteFiles:
        """The plan's pages with paths relative to its own site."""
        pages = account_pages(self.plans[plan_id], self.inputs,
                              history=self.history.get(plan_id),
                              findings=self.findings.get(plan_id),
                              review=self.reviews.get(plan_id), moves=self.moves_of(plan_id))
        self.page_names[plan_id] = sorted(pages)
        return pages

    def page_paths(self, plan_id: str) -> list[str]:
        """The paths of the plan's pages, sorted (rendered only if not already)."""
        if plan_id not in self.page_names:
            self.plan_pages(plan_id)
        return self.page_names[plan_id]

    def moves_of(self, plan_id: str) -> tuple[Move, ...]:
        """The moves the plan's pages show: people who left it, or came from another."""
        return tuple(m for m in self.moves if plan_id in (m.from_plan, m.to_plan))

    def fingerprint(self, plan_id: str, common: str) -> str:
        """The hash of everything the plan's site is made of; `common` is `common()`."""
        digest = hashlib.sha256(common.encode())
        plan = self.plans[plan_id]
        digest.update(plan_id.encode() + b"\0" + plan.digest.encode())
        for finding in self.findings.get(plan_id, ()):
            # Not the diagnostic's path: it names the checkout (shards run elsewhere).
            d = finding.diagnostic
            digest.update(repr((d.line, d.column, str(d.severity), d.code, d.message, d.hint,
                                finding.page, finding.anchor,
                                finding.message_key, finding.hint_key,
                                sorted(finding.facts.items()))).encode())
        if plan_id in self.history:
            digest.update(repr(dataclasses.replace(self.history[plan_id], path="")).encode())
        if plan_id in self.reviews:  # the review tag can move without a new commit
            digest.update(repr(self.reviews[plan_id]).encode())
        digest.update(repr(self.moves_of(plan_id)).encode())  # facts of other plans
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
            self.inputs.customer_intro or "",  # the option names the file; this is its text
        ]
        folders = [Path(cxplan.__file__).parent, shipped_templates_dir(),
                   self.inputs.templates_dir, *_theme_dirs(self.config_file)]
        for folder in folders:
            parts += folder_digest(folder)
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

Problem = i18n.Text | str
"""Why a site could not be built: a catalogue text, or MkDocs' own words."""

_CURRENT: _Job | None = None
"""The job of the build under way, for the workers: forked ones inherit it, new ones
are handed it without the plans (`_start_worker`)."""

NEW_WORKERS_FROM = 200
"""From this many accounts to build, the workers are new processes handed each plan,
not forks of this one. A fork shares this process's memory until it writes to it, and
a worker building site after site writes all over it: the plans' memory is full of
gaps (what was freed once they were checked), each new object of the worker lands in
one, and its page is copied. At 1,000 plans a forked worker peaked at 449 MB, a new
one at 122 MB (the whole build: 1,197 MB at once, 841 MB). Below this, forking is the
cheaper: a new process imports cxplan and MkDocs again (0.4-0.6 s)."""


def _run_all(
    job: _Job, plan_ids: Sequence[str], jobs: int | None, *, portfolio: bool
) -> Iterator[tuple[str | None, Problem | None]]:
    """(site, error or None) for the portfolio first (None), when `portfolio`, then
    each account of `plan_ids`. The accounts are built in worker processes (forked from
    this one, or new ones for a large build: `NEW_WORKERS_FROM`); the portfolio, which
    reads every plan, in this process meanwhile: in a forked worker, it would touch,
    and so copy, every page of memory the plans are in."""
    global _CURRENT
    workers = max(1, min(jobs or os.cpu_count() or 1, len(plan_ids)))
    # The plans and everything else loaded so far are read, never changed, while the
    # sites are built: frozen out of the garbage collector's sight, they are not
    # walked by each collection after a site (`_run`), nor copied into each worker
    # when its collector would walk them (copy-on-write). No collection first (0.12 s
    # at 100 plans): garbage frozen with them is freed once they are unfrozen.
    gc.freeze()
    try:
        serial = workers == 1 and (jobs == 1 or not portfolio)
        if not plan_ids or serial or "fork" not in multiprocessing.get_all_start_methods():
            for site_id in [*([None] if portfolio else []), *plan_ids]:
                yield site_id, _run(job, site_id)
            return
        if len(plan_ids) >= NEW_WORKERS_FROM:
            pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(os.getpid(), job.without_plans(), _log_setup()))
            done = pool.map(_run_handed, [job.handed(i) for i in plan_ids], chunksize=1)
        else:
            _CURRENT = job
            pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                initializer=_die_with, initargs=(os.getpid(),))
            done = pool.map(_run_current, plan_ids, chunksize=1)  # forks the workers
        try:
            if portfolio:
                yield None, _run(job, None)
            yield from zip(plan_ids, done, strict=True)
        except BrokenProcessPool:
            raise BuildFailed(i18n.Text.of("publish.worker_died")) from None
        finally:
            # A failure stops the accounts not yet started (the build is given up).
            pool.shutdown(wait=True, cancel_futures=True)
            _CURRENT = None
    finally:
        gc.unfreeze()


def _die_with(parent: int) -> None:
    """Have this worker end when the build's process does. A worker waits on a queue
    its siblings also hold open, so it never sees its parent go: a `cxplan serve`
    stopped by SIGTERM or SIGKILL in the middle of a build left its workers waiting
    for ever. Linux tells a process of its parent's end (PR_SET_PDEATHSIG); elsewhere
    the worker stays as before."""
    import ctypes
    import signal

    # A worker forked from `cxplan serve` inherits its SIGTERM handler (raise
    # KeyboardInterrupt, for the cleanup there); here the signal simply ends it.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before the request was made
        os._exit(1)


def _run_current(plan_id: str | None) -> Problem | None:
    assert _CURRENT is not None
    return _run(_CURRENT, plan_id)


Handed = tuple[str, PlanFile, list[Finding], PlanHistory | None, SiteReview | None]
"""What a new worker is handed of one account: its id, plan, findings, history, review."""


def _start_worker(
    parent: int, job: _Job, log: tuple[int, list[logging.Formatter | None]],
) -> None:
    """Set up a new worker: the job without its plans (each comes with its site), and
    MkDocs' messages shown as this process shows them."""
    global _CURRENT
    _die_with(parent)
    _CURRENT = job
    level, formats = log
    logger = logging.getLogger("mkdocs")
    logger.setLevel(level)
    for formatter in formats:
        handler = logging.StreamHandler()
        handler.setFormatter(formatter)
        logger.addHandler(handler)


def _log_setup() -> tuple[int, list[logging.Formatter | None]]:
    """The level of MkDocs' messages here and how each handler showing them on the
    terminal writes them (`cxplan serve` sets one), for new workers to do the same."""
    logger = logging.getLogger("mkdocs")
    return logger.level, [h.formatter for h in logger.handlers
                          if type(h) is logging.StreamHandler]


def _run_handed(handed: Handed) -> Problem | None:
    assert _CURRENT is not None
    problem = _run(_CURRENT.with_handed(handed), handed[0])
    # What the first site loaded (MkDocs, the theme, its compiled templates) stays for
    # the next ones: out of the collector's sight, as in a forked worker, it is not
    # walked again after every site (at 100 plans, 3.6 s of collection per worker
    # instead of 1.0 s).
    if not gc.get_freeze_count():
        gc.freeze()
    return problem


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def _run(job: _Job, plan_id: str | None) -> Problem | None:
    """Build one site (a plan's, or the portfolio for None); the error, or None."""
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        config = load_mkdocs_config(config_file=str(job.config_file), strict=True)
        mount = job.mount(plan_id)
        # The portfolio is built beside the accounts, not around them (MkDocs empties
        # the folder it builds into), and moved into place when every site is done.
        config["site_dir"] = str(job.fresh / (mount if plan_id else PORTFOLIO_STAGING))
        if config.site_url:
            config["site_url"] = config.site_url.rstrip("/") + "/" + mount
        plugin = config.plugins["cxplan"]
        assert isinstance(plugin, CxplanPlugin)
        plugin.as_of_override = job.inputs.as_of
        plugin.audience_override = job.inputs.audience
        plugin.prepared = _plan_site(job, plan_id, config) if plan_id else _portfolio(job, config)
        _list_theme_once(config)
        # Through the module: one place to wrap MkDocs' build (the tests kill it there).
        publish_build.mkdocs_build(config)
        if plan_id is not None:
            shared_assets.share(job.fresh, Path(config.site_dir))
    except MkDocsException as exc:
        return ("\n".join(collect.messages) + f"\n{exc}").strip()
    except OSError as exc:
        if not is_environment_error(exc):
            raise
        return site_unwritable(exc, job.fresh)
    finally:
        logger.removeHandler(collect)
        # A MkDocs build leaves its pages, navigation and configuration in reference
        # cycles that only a full collection frees, rarely run on its own: a worker
        # building site after site grew by 130 MB over 60 sites without this.
        gc.collect()
    return None


_THEME_FILES: dict[tuple[object, ...], list[str]] = {}
"""The theme's files by (theme folders, what the listing leaves out), once per process:
MkDocs lists Material's 14,000 files (icons included) for every site it builds, about
60 ms a site."""


def _list_theme_once(config: MkDocsConfig) -> None:
    """Have this build's theme keep its compiled templates between builds and list its
    files from `_THEME_FILES`.

    Compiling Material's templates costs every MkDocs build about a fifth of a second;
    Jinja's bytecode cache (the one cxplan's own templates use) keys each entry by the
    template's source, so it is safe for any theme. The listing is kept only for
    themes installed as packages: a workspace's own `custom_dir` can change between
    two builds of `cxplan serve`, so a theme with one is listed every time."""
    theme = config.theme
    workspace = Path(config.config_file_path or ".").resolve().parent
    own_files = any(Path(d).resolve().is_relative_to(workspace) for d in theme.dirs)
    make_env = theme.get_env

    def get_env() -> Any:
        env = make_env()
        env.bytecode_cache = bytecode_cache()
        list_templates = env.list_templates

        def listed(extensions: Any = None, filter_func: Any = None) -> list[str]:
            if extensions is not None or filter_func is None:
                return list_templates(extensions=extensions, filter_func=filter_func)
            if own_files:
                return files_of(filter_func)
            # The filter is MkDocs' own, made anew each time from the theme's settings.
            key = (tuple(theme.dirs), tuple(theme.static_templates),
                   getattr(filter_func, "__code__", filter_func))
            if key not in _THEME_FILES:
                _THEME_FILES[key] = files_of(filter_func)
            return list(_THEME_FILES[key])

        def files_of(keep: Callable[[str], bool]) -> list[str]:
            found = _theme_files(env, keep)
            return found if found is not None else list_templates(filter_func=keep)

        env.list_templates = listed  # type: ignore[method-assign]
        return env

    theme.get_env = get_env  # type: ignore[method-assign]


def _theme_files(env: Any, keep: Callable[[str], bool]) -> list[str] | None:
    """The theme's files `keep` keeps, as Jinja lists them (`list_templates`), without
    walking the folders whose name starts with a dot: MkDocs' filter leaves out every
    file in them, and Material's `.icons` holds 14,000 of its 14,500 files (the walk
    cost a build 57 ms, this one 2 ms). None when the filter would keep a file there, or the loader
    is not a folder loader: then Jinja lists them."""
    loader = env.loader
    if not isinstance(loader, jinja2.FileSystemLoader) or keep(".x/x") or keep("x/.x/x"):
        return None
    found: set[str] = set()
    for searchpath in loader.searchpath:
        for folder, subfolders, names in os.walk(searchpath, followlinks=loader.followlinks):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            base = os.path.relpath(folder, searchpath).replace(os.path.sep, "/")
            found.update(name if base == "." else f"{base}/{name}" for name in names)
    return [name for name in sorted(found) if keep(name)]


def _warm_theme_files(config: MkDocsConfig) -> None:
    """List the theme's files in this process before the workers are forked: each of
    them, and each later build of `cxplan serve`, then finds them listed."""
    _list_theme_once(config)
    Files([]).add_files_from_theme(config.theme.get_env(), config)


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
    home = _portfolio_home(config)
    pages = portfolio_pages(plans, job.options(), home=home, skip_people=job.reuse_people,
                            history=job.history)
    reused = {path for pid in job.reuse_people
              for path in (urls.person_page(pid), urls.person_calendar(pid))}
    return Prepared(pages=pages, nav=_portfolio_nav(job, config), mount="",
                    keep=lambda _file: True, targets=job.targets,
                    search=partial(_search_entries, job, plans), reused=frozenset(reused))


def _portfolio_home(config: MkDocsConfig) -> bool:
    """Whether the portfolio makes the home page (the workspace's docs have none)."""
    docs = Path(config.docs_dir)
    return not any((docs / name).is_file() for name in ("index.md", "README.md"))


def _portfolio_nav(job: _Job, config: MkDocsConfig) -> list[Any]:
    """mkdocs.yml's `nav`, else the workspace's docs, the plans and the people index."""
    if config.nav is not None:
        return list(config.nav)
    docs = Path(config.docs_dir)
    own = sorted(
        p.relative_to(docs).as_posix() for p in docs.rglob("*.md")
        if not any(part.startswith(".") for part in p.relative_to(docs).parts)
    ) if docs.is_dir() else []
    from cxplan.i18n import labels

    L = labels(job.inputs.language)
    entries: list[Any] = [urls.PORTFOLIO]
    if len(job.plans) <= NAV_LISTS_PLANS_UP_TO:
        for plan in sorted(job.plans.values(),
                           key=lambda p: (p.plan.plan.customer.casefold(), p.id)):
            entries.append({page_title(plan.plan.plan.customer):
                            urls.cross_site(urls.plan_page(plan.id))})
    return [*(["index.md"] if _portfolio_home(config) else []), *nest_paths(own),
            {page_title(L["site.plans"]): entries}, {page_title(L["site.people"]): urls.PEOPLE}]


def _portfolio_frame(job: _Job, config: MkDocsConfig, common: str) -> str:
    """The hash of what every page of the portfolio carries: the navigation, the
    workspace's docs (whose titles it shows), everything every site is made of."""
    return hashlib.sha256("\0".join([
        common, repr(_portfolio_nav(job, config)), *folder_digest(Path(config.docs_dir)),
    ]).encode()).hexdigest()


def _manifest(
    job: _Job, prints: Mapping[str, str], people: Mapping[str, str], frame: str | None
) -> dict[str, Any]:
    """What `.cxplan-build.json` says of a build: each account's fingerprint and, with
    a portfolio, each person's and the portfolio's frame."""
    manifest: dict[str, Any] = {"format": MANIFEST_FORMAT, "audience": job.inputs.audience,
                                "plans": dict(sorted(prints.items()))}
    if frame is not None:
        manifest["frame"] = frame
        manifest["people"] = dict(sorted(people.items()))
    return manifest


def _is_built(target: Path, manifest: Mapping[str, Any]) -> bool:
    """Whether the site at `target` was built from exactly these inputs (and is
    there: a killed build's half-done swap is finished first)."""
    try:
        recover(target)
        before = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(before == manifest)


def _people_prints(job: _Job, frame: str, prints: Mapping[str, str]) -> dict[str, str]:
    """Person id -> the hash of what their page and calendar are made of: the
    portfolio's frame and the fingerprints of the plans the person is on (their names,
    rows and calendar come from those plans only)."""
    theirs: dict[str, list[str]] = {}
    for plan_id in sorted(job.plans):
        for member in {m.id for m in job.plans[plan_id].plan.team}:
            theirs.setdefault(member, []).append(f"{plan_id}:{prints[plan_id]}")
    return {pid: hashlib.sha256("\0".join([frame, pid, *found]).encode()).hexdigest()
            for pid, found in sorted(theirs.items())}


def _reusable_people(job: _Job, target: Path, people: Mapping[str, str]) -> frozenset[str]:
    """The people whose page and calendar in the previous site at `target` were made
    of the same inputs (and are still there)."""
    try:
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return frozenset()
    if manifest.get("format") != MANIFEST_FORMAT or manifest.get("audience") != "team":
        return frozenset()
    before = manifest.get("people")
    if not isinstance(before, dict):
        return frozenset()
    return frozenset(
        pid for pid, fingerprint in people.items()
        if before.get(pid) == fingerprint
        and (target / _output_file(urls.person_page(pid), job.directory_urls)).is_file()
        and (target / urls.person_calendar(pid)).is_file()
    )


def _carried_people(job: _Job) -> list[str]:
    """What the swap carries over from the previous site of the reused people (their
    pages were not written: `ReusedPage`): each page's folder (its file, without
    folder addresses) and calendar. Where the new site has that folder or file already
    (the workspace's docs put a file in the folder, a plugin wrote the page after
    cxplan emptied it), the previous page is linked or copied in instead."""
    carried = []
    for pid in sorted(job.reuse_people):
        page = _output_file(urls.person_page(pid), job.directory_urls)
        folder = page.removesuffix("/index.html")
        if (job.fresh / folder).exists():
            _link_or_copy(job.previous_root / page, job.fresh / page)
        else:
            carried.append(folder)
        carried.append(urls.person_calendar(pid))
    return carried


def _link_or_copy(source: Path, destination: Path) -> None:
    """A file of the previous site into the new one, in place of any file there: a hard
    link (the previous site is deleted after the swap, its files never written again),
    else a copy."""
    destination.unlink(missing_ok=True)
    try:
        os.link(source, destination)
    except OSError:
        shutil.copyfile(source, destination)


def _output_file(path: str, directory_urls: bool) -> str:
    """The file MkDocs writes for the source path `path`."""
    url = urls.page_url(path, directory_urls)
    return url + "index.html" if url.endswith("/") or not url else url


def _search_entries(job: _Job, plans: Sequence[PlanFile]) -> Iterator[dict[str, str]]:
    """The portfolio's search entries of each plan's items: a title and the address of
    the item in the plan's own site, so a search of the portfolio finds an action of
    any plan without downloading every plan's index (each plan's site has the full
    text of its pages in its own index)."""
    for plan in sorted(plans, key=lambda p: p.id):
        customer = str(escape(plan.plan.plan.customer))
        items: list[tuple[str, str, str]] = [
            *(("actions", a.id, a.title) for a in plan.plan.actions),
            *(("commitments", c.id, c.promise) for c in plan.plan.commitments),
            *(("kpis", k.id, k.name) for k in plan.plan.kpis),
        ]
        yield {"location": urls.page_url(urls.plan_page(plan.id), job.directory_urls),
               "title": str(escape(plan.plan.plan.title)), "text": customer}
        for kind, item_id, title in items:
            path, _, anchor = urls.item_target(plan.id, kind, item_id).partition("#")
            yield {"location": f"{urls.page_url(path, job.directory_urls)}#{anchor}",
                   "title": str(escape(title)), "text": customer}
    # The people pages are out of the search (their rows are the plans' items, found
    # above); each person is found by name.
    names: dict[str, str] = {}
    for plan in sorted(plans, key=lambda p: p.id):
        for member in plan.plan.team:
            names.setdefault(member.id, member.name)
    for person_id, name in sorted(names.items()):
        yield {"location": urls.page_url(urls.person_page(person_id), job.directory_urls),
               "title": str(escape(name)), "text": ""}
    # The cross-plan pages out of the search too (their rows are the entries above).
    L = i18n.labels(job.inputs.language)
    for path, key in ((urls.PORTFOLIO_QUICK_WINS, "site.portfolio_quick_wins"),
                      (urls.PEOPLE, "site.people")):
        yield {"location": urls.page_url(path, job.directory_urls),
               "title": str(escape(L[key])), "text": ""}


def _write_redirects(job: _Job, plans: Sequence[PlanFile]) -> None:
    """`plans/<id>/...` of the old single-site customer edition, each a page that sends
    the reader to the same page of `<id>/`."""
    for plan in plans:
        language = plan.plan.plan.language or job.inputs.language
        moved = escape(i18n.text(language, "publish.moved"))
        for path in job.page_paths(plan.id):
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
