"""The "since the last review" page of the plan's site, both editions, and say-do on
the people pages, on a history built here with dates worked out on paper.

The story (MINIMAL plan; dora is owned by ana, eli by nobody: coverage 1 of 2):

    2027-01-04  start: a1 due 01-25 (todo), a2 due 04-30, c1 due 02-15
    2027-02-01  the review meeting; the commit of that day is tagged review/2027-02-01
                (a2's notes written)
    2027-02-10  a1 done on 01-20 (written late); eli moves: neutral -> supporter,
                influence 3 -> 4, owner ben (coverage 2 of 2); a3 added (internal)
    2027-03-01  c1 measured (perceived 5 against 4 expected: kept)

The pack since review/2027-02-01 (as of 2027-05-10): done a1; added a3; kept c1; eli
moved (support Neutral -> Supporter, influence 3 -> 4); coverage 50% -> 100%; the otif
reading of 2027-02-28 (91 against 95). Say-do at the review: a1 fell due (01-25) and
was delivered on 01-20: 1 of 1, 100%. Now: a1 on time, c1 first due 02-15 delivered
03-01 (14 days late), a2 first due 04-30 still open (10 days): 1 of 3, 33%.
By owner: ben a1 and c1, 1 of 2 (50%), 14 days slipped; ana a2, 0 of 1, 10 days.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest
from browser_helpers import chromium, serve
from conftest import minimal_plan_text, mutate
from pypdf import PdfReader
from site_helpers import MKDOCS_YML, Element, content, make_workspace, mkdocs_site, parse_html
from test_history import Repo
from tracking_plans import run_cxplan

AS_OF = dt.date(2027, 5, 10)
A3 = ("  - id: a3\n    title: Renegotiate the freight margin\n    owner: ana\n"
      "    due: 2027-06-30\n    horizon: medium-term\n    internal: true\n")


def story(root: Path, *, tag: bool = True) -> Path:
    repo = Repo(root)
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (root / "docs").mkdir(exist_ok=True)
    v1 = mutate(minimal_plan_text(), "    status: done\n    done_on: 2027-01-20\n", "")
    repo.commit(v1, "Start", "Ana Ruiz", "2027-01-04")
    v2 = mutate(v1, "    due: 2027-04-30\n",
                "    due: 2027-04-30\n    notes: Agreed at the review\n")
    repo.commit(v2, "Review notes", "Ana Ruiz", "2027-02-01")
    if tag:
        repo.git("tag", "review/2027-02-01", when="2027-02-01")
    v3 = mutate(v2, "    due: 2027-01-25\n    horizon: quick-win\n",
                "    due: 2027-01-25\n    horizon: quick-win\n    status: done\n"
                "    done_on: 2027-01-20\n")
    v3 = mutate(v3, "    influence: 3\n    support: neutral\n",
                "    influence: 4\n    support: supporter\n    owner: ben\n")
    v3 = mutate(v3, "kpis:\n", A3 + "kpis:\n")
    repo.commit(v3, "a1 done, eli won over, a3", "Ben Cole", "2027-02-10")
    v4 = mutate(v3, "    expectation: 4\n", "    expectation: 4\n    perceived: 5\n")
    repo.commit(v4, "c1 measured", "Ben Cole", "2027-03-01")
    return root


def build(workspace: Path, audience: str) -> Path:
    site = workspace / f"site-{audience}"
    done = subprocess.run(
        [sys.executable, "-m", "cxplan", "build", "--audience", audience, "--site-dir",
         str(site), "--as-of", str(AS_OF)],
        cwd=workspace, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return site


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return story(tmp_path_factory.mktemp("review-site"))


@pytest.fixture(scope="module")
def team(workspace: Path) -> Path:
    return build(workspace, "team")


@pytest.fixture(scope="module")
def customer(workspace: Path) -> Path:
    return build(workspace, "customer")


def html_of(site: Path, path: str) -> Element:
    return parse_html((site / path / "index.html").read_text("utf-8"))


def article_of(site: Path, path: str) -> Element:
    return html_of(site, path).find_all("article")[0]


def unresolved_links(site: Path, path: str) -> tuple[list[str], list[str]]:
    """(links to an anchor of the site, those whose page or anchor does not exist)."""
    linked, broken = [], []
    for href in article_of(site, path).links():
        if "://" in href or "#" not in href or href.startswith("#"):
            continue
        target, anchor = href.split("#", 1)
        folder = (site / path / target).resolve()
        linked.append(href)
        file = folder / "index.html"
        if not file.is_file() or not any(
                e.attrs.get("id") == anchor for e in parse_html(file.read_text("utf-8")).iter()):
            broken.append(href)
    return linked, broken


TEAM_PAGE = "plans/acme/review"


def test_the_team_page_holds_the_pack(team: Path) -> None:
    text = article_of(team, TEAM_PAGE).text()
    assert "Since the last review: Acme Industrial" in text
    assert "Since review/2027-02-01 (2027-02-01), as of 2027-05-10." in text
    done = text[text.index("Done"):text.index("Slipped")]
    assert "a1 Confirm dock windows (2027-02-10)" in done
    assert "a3 Renegotiate the freight margin" in text[text.index("Added"):]
    assert "Kept: c1" in text and "Broken: —" in text
    assert "eli Eli Park: support Neutral → Supporter; influence 3 → 4" in text
    assert ("Stakeholders with a relationship owner: 50% at the last review, 100% now."
            in text)
    assert "otif On time in full 2027-02-28 91 95" in text
    assert "100% at the last review, 33% now (3 due)" in text


def test_every_item_of_the_team_page_links_to_its_entry(team: Path) -> None:
    linked, broken = unresolved_links(team, TEAM_PAGE)
    assert broken == []
    assert {"../actions/#action-a1", "../actions/#action-a3", "../commitments/#commitment-c1",
            "../power-map/#stakeholder-eli", "../kpis/#kpi-otif"} <= set(linked)


def test_the_page_is_in_the_plan_menu_and_navigation(team: Path, customer: Path) -> None:
    overview = html_of(team, "plans/acme")
    menu = next(e for e in overview.iter() if "cx-menu" in e.attrs.get("class", ""))
    assert "review/" in menu.links()
    nav = [e for e in overview.iter() if e.tag == "nav"]
    assert any("review/" in n.links() for n in nav)
    assert "review/" in html_of(customer, "acme").links()
    # The overview's list of pages says what the page holds in a line.
    assert ("Since the last review: 1 done, 0 with a date moved, 1 added since 2027-02-01"
            in article_of(team, "plans/acme").text())
    assert ("Since the last review: 1 done, 0 with a date moved, 0 added since 2027-02-01"
            in article_of(customer, "acme").text())
    # Both editions have it: not marked team-only.
    assert 'data-cx-team-only="page:review"' not in (team / "plans/acme/index.html").read_text()


def test_the_page_prints_to_clean_a4_pages(team: Path) -> None:
    """In headless Chromium's print mode: no header, sidebars, search, plan menu or the
    hint to print; the pack's sections and its KPI table kept; a real A4 PDF."""
    with serve(team) as url, chromium() as browser:
        page = browser.new_page()
        page.goto(url + TEAM_PAGE + "/")
        page.emulate_media(media="print")
        hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-search',
            '.md-footer', '.cx-menu', '.cx-print-hint'].map(s => {
                const e = document.querySelector(s);
                return e === null ? 'none' : getComputedStyle(e).display; })""")
        assert hidden == ["none"] * 6
        rows = page.evaluate("""() => [...document.querySelectorAll('article tr')]
            .map(r => getComputedStyle(r).breakInside)""")
        assert rows and set(rows) == {"avoid"}
        assert page.get_by_role("heading", name="Power map coverage").is_visible()
        pdf = page.pdf(format="A4")
        page.close()
    printed = PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() for p in printed.pages)
    assert len(printed.pages) >= 1 and "Since the last review: Acme Industrial" in text
    assert "Eli Park" in text and "Search" not in text


def test_the_customer_page_is_the_customer_safe_pack(customer: Path) -> None:
    page = "acme/review"
    text = article_of(customer, page).text()
    assert "Since 2027-02-01 (2027-02-01), as of 2027-05-10." in text
    assert "a1 Confirm dock windows (2027-02-10)" in text
    # `plain` (the default): what was measured, no verdict.
    assert "Measured: c1" in text and "Kept" not in text and "Broken" not in text
    assert "otif On time in full 2027-02-28 91 95" in text and "✓" not in text
    for team_only in ("Renegotiate the freight margin", "a3", "Eli Park", "eli",
                      "Stakeholders", "relationship owner", "Say-do", "review/2027"):
        assert team_only not in text, team_only
    linked, broken = unresolved_links(customer, page)
    assert broken == [] and "../actions/#action-a1" in linked
    assert "../power-map/" not in " ".join(linked)


def test_a_flagged_customer_edition_shows_the_verdicts(tmp_path: Path) -> None:
    root = story(tmp_path / "flagged")
    plan = root / "plans" / "acme.yaml"
    plan.write_text(plan.read_text("utf-8").replace(
        "  end: 2027-12-17\n", "  end: 2027-12-17\n  customer_status: flagged\n"), "utf-8")
    text = article_of(build(root, "customer"), "acme/review").text()
    assert "Kept: c1" in text and "Measured" not in text
    assert "Renegotiate the freight margin" not in text and "Eli Park" not in text


def test_without_a_review_tag_the_page_says_how_to_set_one(tmp_path: Path) -> None:
    root = story(tmp_path / "untagged", tag=False)
    site = mkdocs_site(root, tmp_path / "site", as_of=AS_OF)
    page = content(site, TEAM_PAGE)
    assert "No review tag yet" in page.text()
    assert "Since the last review: no review tag yet" in content(site, "plans/acme").text()
    assert any(e.tag == "code" and e.text() == "git tag review/YYYY-MM-DD"
               for e in page.iter())
    # The customer edition has no such page: the team's menu marks it team-only.
    overview = (site / "plans" / "acme" / "index.html").read_text("utf-8")
    assert 'data-cx-team-only="page:review"' in overview
    customer = mkdocs_site(root, tmp_path / "customer", as_of=AS_OF, audience="customer")
    assert not (customer / TEAM_PAGE).exists()
    assert "review/" not in content(customer, "plans/acme").links()


def test_outside_git_the_page_says_there_is_no_history(tmp_path: Path, workspace: Path) -> None:
    outside = make_workspace(tmp_path / "outside",
                             {"acme.yaml": (workspace / "plans/acme.yaml").read_text("utf-8")})
    site = mkdocs_site(outside, tmp_path / "site", as_of=AS_OF)
    assert "No history: the plan is not in git" in content(site, TEAM_PAGE).text()


def test_the_spanish_page_speaks_spanish(tmp_path: Path) -> None:
    root = story(tmp_path / "es")
    plan = root / "plans" / "acme.yaml"
    plan.write_text(plan.read_text("utf-8").replace(
        "  end: 2027-12-17\n", "  end: 2027-12-17\n  language: es\n"), "utf-8")
    text = content(mkdocs_site(root, tmp_path / "site", as_of=AS_OF), TEAM_PAGE).text()
    assert "Desde la última revisión: Acme Industrial" in text
    assert "Interlocutores con un responsable de la relación:" in text
    assert "Cambió su apoyo o su influencia" in text


# --- say-do on the people pages ----------------------------------------------------------


def test_each_person_page_shows_their_say_do(team: Path) -> None:
    ben = content(team, "people/ben")
    assert ben.by_id("say-do").text() == (
        "Say-do: 50% delivered by the date first promised (1 of 2); 0 after one or more "
        "moves; 14 days slipped in all")
    ana = content(team, "people/ana").by_id("say-do").text()
    assert "0% delivered by the date first promised (0 of 1)" in ana
    assert "10 days slipped in all" in ana


def test_the_customer_sees_no_say_do_on_people_pages(tmp_path: Path, workspace: Path) -> None:
    customer = mkdocs_site(workspace, tmp_path / "customer", as_of=AS_OF, audience="customer")
    assert "Say-do" not in content(customer, "people/ben").text()


# --- the CLI: the customer's pack, links into the site ------------------------------------


def test_the_cli_gives_the_customer_pack_and_links_into_the_site(workspace: Path,
                                                                 tmp_path: Path) -> None:
    args = ("review", "plans/acme.yaml", "--as-of", str(AS_OF))
    team = run_cxplan(workspace, *args)
    assert team.returncode == 0, team.stderr
    assert "- `eli` Eli Park: support Neutral → Supporter; influence 3 → 4" in team.stdout
    mine = run_cxplan(workspace, *args, "--audience", "customer")
    assert mine.returncode == 0, mine.stderr
    assert "- Measured: `c1`" in mine.stdout and "Eli Park" not in mine.stdout
    assert "Renegotiate" not in mine.stdout and "Say-do" not in mine.stdout
    linked = run_cxplan(workspace, *args, "--site-url", "https://cx.example.com/")
    assert "[`a1`](https://cx.example.com/plans/acme/actions/#action-a1)" in linked.stdout
    assert "[`eli`](https://cx.example.com/plans/acme/power-map/#stakeholder-eli)" \
        in linked.stdout
    customer_linked = run_cxplan(workspace, *args, "--audience", "customer",
                                 "--site-url", "https://cx.example.com/customers")
    assert "[`a1`](https://cx.example.com/customers/acme/actions/#action-a1)" \
        in customer_linked.stdout
    out = tmp_path / "customer.pdf"
    pdf = run_cxplan(workspace, *args, "--audience", "customer", "--format", "pdf",
                     "-o", str(out))
    assert pdf.returncode == 0, pdf.stderr
    printed = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Review: Acme Industrial" in printed and "Confirm dock windows" in printed
    assert "Renegotiate" not in printed and "Eli Park" not in printed


def test_render_writes_the_review_page_of_both_editions(workspace: Path, tmp_path: Path) -> None:
    args = ("render", "--as-of", str(AS_OF), "--out")
    team = run_cxplan(workspace, *args, str(tmp_path / "team"))
    assert team.returncode == 0, team.stderr
    text = (tmp_path / "team" / "plans" / "acme" / "review.md").read_text("utf-8")
    assert "[`eli`](power-map.md#stakeholder-eli) Eli Park" in text
    customer = run_cxplan(workspace, *args, str(tmp_path / "customer"), "--audience",
                          "customer")
    assert customer.returncode == 0, customer.stderr
    theirs = (tmp_path / "customer" / "acme" / "review.md").read_text("utf-8")
    assert "[`a1`](actions.md#action-a1) Confirm dock windows" in theirs
    assert "Eli Park" not in theirs and "Renegotiate" not in theirs


def test_a_version_before_the_review_that_does_not_validate_has_no_then(
        tmp_path: Path) -> None:
    """The plan as committed before the review is broken (a due date that is no date):
    no coverage then and no moves, the rest of the pack as usual."""
    root = story(tmp_path / "broken", tag=False)
    repo = Repo(root)
    path = root / "plans" / "acme.yaml"
    good = path.read_text("utf-8")
    repo.commit(good.replace("    due: 2027-06-30\n", "    due: soon\n"), "Broken", "Ana Ruiz",
                "2027-03-10")
    repo.commit(good.replace("    influence: 4\n", "    influence: 2\n"), "Fixed", "Ana Ruiz",
                "2027-03-20")
    run = run_cxplan(root, "review", "plans/acme.yaml", "--since", "2027-03-15",
                     "--as-of", str(AS_OF))
    assert run.returncode == 0, run.stderr
    assert "Stakeholders with a relationship owner: — at the last review, 100% now." \
        in run.stdout
    assert "- Support or influence moved: —" in run.stdout
    # From a valid version (before 2027-03-05: the version of 2027-03-01) eli moved 4 -> 2.
    earlier = run_cxplan(root, "review", "plans/acme.yaml", "--since", "2027-03-05",
                         "--as-of", str(AS_OF))
    assert "- `eli` Eli Park: influence 4 → 2" in earlier.stdout
