"""The published site: a real, strict `mkdocs build` of a workspace holding the three
example plans (English, Spanish, Portuguese), as of 2026-11-23, and the facts every page
must show."""

from __future__ import annotations

from pathlib import Path

import pytest
from site_helpers import AS_OF, EXAMPLES, content, make_workspace, mkdocs_site, page, row_of

from cxplan.model.workspace import load_workspace
from cxplan.render.pages import render_site

NW = "plans/northwind-logistics"
HSL = "plans/hospital-santa-lucia"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workspace = make_workspace(tmp_path_factory.mktemp("workspace"))
    return mkdocs_site(workspace, workspace / "site")


def test_every_page_is_built(site: Path) -> None:
    for plan in (NW, HSL):
        for sub in ("", "journey/", "values/", "power-map/", "commitments/", "actions/",
                    "quick-wins/", "team/", "kpis/", "engagement/"):
            assert (site / plan / sub / "index.html").is_file(), plan + "/" + sub
    for area in ("procurement", "operations", "finance", "it"):
        assert (site / NW / "areas" / area / "index.html").is_file()
    for path in ("index.html", "plans/index.html", "plans/quick-wins/index.html",
                 "people/index.html", "people/mara.okafor/index.html",
                 "people/elena.ruiz/index.html", "assets/cxplan.css"):
        assert (site / path).is_file(), path


def test_overview_headline_figures(site: Path) -> None:
    overview = content(site, NW + "/")
    figures = {
        " ".join(link.text().replace("⚠", "").split())
        for link in overview.find_all("a", class_="cx-figure")
    }
    assert figures == {
        "8 of 19 actions done",
        "6 of 6 quick wins done",
        "2 overdue actions",
        "1 commitments broken or overdue",
        "88% power map covered (7 of 8 stakeholders)",
        "4 of 5 KPIs on track",
    }
    alerts = [a.text() for a in overview.find_all("a", class_="cx-alert")]
    assert any("2" in a and "overdue" in a and a.startswith("⚠") for a in alerts)
    text = overview.text()
    assert "Customer: Northwind Logistics" in text
    assert "Plan owner: Mara Okafor" in text
    assert "2026-09-01 → 2027-06-30" in text
    # The summary's Markdown is rendered (sanitised), not shown as asterisks.
    assert overview.find_all("strong") and "**14 disputed invoices**" not in text
    assert "14 disputed invoices" in text


