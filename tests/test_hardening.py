"""The hardening sweep: characters judged after YAML decoding, second guards in every
strict writer (XML 1.0, RFC 5545, CSV formulas, terminals), reserved output names,
case-only collisions, symlinks out of the workspace, shortened messages, and write
errors of the environment as messages."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from environment import full_disk, read_only
from site_helpers import make_workspace

from cxplan.analyse.powermap import build_graph
from cxplan.cli import cli
from cxplan.load import load_file, parse
from cxplan.model.build import PlanFile, load_plan
from cxplan.model.reserved import OUTPUT_SUFFIXES, PEOPLE_LEVEL, PLAN_LEVEL
from cxplan.model.workspace import load_workspace
from cxplan.render import charts, exports
from cxplan.render.graph_formats import to_graphml, to_mermaid
from cxplan.render.pages import render_site
from cxplan.render.powermap_svg import map_svg
from cxplan.render.terminal import terminal_text

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "plans" / "northwind-logistics.yaml"
AS_OF = dt.date(2026, 11, 23)
HANG_GUARD = 300  # seconds, against a hang only


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), standalone_mode=False)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.return_value, result.output


def example() -> PlanFile:
    plan_file, problems = load_plan(EXAMPLE)
    assert plan_file is not None, problems
    return plan_file


def with_text(text: str) -> PlanFile:
    """The example plan with hostile text in a KPI name, a stakeholder's name and an
    action's title, built in code: what a writer must survive if a check is missed."""
    plan_file = example()
    plan = plan_file.plan
    kpis = [plan.kpis[0].model_copy(update={"name": f"KPI{text}name"}), *plan.kpis[1:]]
    people = [plan.stakeholders[0].model_copy(update={"name": f"Ana{text}Ruiz"}),
              *plan.stakeholders[1:]]
    actions = [a.model_copy(update={"title": f"Call{text}CFO"}) if a.status != "done" else a
               for a in plan.actions]
    plan = plan.model_copy(update={"kpis": kpis, "stakeholders": people, "actions": actions})
    return PlanFile(plan_file.id, plan, plan_file.source)


# --- 3. characters are judged after YAML decoded them -------------------------------


@pytest.mark.parametrize(("escape", "code_point"), [
    (r"\0", "U+0000"), (r"\e", "U+001B"), (r"\x01", "U+0001"), (r"\f", "U+000C"),
    (r"\u202e", "U+202E"), (r"\N", "U+0085"), (r"\L", "U+2028"), (r"\P", "U+2029"),
    (r"\uFDD0", "U+FDD0"), (r"\U0010FFFF", "U+10FFFF"), (r"\x9b", "U+009B"),
])
def test_escaped_control_characters_are_refused_at_the_value(escape: str, code_point: str) -> None:
    _, problems = parse("p.yaml", f'plan:\n  title: "Acme {escape} plan"\n')
    assert [(d.code, d.line, d.column) for d in problems] == [("CX102", 2, 10)]
    assert code_point in problems[0].message and "escape" in problems[0].message


def test_escaped_keys_are_judged_too() -> None:
    _, problems = parse("p.yaml", 'plan:\n  "ti\\etle": x\n')
    assert [d.code for d in problems] == ["CX102"]


def test_harmless_escapes_stay_allowed() -> None:
    source, problems = parse("p.yaml", 'v: "tab\\there, line\\nbreak, caf\\u00e9, \\"q\\""\n')
    assert problems == [] and source.data == {"v": 'tab\there, line\nbreak, café, "q"'}


def test_raw_non_characters_of_every_plane_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("plan:\n  title: a\U0001fffeb\n", encoding="utf-8")
    _, problems = load_file(path)
    assert [(d.code, d.line, d.column) for d in problems] == [("CX102", 2, 11)]
    assert problems[0].message.startswith("a non-character U+1FFFE")


