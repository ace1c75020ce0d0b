"""Writing a user's files safely: one function every command that writes goes through.

Three guarantees, for every command that writes (`done`, `set-status`, `export -o`,
`powermap -o`, and whatever edits plans next):

- atomic: a reader sees the old file or the new one, never half of either;
- no lost update: `locked(path)` serialises the writers of one plan, and a writer that
  read the file before taking the lock can pass what it read (`FileState`) so that a
  change made since then is refused instead of overwritten;
- a clear refusal: a read-only folder, a full disk or a missing permission raise
  `WriteFailed`, whose message names the path; the file stays as it was.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cxplan.i18n import Said, Text

# The operating system's reasons that are the environment's doing, not a bug: shown
# as a message (exit 1), never as an internal error.
ENVIRONMENT_ERRORS = frozenset({
    errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EFBIG,
    errno.ENOTDIR, errno.EISDIR, errno.ENOENT, errno.ENAMETOOLONG,
})


class WriteFailed(Said):
    """A file could not be written or read for a reason of the environment (read-only,
    full disk, permissions) or because it changed meanwhile. The message names the
    path; nothing was changed."""


def cannot_write(exc: OSError, fallback: Path | str | None = None) -> Text:
    """`cannot write PATH: Read-only file system` from an OS error, as a text: the
    reasons of `ENVIRONMENT_ERRORS` are the catalogue's (`files.reason.EROFS`...), in
    every language; another is the system's words."""
    where = exc.filename if exc.filename is not None else fallback
    reason = os_reason(exc)
    if where is None:
        return Text.of("files.cannot_write_here", reason=reason)
    return Text.of("files.cannot_write", path=str(where), reason=reason)


def os_reason(exc: OSError) -> Text | str:
    """Why the system refused ("Read-only file system"), in the catalogue for the
    reasons of `ENVIRONMENT_ERRORS`, else in the system's words."""
    if exc.errno in ENVIRONMENT_ERRORS:
        return Text.of(f"files.reason.{errno.errorcode[exc.errno]}")
    return exc.strerror or str(exc)


def is_environment_error(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in ENVIRONMENT_ERRORS


@dataclass(frozen=True)
class FileState:
    """What identifies one version of a file: another writer's rename changes the
    inode, an in-place write the size or the modification time."""

    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> FileState | None:
        try:
            info = path.resolve().stat()
        except FileNotFoundError:
            return None
        return cls(info.st_ino, info.st_size, info.st_mtime_ns)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the write lock of `path` (its real file, through symlinks) for the block.

    The lock is an exclusive `flock` on the folder that holds the file. Locking the
    folder rather than the file matters: an atomic write replaces the file's inode, so
    a lock on the old inode would not stop the next writer. Locking the folder also
    leaves no lock file behind in the plans folder (nothing for git to see), and the
    kernel drops the lock when the process dies, so a killed command never leaves a
    stale lock. Edits take milliseconds, so serialising a folder costs nothing.
    """
    folder = path.resolve().parent
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise WriteFailed(cannot_write(exc, folder)) from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def write_atomically(
    path: Path, data: bytes, *, expected: FileState | None = None, mode: int | None = None,
    durable: bool = True,
) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`.

    A reader sees the old file or the new one, never a half-written one. Through a
    symlink the file it points to is replaced. An existing file keeps its permissions,
    a new one gets the usual 0666 less the umask, unless `mode` says (a cache entry
    holding plan text: 0600). With `expected`, the write is refused (`WriteFailed`)
    when the file is no longer the version that was read. `durable=False` skips the
    flush to disk, for a cache whose entry is only a speed-up. Any OS error of the
    environment becomes `WriteFailed`; the file is then as it was.
    """
    target = path.resolve()
    if expected is not None and FileState.of(target) != expected:
        raise WriteFailed(Text.of("files.changed_meanwhile", path=str(path)))
    try:
        if mode is not None:
            pass
        elif target.exists():
            mode = target.stat().st_mode & 0o7777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
    except OSError as exc:
        if is_environment_error(exc):
            # The system names the temporary file, which means nothing to the user.
            raise WriteFailed(cannot_write(OSError(exc.errno, exc.strerror), path)) from None
        raise
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if is_environment_error(exc):
            assert isinstance(exc, OSError)
            # The temporary file's name means nothing to the user: name the target.
            raise WriteFailed(cannot_write(OSError(exc.errno, exc.strerror), path)) from None
        raise


def source_digest(modules: Iterable[str], salt: str) -> str:
    """A digest of `salt` and of the source of the imported `modules`: the key of a
    cache of what those modules compute, so that a change to their code (a new check,
    a new field) makes every entry stale. A module without a source file (compiled
    only) counts by its name; `salt` should then hold cxplan's version."""
    digest = hashlib.blake2b(salt.encode(), digest_size=20)
    for name in modules:
        source = getattr(sys.modules.get(name), "__file__", None)
        try:
            digest.update(Path(source).read_bytes() if source else name.encode())
        except OSError:
            digest.update(name.encode())
    return digest.hexdigest()


def folder_digest(folder: Path) -> list[str]:
    """Each file of `folder` with the digest of its bytes, in path order; compiled
    modules (`__pycache__`) are not walked: they follow from the sources."""
    if not folder.is_dir():
        return [f"{folder.name}:-"]
    files: list[Path] = []
    for parent, subfolders, names in os.walk(folder):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        files += [Path(parent, name) for name in names]
    return [
        f"{p.relative_to(folder).as_posix()}:{hashlib.sha256(p.read_bytes()).hexdigest()}"
        for p in sorted(files) if p.is_file()
    ]


def count_files(folder: Path) -> int:
    """The files under `folder` (a built site's thousands: `os.walk` reads each folder
    once, where `Path.rglob` and `is_file` ask about every file again)."""
    return sum(len(names) for _, _, names in os.walk(folder))
