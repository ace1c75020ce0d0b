"""The histories of plans, read from git: each commit against its own parent version."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Sequence
from pathlib import Path

from cxplan.analyse.git import (
    NO_BLOB,
    GitError,
    PlanLog,
    Prefetch,
    Repository,
    by_repository,
    read_blobs,
    read_logs,
)
from cxplan.analyse.history.cache import VersionCache
from cxplan.analyse.history.diff import State, compare, empty_state, slips, state_after
from cxplan.analyse.history.results import Change, PlanHistory
from cxplan.analyse.history.versions import read_version
from cxplan.model.versions import VersionParser


def plan_history(
    path: Path, *, since: dt.date | None = None, cache: bool = True
) -> PlanHistory:
    """The history of one plan file, from the git repository that holds it.

    Outside git, or for a file never committed, the result says so (`state`,
    `reason`) and holds no change. `since` leaves out changes authored before that
    day; the versions before it are still read, so the first change after it is
    compared with the right state. `cache=False` neither reads nor writes the cache
    file (the in-memory one is always used).
    """
    return plan_histories([path], since=since, cache=cache)[0]


def plan_histories(
    paths: Sequence[Path], *, since: dt.date | None = None, cache: bool = True,
    prefetch: Prefetch | None = None,
) -> list[PlanHistory]:
    """The history of each plan file, in the order given (see `plan_history`).

    Plans of one repository are read together: one `git log` and one `git cat-file`
    for all of them, whatever their number. `prefetch`, started earlier for the same
    paths, hands over what git read meanwhile.
    """
    if prefetch is not None and prefetch.paths == list(paths):
        logs, fetched = prefetch.result()
    else:
        logs, fetched = read_logs(paths), {}
    found: dict[int, PlanHistory] = {}
    for repo, plan_logs in by_repository(logs):
        caches = [VersionCache(repo, log.path.stem, persist=cache) for log in plan_logs]
        wanted = [log.versions() for log in plan_logs]
        missing = {
            sha for versions, shas in zip(caches, wanted, strict=True) for sha in shas
            if sha not in fetched and versions.get(sha) is None
        }
        blobs = {**fetched, **read_blobs(repo, sorted(missing))}
        for log, versions, shas in zip(plan_logs, caches, wanted, strict=True):
            parser = VersionParser(log.relpath)
            for sha in shas:
                if sha in blobs and versions.get(sha) is None:
                    versions.put(sha, read_version(blobs[sha], parser, log.path.stem))
            versions.save(set(shas))
            found[id(log)] = _history(log, repo, versions, since)
    return [
        found.get(id(log)) or PlanHistory(log.path.stem, str(log.path), "no-git", log.reason)
        for log in logs
    ]


def _history(
    log: PlanLog, repo: Repository, versions: VersionCache, since: dt.date | None
) -> PlanHistory:
    """The changes of one plan, its versions read: each commit against its parent."""
    steps = log.steps
    history = PlanHistory(log.path.stem, str(log.path), "ok", shallow=repo.shallow, since=since)
    if not steps:
        history.state = "not-committed"
        history.reason = "the plan has never been committed: no history yet"
        return history
    states: dict[str, State] = {NO_BLOB: empty_state()}
    changes: list[Change] = []
    current = empty_state()
    for step in steps:
        before = states.get(step.old)
        if before is None:  # a version made by a merge: read on its own
            before = _state(step.old, empty_state(), versions, states)
        if step.new == NO_BLOB:
            changes.append(Change(step.commit, "deleted"))
            current = states[NO_BLOB]
            continue
        after = _state(step.new, before, versions, states)
        if step.old == NO_BLOB:
            cut = repo.shallow and step.commit.sha in repo.boundary
            changes.append(Change(step.commit, "first-seen" if cut else "created"))
        else:
            changes.extend(compare(step.commit, before, after))
        version = versions.get(step.new)
        if version is not None and not version.valid:
            changes.append(Change(step.commit, "invalid", message=version.message,
                                  said=version.said))
        if version is not None:
            history.language = version.language
        current = after
    history.commits = len({step.commit.sha for step in steps})
    history.oldest = steps[0].commit
    if since is not None:
        changes = [c for c in changes if c.commit.day >= since]
    history.changes = changes
    history.slips = slips(changes, current)
    return history


def _state(
    sha: str, before: State, versions: VersionCache, states: dict[str, State]
) -> State:
    state = states.get(sha)
    if state is None:
        version = versions.get(sha)
        state = before if version is None else state_after(version, before)
        states[sha] = state
    return state


class HistoryBook:
    """The histories of a set of plans, read when first asked for.

    Given the paths of every plan checked together, the first question reads them all
    at once (one `git log` per repository); a plan it was not given is read alone.
    Reading never raises: a git failure reads as "no history" with its reason.
    """

    def __init__(self, paths: Sequence[str | Path] = ()) -> None:
        self._paths = [Path(p) for p in paths]
        self._read: dict[Path, PlanHistory] = {}

    def of(self, path: str | Path) -> PlanHistory:
        wanted = Path(path)
        if wanted not in self._read:
            batch = self._paths if wanted in self._paths and not self._read else [wanted]
            try:
                histories = plan_histories(batch)
            except (GitError, OSError, subprocess.SubprocessError) as exc:
                reason = f"git failed: {exc}"
                histories = [PlanHistory(p.stem, str(p), "no-git", reason) for p in batch]
            self._read.update(zip(batch, histories, strict=True))
        return self._read[wanted]


def due_moves(history: PlanHistory) -> dict[str, int]:
    """How many times the due date of each action still in the plan moved."""
    return {slip.action: slip.move_count for slip in history.slips}
