"""The two power-map pictures: safe, accessible, complete, deterministic, and laid out
without overlaps."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from test_powermap import REPO, example, load, person, plan_data

from cxplan.analyse.powermap import is_decision_maker
from cxplan.model.plan import Plan
from cxplan.render.powermap_layout import grid_layout, map_layout
from cxplan.render.powermap_svg import grid_svg, map_svg
from cxplan.render.svg import Box, esc, one_line, wrap_name

SVG = "{http://www.w3.org/2000/svg}"
AS_OF = dt.date(2026, 11, 20)
EXAMPLES = [("northwind-logistics.yaml", "en"), ("hospital-santa-lucia.yaml", "es")]

HOSTILE_NAMES = {
    "boss": '<script>alert("x")</script> & Co\'s "Boss"',
    "quote": "O'Brien <b>bold</b> & sons",
    "slash": "Back\\slash \\N {curly} [square] |pipe| `tick` #hash",
    "long": "Maximiliana Wolfeschlegelsteinhausenbergerdorff-Von-Altenburg",
    "amp": "&amp; &lt;not an entity&gt;",
}


def hostile_people() -> list[dict[str, Any]]:
    return [
        person("boss", 5, "neutral", name=HOSTILE_NAMES["boss"], decides=['budget <"&">'],
               role="economic-buyer", owner="alice", title='Chief <i>"Officer"</i>'),
        person("quote", 4, "blocker", name=HOSTILE_NAMES["quote"], reports_to="boss",
               influences=["boss", "slash"]),
        person("slash", 3, "champion", name=HOSTILE_NAMES["slash"], reports_to="boss"),
        person("long", 2, "skeptic", name=HOSTILE_NAMES["long"], influences=["quote"]),
        person("amp", 1, "supporter", name=HOSTILE_NAMES["amp"], last_contact="2020-01-01"),
    ]


@pytest.fixture
def hostile(tmp_path: Path) -> Plan:
    data = plan_data(hostile_people(), title="<Plan> & \"co\"")
    data["plan"]["customer"] = '<img src=x onerror=alert(1)> "Acme" & Sons'
    return load(tmp_path, data)


def pictures(plan: Plan, language: str = "en") -> dict[str, str]:
    return {
        "map": map_svg(plan, language, as_of=AS_OF),
        "grid": grid_svg(plan, language),
    }


def all_plans(tmp_path: Path) -> list[tuple[str, Plan, str]]:
    plans = [(name, example(name), language) for name, language in EXAMPLES]
    data = plan_data(hostile_people())
    plans.append(("hostile", load(tmp_path, data), "en"))
    return plans


def texts(root: ET.Element) -> list[str]:
    """The full text of every <text> element (tspans joined)."""
    return ["".join(el.itertext()) for el in root.iter(SVG + "text")]


def assert_safe_svg(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # parses as XML
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    assert root.get("width") and root.get("height")
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert root.find(SVG + "title") is not None and root.find(SVG + "desc") is not None
    for element in root.iter():
        local = element.tag.split("}")[-1].lower()
        assert local not in {"script", "foreignobject", "style", "image", "iframe", "use"}
        for name, value in element.attrib.items():
            local_name = name.split("}")[-1].lower()
            assert not local_name.startswith("on"), (element.tag, name)
            assert "://" not in value, (element.tag, name, value)
            assert not value.strip().lower().startswith(("javascript:", "data:")), value
            if local_name == "href":
                assert value.startswith("#"), value
            if "url(" in value:
                assert re.fullmatch(r"url\(#[\w-]+\)", value), value
    # The only URLs are the two namespace names.
    assert re.findall(r"https?://[^\"']+", svg) == [
        "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"
    ]
    assert "<script" not in svg.lower()
    assert "@import" not in svg and "font-face" not in svg
    return root


# --- safety, completeness, accessibility ------------------------------------------------


def test_pictures_are_safe_and_name_everybody(tmp_path: Path) -> None:
    for name, plan, language in all_plans(tmp_path):
        for kind, svg in pictures(plan, language).items():
            root = assert_safe_svg(svg)
            shown = texts(root)
            for s in plan.stakeholders:
                assert one_line(s.name) in shown, (name, kind, s.name)


def test_hostile_text_is_escaped_not_interpreted(hostile: Plan) -> None:
    for svg in pictures(hostile).values():
        root = assert_safe_svg(svg)
        # The names come back exactly as written, as text, never as elements.
        assert HOSTILE_NAMES["boss"] in texts(root)
        assert HOSTILE_NAMES["amp"] in texts(root)
        assert "&amp;amp;" in svg  # an '&amp;' typed in a name is shown as typed
        assert not any(el.tag.endswith(("}b", "}i", "}img")) for el in root.iter())
        title = root.find(SVG + "title")
        assert title is not None and "<img src=x onerror=alert(1)>" in (title.text or "")


def test_esc_covers_markup_and_quotes() -> None:
    assert esc("<a href='x'>\"&\"</a>") == (
        "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;"
    )
    assert esc("bell\x07 and \ufffe") == "bell\ufffd and \ufffd"  # not valid in XML 1.0


def test_title_and_desc_speak_the_plan_language() -> None:
    plan = example("hospital-santa-lucia.yaml")
    root = ET.fromstring(map_svg(plan, "es", as_of=AS_OF))
    assert root.findtext(SVG + "title") == "Mapa de poder: Hospital Santa Lucía"
    desc = root.findtext(SVG + "desc") or ""
    assert desc.startswith("9 interlocutores.")
    assert "Dr. Pablo Quintana (Jefe de Servicio de Farmacia): bloqueador" in desc
    grid = ET.fromstring(grid_svg(plan, "es"))
    assert grid.findtext(SVG + "title") == "Influencia y apoyo: Hospital Santa Lucía"
    assert "Aliados clave: Rosario Benítez." in (grid.findtext(SVG + "desc") or "")
    english = ET.fromstring(grid_svg(plan, "en"))
    assert english.findtext(SVG + "title") == "Influence and support: Hospital Santa Lucía"


def test_the_two_pictures_can_share_a_page() -> None:
    plan = example("northwind-logistics.yaml")
    ids = []
    for svg in pictures(plan).values():
        ids += [el.get("id") for el in ET.fromstring(svg).iter() if el.get("id")]
    assert len(ids) == len(set(ids))


# --- what the map shows -------------------------------------------------------------


def node_groups(svg: str) -> dict[str, ET.Element]:
    """Each stakeholder's <a> element, by the id in its link."""
    root = ET.fromstring(svg)
    return {
        (a.get("href") or "").removeprefix("#stakeholder-"): a for a in root.iter(SVG + "a")
    }


