"""The mutual plan: steps the customer owns, validated, shown in both editions, and a
late one reported as the customer's (CX530), never as our overdue action (CX503)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import MINIMAL_PLAN
from site_helpers import content, make_workspace, mkdocs_site, row_of
from test_rules import AS_OF, CLEAN_PLAN, apply, codes, findings
from tracking_plans import run_cxplan

from cxplan.analyse import mutual, tracking
from cxplan.diagnostics import Diagnostic
from cxplan.load import Source, parse
from cxplan.model.audience import customer_view
from cxplan.model.build import PlanFile, build_plan

STEP = (
    "customer_steps:\n"
    "  - id: s-dock-plan\n"
    "    title: Send the dock plan of the Reno site\n"
    "    owner: dora\n"
    "    follow_up: ben\n"
    "    due: 2027-02-20\n"
    "    actions: [a2]\n"
    "    notes: Dora said the plan is with facilities.\n"
)


def built(text: str) -> tuple[PlanFile | None, list[Diagnostic]]:
    source, problems = parse("acme.yaml", text)
    assert not problems, problems
    return build_plan(source, "acme")


def problems_of(text: str) -> list[tuple[int, int, str, str, str]]:
    plan_file, problems = built(text)
    assert plan_file is None
    return [(d.line, d.column, d.code, d.message, d.hint) for d in problems]


def with_step(text: str = CLEAN_PLAN, step: str = STEP) -> str:
    return apply(text, [("kpis:\n", step + "kpis:\n")])


# --- the format ----------------------------------------------------------------------


def test_a_plan_without_the_new_fields_is_valid_and_has_no_steps() -> None:
    plan_file, problems = built(MINIMAL_PLAN)
    assert plan_file is not None and problems == []
    assert plan_file.plan.customer_steps == [] and plan_file.plan.contacts == []
    assert plan_file.plan.plan.renewal is None


def test_a_step_owned_by_a_stakeholder_or_a_contact_is_valid() -> None:
    plan_file, problems = built(with_step())
    assert problems == [] and plan_file is not None
    step = plan_file.plan.customer_steps[0]
    assert (step.owner, step.follow_up, step.status) == ("dora", "ben", "todo")
    contact = STEP.replace("owner: dora", "owner: it-admin") + (
        "contacts:\n  - id: it-admin\n    name: Sam Ortiz\n    title: IT Administrator\n")
    assert built(with_step(step=contact))[1] == []


def test_an_unknown_step_owner_points_at_it_and_lists_who_can_own_it() -> None:
    text = with_step(step=STEP.replace("owner: dora", "owner: dorra"))
    line = text.splitlines().index("    owner: dorra") + 1
    [(at, column, code, message, hint)] = problems_of(text)
    assert (at, column, code) == (line, 12, "CX300")
    assert message == "unknown stakeholder or customer contact 'dorra' in 'owner'"
    assert "did you mean 'dora'" in hint


def test_the_follow_up_must_be_one_of_our_team() -> None:
    text = with_step(step=STEP.replace("follow_up: ben", "follow_up: eli"))
    [(at, column, code, message, _)] = problems_of(text)
    assert (code, column) == ("CX300", 16)
    assert message == "unknown team member 'eli' in 'follow_up'"
    assert at == text.splitlines().index("    follow_up: eli") + 1


def test_a_done_step_needs_done_on_like_an_action() -> None:
    text = with_step(step=STEP.replace("    due: 2027-02-20\n",
                                       "    due: 2027-02-20\n    status: done\n"))
    [(at, _, code, message, hint)] = problems_of(text)
    lines = text.splitlines()
    assert code == "CX400"
    assert at == lines.index("    status: done", lines.index("  - id: s-dock-plan")) + 1
    assert message == "customer step 's-dock-plan' is done but has no 'done_on' date"
    assert "done_on: YYYY-MM-DD" in hint


def test_a_contact_with_the_id_of_a_stakeholder_is_refused() -> None:
    text = with_step() + "contacts:\n  - id: dora\n    name: Dora Lind\n"
    [(at, column, code, message, hint)] = problems_of(text)
    assert (at, column, code) == (len(text.splitlines()) - 1, 9, "CX410")
    assert message == "customer contact 'dora' has the id of a stakeholder of the power map"
    assert "remove the contact" in hint


# --- the facts and the rules -----------------------------------------------------------


def test_a_late_step_is_the_customers_not_our_overdue_action(tmp_path: Path) -> None:
    plan_file, _ = built(with_step())
    assert plan_file is not None
    step = plan_file.plan.customer_steps[0]
    # Worked out by hand: due 2027-02-20, checked 2027-03-01: 9 days late.
    assert mutual.is_late(step, AS_OF) and mutual.days_late(step, AS_OF) == 9
    assert mutual.step_state(step, AS_OF) == "overdue"
    status = tracking.plan_status(plan_file.plan, AS_OF)
    assert status.overdue == []  # our own actions: none overdue
    found = findings(tmp_path, with_step())
    assert codes(found) == ["CX530"]
    [finding] = found
    assert finding.message == (
        "customer step 's-dock-plan' (customer contact 'dora', follow-up 'ben') is 9 days "
        "late on the customer's side: it was due 2027-02-20"
    )
    assert finding.link == "mutual.md#step-s-dock-plan"
    assert "'ben' agrees a new date with 'dora'" in finding.hint
    assert "9 días de retraso por parte del cliente" in finding.message_in("es")
    assert "9 dias atrasado do lado do cliente" in finding.message_in("pt")


@pytest.mark.parametrize(("due", "late"), [("2027-03-01", False), ("2027-02-28", True)])
def test_a_step_due_today_is_not_late_yet(tmp_path: Path, due: str, late: bool) -> None:
    text = with_step(step=STEP.replace("due: 2027-02-20", f"due: {due}"))
    assert codes(findings(tmp_path, text)) == (["CX530"] if late else [])


def test_the_customer_view_names_the_step_owner_by_name_and_title_only() -> None:
    text = apply(with_step(), [("    name: Dora Lind\n",
                                "    name: Dora Lind\n    title: Head of Receiving\n"
                                "    motivations: Wants fewer trucks at the gate.\n"
                                "    email: dora@acme.example\n")])
    plan_file, _ = built(text)
    assert plan_file is not None
    view = customer_view(plan_file.plan)
    assert view.stakeholders == []
    assert [(c.id, c.name, c.title) for c in view.contacts] == [
        ("dora", "Dora Lind", "Head of Receiving")]
    assert view.customer_steps[0].owner == "dora" and view.customer_steps[0].notes is None
    # The view is a valid plan: the step's owner resolves to the contact.
    dumped = Source("view.yaml", "", view.model_dump(mode="json"))
    assert build_plan(dumped, "view")[1] == []
    dumped_text = repr(view.model_dump())
    assert "fewer trucks" not in dumped_text and "dora@acme.example" not in dumped_text


# --- both editions, built by MkDocs ----------------------------------------------------


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = make_workspace(tmp_path_factory.mktemp("mutual"))
    return (
        mkdocs_site(root, root / "site-team"),
        mkdocs_site(root, root / "site-customer", audience="customer"),
    )


NW = "plans/northwind-logistics"


@pytest.mark.parametrize("edition", [0, 1], ids=["team", "customer"])
def test_both_editions_show_what_we_need_and_what_we_do(
    editions: tuple[Path, Path], edition: int
) -> None:
    site = editions[edition]
    page = content(site, f"{NW}/mutual")
    text = page.text()
    heading_need = text.index("What we need from you")
    heading_do = text.index("What we do")
    assert heading_need < heading_do
    row = row_of(page, "step-s-sftp-credentials")
    assert "IT provides the test SFTP credentials" in row
    assert "Kwame Osei" in row and "IT Director" in row
    assert "Priya Nair" in row and "2026-11-06" in row
    # A late step is the customer's on the team site; a `plain` customer edition (the
    # default) shows the due date and no verdict of its own.
    assert ("Late (customer)" in row) is (edition == 0)
    # Ours: the EDI action that waits on the step, our own overdue action.
    assert "Complete the EDI 850/856 test cycle" in text[heading_do:]
    # The team's overview lists the step as waiting on the customer (a customer
    # edition shows "needs attention" lists only with `customer_status: flagged`).
    overview = content(site, f"{NW}").text()
    assert ("Waiting on the customer (1)" in overview) is (edition == 0)


def test_the_customer_edition_holds_nothing_else_of_the_contact(
    editions: tuple[Path, Path],
) -> None:
    team, customer = editions
    files = [p for p in customer.rglob("*") if p.is_file() and p.suffix in (".html", ".json")]
    everything = "\n".join(p.read_text("utf-8", "replace") for p in files)
    assert "Kwame Osei" in everything
    for secret in ("kwame.osei@northwind.example", "Wants fewer vendor portals",
                   "Kwame's team is on a freeze", "still waiting"):
        assert secret not in everything, secret
    # The team edition has the step's notes and the contact log.
    team_text = content(team, f"{NW}/mutual").text()
    assert "Kwame's team is on a freeze" in team_text


def test_the_spanish_plan_speaks_spanish_on_its_mutual_page(
    editions: tuple[Path, Path],
) -> None:
    text = content(editions[1], "plans/hospital-santa-lucia/mutual").text()
    assert "Lo que necesitamos de ustedes" in text and "Lo que hacemos nosotros" in text
    assert "Dr. Pablo Quintana" in text and "Jefe de Servicio de Farmacia" in text


def test_status_json_lists_the_customers_late_steps_and_the_renewal(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    text = apply(with_step(), [("  quick_win_days: 30\n",
                                "  quick_win_days: 30\n  renewal: 2027-06-30\n")])
    (tmp_path / "plans" / "acme.yaml").write_text(text, encoding="utf-8")
    result = run_cxplan(tmp_path, "status", "--as-of", "2027-03-01", "--format", "json")
    document = json.loads(result.stdout)
    [plan] = document["plans"]
    assert plan["overdue"] == []  # the late step is not our overdue action
    assert plan["waiting_on_customer"] == [{
        "id": "s-dock-plan", "title": "Send the dock plan of the Reno site",
        "contact": "dora", "contact_name": "Dora Lind", "follow_up": "ben",
        "follow_up_name": "Ben Cole", "due": "2027-02-20", "days_late": 9, "status": "todo",
    }]
    # 2027-03-01 to 2027-06-30: 30 + 30 + 31 + 30 + 31 - 1 = 121 days.
    assert plan["renewal"] == {"date": "2027-06-30", "days_left": 121, "window": 180,
                               "risks": [{"kind": "champion", "items": []}]}
    assert document["summary"]["waiting_on_customer"] == 1
    # With --owner, the step is the follow-up owner's.
    for owner, count in (("ben", 1), ("ana", 0)):
        mine = run_cxplan(tmp_path, "status", "--as-of", "2027-03-01", "--format", "json",
                          "--owner", owner)
        assert len(json.loads(mine.stdout)["plans"][0]["waiting_on_customer"]) == count


def test_a_flagged_customer_edition_marks_the_late_step(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "flagged")
    plan = root / "plans" / "northwind-logistics.yaml"
    plan.write_text(plan.read_text("utf-8").replace("customer_status: plain",
                                                    "customer_status: flagged"), "utf-8")
    site = mkdocs_site(root, root / "site-customer", audience="customer")
    row = row_of(content(site, f"{NW}/mutual"), "step-s-sftp-credentials")
    assert "Late (customer)" in row and "2026-11-06" in row
