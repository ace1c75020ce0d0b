"""Real hostile environments for the tests: a full disk, a read-only folder.

A full disk is a small tmpfs mounted for the test when the machine allows it (root in a
sandbox that permits mounts); otherwise the child process gets `RLIMIT_FSIZE`, so the
operating system itself refuses the write (EFBIG, "File too large"). A read-only folder
is a tmpfs remounted read-only, or a folder without write permission for a user who is
not root (root ignores permissions).
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path


def _mount(folder: Path, options: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
        capture_output=True, check=False,
    )
    return done.returncode == 0


def _unmount(folder: Path) -> None:
    subprocess.run(["umount", str(folder)], capture_output=True, check=False)


class Full:
    """A folder on a full disk: `mounted` says whether a real small tmpfs holds it;
    otherwise `limit` must be given to the child process that writes there."""

    def __init__(self, folder: Path, mounted: bool) -> None:
        self.folder = folder
        self.mounted = mounted

    def limit(self) -> Callable[[], None] | None:
        """A `preexec_fn` capping file sizes (None on a real full tmpfs)."""
        if self.mounted:
            return None
        return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


@contextlib.contextmanager
def full_disk(folder: Path, size: str = "64k") -> Iterator[Full]:
    folder.mkdir(parents=True, exist_ok=True)
    mounted = _mount(folder, f"size={size},mode=0755")
    try:
        yield Full(folder, mounted)
    finally:
        if mounted:
            _unmount(folder)


@contextlib.contextmanager
def read_only(folder: Path, fill: Callable[[Path], None] | None = None) -> Iterator[Path]:
    """`folder` made read-only, after `fill` put its content in."""
    folder.mkdir(parents=True, exist_ok=True)
    if _mount(folder, "size=4m,mode=0755"):
        try:
            if fill is not None:
                fill(folder)
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
            yield folder
        finally:
            _unmount(folder)
        return
    if os.geteuid() == 0:
        raise RuntimeError("root without mounts: cannot make a read-only folder")
    if fill is not None:
        fill(folder)
    modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
    for path in modes:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield folder
    finally:
        for path, mode in modes.items():
            path.chmod(mode)
