"""A plan file's history as git holds it: the commits that changed it, and its content
in each (the real `git`, a subprocess, never the network).

How it asks git, and why (speed: see benchmarks/history.py):

- one `git log --raw` lists every commit that touched the files, with the blob ids of
  each file before and after the commit, so `cxplan.analyse.history` can compare each
  commit with *its own* parent version. Merge commits are left out (their content is
  the sum of changes already credited to the branches);
- no `--follow`: the plan id *is* the file name, so a renamed file is a different plan
  (and `--follow` is slow and guesses);
- one `git cat-file --batch` reads every version wanted at once.

This module imports only the standard library, so the command line can start reading
(`Prefetch`, a background thread) before it imports the plan model: git then works on
one core while Python imports on another.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

NO_BLOB = "0" * 40
"""The blob id git gives a file that does not exist (before it was added, once deleted)."""
_GIT_TIMEOUT = 120


class GitError(Exception):
    """git failed in a way the user should see (not 'this is not a repository')."""


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str
    date: dt.datetime
    """The author date, with the author's time zone."""
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:8]

    @property
    def day(self) -> dt.date:
        return self.date.date()


@dataclass(frozen=True)
class Repository:
    root: Path
    git_dir: Path
    shallow: bool
    boundary: frozenset[str]
    """Commits whose parents a shallow clone does not hold."""

    def cache_file(self, plan_id: str) -> Path:
        """Where history keeps what it read of a plan's versions (`VersionCache`)."""
        return self.git_dir / "cxplan" / "history" / f"{plan_id}.json"


@dataclass(frozen=True)
class Step:
    """One commit's effect on one file: the blob before and after (`NO_BLOB`: none)."""

    commit: Commit
    path: str
    old: str
    new: str


@dataclass
class PlanLog:
    """What git says about one plan file: the commits that changed it, or why none."""

    path: Path
    repo: Repository | None = None
    reason: str = ""
    """Why there is no history, in a sentence (when `repo` is None)."""
    relpath: str = ""
    steps: list[Step] = field(default_factory=list)
    """Oldest (parents) first."""

    def versions(self) -> list[str]:
        """The blob ids of every version the steps name, each once, oldest first."""
        shas = (sha for step in self.steps for sha in (step.old, step.new) if sha != NO_BLOB)
        return list(dict.fromkeys(shas))


def _git(
    cwd: Path, *args: str, stdin: bytes | None = None, stdout: IO[bytes] | None = None
) -> subprocess.CompletedProcess[bytes]:
    # Paths are file names, never patterns; no prompt may ever wait for a password.
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_LITERAL_PATHSPECS="1", LC_ALL="C")
    return subprocess.run(
        ["git", "-c", "log.showRoot=true", "-c", "core.quotePath=false", *args],
        cwd=cwd, input=stdin, stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE,
        env=env, timeout=_GIT_TIMEOUT, check=False,
    )


def repository_of(path: Path) -> Repository | str:
    """The git repository holding `path`, or why there is none (a sentence)."""
    folder = path if path.is_dir() else path.parent
    try:
        done = _git(
            folder, "rev-parse", "--show-toplevel", "--absolute-git-dir",
            "--is-shallow-repository",
        )
    except FileNotFoundError:
        return "git is not installed: no history"
    except (OSError, subprocess.SubprocessError) as exc:
        return f"git cannot run ({exc}): no history"
    lines = done.stdout.decode("utf-8", "surrogateescape").splitlines()
    if done.returncode != 0 or len(lines) < 3:
        return "the plan is not in a git repository: no history"
    root, git_dir = Path(lines[0]), Path(lines[1])
    shallow = lines[2].strip() == "true"
    boundary: frozenset[str] = frozenset()
    if shallow:
        try:
            boundary = frozenset((git_dir / "shallow").read_text().split())
        except OSError:
            boundary = frozenset()
    return Repository(root=root, git_dir=git_dir, shallow=shallow, boundary=boundary)


def read_logs(paths: Sequence[Path]) -> list[PlanLog]:
    """Each plan's commits, in the order given: one `git log` per repository."""
    logs: list[PlanLog] = []
    repos: dict[Path, Repository | str] = {}
    for path in paths:
        folder = path.parent.resolve()
        if folder not in repos:
            repos[folder] = repository_of(path)
        repo = repos[folder]
        if isinstance(repo, str):
            logs.append(PlanLog(path, reason=repo))
            continue
        try:
            relpath = path.resolve().relative_to(repo.root.resolve()).as_posix()
        except ValueError:
            logs.append(PlanLog(path, reason="the plan is outside its git repository: no history"))
            continue
        logs.append(PlanLog(path, repo, relpath=relpath))
    for repo, plan_logs in by_repository(logs):
        steps = _log(repo, [log.relpath for log in plan_logs])
        for log in plan_logs:
            log.steps = [step for step in steps if step.path == log.relpath]
    return logs


