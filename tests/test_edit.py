"""`cxplan done` and `cxplan set-status`: only the lines concerned change, or nothing."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from tracking_plans import TRACKING_PLAN, Run, run_cxplan

from cxplan.edit import EditRefused, splice_status
from cxplan.model.build import load_plan

COMMENTED_PLAN = """\
# A heavily commented plan: every comment must survive an edit.
plan:   # the plan as a whole
  title: Commented plan  # shown on every page
  customer: Acme   # the account
  owner: ana
  start: 2027-01-04
  # no end date yet
team:
  # our side
  - id: ana      # key accounts
    name: Ana Ruiz
    department: Key Accounts
  - {id: ben, name: Ben Cole, department: Operations}   # flow style
areas:
  - id: ops
    name: Operations
moments:
  - id: tender
    name: Tender
    phase: purchase
actions:
  # --- quick wins ---
  - id: a1          # the one `done` edits
    # a comment between keys
    title: "Quoted: title"   # trailing comment
    owner: ana
    due: 2027-01-25
    horizon: quick-win   # horizon comment
    status: todo   # still to do
    # a comment after the status
    notes: >-
      Folded notes
      over two lines.

  # an action with no status key at all (todo by default)
  - id: a2
    title: No status yet
    owner: ben
    due: 2027-01-28
    horizon: quick-win
    kind: process   # kind comment
    notes: |
      Literal notes.
  - id: a3
    title: Finished
    owner: ben
    due: 2027-01-20
    horizon: quick-win
    status: done   # finished early
    done_on: 2027-01-18   # on a Monday
    # trailing comment of a3
  - {id: f1, title: Flow action, owner: ana, due: 2027-02-01, horizon: medium-term, status: todo}
  - status: doing   # status first
    id: s1
    title: Status first
    owner: ana
    due: 2027-03-01
    horizon: medium-term
  - done_on: 2027-01-19
    status: done
    id: d1
    title: Done first
    owner: ana
    due: 2027-01-20
    horizon: quick-win