def test_each_node_links_to_the_stakeholder() -> None:
    plan = example("northwind-logistics.yaml")
    svg = map_svg(plan, "en", as_of=AS_OF, link=lambda sid: f"#p?a=1&who={sid}")
    root = ET.fromstring(svg)
    hrefs = sorted(a.get("href") or "" for a in root.iter(SVG + "a"))
    assert hrefs == sorted(f"#p?a=1&who={s.id}" for s in plan.stakeholders)
    assert "&amp;who=" in svg
    for a in root.iter(SVG + "a"):
        assert a.get("{http://www.w3.org/1999/xlink}href") == a.get("href")
    assert len(list(ET.fromstring(grid_svg(plan, "en")).iter(SVG + "a"))) == 8


def test_map_marks_support_owner_decisions_and_staleness() -> None:
    plan = example("northwind-logistics.yaml")
    nodes = node_groups(map_svg(plan, "en", as_of=AS_OF))
    for s in plan.stakeholders:
        shown = texts(nodes[s.id])
        assert ("\u2605" in shown) == is_decision_maker(s), s.id
        tooltip = nodes[s.id].findtext(SVG + "title") or ""
        assert tooltip.startswith(s.name)
    assert "++ champion" in texts(nodes["r.castillo"])
    assert "\u2212\u2212 blocker" in texts(nodes["a.brennan"])
    assert "\u2212 skeptic" in texts(nodes["s.hughes"])
    assert "MO" in texts(nodes["d.whitfield"])  # Mara Okafor
    assert "\u2014" in texts(nodes["t.nguyen"])  # nobody owns Tam Nguyen
    assert "\u25d4 113 days without contact" in texts(nodes["a.brennan"])
    assert not any("without contact" in t for t in texts(nodes["d.whitfield"]))
    assert "decides: budget, contract renewal, supplier change" in (
        nodes["d.whitfield"].findtext(SVG + "title") or ""
    )
    # Weight shows influence: Diane (5) has a heavier border than Marc (2).
    def stroke(sid: str) -> float:
        shape = next(el for el in nodes[sid].iter() if el.tag in (SVG + "rect", SVG + "polygon"))
        return float(shape.get("stroke-width") or 0)

    assert stroke("d.whitfield") > stroke("r.castillo") > stroke("m.dubois")


