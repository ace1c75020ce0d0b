"""Say-do from git, on a history built here with dates worked out on paper.

The story (MINIMAL plan: a1 owned by ben, a2 by ana, commitment c1 by ben):

    2027-01-04  start: a1 due 01-25 (todo), a2 due 04-30, c1 due 02-15
    2027-01-20  a1 done on 01-20                      -> on time
    2027-02-01  c1 moved to 03-01; a3 (ana) added, due 02-10
    2027-02-20  a3 moved to 02-25
    2027-02-26  a3 done on 02-26                      -> 1 move, 16 days after 02-10
    2027-03-05  c1 measured (perceived 4)             -> 1 move, 18 days after 02-15

As of 2027-05-10, a2 (first due 04-30) is open: it fell due and slipped 10 days.
Four promises fell due; 1 on time (25 %), 2 after moves (50 %), 10 + 16 + 18 = 44
days slipped. By month of the first promised date: January 1 of 1 on time, February
0 of 2 (34 days), April 0 of 1 (10 days). By owner: ben 1 of 2 (18 days), ana 0 of 2.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from conftest import minimal_plan_text, mutate
from pypdf import PdfReader
from site_helpers import MKDOCS_YML, content, make_workspace, mkdocs_site
from test_history import Repo
from tracking_plans import run_cxplan

from cxplan.analyse import saydo
from cxplan.analyse.history import plan_history
from cxplan.model.build import load_plan

AS_OF = dt.date(2027, 5, 10)
A3 = ("  - id: a3\n    title: Send the dock plan\n    owner: ana\n    due: 2027-02-10\n"
      "    horizon: medium-term\n")


def story(root: Path) -> Path:
    repo = Repo(root)
    v1 = mutate(minimal_plan_text(), "    status: done\n    done_on: 2027-01-20\n", "")
    repo.commit(v1, "Start", "Ana Ruiz", "2027-01-04")
    v2 = minimal_plan_text()
    repo.commit(v2, "a1 done", "Ben Cole", "2027-01-20")
    v3 = mutate(v2, "    due: 2027-02-15\n", "    due: 2027-03-01\n")
    v3 = mutate(v3, "kpis:\n", A3 + "kpis:\n")
    repo.commit(v3, "Move c1, add a3", "Ana Ruiz", "2027-02-01")
    v4 = mutate(v3, "    due: 2027-02-10\n", "    due: 2027-02-25\n")
    repo.commit(v4, "Move a3", "Ana Ruiz", "2027-02-20")
    v5 = mutate(v4, "    due: 2027-02-25\n    horizon: medium-term\n",
                "    due: 2027-02-25\n    horizon: medium-term\n    status: done\n"
                "    done_on: 2027-02-26\n")
    repo.commit(v5, "a3 done", "Ana Ruiz", "2027-02-26")
    v6 = mutate(v5, "    expectation: 4\n", "    expectation: 4\n    perceived: 4\n")
    repo.commit(v6, "c1 measured", "Ben Cole", "2027-03-05")
    return root / "plans" / "acme.yaml"


@pytest.fixture(scope="module")
def plan_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return story(tmp_path_factory.mktemp("saydo"))


def result_of(path: Path) -> saydo.SayDo:
    plan_file, problems = load_plan(path)
    assert plan_file is not None, problems
    return saydo.say_do(plan_file.id, plan_file.plan, plan_history(path, cache=False))


def test_first_promised_dates_moves_and_deliveries(plan_path: Path) -> None:
    promises = {p.id: p for p in result_of(plan_path).promises}
    d = dt.date
    assert {k: (p.first_due, p.moves, p.delivered_on) for k, p in promises.items()} == {
        "a1": (d(2027, 1, 25), 0, d(2027, 1, 20)),
        "a2": (d(2027, 4, 30), 0, None),
        "a3": (d(2027, 2, 10), 1, d(2027, 2, 26)),
        "c1": (d(2027, 2, 15), 1, d(2027, 3, 5)),
    }


def test_the_figures_worked_out_on_paper(plan_path: Path) -> None:
    result = result_of(plan_path)
    total = result.total(AS_OF)
    assert (total.due, total.delivered, total.on_time, total.after_moves,
            total.days_slipped) == (4, 3, 1, 2, 44)
    assert total.on_time_share == 0.25 and total.after_moves_share == 0.5
    months = {m: (t.due, t.on_time, t.days_slipped) for m, t in result.by_month(AS_OF)}
    assert months == {"2027-01": (1, 1, 0), "2027-02": (2, 0, 34), "2027-04": (1, 0, 10)}
    owners = {o: (t.due, t.on_time, t.days_slipped) for o, t in result.by_owner(AS_OF).items()}
    assert owners == {"ana": (2, 0, 26), "ben": (2, 1, 18)}
    # On 2027-04-30 a2 is due that very day: not yet fallen due.
    assert result.total(dt.date(2027, 4, 30)).due == 3


def test_a_plan_outside_git_has_no_history_not_a_figure(tmp_path: Path, plan_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    copy = tmp_path / "plans" / "acme.yaml"
    shutil.copy(plan_path, copy)
    result = result_of(copy)
    assert not result.has_history and result.state == "no-git" and result.reason
    assert result.promises == [] and saydo.portfolio([result], AS_OF).due == 0


def test_status_json_carries_say_do(plan_path: Path, tmp_path: Path) -> None:
    root = plan_path.parent.parent
    run = run_cxplan(root, "status", "--as-of", str(AS_OF), "--format", "json")
    document = json.loads(run.stdout)
    figures = document["plans"][0]["say_do"]
    assert figures["state"] == "ok"
    assert {k: figures[k] for k in ("due", "on_time", "on_time_share", "after_moves",
                                     "after_moves_share", "days_slipped")} == {
        "due": 4, "on_time": 1, "on_time_share": 0.25, "after_moves": 2,
        "after_moves_share": 0.5, "days_slipped": 44}
    assert [m["month"] for m in figures["by_month"]] == ["2027-01", "2027-02", "2027-04"]
    assert figures["by_owner"]["ben"]["on_time"] == 1
    assert document["summary"]["say_do"]["due"] == 4
    # Outside git: the state and the reason, no figure.
    (tmp_path / "plans").mkdir()
    shutil.copy(plan_path, tmp_path / "plans" / "acme.yaml")
    outside = json.loads(run_cxplan(tmp_path, "status", "--as-of", str(AS_OF), "--format",
                                    "json").stdout)["plans"][0]["say_do"]
    assert outside["state"] == "no-git" and outside["reason"] and "due" not in outside


def test_the_overview_and_the_portfolio_show_say_do(plan_path: Path, tmp_path: Path) -> None:
    root = plan_path.parent.parent
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (root / "docs").mkdir(exist_ok=True)
    site = mkdocs_site(root, tmp_path / "site", as_of=AS_OF)
    overview = content(site, "plans/acme")
    text = overview.text()
    assert ("25% delivered by the date first promised (1 of 4); 2 after one or more moves; "
            "44 days slipped in all") in text
    assert "2027-02" in text and "0 (0%)" in text
    chart = overview.find_all("svg")
    assert any("1 of 1 on time" in svg.text() for svg in chart)
    assert "25% delivered by the date first promised" in content(site, "plans").text()
    customer = mkdocs_site(root, tmp_path / "customer", as_of=AS_OF, audience="customer")
    assert "Say-do" not in content(customer, "plans/acme").text()
    # Outside git: no figure on the site (status JSON says "no history", tested above).
    outside = make_workspace(tmp_path / "outside", {"acme.yaml": plan_path.read_text("utf-8")})
    text = content(mkdocs_site(outside, tmp_path / "site2", as_of=AS_OF), "plans/acme").text()
    assert "delivered by the date first promised" not in text


# --- the review pack (the same story) ---------------------------------------------------


def test_the_review_pack_since_a_review_tag(plan_path: Path) -> None:
    root = plan_path.parent.parent
    repo = Repo(root)
    # The team reviewed the plan as committed on 2027-02-01 (c1 moved, a3 added).
    sha = repo.git("log", "--format=%H", "--grep", "Move c1").strip()
    repo.git("tag", "review/2027-02-01", sha)
    run = run_cxplan(root, "review", "plans/acme.yaml", "--as-of", str(AS_OF))
    assert run.returncode == 0, run.stderr
    text = run.stdout
    assert text.startswith("# Review: Acme Industrial\n")
    assert "Since review/2027-02-01 (2027-02-01), as of 2027-05-10." in text
    done = text[text.index("### Done"):text.index("### Slipped")]
    assert "`a3`" in done and "`a1`" not in done  # a1 was done before the review
    slipped = text[text.index("### Slipped"):text.index("### Added")]
    assert "`a3` Send the dock plan: 2027-02-10 → 2027-02-25 (15 days)" in slipped
    assert "`c1`" not in slipped  # commitments' dates are not actions' slips
    assert "- Kept: `c1`" in text
    # Say-do when the review tag was set (a1 on time, 1 of 1) and now (1 of 4).
    assert "100% at the last review, 25% now (4 due)" in text
    by_date = run_cxplan(root, "review", "plans/acme.yaml", "--since", "2027-02-25",
                         "--as-of", str(AS_OF))
    assert "### Slipped\n\n- none" in by_date.stdout


def test_a_since_that_names_nothing_lists_the_refs(plan_path: Path) -> None:
    root = plan_path.parent.parent
    run = run_cxplan(root, "review", "plans/acme.yaml", "--since", "review/2031-01-01")
    assert run.returncode == 1
    assert "'review/2031-01-01' names no commit or tag; refs that exist:" in run.stderr
    assert "main" in run.stderr


def test_without_a_review_tag_the_pack_asks_for_one(tmp_path: Path) -> None:
    path = story(tmp_path / "fresh")
    run = run_cxplan(path.parent.parent, "review", "plans/acme.yaml")
    assert run.returncode == 1 and "no review tag (review/*) yet" in run.stderr


def test_a_shallow_clone_says_how_far_back_it_saw(plan_path: Path, tmp_path: Path) -> None:
    source = plan_path.parent.parent
    clone = tmp_path / "clone"
    Repo(tmp_path).git("clone", "-q", "--depth", "2", f"file://{source}", str(clone))
    run = run_cxplan(clone, "review", "plans/acme.yaml", "--since", "2027-01-01",
                     "--as-of", str(AS_OF))
    assert run.returncode == 0, run.stderr
    assert "A shallow clone: history seen back to 2027-02-26 only." in run.stdout


def test_the_review_pack_as_a_pdf_that_opens(plan_path: Path, tmp_path: Path) -> None:
    root = plan_path.parent.parent
    out = tmp_path / "review.pdf"
    run = run_cxplan(root, "review", "plans/acme.yaml", "--since", "2027-02-01",
                     "--as-of", str(AS_OF), "--format", "pdf", "-o", str(out))
    assert run.returncode == 0, run.stderr
    reader = PdfReader(out)
    assert len(reader.pages) >= 1
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Review: Acme Industrial" in text
    assert "Send the dock plan" in text and "2027-02-10 → 2027-02-25" in text
    missing = run_cxplan(root, "review", "plans/acme.yaml", "--format", "pdf")
    assert missing.returncode == 2 and "-o FILE" in missing.stderr