# the end
"""


def cxplan(cwd: Path, *args: str) -> Run:
    return run_cxplan(cwd, *args)


def cxplan_process(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cxplan", *args],
        cwd=cwd, capture_output=True, text=True, timeout=60,
    )


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "commented.yaml").write_bytes(COMMENTED_PLAN.encode("utf-8"))
    return tmp_path


def changes(before: str, after: str) -> list[str]:
    """The lines a diff shows as removed (-) or added (+)."""
    return [
        line.rstrip("\n") for line in difflib.ndiff(
            before.splitlines(keepends=True), after.splitlines(keepends=True)
        )
        if line.startswith(("- ", "+ "))
    ]


def read(workspace: Path, name: str = "commented.yaml") -> str:
    return (workspace / "plans" / name).read_bytes().decode("utf-8")


def assert_valid(path: Path) -> None:
    plan_file, problems = load_plan(path)
    assert plan_file is not None, problems


# --- the command ----------------------------------------------------------------------


def test_done_changes_exactly_two_lines(workspace: Path) -> None:
    result = cxplan_process(workspace, "done", "a1", "--on", "2027-01-24")
    assert result.returncode == 0, result.stderr
    assert "a1" in result.stdout and "todo -> done" in result.stdout
    assert changes(COMMENTED_PLAN, read(workspace)) == [
        "-     status: todo   # still to do",
        "+     status: done   # still to do",
        "+     done_on: 2027-01-24",
    ]
    assert_valid(workspace / "plans" / "commented.yaml")


def test_done_defaults_to_today(workspace: Path) -> None:
    before = dt.date.today()
    assert cxplan(workspace, "done", "a1").returncode == 0
    after = dt.date.today()
    added = [line for line in changes(COMMENTED_PLAN, read(workspace)) if "done_on" in line]
    assert added in (
        [f"+     done_on: {before.isoformat()}"], [f"+     done_on: {after.isoformat()}"]
    )


def test_done_without_a_status_key_adds_it_after_kind(workspace: Path) -> None:
    assert cxplan(workspace, "done", "a2", "--on", "2027-01-27").returncode == 0
    text = read(workspace)
    assert changes(COMMENTED_PLAN, text) == [
        "+     status: done",
        "+     done_on: 2027-01-27",
    ]
    assert "    kind: process   # kind comment\n    status: done\n    done_on: 2027-01-27\n" in text
    assert_valid(workspace / "plans" / "commented.yaml")


def test_set_status_removes_done_on_and_round_trips(workspace: Path) -> None:
    result = cxplan(workspace, "set-status", "a3", "doing")
    assert result.returncode == 0, result.stderr
    assert changes(COMMENTED_PLAN, read(workspace)) == [
        "-     status: done   # finished early",
        "+     status: doing   # finished early",
        "-     done_on: 2027-01-18   # on a Monday",
    ]
    assert cxplan(workspace, "done", "a3", "--on", "2027-01-18").returncode == 0
    # The date line comes back without its old comment; everything else is identical.
    assert changes(COMMENTED_PLAN, read(workspace)) == [
        "-     done_on: 2027-01-18   # on a Monday",
        "+     done_on: 2027-01-18",
    ]


def test_done_then_back_to_todo_is_byte_identical(workspace: Path) -> None:
    for action_id in ("a1", "f1"):
        assert cxplan(workspace, "done", action_id, "--on", "2027-01-24").returncode == 0
        assert cxplan(workspace, "set-status", action_id, "todo").returncode == 0
        assert read(workspace) == COMMENTED_PLAN


def test_flow_style_action(workspace: Path) -> None:
    assert cxplan(workspace, "done", "f1", "--on", "2027-01-30").returncode == 0
    assert changes(COMMENTED_PLAN, read(workspace)) == [
        "-   - {id: f1, title: Flow action, owner: ana, due: 2027-02-01, horizon: medium-term, "
        "status: todo}",
        "+   - {id: f1, title: Flow action, owner: ana, due: 2027-02-01, horizon: medium-term, "
        "status: done, done_on: 2027-01-30}",
    ]
    assert_valid(workspace / "plans" / "commented.yaml")


def test_already_done_is_left_alone(workspace: Path) -> None:
    path = workspace / "plans" / "commented.yaml"
    before = path.stat().st_mtime_ns
    result = cxplan(workspace, "done", "a3")
    assert result.returncode == 0
    assert "already done on 2027-01-18" in result.stdout
    assert read(workspace) == COMMENTED_PLAN
    assert path.stat().st_mtime_ns == before  # not even rewritten


def test_bad_id_leaves_the_file_byte_identical(workspace: Path) -> None:
    result = cxplan(workspace, "done", "a11")
    assert result.returncode == 1
    assert "no action 'a11'" in result.stderr
    assert "did you mean 'a1'?" in result.stderr
    assert read(workspace) == COMMENTED_PLAN


def test_ambiguous_id_is_refused_and_lists_the_plans(workspace: Path) -> None:
    (workspace / "plans" / "other.yaml").write_bytes(COMMENTED_PLAN.encode("utf-8"))
    result = cxplan(workspace, "done", "a1")
    assert result.returncode == 1
    assert "several plans: commented, other" in result.stderr
    assert "--plan" in result.stderr
    assert read(workspace) == read(workspace, "other.yaml") == COMMENTED_PLAN

    result = cxplan(workspace, "done", "a1", "--plan", "other", "--on", "2027-01-24")
    assert result.returncode == 0, result.stderr
    assert read(workspace) == COMMENTED_PLAN
    assert len(changes(COMMENTED_PLAN, read(workspace, "other.yaml"))) == 3

    unknown = cxplan(workspace, "done", "a1", "--plan", "nope")
    assert unknown.returncode == 1 and "no plan 'nope'" in unknown.stderr


def test_invalid_result_is_refused_byte_identical(workspace: Path) -> None:
    # The plan has an unrelated error: the edited plan would not validate either.
    broken = COMMENTED_PLAN.replace("    owner: ben\n    due: 2027-01-28", "    owner: bob\n"
                                    "    due: 2027-01-28")
    path = workspace / "plans" / "commented.yaml"
    path.write_bytes(broken.encode("utf-8"))
    result = cxplan_process(workspace, "done", "a1")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "would not validate" in result.stderr
    assert "commented.yaml:" in result.stderr
    assert "CX300" in result.stderr and "bob" in result.stderr
    assert path.read_bytes() == broken.encode("utf-8")
    assert sorted(p.name for p in path.parent.iterdir()) == ["commented.yaml"]  # no temp file


def test_an_edit_can_repair_a_plan(workspace: Path) -> None:
    # done_on without status done is an error (CX400); marking it done makes it valid.
    broken = COMMENTED_PLAN.replace(
        "    status: todo   # still to do\n", "    status: todo   # still to do\n"
        "    done_on: 2027-01-22\n"
    )
    path = workspace / "plans" / "commented.yaml"
    path.write_bytes(broken.encode("utf-8"))
    assert cxplan(workspace, "validate", "plans").returncode == 1
    assert cxplan(workspace, "done", "a1").returncode == 0
    assert_valid(path)
    assert "    status: done   # still to do\n    done_on: 2027-01-22\n" in read(workspace)


def test_set_status_rejects_on_without_done(workspace: Path) -> None:
    result = cxplan(workspace, "set-status", "a1", "doing", "--on", "2027-01-24")
    assert result.returncode == 1
    assert read(workspace) == COMMENTED_PLAN
    assert cxplan_process(workspace, "set-status", "a1", "finished").returncode == 2  # usage error


def test_mode_crlf_and_bom_are_kept(workspace: Path) -> None:
    path = workspace / "plans" / "commented.yaml"
    original = b"\xef\xbb\xbf" + COMMENTED_PLAN.replace("\n", "\r\n").encode("utf-8")
    path.write_bytes(original)
    path.chmod(0o640)
    assert cxplan(workspace, "done", "a1", "--on", "2027-01-24").returncode == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\n") == data.count(b"\r\n") == original.count(b"\r\n") + 1
    assert b"    status: done   # still to do\r\n    done_on: 2027-01-24\r\n" in data
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert_valid(path)
    assert cxplan(workspace, "set-status", "a1", "todo").returncode == 0
    assert path.read_bytes() == original


def test_symlinked_plan_is_edited_through_the_link(workspace: Path, tmp_path: Path) -> None:
    real = tmp_path / "elsewhere.yaml"
    real.write_bytes(COMMENTED_PLAN.encode("utf-8"))
    link = workspace / "plans" / "commented.yaml"
    link.unlink()
    os.symlink(real, link)
    assert cxplan(workspace, "done", "a1", "--on", "2027-01-24").returncode == 0
    assert link.is_symlink()
    assert "status: done   # still to do" in real.read_text(encoding="utf-8")


def test_paths_argument_and_tracking_plan(tmp_path: Path) -> None:
    path = tmp_path / "tracking.yaml"
    path.write_bytes(TRACKING_PLAN.encode("utf-8"))
    result = cxplan(tmp_path, "set-status", "q-blocked", "doing", str(path))
    assert result.returncode == 0, result.stderr
    assert changes(TRACKING_PLAN, path.read_text(encoding="utf-8")) == [
        "-     status: blocked", "+     status: doing"
    ]


# --- the splice itself, on the unusual layouts --------------------------------------------


def test_status_as_first_key_of_the_item() -> None:
    edited = splice_status(COMMENTED_PLAN, 4, "done", "2027-02-01")
    assert changes(COMMENTED_PLAN, edited) == [
        "-   - status: doing   # status first",
        "+   - status: done   # status first",
        "+     done_on: 2027-02-01",
    ]


def test_done_on_as_first_key_of_the_item() -> None:
    edited = splice_status(COMMENTED_PLAN, 5, "todo", None)
    assert "  - status: todo\n    id: d1\n" in edited
    assert "done_on: 2027-01-19" not in edited


def test_quoted_status_is_replaced_whole() -> None:
    text = COMMENTED_PLAN.replace("    status: todo   # still to do", "    status: 'todo'")
    edited = splice_status(text, 0, "blocked", None)
    assert changes(text, edited) == ["-     status: 'todo'", "+     status: blocked"]


def test_file_without_final_newline() -> None:
    text = COMMENTED_PLAN.replace("    horizon: quick-win\n# the end\n", "    horizon: quick-win")
    assert not text.endswith("\n")
    edited = splice_status(text, 5, "doing", None)
    assert edited.endswith("    horizon: quick-win")
    assert "status: doing" in edited and "done_on" not in edited.split("id: d1")[0][-60:]


def test_multi_line_status_is_refused() -> None:
    text = COMMENTED_PLAN.replace("    status: todo   # still to do", "    status: >-\n      todo")
    with pytest.raises(EditRefused, match="spans several lines"):
        splice_status(text, 0, "done", "2027-01-24")


def test_unreadable_neighbour_and_duplicate_keys(workspace: Path) -> None:
    (workspace / "plans" / "broken.yaml").write_bytes(b"plan: [\n")
    assert cxplan(workspace, "done", "a1", "--on", "2027-01-24").returncode == 0
    assert len(changes(COMMENTED_PLAN, read(workspace))) == 3
    # Not found anywhere: the unreadable plan is shown, since the action may be there.
    missing = cxplan(workspace, "done", "zz")
    assert missing.returncode == 1 and "broken.yaml:" in missing.stderr
    duplicated = COMMENTED_PLAN.replace("    owner: ana\n    due: 2027-01-25\n",
                                        "    owner: ana\n    owner: ana\n    due: 2027-01-25\n")
    path = workspace / "plans" / "commented.yaml"
    path.write_bytes(duplicated.encode("utf-8"))
    result = cxplan(workspace, "set-status", "a1", "doing")
    assert result.returncode == 1 and "CX113" in result.stderr
    assert path.read_bytes() == duplicated.encode("utf-8")
