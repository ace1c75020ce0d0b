"""Tracking charts: valid, self-contained, accessible, escaped and byte-stable SVG."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import REPO
from tracking_plans import TRACKING_PLAN, load_tracking_plan

from cxplan.model.build import PlanFile
from cxplan.render.charts import burnup_svg, kpi_svg, progress_bar_svg

SVG = "{http://www.w3.org/2000/svg}"
AS_OF = dt.date(2027, 2, 1)


@pytest.fixture
def tracking(tmp_path: Path) -> PlanFile:
    return load_tracking_plan(tmp_path)


def all_charts(plan_file: PlanFile, language: str) -> list[str]:
    plan = plan_file.plan
    return [
        burnup_svg(plan, language, AS_OF),
        *(kpi_svg(k, language) for k in plan.kpis),
        *(kpi_svg(k, language, period=plan.plan) for k in plan.kpis),
        progress_bar_svg(2, 4, language),
        progress_bar_svg(0, 0, language),
    ]


def check_self_contained(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    for element in root.iter():
        assert element.tag.startswith(SVG), element.tag
        assert element.tag != f"{SVG}script"
        assert element.tag not in (f"{SVG}image", f"{SVG}foreignObject", f"{SVG}use")
        for name, value in element.attrib.items():
            assert not name.startswith("on"), name
            assert "href" not in name, name
            if "url(" in value:
                assert value.startswith("url(#"), value
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    return root


@pytest.mark.parametrize("language", ["en", "es"])
def test_charts_are_valid_self_contained_svg(tracking: PlanFile, language: str) -> None:
    for svg in all_charts(tracking, language):
        root = check_self_contained(svg)
        title = root.find(f"{SVG}title")
        assert title is not None and title.text
        labelled = root.get("aria-labelledby", "").split()
        assert title.get("id") in labelled


def test_charts_are_byte_identical_across_runs_and_processes(tracking: PlanFile) -> None:
    first = all_charts(tracking, "en")
    assert all_charts(tracking, "en") == first
    # Another interpreter with another hash seed (set and dict order) draws the same bytes.
    script = (
        "import sys, datetime as dt; sys.path.insert(0, 'tests');"
        "from pathlib import Path; import tempfile;"
        "from tracking_plans import load_tracking_plan;"
        "from test_charts import all_charts;"
        "sys.stdout.write('\\x00'.join(all_charts(load_tracking_plan(Path(tempfile.mkdtemp())),"
        " 'en')))"
    )
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    output = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True,
        env=environment, timeout=60,
    ).stdout
    assert output.split("\x00") == first


def test_burnup_content(tracking: PlanFile) -> None:
    root = ET.fromstring(burnup_svg(tracking.plan, "en", AS_OF))
    assert root.findtext(f"{SVG}title") == "Actions done over time"
    assert root.findtext(f"{SVG}desc") == (
        "Burn-up: 2 of 6 actions done as of 2027-02-01; 4 were due by then."
    )
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "As of 2027-02-01" in texts
    assert "Done (2)" in texts and "Due by date (4)" in texts
    spanish = ET.fromstring(burnup_svg(tracking.plan, "es", AS_OF))
    assert spanish.findtext(f"{SVG}title") == "Acciones hechas a lo largo del tiempo"
    assert "A fecha 2027-02-01" in [t.text for t in spanish.iter(f"{SVG}text")]
    # The done line stops at the as-of marker.
    paths = [p.get("d", "") for p in root.iter(f"{SVG}path")]
    marker = next(
        line for line in root.iter(f"{SVG}line") if line.get("stroke") == "#c62828"
    )
    done_path = paths[1]
    assert done_path.split()[-2].lstrip("H") == marker.get("x1")


def test_burnup_without_actions(tmp_path: Path) -> None:
    text = TRACKING_PLAN
    for status in ("status: done\n    done_on: 2027-01-18", "status: done\n    done_on: 2027-01-29",
                   "status: blocked", "status: doing"):
        text = text.replace(status, "status: dropped")
    text = text.replace("    horizon: quick-win\n  - id: q-blocked",
                        "    horizon: quick-win\n    status: dropped\n  - id: q-blocked")
    text = text.replace("    horizon: medium-term\nkpis:", "    horizon: medium-term\n"
                        "    status: dropped\nkpis:")
    plan_file = load_tracking_plan(tmp_path, text=text)
    assert {a.status for a in plan_file.plan.actions} == {"dropped"}
    root = check_self_contained(burnup_svg(plan_file.plan, "en", AS_OF))
    assert [t.text for t in root.iter(f"{SVG}text")] == ["No actions yet"]


def test_kpi_chart_content(tracking: PlanFile) -> None:
    behind = next(k for k in tracking.plan.kpis if k.id == "k-behind")
    root = ET.fromstring(kpi_svg(behind, "en", period=tracking.plan.plan))
    assert root.findtext(f"{SVG}title") == "Behind pace"
    assert root.findtext(f"{SVG}desc") == (
        "Behind pace: latest reading 60% on 2027-07-02; baseline 50%, target 100%. "
        "Higher is better."
    )
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Target 100%" in texts and "Baseline 50%" in texts
    assert "\u2191 Higher is better" in texts
    points = [c.findtext(f"{SVG}title") for c in root.iter(f"{SVG}circle")]
    assert points == ["2027-07-02: 60%"]
    # The pace line is drawn only when the plan's period is given.
    dotted = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray") == "1 3"]
    assert len(dotted) == 1
    without = ET.fromstring(kpi_svg(behind, "en"))
    assert not [x for x in without.iter(f"{SVG}line") if x.get("stroke-dasharray") == "1 3"]

    flat = next(k for k in tracking.plan.kpis if k.id == "k-flat")
    spanish = ET.fromstring(kpi_svg(flat, "es"))
    assert "\u2193 Más bajo es mejor" in [t.text for t in spanish.iter(f"{SVG}text")]
    none = next(k for k in tracking.plan.kpis if k.id == "k-none")
    empty = ET.fromstring(kpi_svg(none, "en"))
    assert "No readings yet" in [t.text for t in empty.iter(f"{SVG}text")]
    assert empty.findtext(f"{SVG}desc") == (
        "None yet: no readings yet; baseline none, target 9. Higher is better."
    )


def test_text_is_escaped(tmp_path: Path) -> None:
    text = TRACKING_PLAN.replace("name: Behind pace", 'name: "<script>alert(1)</script> & \\"x\\""')
    text = text.replace('unit: "%"', 'unit: "<b>"')
    plan_file = load_tracking_plan(tmp_path, text=text)
    kpi = next(k for k in plan_file.plan.kpis if k.id == "k-behind")
    svg = kpi_svg(kpi, "en", period=plan_file.plan.plan)
    assert "<script" not in svg and "<b>" not in svg
    root = check_self_contained(svg)
    assert root.findtext(f"{SVG}title") == '<script>alert(1)</script> & "x"'
    assert "Target 100 <b>" in [t.text for t in root.iter(f"{SVG}text")]


def test_ids_differ_between_charts_of_one_page(tracking: PlanFile) -> None:
    ids = [
        ET.fromstring(kpi_svg(k, "en")).find(f"{SVG}title").get("id")  # type: ignore[union-attr]
        for k in tracking.plan.kpis
    ]
    assert len(set(ids)) == len(ids)
    custom = ET.fromstring(progress_bar_svg(1, 2, "en", id_prefix="qw-tracking"))
    assert custom.find(f"{SVG}title").get("id") == "qw-tracking-title"  # type: ignore[union-attr]


def test_progress_bar() -> None:
    root = ET.fromstring(progress_bar_svg(4, 6, "en"))
    assert root.findtext(f"{SVG}title") == "4 of 6 done"
    rects = list(root.iter(f"{SVG}rect"))
    assert [r.get("width") for r in rects] == ["160", "106.7"]
    spanish = ET.fromstring(progress_bar_svg(6, 6, "es"))
    assert spanish.findtext(f"{SVG}title") == "6 de 6 hechas"
    assert [r.get("width") for r in spanish.iter(f"{SVG}rect")] == ["160", "160"]
    empty = ET.fromstring(progress_bar_svg(0, 0, "en"))
    assert empty.findtext(f"{SVG}title") == "Nothing to count yet"
    assert len(list(empty.iter(f"{SVG}rect"))) == 1  # the track only