def test_overview_lists_what_needs_attention_and_plan_health(site: Path) -> None:
    overview = content(site, NW + "/")
    overdue = overview.by_id("overdue-actions-2").text()
    assert overdue == "Overdue actions (2)"
    text = overview.text()
    assert "overdue by 10 days" in text and "overdue by 3 days" in text
    health = overview.by_id("plan-health")
    assert health.text() == "Plan health"
    assert "Stale relationship (CX521)" in text
    # Each finding links to the item it is about.
    assert "actions/#action-a-cfo-reset" in overview.links()
    assert "northwind-logistics.ics" in overview.links()
    assert "northwind-logistics.csv" in overview.links()
    assert (site / NW / "northwind-logistics.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert b"a-cfo-reset" in (site / NW / "northwind-logistics.csv").read_bytes()


def test_actions_grouped_with_overdue_marked_in_text(site: Path) -> None:
    actions = content(site, NW + "/actions/")
    headings = [h.text() for h in actions.find_all("h2") + actions.find_all("h3")]
    assert "Quick wins" in headings and "Medium term" in headings
    assert "Blocked (1)" in headings and "To do (6)" in headings
    row = row_of(actions, "action-a-cfo-reset")
    assert "Mara Okafor" in row and "2026-11-20" in row
    assert "⚠ Overdue" in row and "overdue by 3 days" in row
    assert "Overdue" not in row_of(actions, "action-a-q1-qbr")
    # Notes (Markdown) are shown, sanitised, and linked from the action.
    assert "#notes-a-cfo-reset" in actions.links()
    notes = actions.by_id("notes-a-cfo-reset")
    assert notes.text().startswith("Reset meeting with Aidan Brennan")
    prose = [d.text() for d in actions.find_all("div", class_="cx-prose")]
    assert any(p.startswith("Two slots offered and moved by his office") for p in prose)


def test_commitments_show_expectation_perception_and_state(site: Path) -> None:
    commitments = content(site, NW + "/commitments/")
    row = row_of(commitments, "commitment-c-invoice-credits")
    cells = [c.text() for c in commitments.by_id("commitment-c-invoice-credits")
             .ancestor("tr").find_all("td")]
    assert cells[1] == "Aidan Brennan"  # to whom
    assert cells[2] == "Lena Hoff"  # owner
    assert cells[3] == "2026-09-30"
    assert cells[4:7] == ["4", "2", "−2"]  # expectation, perceived, satisfaction gap
    assert "Broken" in row
    assert "Pending" in row_of(commitments, "commitment-c-savings-proof")
    assert "Kept" in row_of(commitments, "commitment-c-dock-windows")


def test_journey_moments_in_order_with_values_commitments_and_actions(site: Path) -> None:
    journey = content(site, NW + "/journey/")
    ids = [h.attrs.get("id", "") for h in journey.find_all("h3")]
    ids = [i for i in ids if i.startswith("moment-")]
    assert ids == [
        "moment-sourcing-review", "moment-site-trial", "moment-contract", "moment-onboarding",
        "moment-replenishment", "moment-delivery", "moment-invoicing", "moment-qbr",
    ]
    phases = [h.text() for h in journey.find_all("h2")]
    assert phases == ["Purchase moments", "Consumption moments"]
    text = journey.text()
    assert "Procurement: A like-for-like price comparison per SKU" in text
    assert "Credit and re-issue the 14 disputed August invoices within 30 days." in text


def test_value_matrix_is_moments_by_areas(site: Path) -> None:
    values = content(site, NW + "/values/")
    table = values.find_all("table")[0]
    header = [th.text() for th in table.find_all("th")]
    assert header == ["Moment", "Procurement", "Warehouse Operations", "Finance", "IT"]
    rows = table.find_all("tr")[1:]
    assert len(rows) == 8
    first = [td.text() for td in rows[0].find_all("td")]
    assert first[0] == "Annual consumables review Purchase"
    assert first[4] == "—"  # IT values nothing at the review


def test_area_page(site: Path) -> None:
    area = content(site, NW + "/areas/procurement/")
    text = area.text()
    assert "Unit cost reduction on contracted consumables" in text
    assert "Sarah Hughes" in text  # its stakeholder (head)
    assert "Savings against 2025 consumables spend" in text  # its KPI
    assert "Send Sarah Hughes an open-book price benchmark" in text  # an action for it


def test_power_map_page(site: Path) -> None:
    power_map = content(site, NW + "/power-map/")
    svgs = power_map.find_all("svg")
    assert len([s for s in svgs if s.attrs.get("role") == "img"]) == 2
    row = row_of(power_map, "stakeholder-a.brennan")
    assert "Blocker" in row and "Lena Hoff" in row and "stale: 116 days" in row
    assert "no owner" in row_of(power_map, "stakeholder-t.nguyen")
    # Node links in the inline picture point at the table's anchors.
    node_links = {a.attrs.get("href") or a.attrs.get("xlink:href") for a in power_map.find_all("a")}
    assert "#stakeholder-d.whitfield" in node_links
    text = power_map.text()
    assert "Economic buyer: Diane Whitfield" in text
    assert "No contact for 116 days" in text


def test_team_kpis_engagement_and_quick_wins(site: Path) -> None:
    team = content(site, NW + "/team/")
    assert [h.text() for h in team.find_all("h2")] == ["Core team", "Collaborators", "Ambassadors"]
    core = team.find_all("table")[0].text()
    assert "Mara Okafor" in core and "Dev Patel" in core and "Lena Hoff" in core
    assert "0 of 3 done ⚠ 1 overdue" in core

    kpis = content(site, NW + "/kpis/")
    heading = kpis.by_id("kpi-k-window-hit")
    assert heading.text().startswith("Deliveries inside the booked dock window")
    assert "Baseline: 78% · Target: 97% · Latest: 96% (2026-11-20)" in kpis.text()
    assert len(kpis.find_all("svg")) >= 5
    assert "Off track" in kpis.text()

    engagement = content(site, NW + "/engagement/")
    cells = engagement.find_all("div", class_="cx-c")
    assert [c.find_all("strong")[0].text() for c in cells] == [
        "Culture", "Community", "Credibility", "Channel", "Content", "Cadence",
        "Context", "Catalysts", "Currencies",
    ]

    quick = content(site, NW + "/quick-wins/")
    assert "6 of 6 quick wins done" in quick.text()
    assert len(quick.find_all("svg")) >= 2  # progress bar and burn-up


def test_portfolio_and_board(site: Path) -> None:
    portfolio = content(site, "plans/")
    rows = portfolio.find_all("table")[0].find_all("tr")[1:]
    texts = [r.text() for r in rows]
    assert texts[0].startswith("Conservas Atlântida")  # the Portuguese example, by title
    assert texts[1].startswith("Hospital Santa Lucía")
    assert "7 of 18" in texts[1] and "8 of 19" in texts[2]
    assert "⚠ 2" in texts[2]
    board = content(site, "plans/quick-wins/")
    columns = [c.find_all("strong")[0].text() for c in board.find_all("div", class_="cx-column")]
    assert columns == ["✓ Done (17)", "– Dropped (3)"]
    assert "Northwind Logistics" in board.text() and "Hospital Santa Lucía" in board.text()


def test_person_page_across_plans(site: Path) -> None:
    person = content(site, "people/mara.okafor/")
    text = person.text()
    assert "Reset meeting with Aidan Brennan" in text and "overdue by 3 days" in text
    assert "Show documented savings of at least 6%" in text  # a commitment she owns
    assert "Relationships (3)" in text
    assert "../mara.okafor.ics" in person.links()
    assert (site / "people" / "mara.okafor.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    people = content(site, "people/")
    assert len(people.find_all("table")[0].find_all("tr")) == 1 + 17 + 8  # + Portuguese example


def test_spanish_plan_has_spanish_labels(site: Path) -> None:
    overview = content(site, HSL + "/")
    menu = overview.find_all("p", class_="cx-menu")[0].text()
    assert menu.startswith("Resumen · Recorrido · Matriz de valor · Mapa de poder")
    assert "acciones hechas" in overview.text()
    actions = content(site, HSL + "/actions/")
    assert "Victorias rápidas" in [h.text() for h in actions.find_all("h2")]


def test_portuguese_plan_has_portuguese_labels(site: Path) -> None:
    overview = content(site, "plans/conservas-atlantida/")
    menu = overview.find_all("p", class_="cx-menu")[0].text()
    assert menu.startswith("Visão geral · Percurso · Matriz de valor · Mapa de poder")
    assert "ações concluídas" in overview.text()
    actions = content(site, "plans/conservas-atlantida/actions/")
    assert "Ganhos rápidos" in [h.text() for h in actions.find_all("h2")]


def test_navigation_holds_plans_not_their_sub_pages(site: Path) -> None:
    """Item pages stay out of the navigation so its size does not grow with them."""
    home = page(site, "plans/")
    nav = home.find_all("nav", class_="md-nav--primary")[0]
    links = nav.links()
    assert any(link.endswith("northwind-logistics/") for link in links)
    assert not any("actions" in link or "journey" in link for link in links)
    # ...yet every sub-page is in the search index.
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "plans/northwind-logistics/actions/" in index


def test_customer_audience_leaves_out_team_pages() -> None:
    workspace = load_workspace([EXAMPLES])
    files = render_site(workspace.plans, language_default="en", as_of=AS_OF, audience="customer")
    assert f"{NW}/power-map.md" not in files and f"{NW}/engagement.md" not in files
    overview = str(files[f"{NW}/index.md"])
    assert "power map covered" not in overview and "Plan health" not in overview
    assert "Power map" not in overview  # nor in the plan's menu


def test_workspace_templates_override_shipped_ones(tmp_path: Path) -> None:
    templates = tmp_path / "site_templates"
    templates.mkdir()
    (templates / "plan-kpis.md.j2").write_text(
        "---\ntitle: KPIs\n---\n\n# Our own KPI page for {{ site.customer }}\n", encoding="utf-8"
    )
    workspace = load_workspace([EXAMPLES])
    files = render_site(workspace.plans, language_default="en", as_of=AS_OF,
                        templates_dir=templates)
    assert "# Our own KPI page for Northwind Logistics" in str(files[f"{NW}/kpis.md"])
    assert "# Actions: Northwind Logistics" in str(files[f"{NW}/actions.md"])
