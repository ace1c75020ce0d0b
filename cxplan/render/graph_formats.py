"""The power map graph in formats other tools read: GraphML, node-link JSON, DOT, Mermaid.

GraphML and JSON come straight from networkx, so they load back into networkx with the
same nodes and edges (`nx.read_graphml(path, edge_key_type=str,
force_multigraph=True)`: without the flag a graph with no parallel edges reads back as a
plain DiGraph;
`nx.node_link_graph(data, edges="edges")`). DOT (Graphviz) and Mermaid are written as
text a person can paste into another tool; every name is escaped for the target
language, so a quote or a bracket in a name can never end a string early or inject
markup.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import networkx as nx

from cxplan.i18n import label
from cxplan.render.powermap_style import INFLUENCE_COLOUR, LINE, SUPPORT_STYLES
from cxplan.render.svg import one_line
from cxplan.render.xmltext import xml_text


def _scalar(value: Any) -> Any:
    """GraphML holds text, numbers and booleans only, and its text is XML 1.0 (a second
    guard: a character XML cannot hold would make the whole file unreadable)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return xml_text("; ".join(str(item) for item in value))
    if isinstance(value, str):
        return xml_text(value)
    return value


def _flat_copy(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    flat = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **{k: _scalar(v) for k, v in data.items() if v not in (None, [])})
    for source, target, key, data in graph.edges(keys=True, data=True):
        flat.add_edge(source, target, key=key, **{k: _scalar(v) for k, v in data.items()})
    return flat


def to_graphml(graph: nx.MultiDiGraph) -> str:
    """GraphML: lists become `; `-separated text, dates ISO text; empty values are left out."""
    # Keys keep networkx's generated ids (d0, d1...): named ids would give the node and
    # the edge attribute `kind` the same id, which GraphML forbids.
    lines = nx.generate_graphml(_flat_copy(graph), prettyprint=True)
    return "\n".join(lines) + "\n"


def to_node_link_json(graph: nx.MultiDiGraph) -> str:
    """networkx's node-link JSON (`nodes` and `edges`), dates as ISO text."""
    data = nx.node_link_data(graph, edges="edges")

    def default(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        raise TypeError(f"cannot write {type(value).__name__} as JSON")

    return json.dumps(data, indent=2, ensure_ascii=False, default=default) + "\n"


# --- DOT ----------------------------------------------------------------------------


def dot_string(text: str) -> str:
    """A double-quoted DOT string holding `text` literally.

    Backslashes are doubled (DOT reads `\\N`, `\\G`, `\\l`... as escapes) and quotes
    escaped; line breaks become spaces so a name stays on its line.
    """
    text = one_line(text)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _dot_label(*lines: str) -> str:
    # Lines are escaped one by one, then joined with DOT's own line break (`\n`).
    return '"' + "\\n".join(dot_string(line)[1:-1] for line in lines if line) + '"'


def _stakeholder_lines(data: dict[str, Any], language: str) -> list[str]:
    support = data["support"]
    cue = SUPPORT_STYLES[support].cue
    star = "\u2605 " if data.get("decides") or data.get("role") == "economic-buyer" else ""
    return [
        star + data["name"],
        data.get("title") or "",
        f"{cue} {label(language, 'powermap.support.' + support)} · "
        + label(language, "powermap.influence").format(value=data["influence"]),
    ]


def to_dot(graph: nx.MultiDiGraph, language: str, title: str = "") -> str:
    """Graphviz DOT: managers above their reports, influence dashed, owners dotted."""
    out = [
        "digraph power_map {",
        "  graph [rankdir=BT, newrank=true, fontname=\"Helvetica,Arial,sans-serif\""
        + (f", label={dot_string(title)}, labelloc=t" if title else "") + "];",
        "  node [fontname=\"Helvetica,Arial,sans-serif\", fontsize=11];",
        "  edge [fontname=\"Helvetica,Arial,sans-serif\", fontsize=9];",
    ]
    for node, data in graph.nodes(data=True):
        if data["kind"] == "stakeholder":
            style = SUPPORT_STYLES[data["support"]]
            pen = 1 + (data["influence"] - 1) * 0.75
            styles = "rounded,filled" + (",dashed" if style.dash else "")
            out.append(
                f"  {dot_string(node)} [shape=box, style={dot_string(styles)}, "
                f"fillcolor={dot_string(style.fill)}, color={dot_string(style.stroke)}, "
                f"penwidth={pen:.2f}, label={_dot_label(*_stakeholder_lines(data, language))}];"
            )
        else:
            out.append(
                f"  {dot_string(node)} [shape=ellipse, style=dotted, "
                f"label={_dot_label(data['name'], data.get('department') or '')}];"
            )
    edge_styles = {
        "reports_to": f'color="{LINE}", arrowhead=none',
        "influences": f'color="{INFLUENCE_COLOUR}", style=dashed, constraint=false',
        "owns": 'color="#8c959f", style=dotted, arrowhead=odot, constraint=false',
    }
    for source, target, kind in graph.edges(keys=True):
        name = label(language, f"powermap.edge.{kind}")
        out.append(
            f"  {dot_string(source)} -> {dot_string(target)} "
            f"[{edge_styles[kind]}, label={dot_string(name)}];"
        )
    out.append("}")
    return "\n".join(out) + "\n"


# --- Mermaid --------------------------------------------------------------------------

_MERMAID_ENTITIES = {
    "#": "#35;",  # first: every other replacement introduces a '#'
    "&": "#38;",
    '"': "#34;",
    "<": "#60;",
    ">": "#62;",
    "`": "#96;",
    "|": "#124;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
    "%": "#37;",  # `%%` starts a comment
}


def mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: markup characters as `#code;` entities."""
    text = one_line(text)
    out = []
    for char in text:
        out.append(_MERMAID_ENTITIES.get(char, char))
    return "".join(out)


def to_mermaid(graph: nx.MultiDiGraph, language: str, title: str = "") -> str:
    """A Mermaid flowchart; nodes get generated ids (`s1`, `p1`...) so no name is code."""
    ids: dict[str, str] = {}
    counters = {"stakeholder": 0, "person": 0}
    for node, kind in graph.nodes(data="kind"):
        counters[kind] += 1
        ids[node] = ("s" if kind == "stakeholder" else "p") + str(counters[kind])
    out = []
    if title:
        out.append(f"%% {mermaid_text(title)}")
    out.append("flowchart BT")
    for node, data in graph.nodes(data=True):
        if data["kind"] == "stakeholder":
            lines = [mermaid_text(line) for line in _stakeholder_lines(data, language) if line]
            out.append(f'  {ids[node]}["{"<br/>".join(lines)}"]')
            out.append(f"  class {ids[node]} {data['support']}")
        else:
            text = mermaid_text(data["name"])
            if data.get("department"):
                text += "<br/>" + mermaid_text(data["department"])
            out.append(f'  {ids[node]}(["{text}"])')
            out.append(f"  class {ids[node]} team")
    arrows = {"reports_to": "-->", "influences": "-.->", "owns": "-.-"}
    for source, target, kind in graph.edges(keys=True):
        name = mermaid_text(label(language, f"powermap.edge.{kind}"))
        out.append(f'  {ids[source]} {arrows[kind]}|"{name}"| {ids[target]}')
    for level, style in SUPPORT_STYLES.items():
        dash = f",stroke-dasharray:{style.dash}" if style.dash else ""
        out.append(f"  classDef {level} fill:{style.fill},stroke:{style.stroke}{dash}")
    out.append("  classDef team fill:#ffffff,stroke:#8c959f,stroke-dasharray:2 2")
    return "\n".join(out) + "\n"

