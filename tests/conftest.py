"""Shared helpers: a minimal valid plan that tests mutate, and a way to write it out.

The minimal plan uses every section once or twice, so a test can introduce one
realistic mistake with a single text replacement and know the line it lands on.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

MINIMAL_PLAN = """\
plan:
  title: Acme CX plan
  customer: Acme Industrial
  owner: ana
  start: 2027-01-04
  end: 2027-12-17
team:
  - id: ana
    name: Ana Ruiz
    department: Key Accounts
    involvement: core
  - id: ben
    name: Ben Cole
    department: Operations
areas:
  - id: ops
    name: Operations
    head: dora
  - id: fin
    name: Finance
moments:
  - id: tender
    name: Tender
    phase: purchase
  - id: delivery
    name: Delivery
    phase: consumption
stakeholders:
  - id: dora
    name: Dora Lind
    area: ops
    influence: 4
    support: supporter
    owner: ana
  - id: eli
    name: Eli Park
    area: fin
    influence: 3
    support: neutral
    reports_to: dora
commitments:
  - id: c1
    promise: Deliveries inside the booked dock window
    to: ops
    owner: ben
    due: 2027-02-15
    expectation: 4
actions:
  - id: a1
    title: Confirm dock windows
    owner: ben
    due: 2027-01-25
    horizon: quick-win
    status: done
    done_on: 2027-01-20
  - id: a2
    title: Monthly review with Finance
    owner: ana
    due: 2027-04-30
    horizon: medium-term
kpis:
  - id: otif
    name: On time in full
    owner: ben
    unit: "%"
    direction: up
    target: 95
    readings:
      - date: 2027-01-31
        value: 88
      - date: 2027-02-28
        value: 91
"""


def minimal_plan_text() -> str:
    """A small plan that validates with no diagnostic at all."""
    return MINIMAL_PLAN


def mutate(text: str, old: str, new: str, count: int = 1) -> str:
    """Replace `old` by `new` exactly `count` times; fail loudly if `old` is absent."""
    assert old in text, f"the minimal plan has no {old!r}"
    return text.replace(old, new, count)


def write_plan(directory: Path, text: str | bytes, name: str = "acme.yaml") -> Path:
    """Write a plan file (text as UTF-8, bytes as given) and return its path."""
    path = directory / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_bytes(text.encode("utf-8"))
    return path


@pytest.fixture
def minimal_plan() -> str:
    return minimal_plan_text()


@pytest.fixture
def plan_path(tmp_path: Path) -> Path:
    """The minimal plan written as `acme.yaml` in a fresh folder."""
    return write_plan(tmp_path, minimal_plan_text())


@pytest.fixture(autouse=True, scope="session")
def _cache_of_parsed_plans(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The cache of parsed plans in a folder of the test run, never the user's own:
    every test, and every cxplan process a test starts, reads and writes it there."""
    os.environ["CXPLAN_CACHE_DIR"] = str(tmp_path_factory.mktemp("cxplan-cache"))
