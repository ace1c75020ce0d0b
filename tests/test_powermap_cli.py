"""`cxplan powermap` as a user runs it, and the graph exports it writes."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest
from test_powermap import REPO, example, load, plan_data, write_plan_file
from test_powermap_svg import HOSTILE_NAMES, hostile_people

from cxplan.analyse.powermap import build_graph
from cxplan.cli import cli
from cxplan.render.graph_formats import (
    dot_string,
    mermaid_text,
    to_dot,
    to_graphml,
    to_mermaid,
    to_node_link_json,
)

NORTHWIND = REPO / "plans" / "northwind-logistics.yaml"
HOSPITAL = REPO / "plans" / "hospital-santa-lucia.yaml"
SVG = "{http://www.w3.org/2000/svg}"


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    """The installed command in a fresh process: exit codes exactly as a shell sees them."""
    return subprocess.run(
        [sys.executable, "-m", "cxplan", "powermap", *args], capture_output=True, timeout=120
    )


@dataclass
class Result:
    returncode: int
    stdout: bytes
    stderr: bytes


@pytest.fixture
def invoke(capsysbinary: pytest.CaptureFixture[bytes]) -> Callable[..., Result]:
    """The same command in this process (no interpreter start-up): for what it prints."""

    def call(*args: str) -> Result:
        code = cli.main(["powermap", *args], standalone_mode=False)
        out, err = capsysbinary.readouterr()
        return Result(code, out, err)

    return call


def read_graphml(text: str | bytes) -> nx.MultiDiGraph:
    data = text.encode() if isinstance(text, str) else text
    return nx.read_graphml(io.BytesIO(data), edge_key_type=str, force_multigraph=True)


def same_graph(loaded: nx.MultiDiGraph, original: nx.MultiDiGraph) -> None:
    assert sorted(loaded.nodes) == sorted(original.nodes)
    assert sorted(loaded.edges(keys=True)) == sorted(original.edges(keys=True))
    for source, target, key in original.edges(keys=True):
        assert loaded.edges[source, target, key]["kind"] == key


# --- the command ----------------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["map", "grid", "graphml", "json", "dot", "mermaid"])
def test_every_format_prints_to_stdout(output_format: str, invoke: Callable[..., Result]) -> None:
    result = invoke(str(NORTHWIND), "--format", output_format, "--as-of", "2026-11-20")
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    text = result.stdout.decode("utf-8")
    graph = build_graph(example("northwind-logistics.yaml"))
    if output_format in ("map", "grid"):
        root = ET.fromstring(text)
        assert root.tag == SVG + "svg"
        assert "Diane Whitfield" in text
    elif output_format == "graphml":
        same_graph(read_graphml(result.stdout), graph)
    elif output_format == "json":
        same_graph(nx.node_link_graph(json.loads(text), edges="edges"), graph)
    elif output_format == "dot":
        assert text.startswith("digraph power_map {") and text.rstrip().endswith("}")
        assert '"s.hughes" -> "a.brennan"' in text
    else:
        assert "flowchart BT" in text
        assert '["★ Diane Whitfield<br/>Chief Operating Officer' in text


def test_default_format_is_the_map() -> None:
    result = run(str(NORTHWIND), "--as-of", "2026-11-20")
    assert result.returncode == 0
    assert b"Power map: Northwind Logistics" in result.stdout


def test_output_file_is_written_whole_and_nothing_else(
    tmp_path: Path, invoke: Callable[..., Result]
) -> None:
    target = tmp_path / "map.svg"
    result = invoke(str(HOSPITAL), "--format", "map", "-o", str(target), "--as-of", "2026-11-20")
    assert result.returncode == 0, result.stderr
    assert result.stdout == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.svg"]  # no temporary left
    ET.fromstring(target.read_bytes())
    assert "Mapa de poder: Hospital Santa Lucía" in target.read_text(encoding="utf-8")
    # Replacing an existing file keeps its permissions.
    target.chmod(0o640)
    assert invoke(str(HOSPITAL), "--format", "grid", "-o", str(target)).returncode == 0
    assert target.stat().st_mode & 0o777 == 0o640
    assert b"Influencia y apoyo" in target.read_bytes()


def test_unwritable_output_is_a_clear_error(
    tmp_path: Path, invoke: Callable[..., Result]
) -> None:
    result = invoke(str(NORTHWIND), "-o", str(tmp_path / "missing" / "map.svg"))
    assert result.returncode == 1
    assert b"cannot write" in result.stderr
    assert b"Traceback" not in result.stderr


def test_language_option_wins_over_the_plan(invoke: Callable[..., Result]) -> None:
    result = invoke(str(NORTHWIND), "--format", "grid", "--language", "es")
    assert result.returncode == 0
    assert b"Influencia y apoyo: Northwind Logistics" in result.stdout
    assert b"Aliados clave" in result.stdout
    bad = run(str(NORTHWIND), "--language", "fr")
    assert bad.returncode == 2


def test_as_of_decides_what_is_stale(invoke: Callable[..., Result]) -> None:
    late = invoke(str(NORTHWIND), "--as-of", "2026-11-20").stdout.decode()
    early = invoke(str(NORTHWIND), "--as-of", "2026-09-01").stdout.decode()
    assert "113 days without contact" in late
    assert "without contact" not in early


def test_stale_days_come_from_the_workspace_settings(
    tmp_path: Path, invoke: Callable[..., Result]
) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: t\nplugins:\n  - cxplan:\n      stale_days: 10\n", encoding="utf-8"
    )
    result = invoke(str(NORTHWIND), "--as-of", "2026-11-20", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert "14 days without contact" in result.stdout.decode()  # Marc Dubois, 2026-11-06


def test_an_invalid_plan_prints_its_diagnostics_and_exits_1(tmp_path: Path) -> None:
    data = plan_data([{"id": "x", "name": "X", "influence": 9, "support": "fan"}])
    path = write_plan_file(tmp_path, data, "broken.yaml")
    result = run(str(path), "--format", "map")
    assert result.returncode == 1
    assert result.stdout == b""
    err = result.stderr.decode()
    assert re.search(r"broken\.yaml:\d+:\d+: error\[CX206\]", err), err
    assert re.search(r"broken\.yaml:\d+:\d+: error\[CX203\]", err), err
    assert "Traceback" not in err


def test_a_missing_file_exits_1_and_a_bad_format_2(tmp_path: Path) -> None:
    missing = run(str(tmp_path / "nope.yaml"))
    assert missing.returncode == 1
    assert b"nope.yaml:1:1: error[CX100]" in missing.stderr
    assert run(str(NORTHWIND), "--format", "png").returncode == 2


def test_hostile_names_through_the_command(
    tmp_path: Path, invoke: Callable[..., Result]
) -> None:
    path = write_plan_file(tmp_path, plan_data(hostile_people()), "hostile.yaml")
    for output_format in ("map", "grid"):
        result = invoke(str(path), "--format", output_format, "--as-of", "2026-11-20")
        assert result.returncode == 0
        root = ET.fromstring(result.stdout)
        assert not any(el.tag.endswith("script") for el in root.iter())
        shown = ["".join(t.itertext()) for t in root.iter(SVG + "text")]
        assert HOSTILE_NAMES["boss"] in shown


# --- the exports --------------------------------------------------------------------


def test_graphml_and_json_round_trip_both_examples() -> None:
    for name in ("northwind-logistics.yaml", "hospital-santa-lucia.yaml"):
        graph = build_graph(example(name))
        graphml = read_graphml(to_graphml(graph))
        same_graph(graphml, graph)
        assert graphml.nodes["person:mara.okafor" if "north" in name else "person:elena.ruiz"][
            "kind"
        ] == "person"
        data = json.loads(to_node_link_json(graph))
        assert data["directed"] and data["multigraph"]
        linked = nx.node_link_graph(data, edges="edges")
        same_graph(linked, graph)


def test_graphml_keeps_attributes_as_text_and_numbers() -> None:
    graph = build_graph(example("northwind-logistics.yaml"))
    loaded = read_graphml(to_graphml(graph))
    diane = loaded.nodes["d.whitfield"]
    assert diane["influence"] == 5
    assert diane["decides"] == "budget; contract renewal; supplier change"
    assert diane["last_contact"] == "2026-11-10"
    assert "reports_to" not in diane  # empty values are left out
    ids = [key.get("id") for key in ET.fromstring(to_graphml(graph)).iter(
        "{http://graphml.graphdrawing.org/xmlns}key")]
    assert len(ids) == len(set(ids))  # GraphML key ids are unique


def test_round_trip_with_hostile_names(tmp_path: Path) -> None:
    graph = build_graph(load(tmp_path, plan_data(hostile_people())))
    graphml = read_graphml(to_graphml(graph))
    same_graph(graphml, graph)
    assert graphml.nodes["boss"]["name"] == HOSTILE_NAMES["boss"]
    linked = nx.node_link_graph(json.loads(to_node_link_json(graph)), edges="edges")
    assert linked.nodes["slash"]["name"] == HOSTILE_NAMES["slash"]


def decode_dot_string(token: str) -> str:
    assert token.startswith('"') and token.endswith('"')
    out, chars = [], iter(token[1:-1])
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following == "n" else following)
        else:
            assert char != '"', token  # an unescaped quote would end the string
            out.append(char)
    return "".join(out)


DOT_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def test_dot_escapes_every_name(tmp_path: Path) -> None:
    graph = build_graph(load(tmp_path, plan_data(hostile_people())))
    dot = to_dot(graph, "en", title='Power map: <"Acme"> \\ co')
    outside = DOT_STRING.sub("S", dot)
    # Outside strings there is only DOT syntax: no piece of any name leaks out.
    assert re.fullmatch(r"[A-Za-z0-9_\s\[\]{}=,;.\->]*", outside), outside
    labels = {}
    for line in dot.splitlines():
        match = re.match(r'\s*("(?:[^"\\]|\\.)*") \[shape=box.*label=("(?:[^"\\]|\\.)*")\];$',
                         line)
        if match:
            labels[decode_dot_string(match.group(1))] = decode_dot_string(match.group(2))
    assert set(labels) == {"boss", "quote", "slash", "long", "amp"}
    for sid, name in HOSTILE_NAMES.items():
        first = labels[sid].split("\n")[0]
        assert first.removeprefix("★ ") == name
    assert labels["boss"].split("\n")[1] == 'Chief <i>"Officer"</i>'
    assert dot_string('a"b\\c\nd') == '"a\\"b\\\\c d"'


def decode_mermaid(text: str) -> str:
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text)


def test_mermaid_escapes_every_name(tmp_path: Path) -> None:
    graph = build_graph(load(tmp_path, plan_data(hostile_people())))
    mermaid = to_mermaid(graph, "es", title='<"Acme"> & co')
    assert mermaid.startswith("%% #60;#34;Acme#34;#62; #38; co\n")
    names = []
    for line in mermaid.splitlines():
        match = re.fullmatch(r'\s+s\d+\["(.*)"\]', line)
        if match:
            content = match.group(1)
            assert '"' not in content
            assert "<" not in content.replace("<br/>", "")
            assert ">" not in content.replace("<br/>", "")
            names.append(decode_mermaid(content.split("<br/>")[0]).removeprefix("★ "))
    assert sorted(names) == sorted(HOSTILE_NAMES.values())
    assert "reporta a" in mermaid and "influye en" in mermaid
    assert mermaid_text("#1 <b>") == "#35;1 #60;b#62;"


def test_an_empty_power_map_exports_cleanly(tmp_path: Path) -> None:
    graph = build_graph(load(tmp_path, plan_data([])))
    same_graph(read_graphml(to_graphml(graph)), graph)
    assert "flowchart BT" in to_mermaid(graph, "en")
    assert to_dot(graph, "en").startswith("digraph")
