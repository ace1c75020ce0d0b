"""The plan-health panel: the example plans' overview pages list their rule findings,
in the plan's language (titles, messages and hints), with links that resolve in a real
strict MkDocs build."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from catalogue_tables import LABELS
from test_rules import CLEAN_PLAN, EXAMPLES_AS_OF, EXPECTED_EXAMPLE_FINDINGS

from cxplan.config import WorkspaceConfig
from cxplan.model.build import load_plan
from cxplan.render.text import md_inline
from cxplan.rules import REGISTRY, Finding, plan_findings

REPO = Path(__file__).resolve().parent.parent
PLAN_IDS = {"hospital-santa-lucia.yaml": "hospital-santa-lucia",
            "northwind-logistics.yaml": "northwind-logistics",
            "conservas-atlantida.yaml": "conservas-atlantida"}
LANGUAGE = {"hospital-santa-lucia": "es", "northwind-logistics": "en",
            "conservas-atlantida": "pt"}
ANCHOR = {"CX503": "action-", "CX506": "commitment-", "CX521": "stakeholder-",
          "CX530": "step-"}


def workspace(tmp_path: Path, **options: object) -> Path:
    shutil.copytree(REPO / "plans", tmp_path / "plans")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# CX\n", encoding="utf-8")
    config = {
        "site_name": "CX",
        "strict": True,
        "theme": {"name": "material", "font": False},
        "plugins": [{"cxplan": {"history": False, **options}}],
        "markdown_extensions": ["attr_list", "md_in_html", "tables", "toc"],
        "validation": {"links": {"not_found": "warn", "anchors": "warn"}},
    }
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def render(config: Path, out: Path, *extra: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cxplan", "render", "--config", str(config), "--out", str(out),
         "--as-of", str(EXAMPLES_AS_OF), *extra],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def health_panel(page: str) -> str:
    """The panel's text: from its heading to the next level-2 heading."""
    match = re.search(r"^## .*\{ #plan-health \}\n(.*?)(?=^## )", page, re.M | re.S)
    assert match, "no plan-health panel"
    return match.group(1)


