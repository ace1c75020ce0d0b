"""Concurrent edits of one plan lose nothing: real processes, started together.

Each trial starts two (or five) real `cxplan done` commands at the same moment, each on
a different action of the same plan file; afterwards every action they were asked to
change is done, or the command that did not change it said so (exit 1 with a message).
Most trials fork the processes from this already-imported test process (350 fresh
interpreters would cost minutes of CPU on a loaded machine); a few run the installed
console script itself. No wall-clock limit: only a generous guard against a hang.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cxplan.load import load_file
from cxplan.model.build import build_plan

REPO = Path(__file__).resolve().parent.parent
PLAN = REPO / "plans" / "northwind-logistics.yaml"
# Open actions of the example plan (todo, doing or blocked).
OPEN = ["a-cfo-reset", "a-price-benchmark", "a-backup-roles", "a-edi-golive", "a-q1-qbr"]
HANG_GUARD = 300  # seconds, against a deadlock only


def _statuses(path: Path) -> dict[str, str]:
    source, problems = load_file(path)
    assert not problems
    plan, problems = build_plan(source, "northwind-logistics")
    assert plan is not None and not problems
    return {action.id: action.status for action in plan.plan.actions}


def _done_in_child(barrier: Any, action: str, path: str, results: Any) -> None:
    """A forked child: wait for the others, then run the real command line."""
    import contextlib
    import io

    from cxplan.cli import cli

    barrier.wait()
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(["done", action, path, "--on", "2026-11-30"],
                            standalone_mode=False)
        except SystemExit as exc:  # pragma: no cover - click exits on a usage error
            code = exc.code
    results.put((action, int(code or 0), err.getvalue()))


def _trial_forked(path: Path, actions: list[str]) -> list[tuple[str, int, str]]:
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(actions))
    results = context.Queue()
    children = [
        context.Process(target=_done_in_child, args=(barrier, action, str(path), results))
        for action in actions
    ]
    for child in children:
        child.start()
    outcome = [results.get(timeout=HANG_GUARD) for _ in children]
    for child in children:
        child.join(timeout=HANG_GUARD)
        assert child.exitcode == 0
    return outcome


def _check(path: Path, outcome: list[tuple[str, int, str]]) -> int:
    """Every update is present, or its command refused clearly; returns the refusals."""
    statuses = _statuses(path)
    refusals = 0
    for action, code, err in outcome:
        if code == 0:
            assert statuses[action] == "done", f"{action}: reported done, update lost"
        else:
            assert code == 1 and "cxplan:" in err and "Traceback" not in err, err
            refusals += 1
    return refusals


@pytest.mark.parametrize("writers", [2, 5])
def test_concurrent_done_on_one_plan_loses_no_update(tmp_path: Path, writers: int) -> None:
    refusals = 0
    for trial in range(50):
        plan = tmp_path / f"t{trial}" / "northwind-logistics.yaml"
        plan.parent.mkdir()
        shutil.copy(PLAN, plan)
        refusals += _check(plan, _trial_forked(plan, OPEN[:writers]))
    # The lock serialises the writers: nobody needs to be refused.
    assert refusals == 0


def test_concurrent_console_scripts_lose_no_update(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "cxplan"
    for trial in range(3):
        plan = tmp_path / f"t{trial}" / "northwind-logistics.yaml"
        plan.parent.mkdir()
        shutil.copy(PLAN, plan)
        processes = [
            (action, subprocess.Popen(
                [str(script), "done", action, str(plan), "--on", "2026-11-30"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            ))
            for action in OPEN
        ]
        outcome = []
        for action, process in processes:
            _, err = process.communicate(timeout=HANG_GUARD)
            outcome.append((action, process.returncode, err))
        assert _check(plan, outcome) == 0


def test_an_edit_refuses_a_file_changed_without_the_lock(tmp_path: Path) -> None:
    """A writer that takes no lock (an editor saving) between the read and the write:
    the command refuses instead of overwriting what the editor saved."""
    from cxplan.edit import EditRefused, change_status, find_action
    from cxplan.files import FileState, WriteFailed, write_atomically

    plan = tmp_path / "northwind-logistics.yaml"
    shutil.copy(PLAN, plan)
    located = find_action([plan], "a-cfo-reset")
    state = FileState.of(plan)
    saved = plan.read_bytes().replace(b"a-q1-qbr", b"a-q1-qbr-moved", 1)
    os.utime(plan, ns=(1, 1))  # the editor's save: another version of the file
    plan.write_bytes(saved)
    with pytest.raises(WriteFailed, match="changed since it was read"):
        write_atomically(plan, b"lost", expected=state)
    assert plan.read_bytes() == saved
    # And through the command: the action is found again under the lock.
    change = change_status(located, "done", today=dt.date(2026, 11, 30))
    assert change.new_status == "done" and b"a-q1-qbr-moved" in plan.read_bytes()
    plan.write_bytes(saved.replace(b"id: a-cfo-reset", b"id: a-cfo-gone", 1))
    with pytest.raises(EditRefused, match="no longer in it"):
        change_status(located, "doing", today=dt.date(2026, 11, 30))
