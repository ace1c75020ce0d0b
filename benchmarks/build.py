"""What `cxplan build` costs beside a plain `mkdocs build` of the same pages, and how it
grows with the portfolio.

For 1, 10 and 100 plans of the deterministic synthetic portfolio of
`benchmarks/validate.py` (about 60 actions each), in one run:

- `cxplan build`: validation, rules, page generation and the strict MkDocs build with
  the cxplan plugin, run as a person runs it (a new process each time);
- baseline: the same pages written out as Markdown by `cxplan render --out`, built by a
  plain `mkdocs build --strict` process (no cxplan plugin) with the same theme,
  extensions and navigation.

Both are timed best of --repeat, alternating, in wall time and CPU time (the targets
are judged on CPU time, which a busy shared machine disturbs far less; wall time is
printed beside it). Printed: the overhead ratio time(cxplan build) / time(mkdocs
build) per size (target <= 1.15) and the growth ratio time(100 plans) / time(10 plans)
of cxplan build (target <= 12: close to linear, where a navigation listing every page
would grow with the square).

Usage: python benchmarks/build.py [--sizes 1 10 100] [--repeat 3] [--profile N]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import io
import logging
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from cxplan.cli import cli
from cxplan.model.workspace import load_workspace
from cxplan.publish.build import source_date_epoch
from cxplan.publish.site import plan_nav

sys.path.insert(0, str(Path(__file__).resolve().parent))
from validate import write_portfolio  # the sibling benchmark's generator

AS_OF = "2026-11-23"
OVERHEAD_TARGET = 1.15
GROWTH_TARGET = 12.0

THEME = {"name": "material", "font": False, "language": "en"}
EXTENSIONS = ["attr_list", "md_in_html", "tables"]


def make_workspace(root: Path, plans: int) -> Path:
    (root / "plans").mkdir(parents=True)
    (root / "docs").mkdir()
    write_portfolio(root / "plans", plans)
    config = {"site_name": "Portfolio", "theme": THEME, "plugins": ["search", "cxplan"],
              "markdown_extensions": EXTENSIONS}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return root


def make_plain(root: Path, workspace: Path) -> Path:
    """The same pages, rendered to Markdown, as a plain MkDocs project."""
    quiet(lambda: cli.main(["render", "--out", str(root / "docs"), "--config",
                            str(workspace / "mkdocs.yml"), "--as-of", AS_OF],
                           standalone_mode=False))
    plans = load_workspace([workspace / "plans"]).plans
    config = {
        "site_name": "Portfolio", "theme": THEME, "plugins": ["search"],
        "markdown_extensions": EXTENSIONS, "extra_css": ["assets/cxplan.css"],
        # The navigation the plugin makes: plans' own pages stay out of it.
        "nav": plan_nav(plans, "en", home=True),
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return root


def quiet(run: Callable[[], object]) -> object:
    with contextlib.redirect_stdout(io.StringIO()):
        return run()


def _executable(name: str) -> str:
    found = Path(sys.executable).with_name(name)
    return str(found) if found.exists() else name


def cxplan_build(workspace: Path, site: Path) -> None:
    """`cxplan build`, as a person runs it: a new process."""
    done = subprocess.run(
        [_executable("cxplan"), "build", "--config", str(workspace / "mkdocs.yml"),
         "--as-of", AS_OF, "--site-dir", str(site)],
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"cxplan build failed:\n{done.stdout}{done.stderr}")


def plain_build(project: Path, site: Path) -> None:
    """`mkdocs build --strict` of the rendered pages, a new process too, with the same
    build date (cxplan build sets SOURCE_DATE_EPOCH from --as-of)."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=source_date_epoch(dt.date.fromisoformat(AS_OF)),
               NO_MKDOCS_2_WARNING="1")
    done = subprocess.run(
        [_executable("mkdocs"), "build", "--strict", "--config-file",
         str(project / "mkdocs.yml"), "--site-dir", str(site)],
        capture_output=True, text=True, check=False, env=env,
    )
    if done.returncode != 0:
        raise SystemExit(f"mkdocs build failed:\n{done.stdout}{done.stderr}")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def best_of(repeat: int, runs: dict[str, Callable[[], None]]) -> dict[str, tuple[float, float]]:
    """Best wall time and best CPU time of each run, the runs alternating in each round
    (a burst of load from elsewhere then slows both contenders of that round, not one).

    Both builds are single-threaded processes, so their CPU time is the steadier
    measure on a shared machine; wall time also counts the disk.
    """
    wall = dict.fromkeys(runs, float("inf"))
    cpu = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, run in runs.items():
            started, started_cpu = time.perf_counter(), children_cpu()
            run()
            wall[name] = min(wall[name], time.perf_counter() - started)
            cpu[name] = min(cpu[name], children_cpu() - started_cpu)
    return {name: (wall[name], cpu[name]) for name in runs}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", type=int, metavar="PLANS", default=0,
                        help="print a cProfile of cxplan build for this many plans")
    args = parser.parse_args()
    logging.getLogger("mkdocs").setLevel(logging.WARNING)

    results: dict[int, dict[str, tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="cxplan-bench-build-") as tmp:
        for size in args.sizes:
            root = Path(tmp) / f"n{size}"
            workspace = make_workspace(root / "workspace", size)
            plain = make_plain(root / "plain", workspace)
            pages = sum(1 for p in (plain / "docs").rglob("*.md"))
            best = best_of(args.repeat, {
                "cxplan": lambda w=workspace, r=root: cxplan_build(w, r / "site-cxplan"),
                "mkdocs": lambda p=plain, r=root: plain_build(p, r / "site-mkdocs"),
            })
            results[size] = best
            (cx_wall, cx_cpu), (mk_wall, mk_cpu) = best["cxplan"], best["mkdocs"]
            print(f"{size:4d} plans, {pages:5d} pages: cxplan build {cx_wall:7.2f} s "
                  f"(cpu {cx_cpu:6.2f}), mkdocs build {mk_wall:7.2f} s (cpu {mk_cpu:6.2f})",
                  flush=True)
            if size == args.profile:
                profile = cProfile.Profile()
                profile.runcall(lambda w=workspace, r=root: quiet(lambda: cli.main(
                    ["build", "--config", str(w / "mkdocs.yml"), "--as-of", AS_OF,
                     "--site-dir", str(r / "site-profile")], standalone_mode=False)))
                pstats.Stats(profile).sort_stats("cumulative").print_stats(30)

    failed = False
    for size, best in results.items():
        wall = best["cxplan"][0] / best["mkdocs"][0]
        cpu = best["cxplan"][1] / best["mkdocs"][1]
        ok = cpu <= OVERHEAD_TARGET
        failed |= not ok
        print(f"overhead ratio ({size} plans): {wall:.2f} wall, {cpu:.2f} cpu "
              f"(target <= {OVERHEAD_TARGET}) {'ok' if ok else 'OVER'}")
    if 10 in results and 100 in results:
        growth_wall = results[100]["cxplan"][0] / results[10]["cxplan"][0]
        growth_cpu = results[100]["cxplan"][1] / results[10]["cxplan"][1]
        plain_cpu = results[100]["mkdocs"][1] / results[10]["mkdocs"][1]
        ok = growth_cpu <= GROWTH_TARGET
        failed |= not ok
        print(f"growth ratio time(100)/time(10): {growth_wall:.2f} wall, {growth_cpu:.2f} cpu "
              f"(target <= {GROWTH_TARGET}) {'ok' if ok else 'OVER'}; "
              f"plain mkdocs: {plain_cpu:.2f} cpu")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
