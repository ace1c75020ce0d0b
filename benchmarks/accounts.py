"""One site per account against today's single site, measured in the same run.

For each size of the synthetic portfolio of `benchmarks/validate.py` (about 60 actions
per plan), each command a new process as a person runs it:

- single: the whole workspace as one MkDocs site (`mkdocs build --strict` with the
  cxplan plugin: the layout `cxplan build` made before one site per account, kept as
  the plugin's own mode);
- cold: `cxplan build` from scratch (one site per account, --jobs = the cores);
- no change: `cxplan build` again, nothing changed;
- one plan: `cxplan build` after one plan's action title was edited (what `cxplan
  serve` does after a save, so this is also the serve latency of a save);
- and, at the smallest size, a one-plan customer edition (`cxplan build --audience
  customer --plan p001`) against a plain `mkdocs build` of the same pages (rendered by
  `cxplan render --audience customer`).

Printed per size: wall and CPU seconds, the ratios against the targets of issue 16,
the largest resident memory of any process, bytes on disk per plan, bytes per HTML
page (single against per account) and the portfolio's search index bytes.

Usage: python benchmarks/accounts.py [--sizes 1 10 100]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from cxplan.publish.build import source_date_epoch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from validate import write_portfolio  # the sibling benchmark's generator

AS_OF = "2026-11-23"
TARGETS = {
    "serve(100)/serve(1)": 1.3,
    "one plan changed at 100 (s)": 3.0,
    "cold(100)/single(100)": 0.6,
    "one-plan build/plain mkdocs": 1.15,
    "bytes per HTML page/single": 0.5,
    "portfolio search index at 300 (MB)": 5.0,
}


def _exe(name: str) -> str:
    found = Path(sys.executable).with_name(name)
    return str(found) if found.exists() else name


def timed(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of one process and the processes it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def workspace(root: Path, plans: int) -> Path:
    (root / "plans").mkdir(parents=True)
    (root / "docs").mkdir()
    write_portfolio(root / "plans", plans)
    config = {"site_name": "Portfolio", "theme": {"name": "material", "font": False},
              "plugins": ["search", "cxplan"]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return root


def disk(folder: Path) -> tuple[int, int, int]:
    """(bytes, HTML pages, HTML bytes) of a built site."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    html = [p for p in files if p.suffix == ".html"]
    return sum(p.stat().st_size for p in files), len(html), sum(p.stat().st_size for p in html)


def env() -> dict[str, str]:
    return dict(os.environ, CXPLAN_AS_OF=AS_OF, NO_MKDOCS_2_WARNING="1",
                SOURCE_DATE_EPOCH=source_date_epoch(dt.date.fromisoformat(AS_OF)))


def measure(size: int, base: Path) -> dict[str, float]:
    ws = workspace(base / f"ws{size}", size)
    build = [_exe("cxplan"), "build", "--as-of", AS_OF]
    out: dict[str, float] = {}
    out["single"], out["single cpu"] = timed(
        [_exe("mkdocs"), "build", "--strict", "--site-dir", "single"], ws, env())
    out["cold"], out["cold cpu"] = timed([*build, "--site-dir", "site"], ws)
    out["no change"], _ = timed([*build, "--site-dir", "site"], ws)
    plan = sorted((ws / "plans").glob("*.yaml"))[0]
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("title: ", "title: Edited ", 2), encoding="utf-8")
    out["one plan"], _ = timed([*build, "--site-dir", "site"], ws)
    single_bytes, single_pages, single_html = disk(ws / "single")
    split_bytes, split_pages, split_html = disk(ws / "site")
    out["bytes per plan"] = split_bytes / size
    out["single bytes per plan"] = single_bytes / size
    out["HTML bytes per page"] = split_html / split_pages
    out["single HTML bytes per page"] = single_html / single_pages
    out["search index"] = (ws / "site" / "search" / "search_index.json").stat().st_size
    out["single search index"] = (ws / "single" / "search" / "search_index.json").stat().st_size
    out["max RSS MB"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    shutil.rmtree(ws / "single")
    return out


def one_plan(base: Path) -> tuple[float, float]:
    """(cxplan build of one customer edition, plain mkdocs build of its pages)."""
    ws = workspace(base / "one", 1)
    plan_id = sorted((ws / "plans").glob("*.yaml"))[0].stem
    cx, _ = timed([_exe("cxplan"), "build", "--as-of", AS_OF, "--audience", "customer",
                   "--plan", plan_id, "--site-dir", "site"], ws)
    plain = base / "plain"
    timed([_exe("cxplan"), "render", "--as-of", AS_OF, "--audience", "customer", "--out",
           str(plain / "docs"), "--config", str(ws / "mkdocs.yml")], ws)
    (plain / "docs" / plan_id / "index.md").parent.mkdir(parents=True, exist_ok=True)
    config = {"site_name": "Plan", "theme": {"name": "material", "font": False},
              "plugins": ["search"], "docs_dir": f"docs/{plan_id}",
              "markdown_extensions": ["attr_list", "md_in_html", "tables"],
              "extra_css": ["assets/cxplan.css"]}
    (plain / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    mk, _ = timed([_exe("mkdocs"), "build", "--strict", "--site-dir", "site"], plain, env())
    return cx, mk


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        cx, mk = one_plan(base)
        print(f"one-plan customer edition: cxplan build {cx:.2f} s, plain mkdocs {mk:.2f} s, "
              f"ratio {cx / mk:.2f} (target <= {TARGETS['one-plan build/plain mkdocs']})")
        results = {size: measure(size, base) for size in args.sizes}
    for size, r in results.items():
        print(f"\n{size} plans:")
        print(f"  single site      {r['single']:7.2f} s wall  {r['single cpu']:7.2f} s CPU")
        print(f"  cold per account {r['cold']:7.2f} s wall  {r['cold cpu']:7.2f} s CPU"
              f"  ratio {r['cold'] / r['single']:.2f} wall, {r['cold cpu'] / r['single cpu']:.2f}"
              f" CPU (target <= {TARGETS['cold(100)/single(100)']} at 100)")
        print(f"  no change        {r['no change']:7.2f} s")
        print(f"  one plan changed {r['one plan']:7.2f} s (target < 3 s at 100)")
        print(f"  disk per plan    {r['bytes per plan'] / 1e3:7.0f} KB "
              f"(single site {r['single bytes per plan'] / 1e3:.0f} KB)")
        ratio = r["HTML bytes per page"] / r["single HTML bytes per page"]
        print(f"  HTML per page    {r['HTML bytes per page'] / 1e3:7.1f} KB "
              f"(single site {r['single HTML bytes per page'] / 1e3:.1f} KB; ratio {ratio:.2f},"
              f" target <= 0.5)")
        print(f"  portfolio search index {r['search index'] / 1e6:.2f} MB "
              f"(single site {r['single search index'] / 1e6:.2f} MB)")
        print(f"  largest process so far {r['max RSS MB']:.0f} MB resident")
    sizes = sorted(results)
    if len(sizes) > 1:
        first, last = results[sizes[0]], results[sizes[-1]]
        print(f"\nsave-to-served (one plan changed) {sizes[-1]} plans / {sizes[0]}: "
              f"{last['one plan'] / first['one plan']:.2f} (target <= 1.3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
