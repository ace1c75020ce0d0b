"""Peak memory of a process tree, sampled from /proc (Linux).

The build's worker processes live only for the length of a build, so the tree is
sampled every SAMPLE seconds: each process's own peak (VmHWM) is kept once it is gone,
and the most the whole tree held at once is summed in PSS (proportional set size), so
the pages forked workers share with their parent count once.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

SAMPLE = 0.2  # seconds between two samples (a scan of /proc costs about 1.5 ms of CPU,
# the PSS of a process about 1 ms: every 50 ms that would take a tenth of a core from the
# processes measured; a build's workers live for seconds)


def status_kb(pid: int) -> tuple[int, int]:
    """(VmHWM, VmRSS) of a process in kB; (0, 0) once it is gone."""
    hwm = rss = 0
    try:
        text = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return 0, 0
    for line in text.splitlines():
        if line.startswith("VmHWM:"):
            hwm = int(line.split()[1])
        elif line.startswith("VmRSS:"):
            rss = int(line.split()[1])
    return hwm, rss


def pss_kb(pid: int) -> int:
    """Proportional resident memory in kB: pages shared with the forked workers (or the
    parent they were forked from) counted once over the tree; RSS where the kernel has
    no smaps_rollup; 0 once the process is gone."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="utf-8")
    except FileNotFoundError:
        return status_kb(pid)[1]
    except OSError:
        return 0
    found = re.search(r"^Pss:\s+([0-9]+) kB", text, re.MULTILINE)
    return int(found.group(1)) if found else 0


def descendants(root: int) -> list[int]:
    """The live descendants of `root`, from every process's parent in /proc/*/stat."""
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text(encoding="utf-8")
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: the fields follow it.
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    todo = [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class MemorySampler(threading.Thread):
    """Peak memory of a process and of every descendant it has while sampling."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.own_hwm = 0
        self.child_hwm: dict[int, int] = {}
        self.tree_pss = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(SAMPLE):
            self.sample()

    def sample(self) -> None:
        self.own_hwm = max(self.own_hwm, status_kb(self.pid)[0])
        total = pss_kb(self.pid)
        for child in descendants(self.pid):
            self.child_hwm[child] = max(self.child_hwm.get(child, 0), status_kb(child)[0])
            total += pss_kb(child)
        self.tree_pss = max(self.tree_pss, total)

    def stop(self) -> None:
        self._done.set()
        self.join()
        self.sample()
