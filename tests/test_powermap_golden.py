"""The power-map pictures of the example plans, byte for byte as they were drawn when
the power-map code was split into parts: a refactoring must not move a pixel.

A deliberate change of the pictures regenerates the files with
`python tests/test_powermap_golden.py` and commits them with the change.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from cxplan.model.build import load_plan
from cxplan.model.plan import Plan
from cxplan.render.powermap_svg import grid_svg, map_svg

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).with_name("golden")
AS_OF = dt.date(2026, 11, 20)
EXAMPLES = sorted((REPO / "plans").glob("*.yaml"))


def example(path: Path) -> Plan:
    plan_file, problems = load_plan(path)
    assert plan_file is not None and problems == [], problems
    return plan_file.plan


def pictures(path: Path) -> dict[str, str]:
    plan = example(path)
    language = plan.plan.language or "en"
    return {
        f"{path.stem}.map.svg": map_svg(plan, language, as_of=AS_OF),
        f"{path.stem}.grid.svg": grid_svg(plan, language),
    }


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_power_map_pictures_are_unchanged(path: Path) -> None:
    for name, drawn in pictures(path).items():
        expected = (GOLDEN / name).read_text(encoding="utf-8")
        assert drawn == expected, f"{name} changed: regenerate deliberately if it should"


if __name__ == "__main__":
    GOLDEN.mkdir(exist_ok=True)
    for example_path in EXAMPLES:
        for file_name, svg in pictures(example_path).items():
            (GOLDEN / file_name).write_text(svg, encoding="utf-8")
            sys.stdout.write(f"wrote {file_name}\n")