def test_overview_pages_list_the_example_findings(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(workspace(tmp_path), out)
    for file_name, plan_id in PLAN_IDS.items():
        panel = health_panel((out / "plans" / plan_id / "index.md").read_text(encoding="utf-8"))
        expected = [(code, item) for name, code, item in EXPECTED_EXAMPLE_FINDINGS
                    if name == file_name]
        # One row per finding, and no other row.
        rows = [line for line in panel.splitlines() if re.match(r"^\| .*\(CX5\d\d\)", line)]
        assert len(rows) == len(expected), panel
        for code, item in expected:
            row = next(r for r in rows if f"#{ANCHOR[code]}{item})" in r)
            assert f"({code})" in row
            assert LABELS[LANGUAGE[plan_id]][f"rule.{code}"] in row, row


def test_a_rule_switched_off_leaves_the_panel(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(workspace(tmp_path, rules={"CX503": "off", "CX506": "info"}), out)
    panel = health_panel(
        (out / "plans" / "northwind-logistics" / "index.md").read_text(encoding="utf-8")
    )
    assert "CX503" not in panel
    assert "CX521" in panel
    row = next(line for line in panel.splitlines() if "(CX506)" in line)
    assert LABELS["en"]["rules.severity.info"] in row


def test_the_customer_site_has_no_health_panel(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(workspace(tmp_path), out, "--audience", "customer")
    for plan_id in PLAN_IDS.values():
        # Each customer edition is its own site at OUT/<plan-id>/.
        page = (out / plan_id / "index.md").read_text(encoding="utf-8")
        assert "plan-health" not in page
        assert not any(f"({code})" in page for code in REGISTRY)


def test_panel_links_resolve_in_a_strict_build(tmp_path: Path) -> None:
    config = workspace(tmp_path)
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "cxplan", "build", "--config", str(config), "--site-dir",
         str(site), "--as-of", str(EXAMPLES_AS_OF)],
        capture_output=True, text=True, timeout=300,
    )
    # Strict: a panel link to a missing page or anchor would fail the build.
    assert result.returncode == 0, result.stdout + result.stderr
    html = (site / "plans" / "northwind-logistics" / "index.html").read_text(encoding="utf-8")
    panel = html[html.index('id="plan-health"'):]
    for target in ("actions/#action-a-edi-testing", "commitments/#commitment-c-invoice-credits",
                   "power-map/#stakeholder-a.brennan"):
        assert f'href="{target}"' in panel, target
    actions = (site / "plans" / "northwind-logistics" / "actions" / "index.html").read_text(
        encoding="utf-8"
    )
    assert 'id="action-a-edi-testing"' in actions


def example_findings(plan_id: str) -> list[Finding]:
    plan_files = []
    for path in sorted((REPO / "plans").glob("*.yaml")):
        plan_file, problems = load_plan(path)
        assert plan_file is not None, problems
        plan_files.append(plan_file)
    plan_file = next(p for p in plan_files if p.id == plan_id)
    return plan_findings(plan_file, WorkspaceConfig(history=False), EXAMPLES_AS_OF,
                         portfolio=plan_files)


def test_the_spanish_panel_gives_messages_and_hints_in_spanish(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(workspace(tmp_path), out)
    panel = health_panel(
        (out / "plans" / "hospital-santa-lucia" / "index.md").read_text(encoding="utf-8")
    )
    row = next(line for line in panel.splitlines() if "#action-a-validacion-lector)" in line)
    assert md_inline(
        "la acción 'a-validacion-lector' (bloqueada, responsable 'jorge.pena') lleva 12 días "
        "vencida: vencía el 2026-11-13"
    ) in row, row
    assert md_inline(
        "termínala, acuerda una nueva fecha con 'jorge.pena' y cambia 'due', o pon "
        "'status: dropped'"
    ) in row, row
    # No English message or hint is left, for this finding or any other.
    found = example_findings("hospital-santa-lucia")
    assert {f.code for f in found} == {"CX503", "CX506", "CX521"}
    for finding in found:
        assert md_inline(finding.message_in("es")) in panel
        assert md_inline(finding.hint_in("es")) in panel
        assert md_inline(finding.diagnostic.message) not in panel
        assert md_inline(finding.diagnostic.hint) not in panel
    for english in ("overdue", "it was due", "owner", "is stale", "days ago", "is broken",
                    "against an expectation", "finish it", "gets in touch", "recovery"):
        assert english not in panel, english
    # The English plan's panel stays in English: the text validate prints.
    english_panel = health_panel(
        (out / "plans" / "northwind-logistics" / "index.md").read_text(encoding="utf-8")
    )
    for finding in example_findings("northwind-logistics"):
        assert md_inline(finding.diagnostic.message) in english_panel
        assert md_inline(finding.diagnostic.hint) in english_panel


def test_plan_values_in_a_spanish_message_stay_escaped(tmp_path: Path) -> None:
    config = workspace(tmp_path)
    shutil.rmtree(tmp_path / "plans")
    (tmp_path / "plans").mkdir()
    hostile = "WhatsApp <b>turnos</b> | *urgente* [x](http://evil)"
    text = CLEAN_PLAN.replace("  quick_win_days: 30\n", "  quick_win_days: 30\n  language: es\n")
    text = text.replace("In person at the dock", json.dumps(hostile))
    plan = tmp_path / "plans" / "acme.yaml"
    plan.write_text(text, encoding="utf-8")
    plan_file, problems = load_plan(plan)
    assert plan_file is not None, problems
    [finding] = plan_findings(plan_file, WorkspaceConfig(history=False), EXAMPLES_AS_OF)
    assert finding.code == "CX516"
    message = finding.message_in("es")
    assert message.startswith("todos los canales son redes sociales de terceros: ")
    assert f"'{hostile}' y 'LinkedIn'" in message
    out = tmp_path / "out"
    render(config, out)
    panel = health_panel((out / "plans" / "acme" / "index.md").read_text(encoding="utf-8"))
    [row] = [line for line in panel.splitlines() if "(CX516)" in line]
    # Escaped the way every plan value is: no tag, no emphasis, no link, no extra cell.
    assert md_inline(message) in row
    assert "<b>" not in row and "[x](http" not in row
    assert r"\*urgente\*" in row and "&#124;" in row
    assert len(row.split("|")) == 5, row  # severity, finding, line: the pipe made no cell
