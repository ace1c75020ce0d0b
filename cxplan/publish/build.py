"""`cxplan build`: check the plans, run a strict MkDocs build, publish it atomically.

The site appears all at once or not at all: MkDocs builds into a fresh folder beside
the target, and only a build that finished without a warning replaces the previous
site (rename the old one away, rename the new one in, delete the old one). A failed
build leaves the previous site exactly as it was and no half-built folder behind.

The same plans, settings and as-of date give a byte-identical site: pages are
generated in sorted order with no clock read, and `SOURCE_DATE_EPOCH` (the
reproducible-builds convention MkDocs honours for the sitemap dates and the gzip
timestamp of `sitemap.xml.gz`) is set from the as-of date unless it is already set.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config as load_mkdocs_config
from mkdocs.exceptions import MkDocsException

from cxplan.model.workspace import Workspace
from cxplan.publish.plugin import CxplanPlugin
from cxplan.rules import Finding


class BuildFailed(Exception):
    """The site could not be built; the message says why (MkDocs' own words)."""


@dataclass(frozen=True)
class Built:
    site_dir: Path
    files: int


def source_date_epoch(as_of: dt.date) -> str:
    """Midnight UTC of the as-of date, in seconds: the site's build date."""
    return str(int(dt.datetime.combine(as_of, dt.time(), dt.UTC).timestamp()))


@contextlib.contextmanager
def reproducible(as_of: dt.date) -> Iterator[None]:
    """`SOURCE_DATE_EPOCH` set from the as-of date while the site is made (unless the
    caller set it): MkDocs and the calendar exports take their timestamps from it."""
    added = "SOURCE_DATE_EPOCH" not in os.environ
    if added:
        os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch(as_of)
    try:
        yield
    finally:
        if added:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings and errors to report them when the build fails."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def build_site(
    config_file: Path,
    *,
    as_of: dt.date,
    workspace: Workspace,
    findings: Mapping[str, Sequence[Finding]] | None = None,
    site_dir: Path | None = None,
    audience: str | None = None,
) -> Built:
    """Build the site of `config_file` into `site_dir` (default: its `site_dir`).

    `workspace` is the plans as already loaded and validated by the caller, and
    `findings` their rule findings; the plugin uses them instead of computing them
    again. Raises `BuildFailed`.
    """
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    with reproducible(as_of):
        try:
            # Strict: a warning fails the build. (Never combined with quiet: MkDocs 1.6
            # then counts no warning and exits 0.)
            config = load_mkdocs_config(config_file=str(config_file), strict=True)
            target = (site_dir or Path(config.site_dir)).resolve()
            if target.exists() and not target.is_dir():
                raise BuildFailed(f"{target} exists and is not a folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
            try:
                config["site_dir"] = str(fresh)
                plugin = config.plugins.get("cxplan")
                if not isinstance(plugin, CxplanPlugin):
                    raise BuildFailed(
                        f"{config_file} does not enable the cxplan plugin "
                        "(add '- cxplan' under 'plugins:')"
                    )
                plugin.preloaded = workspace
                plugin.preloaded_findings = findings
                plugin.as_of_override = as_of
                plugin.audience_override = audience
                mkdocs_build(config)
                files = sum(1 for p in fresh.rglob("*") if p.is_file())
                _swap(fresh, target)
            finally:
                if fresh.exists():
                    shutil.rmtree(fresh)
        except MkDocsException as exc:
            reasons = "\n".join(collect.messages) or str(exc)
            raise BuildFailed(f"{reasons}\n{exc}".strip()) from None
        finally:
            logger.removeHandler(collect)
    return Built(target, files)


def _swap(fresh: Path, target: Path) -> None:
    """Put `fresh` where `target` is: rename the old site away, the new one in, then
    delete the old one. Both renames stay in one folder, so each is atomic."""
    old: Path | None = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        old.rmdir()
        target.rename(old)
    try:
        fresh.rename(target)
    except OSError:
        if old is not None:
            old.rename(target)  # put the previous site back
        raise
    if old is not None:
        shutil.rmtree(old)