def test_the_form_feed_in_a_kpi_name_no_longer_reaches_build(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    kpi_name = next(line for line in text.splitlines() if line.strip().startswith("name:")
                    and "kpis" not in line)
    assert kpi_name
    root = make_workspace(tmp_path / "ws", plans={
        "northwind-logistics.yaml": text.replace("  - id: k-", '  - name: "x\\fy"\n    id: k-', 1)
    })
    code, output = run("build", "--config", str(root / "mkdocs.yml"), "--as-of", "2026-11-23")
    assert code == 1 and "error[CX102]" in output and "U+000C" in output
    assert "internal error" not in output


# --- 3. second guards in the writers ---------------------------------------------------

HOSTILE = "\x0c\x00\x1b]0;owned\x07\ufffe"


def test_svg_writers_stay_xml_whatever_the_text() -> None:
    plan_file = with_text(HOSTILE)
    plan = plan_file.plan
    for svg in (charts.kpi_svg(plan.kpis[0], "en", period=plan.plan),
                map_svg(plan, "en", as_of=AS_OF)):
        root = ET.fromstring(svg)  # would raise on a character XML 1.0 forbids
        assert root.tag.endswith("svg")
        assert "\x0c" not in svg and "\x1b" not in svg and "\ufffd" in svg


def test_graphml_stays_xml_whatever_the_text() -> None:
    graphml = to_graphml(build_graph(with_text(HOSTILE).plan))
    names = [e.text or "" for e in ET.fromstring(graphml).iter() if e.text and "Ana" in e.text]
    assert names and all("\x0c" not in n and "\x1b" not in n for n in names)


def test_ics_has_no_control_characters_whatever_the_text() -> None:
    data = exports.actions_ics([with_text(HOSTILE)])
    body = data.decode("utf-8")
    assert "Call" in body
    assert not [c for c in body if (ord(c) < 0x20 and c not in "\r\n") or ord(c) == 0x7F]


def test_mermaid_and_terminal_output_escape_control_characters() -> None:
    mermaid = terminal_text(to_mermaid(build_graph(with_text(HOSTILE).plan), "en"))
    assert "\x1b" not in mermaid and "\x07" not in mermaid and "\\u001b#93;0;owned" in mermaid
    # The visible escape is the JSON escape of the same character: data is unchanged.
    document = json.dumps({"t": "a\x85b\u202ec"}, ensure_ascii=False)
    assert json.loads(terminal_text(document)) == {"t": "a\x85b\u202ec"}
    assert terminal_text("tab\tline\n") == "tab\tline\n"


def test_status_prints_no_terminal_control_from_plan_text(tmp_path: Path) -> None:
    # U+200E (a left-to-right mark) is the kind of invisible control a plan may hold
    # (the loader lets it through); the terminal shows it written out.
    text = EXAMPLE.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("  title:"))
    plan = tmp_path / "northwind-logistics.yaml"
    plan.write_text(text.replace(title, title + "\u200e", 1), encoding="utf-8")
    for output_format in ("text", "json", "markdown"):
        code, output = run("status", str(plan), "--as-of", "2026-11-23",
                           "--format", output_format)
        assert code == 0, output
        assert "\u200e" not in output and "\\u200e" in output


@pytest.mark.parametrize("cell", [
    "=1+1", " =1+1", "\n=1+1", "\r\n=HYPERLINK(1)", "\t=1", "  +1", "\u3000-1", "@SUM(A1)",
    "＝1+1", " ＋1", "－1", "＠A1", "﹦1", "﹢1", "﹣1", "﹫A1",
])
def test_csv_guard_covers_whitespace_line_breaks_and_fullwidth_signs(cell: str) -> None:
    assert exports.safe_cell(cell) == "'" + cell


@pytest.mark.parametrize(("cell", "kept"), [
    (3, 3), (-2.5, -2.5), (0, 0), ("2026-11-23", "2026-11-23"), ("Call the CFO", "Call the CFO"),
    ("a=b", "a=b"), (None, ""),
])
def test_csv_guard_leaves_numbers_and_plain_text(cell: object, kept: object) -> None:
    assert exports.safe_cell(cell) == kept  # type: ignore[arg-type]


# --- 1. reserved output names and case-only collisions --------------------------------


def _plan_text(team_id: str = "mara.okafor") -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    return text.replace("mara.okafor", team_id) if team_id != "mara.okafor" else text


@pytest.mark.parametrize("plan_id", ["index", "quick-wins"])
def test_reserved_plan_ids_are_refused(tmp_path: Path, plan_id: str) -> None:
    path = tmp_path / f"{plan_id}.yaml"
    shutil.copy(EXAMPLE, path)
    workspace = load_workspace([tmp_path])
    assert workspace.plans == []
    reserved = [d for d in workspace.diagnostics if d.code == "CX405"]
    assert len(reserved) == 1 and f"'{plan_id}'" in reserved[0].message
    assert reserved[0].path == str(path)


@pytest.mark.parametrize("person_id", ["index", "Index", "x.ics", "mara.md"])
def test_reserved_person_ids_are_refused(tmp_path: Path, person_id: str) -> None:
    (tmp_path / "northwind-logistics.yaml").write_text(_plan_text(person_id), encoding="utf-8")
    workspace = load_workspace([tmp_path])
    reserved = [d for d in workspace.diagnostics if d.code == "CX405"]
    assert len(reserved) == 1 and person_id in reserved[0].message
    line = (tmp_path / "northwind-logistics.yaml").read_text(encoding="utf-8").splitlines()[
        reserved[0].line - 1]
    assert person_id in line


def test_person_ids_differing_only_by_case_across_plans(tmp_path: Path) -> None:
    (tmp_path / "northwind-logistics.yaml").write_text(_plan_text(), encoding="utf-8")
    (tmp_path / "northwind-two.yaml").write_text(_plan_text("Mara.Okafor"), encoding="utf-8")
    workspace = load_workspace([tmp_path])
    found = [d for d in workspace.diagnostics if d.code == "CX304"]
    assert len(found) == 1
    first_line = next(i for i, line in enumerate(_plan_text().splitlines(), 1)
                      if "id: mara.okafor" in line)
    assert found[0].path.endswith("northwind-two.yaml")
    assert f"northwind-logistics.yaml:{first_line}:" in found[0].message