def test_map_draws_influence_and_reporting_lines_differently() -> None:
    plan = example("northwind-logistics.yaml")
    root = ET.fromstring(map_svg(plan, "en", as_of=AS_OF))
    paths = [p for p in root.iter(SVG + "path") if p.get("marker-end")]
    influences = sum(len(set(s.influences)) for s in plan.stakeholders)
    assert len(paths) == influences  # one arrow per influence, each with an arrowhead
    assert all(p.get("stroke-dasharray") for p in paths)
    reporting = [
        p for p in root.iter(SVG + "path")
        if not p.get("marker-end") and (p.get("d") or "").count("V") == 2
    ]
    assert len(reporting) == sum(1 for s in plan.stakeholders if s.reports_to)
    assert all(p.get("stroke-dasharray") is None for p in reporting)
    marker = root.find(f".//{SVG}marker")
    assert marker is not None and paths[0].get("marker-end") == f"url(#{marker.get('id')})"


def test_map_stale_marks_follow_as_of_and_the_limit() -> None:
    plan = example("northwind-logistics.yaml")
    early = node_groups(map_svg(plan, "en", as_of=dt.date(2026, 9, 1)))
    assert not any("without contact" in t for t in texts(early["a.brennan"]))
    strict = node_groups(map_svg(plan, "en", as_of=AS_OF, stale_days=10))
    assert "\u25d4 14 days without contact" in texts(strict["m.dubois"])  # 2026-11-06
    assert not any("without contact" in t for t in texts(strict["k.osei"]))  # 8 days


# --- map layout ---------------------------------------------------------------------


def assert_no_overlap(boxes: dict[str, Box]) -> None:
    for (a, box_a), (b, box_b) in itertools.combinations(sorted(boxes.items()), 2):
        assert not box_a.intersects(box_b), (a, b)


def test_map_layout_follows_reporting_lines_without_overlaps(tmp_path: Path) -> None:
    for name, plan, _ in all_plans(tmp_path):
        layout = map_layout(plan)
        assert_no_overlap(layout.nodes)
        for s in plan.stakeholders:
            box = layout.nodes[s.id]
            assert box.right <= layout.width and box.x >= 0, name
            if s.reports_to:
                manager = layout.nodes[s.reports_to]
                assert layout.depth[s.id] == layout.depth[s.reports_to] + 1
                assert box.y > manager.bottom  # one layer further down
        tops = {layout.nodes[sid].y for sid, d in layout.depth.items() if d == 0}
        assert len(tops) <= 1  # people who report to nobody share the top layer


def test_example_maps_have_no_crossing_reporting_lines() -> None:
    # The Northwind tree and the hospital tree are drawn with subtrees kept together.
    for name, _ in EXAMPLES:
        plan = example(name)
        layout = map_layout(plan)
        reports = [(s.id, s.reports_to) for s in plan.stakeholders if s.reports_to]
        for (a, b), (c, d) in itertools.combinations(reports, 2):
            if len({a, b, c, d}) < 4:
                continue
            # Two reporting spans at the same depth never interleave.
            if layout.depth[a] == layout.depth[c]:
                span1 = sorted((layout.nodes[a].cx, layout.nodes[b].cx))
                span2 = sorted((layout.nodes[c].cx, layout.nodes[d].cx))
                if b != d:
                    assert span1[1] <= span2[0] or span2[1] <= span1[0], (a, c)


def test_siblings_are_ordered_to_avoid_crossings(tmp_path: Path) -> None:
    # r1 has reports c1 then c2 (plan order); c1 influences r2, the root of the other
    # tree. In plan order (c1, c2 | r2) the influence line crosses c2's reporting line;
    # the layout must put c1 on the side of its tree that faces r2.
    plan = load(tmp_path, plan_data([
        person("r1", 5, "neutral"),
        person("c1", 3, "champion", reports_to="r1", influences=["r2"]),
        person("c2", 3, "neutral", reports_to="r1"),
        person("r2", 5, "neutral"),
        person("c3", 2, "neutral", reports_to="r2"),
    ]))
    layout = map_layout(plan)
    def distance(sid: str) -> float:
        return abs(layout.nodes[sid].cx - layout.nodes["r2"].cx)

    assert distance("c1") < distance("c2")
    assert layout.crossings == 0


