"""The publishing benchmarks keep working: their parts on real files and processes, and
`benchmarks/serve.py` end to end on a real `cxplan serve` (one plan, one save).

The figures are not asserted (speed is the benchmarks' report, not a test's verdict);
what is asserted is that each figure is measured and printed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import yaml

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import accounts
import memory
import serve

# The benchmarks import their siblings by name: keep that folder off the other tests' path.
while str(REPO / "benchmarks") in sys.path:
    sys.path.remove(str(REPO / "benchmarks"))


def test_disk_counts_a_hard_linked_file_once(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_bytes(b"x" * 1000)
    (tmp_path / "b").mkdir()
    os.link(tmp_path / "a" / "index.html", tmp_path / "b" / "index.html")
    (tmp_path / "b" / "data.csv").write_bytes(b"y" * 10)

    stored, named, pages, html = accounts.disk(tmp_path)

    assert (stored, named, pages, html) == (1010, 2010, 2, 2000)


def test_a_save_changes_the_first_actions_title_only(tmp_path: Path) -> None:
    ws = accounts.workspace(tmp_path / "ws", 1)
    plan = next((ws / "plans").glob("*.yaml"))
    before = yaml.safe_load(plan.read_text(encoding="utf-8"))

    for atomic in (False, True):
        serve.save(plan, f"Word{atomic}", atomic)
        after = yaml.safe_load(plan.read_text(encoding="utf-8"))
        assert after["actions"][0]["title"] == f"Word{atomic}"
        after["actions"][0]["title"] = before["actions"][0]["title"]
        assert after == before
    assert sorted(p.name for p in (ws / "plans").iterdir()) == [plan.name]


def test_the_memory_sampler_sees_a_child_that_has_ended() -> None:
    # A grandchild holds 60 MB until its stdin closes; the test lets it go once seen.
    script = "import sys; b = b'x' * (60 * 2**20); print('ready', flush=True); sys.stdin.read()"
    parent = subprocess.Popen(
        [sys.executable, "-c",
         f"import subprocess, sys; subprocess.run([sys.executable, '-c', {script!r}])"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None and parent.stdin is not None
    sampler = memory.MemorySampler(parent.pid)
    sampler.start()
    try:
        assert parent.stdout.readline() == "ready\n"
        for _ in range(1200):  # a minute at most, against a hang
            if max(sampler.child_hwm.values(), default=0) >= 60 * 1024:
                break
            time.sleep(0.05)
    finally:
        parent.stdin.close()
        parent.wait(timeout=60)
        sampler.stop()

    assert len(sampler.child_hwm) == 1
    assert max(sampler.child_hwm.values()) >= 60 * 1024  # kB: the child's 60 MB were seen
    assert sampler.tree_pss >= 60 * 1024


def test_serve_benchmark_measures_a_save_on_a_real_server() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "serve.py"), "--sizes", "1", "--edits", "1"],
        capture_output=True, text=True, timeout=300, check=False)

    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"1 plans: first page served [0-9.]+ s after start", done.stdout)
    assert re.search(r"save to served +median +[0-9.]+ s, max +[0-9.]+ s over 1 of 1 saves",
                     done.stdout), done.stdout
    assert re.search(r"serve process [1-9][0-9]* MB \(VmHWM\)", done.stdout), done.stdout
