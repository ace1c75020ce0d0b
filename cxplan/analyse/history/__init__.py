"""What changed in a plan, and who changed it: read from the plan file's git history.

A plan kept in git has its whole history for free. This package reads the committed
versions of one plan file with the real `git` (a subprocess, never the network) and
tells, for every commit, what changed that a team cares about: due dates that moved,
status changes, commitments added, changed or removed, stakeholders added or removed,
actions added or removed, and versions that did not validate.

How it reads the versions, and why (speed: see benchmarks/history.py):

- git is asked twice, whatever the number of commits and plans of a repository (one
  `git log`, one `git cat-file`: `cxplan.analyse.git`). Each commit is compared with
  *its own* parent version, so work merged from a branch is credited to the commit
  that made it, and two branches never look like they undo each other; merge commits
  are skipped (a conflict resolution made in a merge is therefore not reported);
- versions are parsed with the project's loader (`cxplan.load.parse`), section by
  section and item by item, with a cache keyed by the text of each piece: consecutive
  versions share almost all of their text, so each version costs the parse of the few
  items that changed. A file whose layout the splitter does not recognise is parsed
  whole (same result, slower);
- what a version says depends only on its content, so it is kept by blob id, in memory
  (a site being served) and in a small cache file inside the git directory
  (`<git-dir>/cxplan/history/<plan-id>.json`), tagged with a digest of the code that
  reads it: a second run reads no blob at all.

Validation is lenient, item by item: a version that fails validation is reported as
invalid (which commit, and its first problem), and every item of it that is valid on
its own is still compared; an item that is not keeps its last valid state, so a broken
intermediate version never shows up as "everything removed, then re-added".

The result is typed (dataclasses) so the site, the CLI and the method rules share it.

The package, by job: `results` (the typed result: Change, Slip, PlanHistory, and the
Item and Version history compares), `versions` (what one committed version says),
`cache` (versions by blob id, on disk, keyed by a digest of the code that reads them),
`diff` (comparing states of the plan) and `histories` (reading the histories of plans
from git: `plan_history`, `plan_histories`, `HistoryBook`, `due_moves`). The fast
validation of many versions is the model's (`cxplan.model.versions`), the size and
encoding checks of a version the loader's (`cxplan.load.plan_text`).
"""

from __future__ import annotations

from cxplan.analyse.git import Commit, GitError
from cxplan.analyse.history.cache import _MEMORY, VersionCache
from cxplan.analyse.history.histories import HistoryBook, due_moves, plan_histories, plan_history
from cxplan.analyse.history.results import (
    COMMITMENT_FIELDS,
    SECTIONS,
    Change,
    ChangeKind,
    HistoryState,
    Item,
    PlanHistory,
    Slip,
    Value,
    Version,
)
from cxplan.analyse.history.versions import read_version
from cxplan.model.versions import FIELD_SHAPES as _FIELD_SHAPES
from cxplan.model.versions import VersionParser

__all__ = [
    "COMMITMENT_FIELDS",
    "SECTIONS",
    "_FIELD_SHAPES",
    "_MEMORY",
    "Change",
    "ChangeKind",
    "Commit",
    "GitError",
    "HistoryBook",
    "HistoryState",
    "Item",
    "PlanHistory",
    "Slip",
    "Value",
    "Version",
    "VersionCache",
    "VersionParser",
    "due_moves",
    "plan_histories",
    "plan_history",
    "read_version",
]
