"""The accounts' identical asset files stored once: hard links, not copies.

Every account's site is whole on its own (a customer edition is handed over as its
folder), so each holds the theme's scripts, styles and search languages: 2.5 MB with
Material, four fifths of an account's bytes. Files of an account's `assets/` whose
bytes are those of the same file of an account built before it, in the same build
and process, become hard links to it. Each folder still holds every file (a copy,
an upload or an archive of it reads the same bytes); the disk holds them once per
worker process. A file system without hard links keeps the copies.

Only whole sites are linked (after MkDocs and every plugin finished with them), and
the files of a built site are never written again: a later build writes a new site.
"""

from __future__ import annotations

import filecmp
import os
from pathlib import Path

ASSETS = "assets"

_FIRST: dict[Path, dict[str, Path]] = {}
"""Build folder -> path inside an account's site -> its first copy in that build;
the current build only (the copies of the last one are not its own)."""


def share(build: Path, site: Path) -> int:
    """Link the files of `site/assets/` (one account's site, inside the build folder
    `build`) to their first copies in this build; the number of files linked."""
    if build not in _FIRST:
        _FIRST.clear()
    first_copies = _FIRST.setdefault(build, {})
    linked = 0
    for path in sorted((site / ASSETS).rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        name = path.relative_to(site).as_posix()
        first = first_copies.setdefault(name, path)
        if first == path or not _same_bytes(first, path):
            continue
        temporary = path.with_name(f".{path.name}.cxplan-link")
        try:
            os.link(first, temporary)
            os.replace(temporary, path)
        except OSError:  # no hard links here (or the first copy is gone): keep the copy
            temporary.unlink(missing_ok=True)
            continue
        linked += 1
    return linked


def _same_bytes(first: Path, other: Path) -> bool:
    try:
        if os.path.samefile(first, other):
            return False  # linked already
        return first.stat().st_size == other.stat().st_size and filecmp.cmp(
            first, other, shallow=False)
    except OSError:
        return False
