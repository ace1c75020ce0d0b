"""How much `cxplan validate` costs beside a bare YAML load of the same files.

Generates a deterministic synthetic portfolio (200 plans of about 60 actions each,
shaped like a real account: 8 team members, 4 areas, 6 moments, 10 stakeholders,
10 commitments, 60 actions, 5 KPIs with monthly readings) into a temporary folder, then
measures in the same run, best of several repeats:

- baseline: `yaml.load(f, Loader=yaml.CSafeLoader)` of every file, in-process;
- `cxplan validate DIR` in-process, through the same click command the console script
  runs (so rules and formatting are included), and the loading stage alone;
- `cxplan validate DIR` as a subprocess, beside a subprocess doing the bare load.

Target: in-process validate / baseline <= 1.5.

Usage: python benchmarks/validate.py [--plans 200] [--repeat 5] [--profile]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import io
import os
import pstats
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from cxplan.cli import cli
from cxplan.model.workspace import load_workspace

TARGET = 1.5
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FIRST = ["Ana", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jon",
         "Kira", "Luis", "Mara", "Nico", "Olga", "Pablo", "Rosa", "Sam", "Tere", "Uma"]
LAST = ["Okafor", "Patel", "Hoff", "Baker", "Kim", "Nair", "Reyes", "Mori", "Lind", "Ruiz",
        "Castillo", "Brennan", "Osei", "Hughes", "Vega", "Moreno", "Silva", "Novak"]
DEPARTMENTS = ["Key Accounts", "Operations", "Finance", "Transport", "Quality",
               "Customer Success", "Product", "Marketing"]
AREAS = [("procurement", "Procurement"), ("operations", "Operations"),
         ("finance", "Finance"), ("it", "IT")]
MOMENTS = [("sourcing", "Annual sourcing review", "purchase"),
           ("trial", "Site trial", "purchase"),
           ("contract", "Contract and pricing", "purchase"),
           ("onboarding", "Onboarding staff", "consumption"),
           ("delivery", "Delivery to the dock", "consumption"),
           ("invoicing", "Invoicing and disputes", "consumption")]
VERBS = ["Agree", "Publish", "Train", "Fix", "Review", "Measure", "Automate", "Document",
         "Escalate", "Pilot"]
OBJECTS = ["dock windows", "invoice matching", "EDI ship notices", "rebate report",
           "night-shift training", "quality checklist", "pallet labels", "QBR pack",
           "rush-order process", "damage claims"]
SUPPORT = ["blocker", "skeptic", "neutral", "supporter", "champion"]
STATUSES = ["todo", "doing", "done", "blocked", "dropped"]
KINDS = ["process", "people", "brand", "training", "communication", "measurement"]


def _q(text: str) -> str:
    """Quote text for YAML (double quotes, escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def synthetic_plan(index: int) -> str:
    """One realistic plan as YAML text, fully determined by `index`."""
    rng = random.Random(index)
    start = dt.date(2026, 1, 5) + dt.timedelta(days=7 * (index % 40))
    team = [f"{FIRST[(index + i) % len(FIRST)].lower()}.{LAST[(index * 3 + i) % len(LAST)].lower()}"
            for i in range(8)]
    out: list[str] = [
        "# yaml-language-server: $schema=../schema/plan.schema.json",
        "plan:",
        f"  title: Account {index:03d} - CX plan {start.year}",
        f"  customer: Customer {index:03d} Logistics",
        f"  owner: {team[0]}",
        f"  start: {start.isoformat()}",
        f"  end: {(start + dt.timedelta(days=330)).isoformat()}",
        f"  language: {'es' if index % 3 == 0 else 'en'}",
        "  quick_win_days: 45",
        "  summary: |",
        "    The customer moved its consumables to us after a price-led tender. The first",
        "    month went badly: late deliveries and disputed invoices reached the CFO.",
        "",
        "    This plan turns a price-only relationship into one they would renew.",
        "  tags: [consumables, renewal]",
        "team:",
    ]
    for i, person in enumerate(team):
        first, last = person.split(".")
        out += [f"  - id: {person}", f"    name: {first.title()} {last.title()}",
                f"    department: {DEPARTMENTS[i % len(DEPARTMENTS)]}",
                f"    involvement: {['core', 'collaborator', 'ambassador'][min(i // 3, 2)]}"]
        if i % 2 == 0:
            out.append(f"    email: {person}@example.com")
    stakeholders = [f"s{index}-{i}" for i in range(10)]
    out.append("areas:")
    for i, (area_id, name) in enumerate(AREAS):
        out += [f"  - id: {area_id}", f"    name: {name}", "    measured_on:",
                "      - Unit cost per shipped pallet", "      - Share of spend on contract",
                f"    head: {stakeholders[i]}"]
    out.append("moments:")
    for moment_id, name, phase in MOMENTS:
        out += [f"  - id: {moment_id}", f"    name: {name}", f"    phase: {phase}",
                "    description: >-", "      What happens at this moment, who is involved",
                "      and what the customer expects from us.", "    values:"]
        for area_id, _ in AREAS[: 2 + rng.randrange(3)]:
            out += [f"      {area_id}:", "        - Prices locked for twelve months",
                    "        - No new login needed"]
    out.append("stakeholders:")
    for i, person in enumerate(stakeholders):
        out += [f"  - id: {person}",
                f"    name: {FIRST[(i * 7 + index) % len(FIRST)]} {LAST[(i + index) % len(LAST)]}",
                f"    title: Head of {AREAS[i % 4][1]}", f"    area: {AREAS[i % 4][0]}",
                f"    influence: {1 + rng.randrange(5)}", f"    support: {rng.choice(SUPPORT)}",
                "    decides: [budget, renewal]"]
        if i > 0:
            out.append(f"    reports_to: {stakeholders[0] if i < 4 else stakeholders[i % 4]}")
        if i % 3 == 0 and i + 1 < len(stakeholders):
            out.append(f"    influences: [{stakeholders[i + 1]}]")
        out += ["    motivations: Wants fewer surprises at month end and credit for savings.",
                f"    owner: {team[i % len(team)]}",
                f"    last_contact: {(start + dt.timedelta(days=rng.randrange(60))).isoformat()}"]
        if i == 0:
            out.append("    role: economic-buyer")
    out.append("commitments:")
    commitments = [f"c{i + 1}" for i in range(10)]
    for i, commitment in enumerate(commitments):
        out += [f"  - id: {commitment}",
                f"    promise: {_q('Deliver inside the booked window, every time: ' + str(i))}",
                f"    to: {AREAS[i % 4][0] if i % 2 else stakeholders[i]}",
                f"    moment: {MOMENTS[i % 6][0]}", f"    owner: {team[i % len(team)]}",
                f"    due: {(start + dt.timedelta(days=20 + 25 * i)).isoformat()}",
                f"    expectation: {1 + rng.randrange(5)}"]
        if i < 5:
            out.append(f"    perceived: {1 + rng.randrange(5)}")
        if i == 9:
            out.append("    internal: true")
    out.append("actions:")
    for i in range(60):
        status = STATUSES[i % 5]
        due = start + dt.timedelta(days=10 + 5 * i)
        out += [f"  - id: a{i + 1}",
                f"    title: {VERBS[i % 10]} {OBJECTS[(i * 3 + index) % 10]}",
                f"    owner: {team[(i * 5) % len(team)]}", f"    due: {due.isoformat()}",
                f"    horizon: {'quick-win' if 10 + 5 * i <= 45 else 'medium-term'}",
                f"    kind: {KINDS[i % 6]}", f"    status: {status}"]
        if status == "done":
            out.append(f"    done_on: {(due - dt.timedelta(days=2)).isoformat()}")
        out += [f"    moments: [{MOMENTS[i % 6][0]}]", f"    areas: [{AREAS[i % 4][0]}]"]
        if i % 4 == 0:
            out.append(f"    commitments: [{commitments[i % 10]}]")
        if i % 3 == 0:
            out.append(f"    stakeholders: [{stakeholders[i % 10]}, {stakeholders[(i + 1) % 10]}]")
        if i % 5 == 1:
            out += ["    notes: |", "      Agreed at the weekly call; check with the night shift",
                    "      before changing anything on the wrappers."]
    out.append("kpis:")
    for i in range(5):
        out += [f"  - id: kpi-{i + 1}", f"    name: Indicator {i + 1}",
                f"    owner: {team[i]}", f"    area: {AREAS[i % 4][0]}", '    unit: "%"',
                f"    direction: {'up' if i % 2 == 0 else 'down'}", "    baseline: 82.5",
                f"    target: {90 + i}", "    readings:"]
        for month in range(10):
            day = start + dt.timedelta(days=30 * month + 27)
            out += [f"      - date: {day.isoformat()}",
                    f"        value: {round(80 + rng.random() * 15, 1)}"]
    out += ["engagement:", "  culture: Consensus-driven; nothing is decided in the first meeting.",
            "  cadence: [weekly operations call, quarterly business review]",
            "  channel: Email for decisions, phone for incidents."]
    return "\n".join(out) + "\n"


def write_portfolio(folder: Path, plans: int) -> list[Path]:
    paths = []
    for index in range(plans):
        path = folder / f"account-{index:03d}.yaml"
        path.write_text(synthetic_plan(index), encoding="utf-8")
        paths.append(path)
    return paths


def interleaved(repeat: int, runs: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Best wall time of each run over `repeat` rounds, the runs alternating in each round.

    Alternating matters on a shared machine: a burst of load from elsewhere then slows
    every contender of that round rather than one of them, so the ratios stay honest.
    """
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def cpu_time(run: Callable[[], object]) -> float:
    started = time.process_time()
    run()
    return time.process_time() - started


def bare_load(paths: list[Path]) -> None:
    for path in paths:
        with path.open("rb") as stream:
            yaml.load(stream, Loader=_Loader)


def validate_in_process(folder: Path) -> int:
    """The console script's own path: click parses `validate DIR` and runs the command."""
    with contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["validate", str(folder)], standalone_mode=False)
    return int(code)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of validate")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cxplan-bench-") as tmp:
        folder = Path(tmp) / "plans"
        folder.mkdir()
        paths = write_portfolio(folder, args.plans)
        size = sum(p.stat().st_size for p in paths)
        actions = sum(len(re.findall(r"\n  - id: a[0-9]+\n", p.read_text(encoding="utf-8")))
                      for p in paths)

        code = validate_in_process(folder)
        if code != 0:
            print("the synthetic portfolio does not validate:", file=sys.stderr)
            cli.main(["validate", str(folder)], standalone_mode=False)
            return 1

        exe = Path(sys.executable).with_name("cxplan")
        command = [str(exe)] if exe.exists() else [sys.executable, "-m", "cxplan"]
        bare_script = (
            "import sys, yaml\n"
            "for p in sys.argv[1:]:\n"
            "    with open(p, 'rb') as f: yaml.load(f, Loader=yaml.CSafeLoader)\n"
        )
        best = interleaved(args.repeat, {
            "baseline": lambda: bare_load(paths),
            "validate": lambda: validate_in_process(folder),
            "loading": lambda: load_workspace([folder]),
        })
        baseline, validate, loading = best["baseline"], best["validate"], best["loading"]
        cpu_ratio = cpu_time(lambda: validate_in_process(folder)) / cpu_time(
            lambda: bare_load(paths))
        sub = interleaved(max(1, min(args.repeat, 3)), {
            "baseline": lambda: subprocess.run(
                [sys.executable, "-c", bare_script, *map(str, paths)], check=True),
            "validate": lambda: subprocess.run(
                [*command, "validate", str(folder)], check=True, stdout=subprocess.DEVNULL),
            "startup": lambda: subprocess.run(
                [*command, "--version"], check=True, stdout=subprocess.DEVNULL),
        })
        sub_baseline, sub_validate, startup = sub["baseline"], sub["validate"], sub["startup"]

        print(f"portfolio: {len(paths)} plans, {actions} actions, {size / 1024 / 1024:.1f} MiB "
              f"(python {sys.version.split()[0]}, yaml C loader: {_Loader.__name__})")
        print(f"bare yaml.load (CSafeLoader), in-process:  {baseline:8.3f} s")
        print(f"cxplan validate, in-process (with rules):  {validate:8.3f} s   "
              f"ratio {validate / baseline:.2f}")
        print(f"  of which load + model (no rules):        {loading:8.3f} s   "
              f"ratio {loading / baseline:.2f}")
        print(f"bare yaml.load, subprocess:                {sub_baseline:8.3f} s")
        print(f"cxplan validate, subprocess:               {sub_validate:8.3f} s   "
              f"ratio {sub_validate / sub_baseline:.2f} (vs subprocess bare load), "
              f"{sub_validate / baseline:.2f} (vs in-process bare load)")
        print(f"  of which CLI start-up (cxplan --version): {startup:8.3f} s   "
              f"ratio without it {(sub_validate - startup) / sub_baseline:.2f}")
        print(f"CPU-time ratio, in-process validate / bare load (one run each): {cpu_ratio:.2f}")
        verdict = "meets" if validate / baseline <= TARGET else "MISSES"
        print(f"target: in-process ratio <= {TARGET}: {verdict}")

        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            validate_in_process(folder)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
