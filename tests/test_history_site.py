"""The history on the team site: the changes page and the slipped-dates panel, from a
real git repository and a real MkDocs build."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import minimal_plan_text, mutate
from site_helpers import MKDOCS_YML, content, mkdocs_site
from test_history import Repo

from cxplan.model.build import load_plan
from cxplan.publish.site import read_history


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """A workspace in git whose action a2 moved twice, with an invalid version between."""
    repo = Repo(tmp_path_factory.mktemp("history-site") / "ws")
    (repo.root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (repo.root / "docs").mkdir()
    v1 = minimal_plan_text()
    repo.commit(v1, "Start the Acme plan", "Ana Ruiz", "2027-01-04")
    v2 = mutate(v1, "    due: 2027-04-30\n", "    due: 2027-05-14\n")
    repo.commit(v2, "Finance asked for two more weeks", "Ben Cole", "2027-01-11")
    unknown_owner = mutate(
        v2, "    owner: ana\n    due: 2027-05-14", "    owner: zed\n    due: 2027-05-14"
    )
    repo.commit(unknown_owner, "WIP", "Ana Ruiz", "2027-01-12")
    v3 = mutate(v2, "    due: 2027-05-14\n", "    due: 2027-06-11\n")
    repo.commit(v3, "Review <moved> again | *twice*", "Ben Cole", "2027-02-01")
    # Items removed: the changes page names them without a link to what is gone (a
    # dangling anchor would fail the strict build).
    v4 = v3[: v3.index("  - id: eli\n")] + v3[v3.index("commitments:\n") :]
    v4 = v4[: v4.index("commitments:\n")] + v4[v4.index("actions:\n") :]
    repo.commit(v4, "Eli left; the dock promise is withdrawn", "Dora Lind", "2027-02-08")
    return repo


@pytest.fixture(scope="module")
def team_site(workspace: Repo, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return mkdocs_site(workspace.root, tmp_path_factory.mktemp("team"))


def test_the_overview_shows_the_slipped_dates(team_site: Path) -> None:
    overview = content(team_site, "plans/acme/")
    assert overview.by_id("slipped-dates").text() == "Due dates that moved (1)"
    row = overview.find_all("a", href="actions/#action-a2")
    assert row, "the slipped action links to its entry"
    text = overview.text()
    assert "Monthly review with Finance 2027-04-30 2027-06-11 2 42" in text
    assert "changes/" in overview.links()


def test_the_changes_page_lists_each_commit_once_newest_first(team_site: Path) -> None:
    page = content(team_site, "plans/acme/changes/")
    text = page.text()
    subjects = ["Eli left; the dock promise is withdrawn", "Review <moved> again | *twice*",
                "WIP", "Finance asked for two more weeks", "Start the Acme plan"]
    positions = [text.index(subject) for subject in subjects]
    assert positions == sorted(positions)
    assert all(text.count(subject) == 1 for subject in subjects)
    assert "Ben Cole" in text and "2027-02-01" in text
    assert "This version did not validate" in text and "zed" in text
    assert "Stakeholder removed: Eli Park" in text
    assert "Commitment removed: Deliveries inside the booked dock window" in text


def test_the_customer_site_has_neither(
    workspace: Repo, tmp_path_factory: pytest.TempPathFactory
) -> None:
    site = mkdocs_site(workspace.root, tmp_path_factory.mktemp("customer"), audience="customer")
    assert not (site / "plans" / "acme" / "changes").exists()
    overview = content(site, "plans/acme/")
    assert "slipped-dates" not in {e.attrs.get("id") for e in overview.iter()}
    assert "Finance asked" not in (site / "plans" / "acme" / "index.html").read_text()


def test_the_panel_speaks_the_plan_language(
    workspace: Repo, tmp_path_factory: pytest.TempPathFactory
) -> None:
    spanish = workspace.root.parent / "es"
    repo = Repo(spanish)
    (spanish / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (spanish / "docs").mkdir()
    v1 = mutate(minimal_plan_text(), "  end: 2027-12-17\n", "  end: 2027-12-17\n  language: es\n")
    repo.commit(v1, "Inicio", "Ana Ruiz", "2027-01-04")
    repo.commit(mutate(v1, "    due: 2027-04-30\n", "    due: 2027-05-07\n"), "Mover",
                "Ben Cole", "2027-01-05")
    site = mkdocs_site(spanish, tmp_path_factory.mktemp("es"))
    panel = content(site, "plans/acme/").by_id("slipped-dates")
    assert panel.text() == "Fechas que se movieron (1)"


def test_the_site_reads_the_history_of_plans_in_git_only(
    workspace: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    outside = tmp_path / "plans" / "beta.yaml"
    outside.parent.mkdir()
    outside.write_text(minimal_plan_text(), encoding="utf-8")
    plan_files = [load_plan(workspace.root / "plans" / "acme.yaml")[0], load_plan(outside)[0]]
    assert all(plan_files)
    assert list(read_history([p for p in plan_files if p])) == ["acme"]