def test_people_outside_the_reporting_lines_are_grouped(tmp_path: Path) -> None:
    plan = load(tmp_path, plan_data([
        person("boss", 5, "neutral"),
        person("aide", 2, "neutral", reports_to="boss"),
        person("loner", 1, "supporter", influences=["boss"]),
        person("solo", 4, "skeptic"),
    ]))
    layout = map_layout(plan)
    assert layout.unattached == ["solo", "loner"]  # most influential first
    assert layout.group is not None
    for sid in layout.unattached:
        assert layout.nodes[sid].within(layout.group)
    for sid in ("boss", "aide"):
        assert not layout.nodes[sid].intersects(layout.group)
    root = ET.fromstring(map_svg(plan, "en", as_of=AS_OF))
    assert "Outside the reporting lines" in texts(root)


def test_map_with_nobody_and_with_only_loners(tmp_path: Path) -> None:
    empty = load(tmp_path, plan_data([]))
    for svg in pictures(empty).values():
        root = assert_safe_svg(svg)
        assert "No stakeholders in this plan yet." in texts(root)
    loners = load(tmp_path, plan_data([person(f"p{i}", 1 + i % 5, "neutral") for i in range(7)]))
    layout = map_layout(loners)
    assert len(layout.unattached) == 7
    assert_no_overlap(layout.nodes)
    assert_safe_svg(map_svg(loners, "en", as_of=AS_OF))


def test_long_names_wrap_into_two_lines_that_keep_the_name() -> None:
    lines = wrap_name("Maximiliana Wolfeschlegelsteinhausen", 12.5, 150, True)
    assert len(lines) == 2 and "".join(lines) == "Maximiliana Wolfeschlegelsteinhausen"
    assert wrap_name("Bo Li", 12.5, 150) == ["Bo Li"]
    unbroken = wrap_name("M" * 40, 12.5, 150)
    assert len(unbroken) == 2 and "".join(unbroken) == "M" * 40


# --- the grid -------------------------------------------------------------------------


def assert_grid_layout_sound(plan: Plan) -> None:
    layout = grid_layout(plan)
    assert_no_overlap(layout.labels)
    for s in plan.stakeholders:
        cell = layout.cells[(s.influence, s.support)]
        assert layout.labels[s.id].within(cell), s.id
    for q in layout.quadrants:
        for s in plan.stakeholders:
            box = layout.labels[s.id]
            assert box.within(q.box) or not box.intersects(q.box)


def test_grid_labels_never_overlap(tmp_path: Path) -> None:
    for _, plan, _ in all_plans(tmp_path):
        assert_grid_layout_sound(plan)


def test_a_crowded_cell_grows_its_row(tmp_path: Path) -> None:
    crowd = [person(f"n{i}", 3, "neutral", name=f"Neutral Person {i}") for i in range(9)]
    crowd += [person("lone", 5, "champion"), person("long", 3, "neutral", name="x " * 40)]
    plan = load(tmp_path, plan_data(crowd))
    assert_grid_layout_sound(plan)
    layout = grid_layout(plan)
    assert layout.rows[3].h > 10 * 20  # ten labels, one of them on two lines, stacked
    assert layout.rows[2].h == layout.rows[1].h  # empty rows stay small
    root = assert_safe_svg(grid_svg(plan, "en"))
    assert sum(1 for t in texts(root) if t.startswith("Neutral Person")) == 9


def test_grid_quadrants_are_named_and_hold_the_right_people() -> None:
    plan = example("northwind-logistics.yaml")
    layout = grid_layout(plan)
    where = {
        q.key: sorted(s.id for s in plan.stakeholders if layout.labels[s.id].within(q.box))
        for q in layout.quadrants
    }
    assert where == {
        "win-over": ["a.brennan", "d.whitfield", "s.hughes"],
        "key-allies": ["r.castillo"],
        "monitor": ["k.osei", "t.nguyen"],
        "keep-informed": ["j.ferreira", "m.dubois"],
    }
    shown = texts(ET.fromstring(grid_svg(plan, "en")))
    for name in ("Key allies", "Win over", "Keep informed", "Monitor"):
        assert name in shown
    shown_es = texts(ET.fromstring(grid_svg(plan, "es")))
    for name in ("Aliados clave", "Convencer", "Mantener informados", "Vigilar"):
        assert name in shown_es


# --- determinism ----------------------------------------------------------------------

RENDER_ALL = """
import datetime as dt, sys
from pathlib import Path
from cxplan.model.build import load_plan
from cxplan.analyse.powermap import build_graph
from cxplan.render.powermap_svg import map_svg, grid_svg
from cxplan.render.graph_formats import to_dot, to_graphml, to_mermaid, to_node_link_json
for path in sys.argv[1:]:
    plan = load_plan(Path(path))[0].plan
    graph = build_graph(plan)
    sys.stdout.write(map_svg(plan, "en", as_of=dt.date(2026, 11, 20)))
    sys.stdout.write(grid_svg(plan, "es"))
    sys.stdout.write(to_graphml(graph) + to_node_link_json(graph))
    sys.stdout.write(to_dot(graph, "en") + to_mermaid(graph, "es"))
"""


