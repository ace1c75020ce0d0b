"""Portuguese, the language added as its catalogue file alone: the Portuguese example plan
validates and builds with Material's Portuguese chrome and cxplan's Portuguese labels,
and `cxplan init --language pt` makes a workspace that validates and builds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from site_helpers import EXAMPLES, content, make_workspace, mkdocs_site

from cxplan import i18n

PLAN = "plans/conservas-atlantida"
MKDOCS_PT = """\
site_name: Planos de CX
theme:
  name: material
  font: false
  language: pt
plugins:
  - search
  - cxplan
validation:
  links:
    anchors: warn
"""


def cxplan(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cxplan", *args], cwd=cwd, capture_output=True, text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    text = (EXAMPLES / "conservas-atlantida.yaml").read_text(encoding="utf-8")
    workspace = make_workspace(
        tmp_path_factory.mktemp("pt"), {"conservas-atlantida.yaml": text}, MKDOCS_PT
    )
    return mkdocs_site(workspace, workspace / "site")


def test_portuguese_is_a_language_of_the_catalogue() -> None:
    assert "pt" in i18n.languages()
    assert i18n.text("pt", "language.name") == "Português"


def test_material_chrome_and_cxplan_labels_are_portuguese(site: Path) -> None:
    html = (site / PLAN / "index.html").read_text(encoding="utf-8")
    assert '<html lang="pt"' in html
    assert 'placeholder="Buscar"' in html and 'aria-label="Navegação"' in html  # Material's
    overview = content(site, PLAN + "/")
    menu = overview.find_all("p", class_="cx-menu")[0].text()
    assert menu.startswith("Visão geral · Percurso · Matriz de valor · Mapa de poder")
    text = overview.text()
    assert "ações concluídas" in text
    assert "Saúde do plano" in text and "Ação atrasada" in text and "Relação descuidada" in text
    actions = content(site, PLAN + "/actions/")
    assert "Ganhos rápidos" in [h.text() for h in actions.find_all("h2")]


def test_the_power_map_speaks_portuguese(site: Path) -> None:
    page = content(site, PLAN + "/power-map/")
    text = page.text()
    assert "Mapa de poder: Conservas Atlântida" in text
    assert "Bloqueador" in text and "Promotor" in text


def test_rule_findings_read_in_portuguese(site: Path) -> None:
    overview = content(site, PLAN + "/")
    text = overview.text()
    assert "a ação 'a-visita-olhao'" in text and "está atrasada há" in text
    assert "o compromisso 'c-registos-haccp' com 'figueiredo' está quebrado" in text


def test_init_in_portuguese_validates_and_builds(tmp_path: Path) -> None:
    result = cxplan("init", "ws", "--language", "pt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    workspace = tmp_path / "ws"
    mkdocs = yaml.safe_load((workspace / "mkdocs.yml").read_text(encoding="utf-8"))
    assert mkdocs["site_name"] == "Planos de experiência do cliente"
    assert mkdocs["theme"]["language"] == "pt"
    (plan,) = (workspace / "plans").glob("*.yaml")
    assert yaml.safe_load(plan.read_text(encoding="utf-8"))["plan"]["language"] == "pt"
    checked = cxplan("validate", "--strict", cwd=workspace)
    assert checked.stdout == "1 ficheiro verificado: sem problemas.\n", checked.stdout
    new = cxplan("new", "acme", "--owner", "ana.silva", cwd=workspace)
    assert new.returncode == 0, new.stderr
    data = yaml.safe_load((workspace / "plans" / "acme.yaml").read_text(encoding="utf-8"))
    assert data["plan"]["language"] == "pt"  # the workspace's language
    assert data["plan"]["title"] == "Plano de experiência do cliente para Acme"
    built = cxplan("build", cwd=workspace)
    assert built.returncode == 0, built.stdout + built.stderr
    home = (workspace / "site" / "index.html").read_text(encoding="utf-8")
    assert 'lang="pt"' in home


def test_an_unknown_language_is_refused_with_the_choices(tmp_path: Path) -> None:
    result = cxplan("init", "ws", "--language", "fr", cwd=tmp_path)
    assert result.returncode == 2
    assert "'en', 'es', 'pt'" in result.stderr and "Traceback" not in result.stderr
