"""A hand-made plan for the tracking tests: every status, dates on the boundaries.

The figures the tests expect are worked out by hand in the comments of the plan.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

import click
from click.testing import CliRunner

from cxplan.cli import cli
from cxplan.model.build import PlanFile, load_plan

# Plan runs 2027-01-04 .. 2027-12-31 (361 days).
TRACKING_PLAN = """\
# Tracking test plan: each action exists for one boundary.
plan:
  title: Tracking test plan
  customer: Boundary Co
  owner: ana
  start: 2027-01-04
  end: 2027-12-31
  language: en
team:
  - id: ana
    name: Ana Ruiz
    department: Key Accounts
    involvement: core
  - id: ben
    name: "=Ben Cole"
    department: Operations
areas:
  - id: ops
    name: Operations
moments:
  - id: tender
    name: Tender
    phase: purchase
commitments:
  - id: c-kept          # measured, satisfaction 0: kept
    promise: Weekly call, every Monday
    to: ops
    owner: ana
    due: 2027-01-15
    expectation: 3
    perceived: 3
  - id: c-broken        # measured, satisfaction -2: broken
    promise: "Credit notes; within 30 days"
    to: ops
    owner: ben
    due: 2027-01-20
    expectation: 4
    perceived: 2
  - id: c-due           # unmeasured, due 2027-02-01: overdue from 2027-02-02
    promise: Dock windows, on time
    to: ops
    owner: ben
    due: 2027-02-01
    expectation: 4
actions:
  - id: q-done          # done on time
    title: Send the contact sheet
    owner: ana
    due: 2027-01-20
    horizon: quick-win
    status: done
    done_on: 2027-01-18
  - id: q-late          # done 7 days late
    title: Credit the disputed invoices
    owner: ben
    due: 2027-01-22
    horizon: quick-win
    status: done
    done_on: 2027-01-29
  - id: q-due           # open, due 2027-02-01
    title: "Call Ana, Ben; then \\"review\\"\\nand report back"
    owner: ben
    due: 2027-02-01
    horizon: quick-win
  - id: q-blocked       # blocked, due 2027-01-25
    title: "@Book the dock slots"
    owner: ana
    due: 2027-01-25
    horizon: quick-win
    status: blocked
  - id: q-dropped       # dropped: never overdue, never counted
    title: Co-branded landing page
    owner: ana
    due: 2027-01-10
    horizon: quick-win
    status: dropped
  - id: m-doing
    title: "-5% film per pallet"
    owner: ben
    due: 2027-02-10
    horizon: medium-term
    status: doing
  - id: m-todo
    title: =HYPERLINK("http://example.com","x")
    owner: ana
    due: 2027-03-31
    horizon: medium-term
kpis:
  - id: k-ahead         # 60 on 2027-02-01; pace there is 50 + 50 * 28/361 = 53.9
    name: Ahead of pace
    owner: ana
    direction: up
    baseline: 50
    target: 100
    readings:
      - date: 2027-02-01
        value: 60
  - id: k-behind        # 60 on 2027-07-02; pace there is 50 + 50 * 179/361 = 74.8
    name: Behind pace
    owner: ben
    unit: "%"
    direction: up
    baseline: 50
    target: 100
    readings:
      - date: 2027-07-02
        value: 60
  - id: k-flat          # no better than the baseline
    name: Flat
    owner: ben
    direction: down
    baseline: 10
    target: 2
    readings:
      - date: 2027-01-31
        value: 10
  - id: k-hit           # target reached
    name: Hit
    owner: ana
    direction: down
    target: 2
    readings:
      - date: 2027-01-31
        value: 5
      - date: 2027-02-28
        value: 2
  - id: k-none          # never measured: unknown
    name: None yet
    owner: ana
    direction: up
    target: 9
  - id: k-single        # one reading, no baseline: nothing to compare with
    name: Single
    owner: ana
    direction: up
    target: 90
    readings:
      - date: 2027-01-31
        value: 40
"""

OPEN_ACTION_TITLES = {
    "q-due": 'Call Ana, Ben; then "review"\nand report back',
    "q-blocked": "@Book the dock slots",
    "m-doing": "-5% film per pallet",
    "m-todo": '=HYPERLINK("http://example.com","x")',
}


def write_tracking_plan(directory: Path, name: str = "tracking.yaml", text: str = "") -> Path:
    path = directory / name
    path.write_bytes((text or TRACKING_PLAN).encode("utf-8"))
    return path


def load_tracking_plan(directory: Path, name: str = "tracking.yaml", text: str = "") -> PlanFile:
    plan_file, problems = load_plan(write_tracking_plan(directory, name, text))
    assert plan_file is not None, problems
    return plan_file


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def run_cxplan(cwd: Path, *args: str, env: dict[str, str | None] | None = None) -> Run:
    """The real command group, run in this process (a subprocess costs ~0.7 s); exit
    codes as `cxplan.cli.main` maps them."""
    with contextlib.chdir(cwd):
        result = CliRunner().invoke(cli, list(args), standalone_mode=False, env=env)
    if isinstance(result.exception, click.ClickException):
        code = result.exception.exit_code
    elif result.exception is not None:
        raise result.exception
    else:
        code = result.return_value
    return Run(code, result.stdout, result.stderr)