def by_repository(logs: Sequence[PlanLog]) -> list[tuple[Repository, list[PlanLog]]]:
    """The logs that have a repository, grouped by it (in the order first met)."""
    groups: dict[Path, tuple[Repository, list[PlanLog]]] = {}
    for log in logs:
        if log.repo is not None:
            groups.setdefault(log.repo.root, (log.repo, []))[1].append(log)
    return list(groups.values())


def _log(repo: Repository, relpaths: Sequence[str]) -> list[Step]:
    """Every non-merge commit that changed one of the files, oldest first (parents
    first): one `git log` for all of them."""
    done = _git(
        repo.root, "log", "--no-merges", "--topo-order", "--reverse", "--raw", "--no-abbrev",
        "--no-renames", "--no-color", "--no-ext-diff", "-z",
        "--format=%x1e%H%x1f%an%x1f%aI%x1f%s", "--", *relpaths,
    )
    if done.returncode != 0:
        if _git(repo.root, "rev-parse", "-q", "--verify", "HEAD").returncode != 0:
            return []  # `git init` done, no commit yet: no history so far, not a failure
        raise GitError(done.stderr.decode("utf-8", "replace").strip() or "git log failed")
    return list(_parse_log(done.stdout))


def _parse_log(out: bytes) -> Iterator[Step]:
    """Read `git log -z --raw` output in order (a subject may hold any byte but NUL)."""
    position = 0
    while True:
        start = out.find(b"\x1e", position)
        if start < 0:
            return
        end = out.find(b"\0", start)
        if end < 0:
            return
        header = out[start + 1 : end].decode("utf-8", "replace")
        sha, author, date, subject = header.split("\x1f", 3)
        commit = Commit(sha, author, dt.datetime.fromisoformat(date), subject)
        position = end + 1
        if out[position : position + 1] == b"\n":
            position += 1
        # Zero or more raw entries: ":<modes> <old> <new> <status>\0<path>\0".
        while out[position : position + 1] == b":":
            meta_end = out.index(b"\0", position)
            path_end = out.index(b"\0", meta_end + 1)
            meta = out[position + 1 : meta_end].decode("ascii", "replace").split()
            path = out[meta_end + 1 : path_end].decode("utf-8", "surrogateescape")
            position = path_end + 1
            if len(meta) >= 5:
                yield Step(commit=commit, path=path, old=meta[2], new=meta[3])


def read_blobs(repo: Repository, shas: Sequence[str]) -> dict[str, bytes]:
    """The content of every blob, in one `git cat-file --batch`; missing ones left out."""
    if not shas:
        return {}
    # Into a file, read at once: megabytes through a pipe are hundreds of reads, each
    # waiting for the interpreter lock when a `Prefetch` thread reads them.
    with tempfile.TemporaryFile() as file:
        done = _git(
            repo.root, "cat-file", "--batch", stdin="".join(s + "\n" for s in shas).encode(),
            stdout=file,
        )
        if done.returncode != 0:
            raise GitError(done.stderr.decode("utf-8", "replace").strip() or "git cat-file failed")
        file.seek(0)
        out = file.read()
    blobs: dict[str, bytes] = {}
    position = 0
    while position < len(out):
        line_end = out.index(b"\n", position)
        header = out[position:line_end].split()
        position = line_end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            blobs[header[0].decode()] = out[position : position + size]
            position += size + 1  # the content is followed by a newline
    return blobs


class Prefetch:
    """The logs of some plans and the versions they name, read in a background thread.

    `cxplan history` starts one before it imports the plan model: git reads while
    Python imports (two cores: some 80 ms of a cold run). A plan with a history cache
    file gets its log only: its versions are mostly known, the few new ones are read
    after. `cxplan.analyse.history.plan_histories` takes the result.
    """

    def __init__(self, paths: Sequence[Path], *, cache: bool) -> None:
        self.paths = list(paths)
        self._cache = cache
        self._result: tuple[list[PlanLog], dict[str, bytes]] | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._read, name="cxplan-git", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            logs = read_logs(self.paths)
            blobs: dict[str, bytes] = {}
            for repo, plan_logs in by_repository(logs):
                shas = [
                    sha for log in plan_logs
                    if not (self._cache and repo.cache_file(log.path.stem).exists())
                    for sha in log.versions()
                ]
                blobs.update(read_blobs(repo, shas))
            self._result = logs, blobs
        except BaseException as exc:  # raised again by `result`, in the caller's thread
            self._error = exc

    def result(self) -> tuple[list[PlanLog], dict[str, bytes]]:
        """(each plan's log, the versions read): what `read_logs` and `read_blobs` give,
        or the exception they raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result
