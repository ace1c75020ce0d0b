"""Versions by blob id, kept in memory and in a small file inside the git directory.

What a version says depends only on its bytes and on the code that reads them, so the
cache file is tagged with a digest of that code: a new check or field makes every
cached version stale, and a second run with the same code reads no blob at all.
"""

from __future__ import annotations

import json

from cxplan import __version__
from cxplan.analyse.git import Repository
from cxplan.analyse.history.results import Item, Version
from cxplan.files import WriteFailed, source_digest, write_atomically

_CACHE_FORMAT = 3
_MEMORY: dict[tuple[str, str], Version] = {}
"""(cache key, blob id) -> version, for a process that reads history again (serve)."""


def _code_digest() -> str:
    """A digest of the code that decides what a version says: a change to any of it
    (a new check, a new field) makes every cached version stale."""
    return source_digest((
        "cxplan.load", "cxplan.model.plan", "cxplan.model.build", "cxplan.model.checks",
        "cxplan.model.messages", "cxplan.model.versions", "cxplan.analyse.history.results",
        "cxplan.analyse.history.versions", __name__,
    ), f"{__version__}/{_CACHE_FORMAT}")


class VersionCache:
    """Versions by blob id, for one plan, in memory and in the git directory."""

    def __init__(self, repo: Repository | None, plan_id: str, *, persist: bool) -> None:
        self.key = f"{_code_digest()}/{plan_id}"
        self.file = repo.cache_file(plan_id) if repo else None
        self.persist = persist and self.file is not None
        self.versions: dict[str, Version] = {}
        self.dirty = False
        if self.persist:
            self._load()

    def _load(self) -> None:
        assert self.file is not None
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if data.get("key") != self.key:
                return
            table = [Item.from_json(row) for row in data["items"]]
            self.versions = {
                sha: Version.from_json(version, table)
                for sha, version in data["versions"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            self.versions = {}  # unreadable or from another version: start again

    def get(self, sha: str) -> Version | None:
        version = self.versions.get(sha)
        if version is None:
            version = _MEMORY.get((self.key, sha))
            if version is not None and self.persist:
                self.versions[sha] = version  # known here, not yet in the file
                self.dirty = True
        return version

    def put(self, sha: str, version: Version) -> None:
        self.versions[sha] = version
        _MEMORY[(self.key, sha)] = version
        self.dirty = True

    def save(self, keep: set[str]) -> None:
        """Write the versions still in the history (atomically; failures are ignored:
        a read-only repository only loses the speed-up)."""
        if not (self.persist and self.dirty) or self.file is None:
            return
        table: dict[Item, int] = {}
        versions = {
            sha: version.to_json(table) for sha, version in self.versions.items() if sha in keep
        }
        data = {
            "key": self.key,
            "items": [item.to_json() for item in sorted(table, key=table.__getitem__)],
            "versions": versions,
        }
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            payload = json.dumps(data, separators=(",", ":")).encode("utf-8")
            write_atomically(self.file, payload)
        except (OSError, WriteFailed):
            return
