"""What the update-sheet round trip costs beside `cxplan validate` of the same plans.

Generates the synthetic portfolio of `benchmarks/validate.py` (default 40 plans, about
2,800 actions and commitments) and measures in the same run, best of several repeats,
each through the real click command in-process:

- baseline: `cxplan validate DIR`;
- `cxplan export DIR --format xlsx` (the whole portfolio's update sheet);
- `cxplan import` of that sheet untouched (reads, fingerprints, no write);
- `cxplan import --dry-run` of the sheet with 100 rows edited (splices, validates).

An import validates every plan it changes, so about one validate's cost plus reading
the sheet is what to expect. No target is set by the issue; the ratios are printed.

Usage: python benchmarks/import_sheet.py [--plans 40] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from validate import synthetic_plan

from cxplan.cli import cli


def _run(*args: str) -> None:
    result = CliRunner().invoke(cli, list(args), standalone_mode=False)
    code = result.return_value if result.exception is None else 3
    if code not in (0, 1) or result.exception is not None:  # 1: method warnings as errors
        raise SystemExit(f"cxplan {' '.join(args)} failed: {result.output}{result.exception}")


def _best(function: Callable[[], None], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        plans = Path("plans")
        plans.mkdir()
        for index in range(options.plans):
            (plans / f"plan-{index:03d}.yaml").write_text(synthetic_plan(index), "utf-8")
        os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
        validate = _best(lambda: _run("validate", "plans", "--as-of", "2026-06-01"),
                         options.repeat)
        export = _best(lambda: _run("export", "plans", "--format", "xlsx", "-o", "all.xlsx",
                                    "--as-of", "2026-06-01"), options.repeat)
        untouched = _best(lambda: _run("import", "all.xlsx", "plans"), options.repeat)
        book = openpyxl.load_workbook("all.xlsx")
        sheet = book["updates"]
        header = [cell.value for cell in sheet[1]]
        kind, due = header.index("kind") + 1, header.index("due") + 1
        edited = 0
        for row in range(2, sheet.max_row + 1):
            if sheet.cell(row, kind).value == "action" and edited < 100:
                current = sheet.cell(row, due).value
                sheet.cell(row, due).value = current + dt.timedelta(days=1)
                edited += 1
        book.save("edited.xlsx")
        dry_run = _best(lambda: _run("import", "edited.xlsx", "plans", "--dry-run"),
                        options.repeat)
        rows = sheet.max_row - 1
    print(f"{options.plans} plans, {rows} sheet rows, best of {options.repeat}")
    print(f"validate (baseline)      {validate:7.3f} s  1.00")
    for name, seconds in (("export xlsx", export), ("import untouched", untouched),
                          (f"import {edited} edits (dry)", dry_run)):
        print(f"{name:<24} {seconds:7.3f} s  {seconds / validate:.2f}x validate")


if __name__ == "__main__":
    main()
