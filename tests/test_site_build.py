"""`cxplan build` and `cxplan render`: validation first, an atomic swap, reproducible
output, and the pages written to disk for other generators."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from site_helpers import MKDOCS_YML, make_workspace

from cxplan.cli import cli

AS_OF = "2026-11-23"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), standalone_mode=False)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.return_value, result.output


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a folder, by relative path, with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def leftovers(folder: Path) -> list[str]:
    """Temporary folders a build left beside the site."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".site."))


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "ws")


def test_build_validates_then_builds(workspace: Path) -> None:
    code, output = run("build", "--config", str(workspace / "mkdocs.yml"), "--as-of", AS_OF)
    assert code == 0, output
    # The three example plans (en, es, pt) and their intended warnings.
    assert "3 files checked: 0 error(s), 13 warning(s)" in output
    assert "warning[CX503]" in output  # the same report as `cxplan validate`
    assert f"Site built in {workspace / 'site'}" in output
    assert (workspace / "site" / "plans" / "northwind-logistics" / "index.html").is_file()
    assert leftovers(workspace) == []


def test_two_builds_are_byte_identical(workspace: Path, tmp_path: Path) -> None:
    config = str(workspace / "mkdocs.yml")
    first, second = tmp_path / "first", tmp_path / "second"
    assert run("build", "--config", config, "--as-of", AS_OF, "--site-dir", str(first))[0] == 0
    assert run("build", "--config", config, "--as-of", AS_OF, "--site-dir", str(second))[0] == 0
    one, two = snapshot(first), snapshot(second)
    assert len(one) > 100
    assert one.keys() == two.keys()
    assert [path for path in one if one[path] != two[path]] == []


def test_as_of_date_sets_the_build_date(workspace: Path, tmp_path: Path) -> None:
    """No clock in the output: the sitemap's gzip header carries the as-of date."""
    config = str(workspace / "mkdocs.yml")
    site = tmp_path / "site"
    assert run("build", "--config", config, "--as-of", AS_OF, "--site-dir", str(site))[0] == 0
    header = (site / "sitemap.xml.gz").read_bytes()[:10]
    mtime = int.from_bytes(header[4:8], "little")
    assert mtime == 1795392000  # 2026-11-23T00:00:00Z


def test_invalid_plan_writes_nothing(workspace: Path) -> None:
    plan = workspace / "plans" / "northwind-logistics.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("horizon: quick-win", "horizon: soon", 1), encoding="utf-8")
    code, output = run("build", "--config", str(workspace / "mkdocs.yml"), "--as-of", AS_OF)
    assert code == 1
    assert "error[CX203]" in output
    assert not (workspace / "site").exists()
    assert leftovers(workspace) == []


def test_failed_build_leaves_the_previous_site_byte_identical(workspace: Path) -> None:
    config = str(workspace / "mkdocs.yml")
    assert run("build", "--config", config, "--as-of", AS_OF)[0] == 0
    before = snapshot(workspace / "site")

    # 1. A plan error: stopped before MkDocs runs.
    plan = workspace / "plans" / "hospital-santa-lucia.yaml"
    good = plan.read_text(encoding="utf-8")
    plan.write_text(good.replace("owner: elena.ruiz", "owner: nobody", 1), encoding="utf-8")
    code, output = run("build", "--config", config, "--as-of", AS_OF)
    assert code == 1 and "error[CX300]" in output
    assert snapshot(workspace / "site") == before
    plan.write_text(good, encoding="utf-8")

    # 2. MkDocs itself fails (a strict-mode warning: a doc links to a missing page),
    # after it has written part of the new site into the temporary folder.
    (workspace / "docs" / "notes.md").write_text("# Notes\n\nSee [this](missing.md).\n",
                                                 encoding="utf-8")
    code, output = run("build", "--config", config, "--as-of", AS_OF)
    assert code == 1
    assert "missing.md" in output and "previous one is unchanged" in output
    assert snapshot(workspace / "site") == before
    assert leftovers(workspace) == []


def test_build_replaces_a_previous_site_completely(workspace: Path) -> None:
    config = str(workspace / "mkdocs.yml")
    site = workspace / "site"
    site.mkdir()
    (site / "stale.html").write_text("old", encoding="utf-8")
    assert run("build", "--config", config, "--as-of", AS_OF)[0] == 0
    assert not (site / "stale.html").exists()
    assert (site / "index.html").is_file()
    assert leftovers(workspace) == []


def test_customer_audience(workspace: Path, tmp_path: Path) -> None:
    site = tmp_path / "customer"
    code, output = run("build", "--config", str(workspace / "mkdocs.yml"), "--as-of", AS_OF,
                       "--audience", "customer", "--site-dir", str(site))
    assert code == 0, output
    # One site per account at SITE_DIR/<plan-id>/; the old address redirects there.
    plan = site / "northwind-logistics"
    assert (plan / "actions" / "index.html").is_file()
    old = (site / "plans" / "northwind-logistics" / "actions" / "index.html").read_text("utf-8")
    assert 'http-equiv="refresh" content="0; url=../../../northwind-logistics/actions/"' in old
    assert not (plan / "power-map").exists() and not (plan / "engagement").exists()
    overview = (plan / "index.html").read_text(encoding="utf-8")
    assert "power-map/" not in overview and "#stakeholder-" not in overview
    assert "Plan health" not in overview


def test_render_writes_the_pages(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "pages"
    code, output = run("render", "--out", str(out), "--config", str(workspace / "mkdocs.yml"),
                       "--as-of", AS_OF)
    assert code == 0, output
    overview = (out / "plans" / "northwind-logistics" / "index.md").read_text(encoding="utf-8")
    assert overview.startswith('---\ntitle: "Northwind Logistics"\n---\n')
    assert "[Actions](actions.md)" in overview
    for path in ("index.md", "plans/index.md", "people/mara.okafor.md", "people/mara.okafor.ics",
                 "plans/northwind-logistics/northwind-logistics.csv", "assets/cxplan.css",
                 "plans/hospital-santa-lucia/areas/farmacia.md"):
        assert (out / path).is_file(), path
    # An existing home page is the user's: render leaves it alone.
    (out / "index.md").write_text("# Our home\n", encoding="utf-8")
    assert run("render", "--out", str(out), "--config", str(workspace / "mkdocs.yml"),
               "--as-of", AS_OF)[0] == 0
    assert (out / "index.md").read_text(encoding="utf-8") == "# Our home\n"


def test_rendered_pages_build_with_plain_mkdocs(workspace: Path, tmp_path: Path) -> None:
    """What `cxplan render` writes is a complete docs folder for a plain MkDocs build."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    docs = tmp_path / "plain" / "docs"
    assert run("render", "--out", str(docs), "--config", str(workspace / "mkdocs.yml"),
               "--as-of", AS_OF)[0] == 0
    yml = MKDOCS_YML.replace("  - cxplan\n", "") + (
        "extra_css: [assets/cxplan.css]\n"
        "markdown_extensions: [attr_list, md_in_html, tables]\n"
    )
    (tmp_path / "plain" / "mkdocs.yml").write_text(yml, encoding="utf-8")
    config = load_config(config_file=str(tmp_path / "plain" / "mkdocs.yml"), strict=True)
    build(config)
    assert (tmp_path / "plain" / "site" / "plans" / "northwind-logistics" / "actions"
            / "index.html").is_file()


def test_no_mkdocs_yml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = run("build")
    assert code == 1 and "mkdocs.yml not found" in output
