"""Plan history read from a real git repository made here, commit by commit."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from catalogue_tables import english_left
from conftest import REPO, minimal_plan_text, mutate, write_plan

from cxplan.analyse.git import GitError, Prefetch
from cxplan.analyse.history import (
    _FIELD_SHAPES,
    Change,
    PlanHistory,
    VersionParser,
    due_moves,
    plan_histories,
    plan_history,
)
from cxplan.load import Source, parse
from cxplan.model.build import build_plan
from cxplan.model.plan import Plan

UTC = dt.UTC


def cxplan(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real command, as a user runs it (exit codes included)."""
    return subprocess.run(
        [sys.executable, "-m", "cxplan", *args],
        capture_output=True, text=True, timeout=120, cwd=cwd,
    )


class Repo:
    """A git repository in a temporary folder, committed to with fixed authors and dates."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, author: str = "Nobody", when: str = "2027-01-01") -> str:
        stamp = f"{when}T10:00:00+00:00"
        env = {
            **os.environ,
            "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_DATE": stamp,
            "GIT_CONFIG_NOSYSTEM": "1",
            "HOME": str(self.root),
        }
        email = author.split()[0].lower() + "@example.com"
        done = subprocess.run(
            ["git", "-c", f"user.name={author}", "-c", f"user.email={email}",
             "-c", "commit.gpgsign=false", *args],
            cwd=self.root, env=env, capture_output=True, text=True, check=True,
        )
        return done.stdout

    def commit(self, text: str, subject: str, author: str, when: str) -> None:
        path = self.root / "plans" / "acme.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.git("add", str(path.relative_to(self.root)))
        self.git("commit", "-q", "-m", subject, author=author, when=when)


def scripted_history(root: Path) -> Repo:
    """The story the tests read back (each step: author, day, what changed)."""
    repo = Repo(root)
    v1 = mutate(
        minimal_plan_text(), "    expectation: 4\n", "    expectation: 4\n    perceived: 3\n"
    )
    repo.commit(v1, "Start the Acme plan", "Ana Ruiz", "2027-01-04")
    v2 = mutate(v1, "    due: 2027-04-30\n", "    due: 2027-05-14\n")
    repo.commit(v2, "Finance asked for two more weeks", "Ben Cole", "2027-01-11")
    broken = mutate(v2, "  - id: a2\n    title:", "  - id: a2\n   title:")  # bad indentation
    repo.commit(broken, "WIP", "Ana Ruiz", "2027-01-18")
    repo.commit(v2, "Fix the indentation", "Carla Diaz", "2027-01-19")
    v3 = mutate(v2, "    due: 2027-05-14\n", "    due: 2027-06-11\n")
    repo.commit(v3, "Review moved again", "Ben Cole", "2027-02-01")
    v4 = mutate(
        v3,
        "    due: 2027-06-11\n    horizon: medium-term\n",
        "    due: 2027-06-11\n    horizon: medium-term\n"
        "    status: done\n    done_on: 2027-03-01\n",
    )
    repo.commit(v4, "Monthly review done", "Dora Lind", "2027-03-01")
    v5 = mutate(v4, "    perceived: 3\n", "    perceived: 2\n")
    repo.commit(v5, "Survey: dock windows perceived worse", "Ana Ruiz", "2027-03-08")
    eli = v5.index("  - id: eli\n")
    v6 = v5[:eli] + v5[v5.index("commitments:\n") :]
    repo.commit(v6, "Eli left Acme", "Ben Cole", "2027-03-15")
    return repo


def summary(change: Change) -> tuple[str, str, str, str, object, object, str, dt.date]:
    return (
        change.kind, change.item, change.field, change.commit.subject, change.old, change.new,
        change.commit.author, change.commit.day,
    )


EXPECTED = [
    ("created", "", "", "Start the Acme plan", None, None, "Ana Ruiz", dt.date(2027, 1, 4)),
    ("due-moved", "a2", "due", "Finance asked for two more weeks",
     dt.date(2027, 4, 30), dt.date(2027, 5, 14), "Ben Cole", dt.date(2027, 1, 11)),
    ("invalid", "", "", "WIP", None, None, "Ana Ruiz", dt.date(2027, 1, 18)),
    ("due-moved", "a2", "due", "Review moved again",
     dt.date(2027, 5, 14), dt.date(2027, 6, 11), "Ben Cole", dt.date(2027, 2, 1)),
    ("status-changed", "a2", "status", "Monthly review done", "todo", "done",
     "Dora Lind", dt.date(2027, 3, 1)),
    ("commitment-changed", "c1", "perceived", "Survey: dock windows perceived worse", 3, 2,
     "Ana Ruiz", dt.date(2027, 3, 8)),
    ("stakeholder-removed", "eli", "", "Eli left Acme", None, None, "Ben Cole",
     dt.date(2027, 3, 15)),
]


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return scripted_history(tmp_path_factory.mktemp("story"))


def test_the_history_lists_exactly_the_changes_made_with_their_authors_and_dates(
    story: Repo,
) -> None:
    history = plan_history(story.root / "plans" / "acme.yaml", cache=False)
    assert history.state == "ok"
    assert history.commits == 8
    assert not history.shallow
    assert [summary(c) for c in history.changes] == EXPECTED
    assert history.oldest is not None and history.oldest.subject == "Start the Acme plan"
    assert history.changes[-1].commit.date == dt.datetime(2027, 3, 15, 10, tzinfo=UTC)
    assert history.changes[-1].label == "Eli Park"
    assert history.newest_first[0].kind == "stakeholder-removed"


def test_an_invalid_version_says_why_and_does_not_look_like_everything_was_removed(
    story: Repo,
) -> None:
    history = plan_history(story.root / "plans" / "acme.yaml", cache=False)
    [invalid] = history.invalid
    assert invalid.commit.subject == "WIP"
    assert invalid.message.startswith("line ")
    assert "YAML syntax error" in invalid.message


def test_a_date_moved_twice_is_one_slip_with_two_moves(story: Repo) -> None:
    history = plan_history(story.root / "plans" / "acme.yaml", cache=False)
    [slip] = history.slips
    assert slip.action == "a2"
    assert slip.title == "Monthly review with Finance"
    assert (slip.first_due, slip.current_due) == (dt.date(2027, 4, 30), dt.date(2027, 6, 11))
    assert slip.move_count == 2 and slip.days_slipped == 42
    assert [m.commit.author for m in slip.moves] == ["Ben Cole", "Ben Cole"]
    assert due_moves(history) == {"a2": 2}


def test_since_leaves_out_older_changes_but_compares_with_the_right_state(story: Repo) -> None:
    history = plan_history(
        story.root / "plans" / "acme.yaml", since=dt.date(2027, 2, 1), cache=False
    )
    assert [summary(c) for c in history.changes] == EXPECTED[3:]
    [slip] = history.slips
    assert (slip.first_due, slip.move_count) == (dt.date(2027, 5, 14), 1)


def test_the_cache_gives_the_same_history_and_lives_in_the_git_directory(story: Repo) -> None:
    path = story.root / "plans" / "acme.yaml"
    first = plan_history(path)
    cache_file = story.root / ".git" / "cxplan" / "history" / "acme.json"
    assert cache_file.is_file()
    second = plan_history(path)
    assert second.changes == first.changes and second.slips == first.slips
    cache_file.write_text("{not json", encoding="utf-8")
    assert plan_history(path).changes == first.changes
    assert [summary(c) for c in first.changes] == EXPECTED


def test_an_item_invalid_on_its_own_keeps_its_state_while_the_others_are_compared(
    tmp_path: Path,
) -> None:
    repo = Repo(tmp_path / "repo")
    v1 = minimal_plan_text()
    repo.commit(v1, "Start", "Ana Ruiz", "2027-01-04")
    # One commit breaks a1's date and moves a2's: a2's move is still seen, a1 is not
    # reported as removed.
    v2 = mutate(v1, "    due: 2027-01-25\n", "    due: 2027-02-30\n")
    v2 = mutate(v2, "    due: 2027-04-30\n", "    due: 2027-05-07\n")
    repo.commit(v2, "Oops", "Ben Cole", "2027-01-05")
    v3 = mutate(v2, "    due: 2027-02-30\n", "    due: 2027-02-01\n")
    repo.commit(v3, "Real date", "Ben Cole", "2027-01-06")
    history = plan_history(repo.root / "plans" / "acme.yaml", cache=False)
    assert [(c.kind, c.item, c.commit.subject) for c in history.changes] == [
        ("created", "", "Start"),
        ("due-moved", "a2", "Oops"),
        ("invalid", "", "Oops"),
        ("due-moved", "a1", "Real date"),
    ]
    assert "2027-02-30" in history.invalid[0].message


def test_changes_on_a_branch_are_credited_to_their_commits_not_undone_by_the_merge(
    tmp_path: Path,
) -> None:
    repo = Repo(tmp_path / "repo")
    v1 = minimal_plan_text()
    repo.commit(v1, "Start", "Ana Ruiz", "2027-01-04")
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit(mutate(v1, "    expectation: 4\n", "    expectation: 5\n"), "Raise expectation",
                "Ben Cole", "2027-01-05")
    repo.git("checkout", "-q", "main")
    repo.commit(mutate(v1, "    due: 2027-04-30\n", "    due: 2027-05-07\n"), "Move review",
                "Ana Ruiz", "2027-01-06")
    repo.git("merge", "-q", "--no-edit", "feature", author="Ana Ruiz", when="2027-01-07")
    history = plan_history(repo.root / "plans" / "acme.yaml", cache=False)
    assert sorted((c.kind, c.item, c.commit.author) for c in history.changes) == [
        ("commitment-changed", "c1", "Ben Cole"),
        ("created", "", "Ana Ruiz"),
        ("due-moved", "a2", "Ana Ruiz"),
    ]
    assert history.commits == 3  # the merge commit is not counted


def test_actions_and_commitments_added_and_removed(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    v1 = minimal_plan_text()
    repo.commit(v1, "Start", "Ana Ruiz", "2027-01-04")
    added = v1.replace(
        "kpis:\n",
        "  - id: a3\n    title: Train the night shift\n    owner: ben\n    due: 2027-02-01\n"
        "    horizon: quick-win\nkpis:\n",
    )
    added = added.replace("actions:\n", "  - id: c2\n    promise: Weekly report\n    to: fin\n"
                          "    owner: ana\n    due: 2027-03-01\n    expectation: 3\nactions:\n")
    repo.commit(added, "More", "Ben Cole", "2027-01-05")
    repo.commit(v1, "Less", "Ana Ruiz", "2027-01-06")
    history = plan_history(repo.root / "plans" / "acme.yaml", cache=False)
    assert [(c.kind, c.item, c.label) for c in history.changes[1:]] == [
        ("action-added", "a3", "Train the night shift"),
        ("commitment-added", "c2", "Weekly report"),
        ("action-removed", "a3", "Train the night shift"),
        ("commitment-removed", "c2", "Weekly report"),
    ]


def test_a_shallow_clone_says_how_much_history_it_saw(story: Repo, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "2", f"file://{story.root}", str(clone)],
        check=True, capture_output=True,
    )
    history = plan_history(clone / "plans" / "acme.yaml", cache=False)
    assert history.state == "ok" and history.shallow
    assert history.commits == 2
    assert [(c.kind, c.commit.subject) for c in history.changes] == [
        ("first-seen", "Survey: dock windows perceived worse"),
        ("stakeholder-removed", "Eli left Acme"),
    ]
    result = cxplan("history", str(clone / "plans" / "acme.yaml"))
    assert result.returncode == 0, result.stdout
    assert "shallow clone" in result.stdout and "2 commits" in result.stdout


def test_outside_git_there_is_no_history_and_that_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    plan = tmp_path / "plans" / "acme.yaml"
    plan.parent.mkdir()
    plan.write_text(minimal_plan_text(), encoding="utf-8")
    history = plan_history(plan)
    assert history.state == "no-git" and history.changes == []
    assert "not in a git repository" in history.reason
    result = cxplan("history", str(plan))
    assert result.returncode == 0
    assert "no history" in result.stdout


def test_a_plan_never_committed_has_no_history_yet(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(minimal_plan_text(), "Start", "Ana Ruiz", "2027-01-04")
    other = repo.root / "plans" / "beta.yaml"
    other.write_text(minimal_plan_text(), encoding="utf-8")
    history = plan_history(other)
    assert history.state == "not-committed"
    assert history.changes == []


def test_plans_of_one_repository_are_read_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = Repo(tmp_path / "repo")
    v1 = minimal_plan_text()
    (repo.root / "plans").mkdir()
    for name in ("acme", "beta"):
        (repo.root / "plans" / f"{name}.yaml").write_text(v1, encoding="utf-8")
    repo.git("add", "plans")
    repo.git("commit", "-q", "-m", "Two plans", author="Ana Ruiz", when="2027-01-04")
    (repo.root / "plans" / "beta.yaml").write_text(
        mutate(v1, "    due: 2027-04-30\n", "    due: 2027-05-07\n"), encoding="utf-8"
    )
    repo.git("commit", "-q", "-am", "Beta moves", author="Ben Cole", when="2027-01-05")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    elsewhere = tmp_path / "elsewhere" / "gamma.yaml"
    elsewhere.parent.mkdir()
    elsewhere.write_text(v1, encoding="utf-8")
    acme, gamma, beta = plan_histories(
        [repo.root / "plans" / "acme.yaml", elsewhere, repo.root / "plans" / "beta.yaml"],
        cache=False,
    )
    assert (acme.plan_id, acme.commits, [c.kind for c in acme.changes]) == (
        "acme", 1, ["created"]
    )
    assert (beta.plan_id, beta.commits, [c.kind for c in beta.changes]) == (
        "beta", 2, ["created", "due-moved"]
    )
    assert gamma.state == "no-git"

def test_git_read_in_the_background_gives_the_same_history(story: Repo, tmp_path: Path) -> None:
    """What `cxplan history` does: git starts reading before the plan model is imported."""
    path = story.root / "plans" / "acme.yaml"
    expected = plan_histories([path], cache=False)
    assert plan_histories([path], cache=False, prefetch=Prefetch([path], cache=False)) == expected
    elsewhere = write_plan(tmp_path, minimal_plan_text())  # another plan: read on its own
    [other] = plan_histories([elsewhere], prefetch=Prefetch([path], cache=False))
    assert other == plan_histories([elsewhere])[0] and other.state == "no-git"
    # With a cache file, the background reads the log only; the history is the same.
    plan_history(path)
    cached = Prefetch([path], cache=True)
    assert cached.result()[1] == {}
    assert plan_histories([path], prefetch=cached)[0].changes == expected[0].changes


def test_a_git_failure_in_the_background_reaches_the_caller(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(minimal_plan_text(), "Start", "Ana Ruiz", "2027-01-04")
    path = repo.root / "plans" / "acme.yaml"
    Prefetch([path], cache=False).result()  # reads fine; now lose the commit object
    head = repo.git("rev-parse", "HEAD").strip()
    (repo.root / ".git" / "objects" / head[:2] / head[2:]).unlink()
    with pytest.raises(GitError):
        plan_histories([path], prefetch=Prefetch([path], cache=False))


# --- the command -----------------------------------------------------------------


def test_the_command_prints_the_story_newest_first(story: Repo) -> None:
    result = cxplan("history", str(story.root / "plans" / "acme.yaml"))
    assert result.returncode == 0, result.stdout
    out = result.stdout
    assert "8 commits" in out
    assert out.index("Eli left Acme") < out.index("Start the Acme plan")
    assert "a2" in out and "2027-04-30 -> 2027-06-11" in out and "+42 days" in out
    assert "Ben Cole" in out and "Dora Lind" in out and "Carla Diaz" not in out


@pytest.mark.parametrize(("language", "said"), [
    ("es", "esta versión no era válida: línea "),
    ("pt", "linha "),
])
def test_an_invalid_version_is_told_in_the_report_language(
    story: Repo, language: str, said: str,
) -> None:
    """The first problem of an invalid version is the loader's, in the report's
    language; the JSON keeps the English (a tool's stable field)."""
    plan = str(story.root / "plans" / "acme.yaml")
    result = cxplan("history", plan, "--language", language)
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(line for line in result.stdout.splitlines() if said in line)
    syntax = {"es": "error de sintaxis YAML", "pt": "erro de sintaxe YAML"}[language]
    assert syntax in line and "YAML syntax error" not in result.stdout
    shown = cxplan("history", plan, "--format", "json", "--language", language).stdout
    assert "YAML syntax error" in shown


def test_the_json_format_is_complete_and_stable(story: Repo) -> None:
    result = cxplan("history", str(story.root / "plans" / "acme.yaml"), "--format", "json")
    assert result.returncode == 0, result.stdout
    document = json.loads(result.stdout)
    [plan] = document["plans"]
    assert plan["id"] == "acme" and plan["state"] == "ok" and plan["commits"] == 8
    assert plan["shallow"] is False
    assert plan["slips"] == [
        {"action": "a2", "title": "Monthly review with Finance", "first_due": "2027-04-30",
         "current_due": "2027-06-11", "moves": 2, "days_slipped": 42,
         "commits": [plan["changes"][-2]["commit"]["sha"], plan["changes"][-4]["commit"]["sha"]]},
    ]
    newest = plan["changes"][0]
    assert newest["kind"] == "stakeholder-removed" and newest["item"] == "eli"
    assert newest["commit"]["author"] == "Ben Cole"
    assert newest["commit"]["date"] == "2027-03-15T10:00:00+00:00"
    assert newest["commit"]["subject"] == "Eli left Acme"
    perceived = next(c for c in plan["changes"] if c["kind"] == "commitment-changed")
    assert (perceived["field"], perceived["old"], perceived["new"]) == ("perceived", 3, 2)


def test_the_markdown_format_is_a_pull_request_comment(story: Repo) -> None:
    result = cxplan("history", str(story.root / "plans" / "acme.yaml"), "--format", "markdown")
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("## ")
    assert "| a2 |" in result.stdout


def test_since_on_the_command_line(story: Repo) -> None:
    result = cxplan(
        "history", str(story.root / "plans" / "acme.yaml"), "--since", "2027-03-08",
        "--format", "json",
    )
    [plan] = json.loads(result.stdout)["plans"]
    assert [c["kind"] for c in plan["changes"]] == ["stakeholder-removed", "commitment-changed"]
    assert plan["since"] == "2027-03-08"


def test_without_a_file_every_plan_of_the_workspace(story: Repo) -> None:
    result = cxplan("history", "--format", "json", cwd=story.root)
    assert result.returncode == 0, result.stdout
    assert [p["id"] for p in json.loads(result.stdout)["plans"]] == ["acme"]


def test_a_missing_file_is_an_error_with_a_position(tmp_path: Path) -> None:
    result = cxplan("history", str(tmp_path / "nope.yaml"))
    assert result.returncode == 1
    assert "nope.yaml:1:1" in result.stderr and "Traceback" not in result.stderr


def test_history_is_a_typed_value(story: Repo) -> None:
    history = plan_history(story.root / "plans" / "acme.yaml")
    assert isinstance(history, PlanHistory)
    assert all(isinstance(c, Change) for c in history.changes)


# --- the fast parser reads exactly what the loader reads ---------------------------


def layouts() -> list[tuple[str, str]]:
    northwind = (REPO / "plans" / "northwind-logistics.yaml").read_text(encoding="utf-8")
    lucia = (REPO / "plans" / "hospital-santa-lucia.yaml").read_text(encoding="utf-8")
    small = minimal_plan_text()
    zero_indent = small.replace("\n  - ", "\n- ").replace("\n    ", "\n  ")
    return [
        ("northwind", northwind),
        ("santa lucia", lucia),
        ("crlf", northwind.replace("\n", "\r\n")),
        ("zero-indented lists", zero_indent),
        ("flow lists", small.replace("areas:\n", "areas: # the buyer areas\n")
         .replace("    phase: purchase\n", "    phase: purchase\n    values: {ops: [a, b]}\n")),
        ("inline list", small.replace("kpis:\n", "engagement: {culture: [x]}\nkpis:\n")),
        ("comments between items",
         small.replace("  - id: a2\n", "# column 0 comment\n  - id: a2\n")),
        ("block scalar", small.replace(
            "    title: Confirm dock windows\n",
            "    title: Confirm dock windows\n"
            "    notes: |\n      line one\n\n      - not an item\n",
        )),
        ("document start", "---\n" + small),
        ("document end", small + "...\n"),
        ("whole document indented", "".join("  " + line for line in small.splitlines(True))),
        ("tab", small.replace("  - id: a2\n", "\t- id: a2\n")),
        ("duplicate top-level key", small + "kpis: []\n"),
        ("duplicate key in an item",
         small.replace("    title: Confirm", "    id: a9\n    title: Confirm")),
        ("less indented line",
         small.replace("    horizon: medium-term\n", " horizon: medium-term\n")),
        ("directive", "%YAML 1.2\n---\n" + small),
        ("empty", ""),
        ("comments only", "# nothing yet\n"),
        ("a list at the top", "- a\n- b\n"),
        ("a scalar at the top", "just text\n"),
    ]


@pytest.mark.parametrize(("name", "text"), layouts(), ids=[n for n, _ in layouts()])
def test_the_version_parser_reads_what_the_loader_reads(name: str, text: str) -> None:
    source, problems = parse("plan.yaml", text)
    expected = None if problems else source.data
    parser = VersionParser("plan.yaml")
    assert parser.data(text) == expected
    assert parser.data(text) == expected  # and again, from its cache


FAST = {
    "northwind", "santa lucia", "crlf", "zero-indented lists", "flow lists", "inline list",
    "comments between items", "block scalar",
}


@pytest.mark.parametrize(("name", "text"), [(n, t) for n, t in layouts() if n in FAST])
def test_usual_layouts_take_the_fast_path(name: str, text: str) -> None:
    """Not a fallback in disguise: the ordinary layouts are split, not parsed whole."""
    assert VersionParser("plan.yaml").split(text) is not None


def test_a_repository_with_no_commit_yet_has_no_history_and_no_error(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")  # `git init` only
    plan = repo.root / "plans" / "acme.yaml"
    plan.parent.mkdir()
    plan.write_text(minimal_plan_text(), encoding="utf-8")
    history = plan_history(plan)
    assert history.state == "not-committed" and history.changes == []
    result = cxplan("history", str(plan))
    assert result.returncode == 0 and "never been committed" in result.stdout


def validity_cases() -> list[tuple[str, str]]:
    small = minimal_plan_text()
    return [
        ("valid", small),
        ("unknown top-level key", small + "extra: 1\n"),
        ("no team", small.replace("team:\n", "teams:\n")),
        ("empty team", small.replace(
            small[small.index("team:\n") : small.index("areas:\n")], "team: []\n")),
        ("stakeholders null", small.replace(
            small[small.index("stakeholders:\n") : small.index("commitments:\n")],
            "stakeholders:\n")),
        ("valid, engagement null", small + "engagement:\n"),
        ("valid, engagement text", small + "engagement: {culture: Direct}\n"),
        ("impossible date", small.replace("due: 2027-01-25", "due: 2027-02-30")),
        ("unknown owner", small.replace("    owner: ben\n    due: 2027-01-25",
                                        "    owner: zed\n    due: 2027-01-25")),
        ("duplicate id", small.replace("  - id: a2\n", "  - id: a1\n")),
        ("unknown item key", small.replace("    horizon: medium-term\n",
                                           "    horizon: medium-term\n    colour: red\n")),
        ("done without done_on", small.replace("    done_on: 2027-01-20\n", "")),
        ("number as text", small.replace("expectation: 4", "expectation: '4'")),
        ("yes is text", small.replace("    horizon: medium-term\n", "    horizon: yes\n")),
        ("list at the top", "- 1\n"),
        ("actions a mapping", small.replace(
            small[small.index("actions:\n") : small.index("kpis:\n")], "actions: {a1: x}\n")),
        ("actions null", small.replace(
            small[small.index("actions:\n") : small.index("kpis:\n")], "actions:\n")),
        ("no actions", small.replace(
            small[small.index("actions:\n") : small.index("kpis:\n")], "")),
        ("valid, no kpis", small[: small.index("kpis:\n")]),
        ("an item not a mapping", small.replace("kpis:\n", "kpis:\n  - otif\n")),
        ("plan info a list", small.replace(
            small[small.index("plan:\n") : small.index("team:\n")], "plan: [x]\n")),
        ("engagement unknown key", small + "engagement: {colour: red}\n"),
        ("engagement a list", small + "engagement: [culture]\n"),
    ]


def test_the_plan_model_is_validated_field_by_field() -> None:
    """Not a fallback in disguise: each field of the plan has a shape the fast check
    knows (a model, or a list of them), so a version is not validated whole."""
    assert _FIELD_SHAPES is not None and _FIELD_SHAPES.keys() == Plan.model_fields.keys()


@pytest.mark.parametrize(("name", "text"), validity_cases(), ids=[n for n, _ in validity_cases()])
def test_the_version_verdict_is_the_one_validate_gives(name: str, text: str) -> None:
    source, problems = parse("acme.yaml", text)
    expected = not problems and not build_plan(source, "acme")[1]
    parser = VersionParser("acme.yaml")
    data = parser.data(text)
    got = data is not None and parser.valid(Source("acme.yaml", text, data), "acme")
    assert got == expected
    assert name.startswith("valid") == expected
    assert parser.valid(Source("acme.yaml", text, data), "acme") == got  # from its cache
    assert not parser.valid(Source("acme.yaml", text, data), "Not A Plan Id")


def test_the_reports_speak_the_plans_language_or_the_one_asked(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    spanish = mutate(
        minimal_plan_text(), "  end: 2027-12-17\n", "  end: 2027-12-17\n  language: es\n"
    )
    repo.commit(spanish, "Start", "Ana Ruiz", "2027-01-04")
    repo.commit(mutate(spanish, "    due: 2027-04-30\n", "    due: 2027-05-14\n"),
                "Two more weeks", "Ben Cole", "2027-01-11")
    path = str(repo.root / "plans" / "acme.yaml")
    out = cxplan("history", path).stdout
    assert "Fechas que se movieron:" in out and "movida 1 vez, +14 días" in out
    assert "fecha límite movida 2027-04-30 -> 2027-05-14" in out and "plan creado" in out
    assert english_left(out, ("history.report.",), "es") == []
    out = cxplan("history", path, "--language", "pt").stdout
    assert "Datas que mudaram:" in out and "mudou 1 vez, +14 dias" in out
    assert "prazo mudou 2027-04-30 -> 2027-05-14" in out
    assert english_left(out, ("history.report.",), "pt") == []
    markdown = cxplan("history", path, "--language", "pt", "--format", "markdown").stdout
    assert markdown.startswith("## acme: o que mudou")
    assert "### Alterações, da mais recente à mais antiga" in markdown
    assert "| Ação | Título | Primeiro prazo | Prazo atual |" in markdown
    assert english_left(markdown, ("history.report.",), "pt") == []
    english = cxplan("history", path, "--language", "en").stdout
    assert "Slipped dates:" in english and "moved 1 time, +14 days" in english
