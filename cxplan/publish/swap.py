"""Publishing a folder all at once, recoverably: the site's atomic directory swap.

A build writes into a fresh folder beside the target, then swaps it in:

1. `.NAME.building-XXXX`: the folder the generator writes into (`staging`);
2. `.NAME.ready-XXXX`: the same folder once the build succeeded (a rename: from here
   on it is known to be complete);
3. the previous `NAME` is renamed to `.NAME.old-XXXX`, the ready folder to `NAME`;
4. the old folder is deleted.

A build may leave parts of the previous folder out of the fresh one and have them
carried over instead (`publish(..., carry=...)`: the sites of accounts that did not
change, which would cost thousands of file links to copy, and the pages of people
whose plans did not change, each a folder and a file to write): the list is written into
the fresh folder before it becomes ready, and the parts are moved from the old folder
into the ready one between steps 3 and 4's renames, while the target is away anyway.
A recovery that finds a ready folder finishes those moves before renaming it in.

Each rename stays in one folder, so each is atomic, but a process killed between two of
them leaves the target missing. So every build first `recover`s: with no target, a ready
folder (a finished build) is renamed in, else the newest old folder (the previous site)
is put back; then every leftover nobody is using is deleted. "Nobody is using": each
builder holds an exclusive `flock` on its own staging folder (on the folder's inode, so
it survives the renames) and on the old folder it moves away, and the kernel drops those
locks when the process dies; a leftover whose lock can be taken is abandoned. The swap
and the recovery hold a lock on the parent folder, so neither sees the other half-done.

The published folder gets the permissions of a folder made with `mkdir` (0777 less the
umask), not the 0700 of a temporary folder: a web server running as another user must
be able to read the site. An OS error of the environment (read-only folder, full disk,
missing permission) becomes `SwapFailed` naming the path, with the target as it was.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from cxplan.files import cannot_write, is_environment_error
from cxplan.i18n import Said

_KINDS = ("building", "ready", "old")


class SwapFailed(Said):
    """The folder could not be published; the message names the path. The previous
    folder is unchanged."""


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _leftovers(target: Path, kind: str) -> list[Path]:
    """This target's leftovers of one kind, oldest first."""
    found = [p for p in target.parent.glob(f".{target.name}.{kind}-*") if p.is_dir()]
    return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name))


def _lock(path: Path, *, wait: bool) -> int | None:
    """An exclusive flock on a folder: its descriptor, or None when another process
    holds it (only when not waiting)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        os.close(descriptor)
        return None
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


@contextlib.contextmanager
def _parent_locked(target: Path) -> Iterator[None]:
    descriptor = _lock(target.parent, wait=True)
    try:
        yield
    finally:
        if descriptor is not None:
            os.close(descriptor)


def _remove_if_abandoned(folder: Path) -> None:
    try:
        descriptor = _lock(folder, wait=False)
    except FileNotFoundError:
        return  # another process removed it meanwhile
    if descriptor is None:
        return  # a build in progress owns it
    try:
        shutil.rmtree(folder, ignore_errors=True)
    finally:
        os.close(descriptor)


def recover(target: Path) -> None:
    """Finish or undo a swap a killed build left half-done, then delete abandoned
    leftovers. Does nothing when there is nothing to do."""
    if not target.parent.is_dir():
        return
    with _parent_locked(target):
        if not target.exists():
            ready = [p for p in _leftovers(target, "ready") if _abandoned(p)]
            old = [p for p in _leftovers(target, "old") if _abandoned(p)]
            if ready:
                # The killed build had finished: finish its swap.
                _carry_over(old[-1] if old else None, ready[-1])
                ready[-1].rename(target)
            elif old:
                old[-1].rename(target)  # it had not: put the previous folder back
        for kind in _KINDS:
            for leftover in _leftovers(target, kind):
                _remove_if_abandoned(leftover)


def _abandoned(folder: Path) -> bool:
    descriptor = _lock(folder, wait=False)
    if descriptor is None:
        return False
    os.close(descriptor)
    return True


@contextlib.contextmanager
def staging(target: Path) -> Iterator[Path]:
    """A fresh, locked folder beside `target` to build into; recovered and cleaned
    around it first. Unless `publish` moved it into place, it is deleted afterwards
    (a failed build leaves nothing behind)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        recover(target)
        fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    except OSError as exc:
        if is_environment_error(exc):
            raise SwapFailed(cannot_write(exc, target.parent)) from None
        raise
    descriptor = _lock(fresh, wait=True)
    try:
        yield fresh
    finally:
        try:
            for leftover in (fresh, *_ready_of(fresh, target)):
                if leftover.exists():
                    shutil.rmtree(leftover, ignore_errors=True)
        finally:
            if descriptor is not None:
                os.close(descriptor)


def _ready_of(fresh: Path, target: Path) -> list[Path]:
    suffix = fresh.name.rsplit("-", 1)[-1]
    return [target.parent / f".{target.name}.ready-{suffix}"]


CARRY = ".cxplan-carry"
"""In a ready folder: the parts still to move over from the previous folder."""


def publish(fresh: Path, target: Path, *, carry: Sequence[str] = ()) -> None:
    """Put the complete folder `fresh` (from `staging`) where `target` is, atomically:
    a reader sees the previous folder or the new one. `carry`: relative paths of
    folders and files the previous target has and `fresh` leaves out, moved over (see
    above)."""
    try:
        if carry:
            (fresh / CARRY).write_text("\n".join(carry) + "\n", encoding="utf-8")
        _publish(fresh, target)
    except OSError as exc:
        if is_environment_error(exc):
            raise SwapFailed(cannot_write(exc, target)) from None
        raise


def _carry_over(old: Path | None, ready: Path) -> list[tuple[Path, Path]]:
    """The moves `publish(carry=...)` listed in `ready`, those not done yet; then the
    list goes (a move is one rename in one file system: it cannot half-happen).
    Returns the moves made."""
    listed = ready / CARRY
    if not listed.is_file():
        return []
    moved = []
    for part in listed.read_text(encoding="utf-8").splitlines():
        source, destination = (old / part if old else None), ready / part
        if source is not None and source.exists() and not destination.exists():
            destination.parent.mkdir(parents=True, exist_ok=True)
            source.rename(destination)
            moved.append((source, destination))
    listed.unlink()
    return moved


def _publish(fresh: Path, target: Path) -> None:
    os.chmod(fresh, 0o777 & ~_umask())
    ready = _ready_of(fresh, target)[0]
    fresh.rename(ready)  # complete: a recovery may now finish this swap
    old: Path | None = None
    old_lock: int | None = None
    with _parent_locked(target):
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            old.rmdir()
            target.rename(old)
            old_lock = _lock(old, wait=True)
        moved: list[tuple[Path, Path]] = []
        try:
            moved = _carry_over(old, ready)
            ready.rename(target)
        except OSError:
            for source, destination in reversed(moved):
                destination.rename(source)
            if old is not None:
                old.rename(target)  # put the previous folder back
            raise
    if old is not None:
        try:
            shutil.rmtree(old, ignore_errors=True)
        finally:
            if old_lock is not None:
                os.close(old_lock)