def test_the_reserved_table_covers_what_the_site_writes() -> None:
    plan_file = example()
    site = render_site([plan_file], language_default="en", as_of=AS_OF)
    people = {m.id for m in plan_file.plan.team}
    plan_level = {p.split("/")[1] for p in site if p.startswith("plans/") and p.count("/") == 1}
    people_level = {p.split("/")[1] for p in site if p.startswith("people/")}
    for name in plan_level:
        stem = name.rsplit(".", 1)[0]
        assert stem in PLAN_LEVEL, name  # every file the portfolio level writes
    for name in people_level:
        stem, suffix = name.rsplit(".", 1)
        assert stem in people or stem in PEOPLE_LEVEL, name
        assert "." + suffix in OUTPUT_SUFFIXES, name


# --- 5. symlinks out of the workspace, shortened messages ------------------------------


def test_a_plan_linking_out_of_the_workspace_is_refused(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", plans={})
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n" * 200, encoding="utf-8")
    (root / "plans" / "passwd.yaml").symlink_to(secret)
    code, output = run("validate", "--config", str(root / "mkdocs.yml"))
    assert code == 1 and "symbolic link leading out of the workspace" in output
    assert "root:x" not in output
    # The setting follows it; the message then quotes the file, shortened.
    (root / "mkdocs.yml").write_text(
        (root / "mkdocs.yml").read_text(encoding="utf-8").replace(
            "  - cxplan\n", "  - cxplan:\n      follow_outside_links: true\n"),
        encoding="utf-8")
    code, output = run("validate", "--config", str(root / "mkdocs.yml"))
    assert code == 1 and "error[CX202]" in output and "passwd.yaml:1:1:" in output
    assert "root:x" in output and len(output) < 1000


def test_a_link_inside_the_workspace_is_read(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", plans={})
    (root / "shared").mkdir()
    shutil.copy(EXAMPLE, root / "shared" / "northwind-logistics.yaml")
    (root / "plans" / "northwind-logistics.yaml").symlink_to(
        root / "shared" / "northwind-logistics.yaml")
    code, output = run("validate", "--config", str(root / "mkdocs.yml"), "--as-of", "2026-11-23")
    assert code == 0, output


def test_quoted_text_in_messages_is_shortened_with_the_position(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    owner = next(line for line in text.splitlines() if line.startswith("    owner: "))
    line = text.splitlines().index(owner) + 1
    path = tmp_path / "northwind-logistics.yaml"
    path.write_text(text.replace(owner, "    owner: " + "z" * 5000, 1), encoding="utf-8")
    problems = [d for d in load_workspace([path]).diagnostics if d.line == line]
    assert problems, load_workspace([path]).diagnostics
    assert all(len(d.message) <= 400 and "z" * 59 + "…" in d.message for d in problems)
    assert all("z" * 60 not in d.message for d in problems)
    assert problems[0].column == 12


# --- 4. editing commands and writers on a read-only or full disk ------------------------


def _cxplan(*args: str, preexec: object = None) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "cxplan"
    return subprocess.run([str(script), *args], capture_output=True, text=True,
                          timeout=HANG_GUARD, check=False,
                          preexec_fn=preexec)  # type: ignore[arg-type]


def test_done_in_a_read_only_folder_is_a_message(tmp_path: Path) -> None:
    with read_only(tmp_path / "ro", lambda f: shutil.copy(EXAMPLE, f)) as folder:
        plan = folder / EXAMPLE.name
        before = plan.read_bytes()
        done = _cxplan("done", "a-cfo-reset", str(plan), "--on", "2026-11-30")
        assert done.returncode == 1, done.stderr
        assert "internal error" not in done.stderr and "Traceback" not in done.stderr
        assert str(plan) in done.stderr or str(folder) in done.stderr
        assert plan.read_bytes() == before


def test_export_and_powermap_on_a_full_disk_are_messages(tmp_path: Path) -> None:
    with full_disk(tmp_path / "full", size="16k") as disk:
        filler = disk.folder / "filler"
        if disk.mounted:  # fill the small disk but for a few bytes
            with filler.open("wb", buffering=0) as stream, contextlib.suppress(OSError):
                stream.write(b"x" * 64 * 1024)
        for args in (["export", str(EXAMPLE), "--format", "csv", "-o",
                      str(disk.folder / "out.csv")],
                     ["powermap", str(EXAMPLE), "--format", "map", "-o",
                      str(disk.folder / "map.svg")]):
            done = _cxplan(*args, preexec=disk.limit())
            assert done.returncode == 1, done.stderr
            assert "internal error" not in done.stderr and "Traceback" not in done.stderr
            assert str(disk.folder) in done.stderr
            assert "No space left on device" in done.stderr or "File too large" in done.stderr
        assert sorted(p.name for p in disk.folder.iterdir()) in ([], ["filler"])