def test_output_is_byte_identical_whatever_the_hash_seed(tmp_path: Path) -> None:
    from test_powermap import write_plan_file

    hostile_file = write_plan_file(tmp_path, plan_data(hostile_people()), "hostile.yaml")
    files = [str(REPO / "plans" / name) for name, _ in EXAMPLES] + [str(hostile_file)]
    outputs = []
    for seed in ("1", "2", "987654"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        result = subprocess.run(
            [sys.executable, "-c", RENDER_ALL, *files], capture_output=True, env=env,
            timeout=120, check=True,
        )
        outputs.append(result.stdout)
    assert outputs[0] and outputs[0] == outputs[1] == outputs[2]


def test_numbers_have_at_most_one_decimal() -> None:
    svg = map_svg(example("hospital-santa-lucia.yaml"), "es", as_of=AS_OF)
    svg += grid_svg(example("northwind-logistics.yaml"), "en")
    assert not re.search(r"\d\.\d\d", svg)


# --- arrows never hide under somebody else ---------------------------------------------


def path_points(d: str) -> list[tuple[float, float]]:
    """Sample the M/L/Q/V/H paths the map writes, 20 points per segment."""
    tokens = re.findall(r"[MLQVH]|-?\d+(?:\.\d+)?", d)
    points: list[tuple[float, float]] = []
    here = (0.0, 0.0)
    i = 0
    while i < len(tokens):
        command = tokens[i]
        if command == "M":
            here = (float(tokens[i + 1]), float(tokens[i + 2]))
            points.append(here)
            i += 3
        elif command == "L":
            end = (float(tokens[i + 1]), float(tokens[i + 2]))
            points += [
                (here[0] + (end[0] - here[0]) * t / 20, here[1] + (end[1] - here[1]) * t / 20)
                for t in range(1, 21)
            ]
            here = end
            i += 3
        elif command == "Q":
            c = (float(tokens[i + 1]), float(tokens[i + 2]))
            end = (float(tokens[i + 3]), float(tokens[i + 4]))
            for step in range(1, 21):
                t = step / 20
                points.append((
                    (1 - t) ** 2 * here[0] + 2 * (1 - t) * t * c[0] + t ** 2 * end[0],
                    (1 - t) ** 2 * here[1] + 2 * (1 - t) * t * c[1] + t ** 2 * end[1],
                ))
            here = end
            i += 5
        else:
            raise AssertionError(f"unexpected path command {command} in {d}")
    return points


def dense_plan(tmp_path: Path, count: int = 30) -> Plan:
    """Many people, reporting trees, loners and influence lines in every direction."""
    people = [person("p0", 5, "neutral")]
    levels = ["blocker", "skeptic", "neutral", "supporter", "champion"]
    for i in range(1, count):
        extra: dict[str, Any] = {}
        if i % 7:
            extra["reports_to"] = f"p{(i * 7 + 3) % i}"  # somebody listed earlier
        targets = sorted({f"p{(i * 11) % count}", f"p{(i * 3 + 4) % count}"} - {f"p{i}"})
        people.append(person(f"p{i}", 1 + i % 5, levels[i % 5], influences=targets[: i % 3],
                             name=f"Person {i}", **extra))
    return load(tmp_path, plan_data(people))


def test_influence_arrows_stay_in_the_picture_and_off_other_boxes(tmp_path: Path) -> None:
    plans = [(name, plan) for name, plan, _ in all_plans(tmp_path)]
    plans.append(("dense", dense_plan(tmp_path)))
    for name, plan in plans:
        layout = map_layout(plan)
        svg = map_svg(plan, "en", as_of=AS_OF)
        root = ET.fromstring(svg)
        width = float(root.get("width") or 0)
        shrunk = [Box(b.x + 6, b.y + 6, b.w - 12, b.h - 12) for b in layout.nodes.values()]
        arrows = [p.get("d") or "" for p in root.iter(SVG + "path") if p.get("marker-end")]
        assert len(arrows) == sum(
            len({t for t in s.influences if t != s.id}) for s in plan.stakeholders
        ), name
        for d in arrows:
            for x, y in path_points(d):
                assert 0 <= x <= width and 0 <= y <= layout.legend_top, (name, d)
                assert not any(box.contains(x, y) for box in shrunk), (name, d, (x, y))
