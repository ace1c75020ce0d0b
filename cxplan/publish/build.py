"""`cxplan build`: check the plans, run a strict MkDocs build, publish it atomically.

The site appears all at once or not at all: MkDocs builds into a fresh folder beside
the target, and only a build that finished without a warning replaces the previous
site (`cxplan.publish.swap`: recoverable when a build is killed mid-swap). A failed
build leaves the previous site exactly as it was and no half-built folder behind. A
site folder that overlaps the plans, docs or templates folder or the workspace root is
refused before anything is written (`cxplan.publish.outputs`).

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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config as load_mkdocs_config
from mkdocs.exceptions import MkDocsException

from cxplan.config import load_config
from cxplan.files import count_files, is_environment_error, os_reason
from cxplan.i18n import Said, Text
from cxplan.model.workspace import Workspace
from cxplan.publish.outputs import overlap, workspace_inputs
from cxplan.publish.plugin import CxplanPlugin
from cxplan.publish.swap import SwapFailed, publish, staging
from cxplan.rules import Finding


class BuildFailed(Said):
    """The site could not be built; the message says why (a catalogue text, or MkDocs'
    own words)."""


def site_unwritable(exc: OSError, folder: Path) -> Text:
    """"cannot write the site in FOLDER: REASON": the folder the user named, not the
    file the system names (a copy's source, a temporary file's)."""
    return Text.of("publish.cannot_write_site", folder=str(folder), reason=os_reason(exc))


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
            settings, root, _ = load_config(config_file)
            inputs = workspace_inputs(root, settings, {"docs_dir": config.docs_dir})
            refused = overlap(site_dir or Path(config.site_dir), inputs, what="site",
                              language=settings.language)
            if refused:
                raise BuildFailed(refused)
            if target.exists() and not target.is_dir():
                raise BuildFailed(Text.of("files.not_a_folder", path=str(target)))
            with staging(target) as fresh:
                config["site_dir"] = str(fresh)
                plugin = config.plugins.get("cxplan")
                if not isinstance(plugin, CxplanPlugin):
                    raise BuildFailed(Text.of("publish.not_cxplan", config=str(config_file)))
                plugin.preloaded = workspace
                plugin.preloaded_findings = findings
                plugin.as_of_override = as_of
                plugin.audience_override = audience
                try:
                    mkdocs_build(config)
                except OSError as exc:
                    if not is_environment_error(exc):
                        raise
                    # The OS may name a source file (a copy's); the user needs the output.
                    raise BuildFailed(site_unwritable(exc, target)) from None
                files = count_files(fresh)
                publish(fresh, target)
        except SwapFailed as exc:
            raise BuildFailed(exc.said) from None
        except MkDocsException as exc:
            reasons = "\n".join(collect.messages) or str(exc)
            raise BuildFailed(f"{reasons}\n{exc}".strip()) from None
        finally:
            logger.removeHandler(collect)
    return Built(target, files)

