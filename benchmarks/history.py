"""How long `cxplan history` takes beside `git log -p` on the same plan file.

Makes a temporary git repository holding one plan of realistic size (about 40 actions,
10 commitments, 10 stakeholders: some 900 lines) and 300 commits on it by five authors
on successive days, each a change a team makes (a due date moved, a status changed, a
perception measured, an action added or removed, notes rewritten, now and then an
invalid version fixed by the next commit). Everything is deterministic (a seeded
random generator, fixed dates).

Then measures in the same run, best of several rounds (wall time, and CPU time: the
process and the children it waited for, git included):

- baseline: `git log -p -- plans/<plan>.yaml` (a subprocess, output read and dropped);
- `cxplan history plans/<plan>.yaml` as a subprocess, cold (`--no-cache`: every
  version read and parsed) and warm (the version cache of a previous run);
- the same work in-process (`plan_history`), cold and warm, which leaves out the
  interpreter start and the imports;
- for context, the start-up alone: `cxplan --version`.

Target: `cxplan history` (cold) / `git log -p` < 3, in wall time. The command runs git
in a background thread while it imports the plan model, so on a machine with a free
second core its wall time is below its CPU time; the CPU ratio says what one core
would give.

Usage: python benchmarks/history.py [--commits 300] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from cxplan.analyse import history as history_module
from cxplan.analyse.history import plan_history

TARGET = 3.0
AUTHORS = ["Mara Okafor", "Dev Patel", "Lena Hoff", "Jon Baker", "Priya Nair"]
STATUSES = ["todo", "doing", "blocked", "todo", "doing"]
WORDS = [
    "dock", "window", "invoice", "pallet", "film", "training", "shift", "rebate", "report",
    "EDI", "notice", "label", "quality", "review", "savings", "baseline", "audit", "carrier",
    "booking", "credit", "dispute",
]


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as people write plans."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def initial_plan(rng: random.Random) -> dict[str, Any]:
    team = [{"id": f"p{i}", "name": name, "department": "Operations", "involvement": "core"}
            for i, name in enumerate(AUTHORS)]
    areas = [{"id": a, "name": a.title(), "measured_on": [_sentence(rng, 5), _sentence(rng, 4)]}
             for a in ("procurement", "operations", "finance", "it")]
    moments = [{"id": f"m{i}", "name": _sentence(rng, 3),
                "phase": "purchase" if i < 3 else "consumption",
                "description": _sentence(rng, 14),
                "values": {"operations": [_sentence(rng, 6)], "finance": _sentence(rng, 5)}}
               for i in range(6)]
    stakeholders = [{"id": f"s{i}", "name": f"Person {i}", "title": _sentence(rng, 3),
                     "area": areas[i % 4]["id"], "influence": 1 + i % 5,
                     "support": ["blocker", "skeptic", "neutral", "supporter", "champion"][i % 5],
                     "motivations": _sentence(rng, 16), "owner": f"p{i % 5}"}
                    for i in range(10)]
    start = dt.date(2026, 9, 1)
    commitments = [{"id": f"c{i}", "promise": _sentence(rng, 12), "to": areas[i % 4]["id"],
                    "moment": f"m{i % 6}", "owner": f"p{i % 5}",
                    "due": start + dt.timedelta(days=30 + 9 * i), "expectation": 1 + i % 5}
                   for i in range(10)]
    actions = [_action(rng, i, start) for i in range(40)]
    return {
        "plan": {"title": "Benchmark plan", "customer": "Benchmark Logistics", "owner": "p0",
                 "start": start, "end": dt.date(2027, 8, 31), "summary": _sentence(rng, 40)},
        "team": team, "areas": areas, "moments": moments, "stakeholders": stakeholders,
        "commitments": commitments, "actions": actions,
    }


def _action(rng: random.Random, number: int, start: dt.date) -> dict[str, Any]:
    return {
        "id": f"a{number}", "title": _sentence(rng, 9), "owner": f"p{number % 5}",
        "due": start + dt.timedelta(days=20 + 5 * number),
        "horizon": "quick-win" if number % 4 == 0 else "medium-term",
        "kind": "process", "status": "todo",
        "moments": [f"m{number % 6}"], "areas": ["operations"],
        "stakeholders": [f"s{number % 10}"], "notes": _sentence(rng, 20),
    }


def edit(plan: dict[str, Any], rng: random.Random, step: int) -> tuple[str, bool]:
    """One change a team makes; returns (subject, whether the version is left invalid)."""
    actions = plan["actions"]
    choice = rng.random()
    action = rng.choice(actions)
    if choice < 0.30:
        action["due"] += dt.timedelta(days=rng.choice([7, 14, 21]))
        return f"Move {action['id']}", False
    if choice < 0.50:
        action["status"] = rng.choice(STATUSES)
        return f"Status of {action['id']}", False
    if choice < 0.62:
        commitment = rng.choice(plan["commitments"])
        commitment["perceived"] = rng.randint(1, 5)
        return f"Perception of {commitment['id']}", False
    if choice < 0.72:
        actions.append(_action(rng, 100 + step, dt.date(2026, 10, 1)))
        return "New action", False
    if choice < 0.77 and len(actions) > 30:
        actions.remove(action)
        return f"Drop {action['id']}", False
    if choice < 0.80:
        return "WIP", True
    action["notes"] = _sentence(rng, 20)
    return f"Notes on {action['id']}", False


def _dump(plan: dict[str, Any]) -> str:
    return yaml.dump(plan, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)


def make_repository(root: Path, commits: int) -> Path:
    rng = random.Random(7)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    path = root / "plans" / "bench-plan.yaml"
    path.parent.mkdir()
    plan = initial_plan(rng)
    day = dt.datetime(2026, 9, 1, 9, tzinfo=dt.UTC)
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root)}
    previous = ""
    for step in range(commits):
        subject, invalid = ("Start the plan", False) if step == 0 else edit(plan, rng, step)
        text = _dump(plan)
        if text == previous and not invalid:  # the edit changed nothing: rewrite notes
            plan["actions"][0]["notes"] = _sentence(rng, 20)
            subject, text = "Notes on a0", _dump(plan)
        if invalid:  # a bad indentation, fixed by the next commit
            text = text.replace("\n    title:", "\n   title:", 1)
        else:
            previous = text
        path.write_text(text, encoding="utf-8")
        stamp = (day + dt.timedelta(hours=8 * step)).isoformat()
        author = AUTHORS[step % len(AUTHORS)]
        when = {**env, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        subprocess.run(["git", "add", str(path)], cwd=root, check=True, env=when)
        subprocess.run(
            ["git", "-c", f"user.name={author}", "-c", "user.email=bench@example.com",
             "-c", "commit.gpgsign=false", "commit", "-q", "-m", subject],
            cwd=root, check=True, env=when,
        )
    return path


def cpu_now() -> float:
    """CPU seconds of this process and of the children it waited for (git included)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def measure(run: Callable[[], Any]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run."""
    wall, cpu = time.perf_counter(), cpu_now()
    run()
    return time.perf_counter() - wall, cpu_now() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    cxplan = [sys.executable, "-m", "cxplan"]
    with tempfile.TemporaryDirectory(prefix="cxplan-history-bench-") as folder:
        root = Path(folder)
        started = time.perf_counter()
        path = make_repository(root, options.commits)
        relative = str(path.relative_to(root))
        lines = path.read_text(encoding="utf-8").count("\n")
        print(f"repository: {options.commits} commits on a plan of {lines} lines "
              f"(made in {time.perf_counter() - started:.1f} s)")

        def run(*args: str) -> None:
            subprocess.run(args, cwd=root, check=True, capture_output=True)

        def cold_in_process() -> None:
            history_module._MEMORY.clear()
            plan_history(path, cache=False)

        result = plan_history(path, cache=False)
        assert result.commits == options.commits, result.commits
        print(f"history: {len(result.changes)} changes, {len(result.slips)} slipped actions, "
              f"{len(result.invalid)} invalid versions")

        def warm_in_process() -> None:
            history_module._MEMORY.clear()  # the cache file only
            plan_history(path)

        run(*cxplan, "history", relative)  # fills the cache file for the warm runs
        measures: dict[str, Callable[[], Any]] = {
            "git log -p (baseline)": lambda: run("git", "log", "-p", "--", relative),
            "cxplan history, cold": lambda: run(*cxplan, "history", relative, "--no-cache"),
            "cxplan history, warm cache": lambda: run(*cxplan, "history", relative),
            "plan_history() in-process, cold": cold_in_process,
            "plan_history() in-process, warm": warm_in_process,
            "cxplan --version (start-up only)": lambda: run(*cxplan, "--version"),
        }
        # Round robin, best of the rounds: a machine busy for a while slows every
        # measure alike instead of one of them.
        walls = dict.fromkeys(measures, float("inf"))
        cpus = dict.fromkeys(measures, float("inf"))
        for _ in range(options.repeat):
            for name, run_once in measures.items():
                wall, cpu = measure(run_once)
                walls[name], cpus[name] = min(walls[name], wall), min(cpus[name], cpu)

    base_wall, base_cpu = walls["git log -p (baseline)"], cpus["git log -p (baseline)"]
    width = max(len(name) for name in measures)
    print(f"{'':<{width}}  {'wall':>8}     {'ratio':>6}  {'CPU':>8}     {'ratio':>6}")
    for name in measures:
        print(
            f"{name:<{width}}  {walls[name] * 1000:8.1f} ms  {walls[name] / base_wall:6.2f}"
            f"  {cpus[name] * 1000:8.1f} ms  {cpus[name] / base_cpu:6.2f}"
        )
    ratio = walls["cxplan history, cold"] / base_wall
    verdict = "meets" if ratio < TARGET else "misses"
    print(f"cxplan history (cold) / git log -p = {ratio:.2f} in wall time "
          f"({verdict} the target < {TARGET:g}); "
          f"{cpus['cxplan history, cold'] / base_cpu:.2f} in CPU time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
