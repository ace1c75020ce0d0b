"""Tracking facts on a hand-made plan, at several as-of dates and on the boundaries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tracking_plans import TRACKING_PLAN, load_tracking_plan

from cxplan.analyse.tracking import (
    action_state,
    board_order,
    burnup_series,
    commitment_state,
    days_late,
    is_open,
    is_overdue,
    kpi_latest,
    kpi_on_track,
    plan_status,
    portfolio_status,
    quick_win_board,
    satisfaction,
)
from cxplan.model.build import PlanFile

D = dt.date


@pytest.fixture
def tracking(tmp_path: Path) -> PlanFile:
    return load_tracking_plan(tmp_path)


def action(plan_file: PlanFile, action_id: str):  # type: ignore[no-untyped-def]
    return next(a for a in plan_file.plan.actions if a.id == action_id)


def commitment(plan_file: PlanFile, commitment_id: str):  # type: ignore[no-untyped-def]
    return next(c for c in plan_file.plan.commitments if c.id == commitment_id)


def kpi(plan_file: PlanFile, kpi_id: str):  # type: ignore[no-untyped-def]
    return next(k for k in plan_file.plan.kpis if k.id == kpi_id)


def test_open_statuses(tracking: PlanFile) -> None:
    assert {a.id for a in tracking.plan.actions if is_open(a)} == {
        "q-due", "q-blocked", "m-doing", "m-todo"
    }


@pytest.mark.parametrize(
    ("action_id", "as_of", "overdue"),
    [
        ("q-due", D(2027, 1, 31), False),
        ("q-due", D(2027, 2, 1), False),  # due today is not overdue
        ("q-due", D(2027, 2, 2), True),
        ("q-blocked", D(2027, 1, 25), False),
        ("q-blocked", D(2027, 1, 26), True),  # blocked actions can be overdue
        ("q-done", D(2030, 1, 1), False),  # done: never overdue
        ("q-late", D(2030, 1, 1), False),
        ("q-dropped", D(2030, 1, 1), False),  # dropped: never overdue
    ],
)
def test_overdue_boundaries(tracking: PlanFile, action_id: str, as_of: dt.date,
                            overdue: bool) -> None:
    assert is_overdue(action(tracking, action_id), as_of) is overdue


@pytest.mark.parametrize(
    ("action_id", "as_of", "late"),
    [
        ("q-due", D(2027, 2, 1), 0),
        ("q-due", D(2027, 2, 2), 1),
        ("q-blocked", D(2027, 2, 1), 7),
        ("q-blocked", D(2027, 1, 1), 0),  # not due yet: never negative
        ("q-done", D(2030, 1, 1), 0),  # finished two days early
        ("q-late", D(2030, 1, 1), 7),  # finished seven days late, as_of does not matter
        ("q-dropped", D(2030, 1, 1), 0),
    ],
)
def test_days_late(tracking: PlanFile, action_id: str, as_of: dt.date, late: int) -> None:
    assert days_late(action(tracking, action_id), as_of) == late


def test_action_states(tracking: PlanFile) -> None:
    as_of = D(2027, 2, 1)
    states = {a.id: action_state(a, as_of) for a in tracking.plan.actions}
    assert states == {
        "q-done": "done", "q-late": "done", "q-due": "due-soon", "q-blocked": "overdue",
        "q-dropped": "dropped", "m-doing": "due-soon", "m-todo": "open",
    }
    assert action_state(action(tracking, "q-blocked"), D(2027, 1, 1)) == "blocked"


def test_commitments(tracking: PlanFile) -> None:
    assert satisfaction(commitment(tracking, "c-kept")) == 0
    assert satisfaction(commitment(tracking, "c-broken")) == -2
    assert satisfaction(commitment(tracking, "c-due")) is None
    # Measured commitments keep their state whatever the date.
    assert commitment_state(commitment(tracking, "c-kept"), D(2027, 1, 1)) == "kept"
    assert commitment_state(commitment(tracking, "c-broken"), D(2027, 1, 1)) == "broken"
    assert commitment_state(commitment(tracking, "c-due"), D(2027, 2, 1)) == "pending"
    assert commitment_state(commitment(tracking, "c-due"), D(2027, 2, 2)) == "overdue"


def test_kpi_rule(tracking: PlanFile) -> None:
    period = tracking.plan.plan
    assert kpi_latest(kpi(tracking, "k-hit")).value == 2  # type: ignore[union-attr]
    assert kpi_latest(kpi(tracking, "k-none")) is None
    judged = {k.id: kpi_on_track(k, period) for k in tracking.plan.kpis}
    assert judged == {
        "k-ahead": True,  # improved and ahead of the straight line to the target
        "k-behind": False,  # improved, but behind the straight line
        "k-flat": False,  # no better than the baseline
        "k-hit": True,  # target reached
        "k-none": None,  # no reading
        "k-single": None,  # one reading and no baseline: nothing to compare with
    }
    # Without the plan's period there is no pace to be behind.
    assert kpi_on_track(kpi(tracking, "k-behind")) is True


def ids(items) -> list[str]:  # type: ignore[no-untyped-def]
    return [item.id for item in items]


def late_ids(items) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    """(id, days late) of LateAction / LateCommitment values."""
    return [
        (late.action.id if hasattr(late, "action") else late.commitment.id, late.days_late)
        for late in items
    ]


@pytest.mark.parametrize(
    ("as_of", "overdue", "due_soon", "commitments_overdue"),
    [
        (D(2027, 1, 4), [], [], []),
        (D(2027, 1, 25), [], ["q-blocked", "q-due"], []),
        (D(2027, 2, 1), [("q-blocked", 7)], ["q-due", "m-doing"], []),
        (D(2027, 2, 2), [("q-blocked", 8), ("q-due", 1)], ["m-doing"], [("c-due", 1)]),
        (
            D(2027, 4, 1),
            [("q-blocked", 66), ("q-due", 59), ("m-doing", 50), ("m-todo", 1)],
            [],
            [("c-due", 59)],
        ),
    ],
)
def test_plan_status_as_of(
    tracking: PlanFile,
    as_of: dt.date,
    overdue: list[tuple[str, int]],
    due_soon: list[str],
    commitments_overdue: list[tuple[str, int]],
) -> None:
    status = plan_status(tracking, as_of)
    assert (status.quick_wins_done, status.quick_wins_total) == (2, 4)  # dropped not counted
    assert (status.actions_done, status.actions_total) == (2, 6)
    assert late_ids(status.overdue) == overdue
    assert ids(status.due_soon) == due_soon
    assert ids(status.blocked) == ["q-blocked"]
    assert ids(status.commitments_broken) == ["c-broken"]
    assert late_ids(status.commitments_overdue) == commitments_overdue
    assert ids(status.kpis_off_track) == ["k-behind", "k-flat"]
    assert ids(status.kpis_unknown) == ["k-none", "k-single"]


def test_due_soon_window_edges(tracking: PlanFile) -> None:
    # m-doing is due 2027-02-10: 14 days after 2027-01-27 (in), 15 after 2027-01-26 (out).
    assert "m-doing" in ids(plan_status(tracking, D(2027, 1, 27)).due_soon)
    assert "m-doing" not in ids(plan_status(tracking, D(2027, 1, 26)).due_soon)
    assert "m-doing" in ids(plan_status(tracking, D(2027, 1, 26), due_soon_days=15).due_soon)


def test_owner_filter(tracking: PlanFile) -> None:
    status = plan_status(tracking, D(2027, 2, 2), owner="ben")
    assert (status.quick_wins_done, status.quick_wins_total) == (1, 2)
    assert (status.actions_done, status.actions_total) == (1, 3)
    assert late_ids(status.overdue) == [("q-due", 1)]
    assert status.blocked == []
    assert ids(status.commitments_broken) == ["c-broken"]
    assert ids(status.kpis_off_track) == ["k-behind", "k-flat"]
    nobody = plan_status(tracking, D(2027, 2, 2), owner="zoe")
    assert (nobody.quick_wins_total, nobody.actions_total, nobody.overdue) == (0, 0, [])


def test_board_order_puts_overdue_first(tracking: PlanFile) -> None:
    quick_wins = [a for a in tracking.plan.actions if a.horizon == "quick-win"]
    assert ids(board_order(quick_wins, D(2027, 2, 2))) == [
        "q-blocked", "q-due",  # overdue, most days late first
        "q-late", "q-done",  # done, most recently finished first
        "q-dropped",
    ]
    assert ids(board_order(quick_wins, D(2027, 1, 4))) == [
        "q-blocked", "q-due", "q-late", "q-done", "q-dropped"
    ]
    assert ids(plan_status(tracking, D(2027, 1, 26)).quick_wins) == [
        "q-blocked", "q-due", "q-late", "q-done", "q-dropped"
    ]


def test_portfolio_board_across_plans(tmp_path: Path) -> None:
    first = load_tracking_plan(tmp_path)
    # A second plan whose q-due is much later than any overdue action of the first.
    other_text = TRACKING_PLAN.replace("due: 2027-02-01\n    horizon: quick-win",
                                       "due: 2027-01-05\n    horizon: quick-win")
    second = load_tracking_plan(tmp_path, "other.yaml", other_text)
    board = quick_win_board([first, second], D(2027, 2, 2))
    assert [(e.plan_id, e.action.id, e.state) for e in board[:3]] == [
        ("other", "q-due", "overdue"),  # 28 days late
        ("other", "q-blocked", "overdue"),  # 8 days late; ties by plan id
        ("tracking", "q-blocked", "overdue"),
    ]
    assert board[3].action.id == "q-due" and board[3].days_late == 1
    assert [e.state for e in board[4:]] == ["done"] * 4 + ["dropped"] * 2
    plans = portfolio_status([first, second], D(2027, 2, 2))
    assert [s.plan_id for s in plans] == ["other", "tracking"]  # both have 2 overdue: by id
    plans = portfolio_status([first, second], D(2027, 1, 26))
    assert [(s.plan_id, len(s.overdue)) for s in plans] == [("other", 2), ("tracking", 1)]


def test_burnup_series(tracking: PlanFile) -> None:
    points = {p.date: (p.done, p.due) for p in burnup_series(tracking.plan, D(2027, 2, 1))}
    assert points[D(2027, 1, 4)] == (0, 0)  # plan start
    assert points[D(2027, 1, 18)] == (1, 0)
    assert points[D(2027, 1, 20)] == (1, 1)
    assert points[D(2027, 1, 29)] == (2, 3)
    assert points[D(2027, 2, 1)] == (2, 4)  # as of
    assert points[D(2027, 12, 31)] == (2, 6)  # plan end: dropped never counted
    assert D(2027, 1, 10) not in points  # the dropped action's due date
    # A done_on after as_of is not trusted yet.
    early = {p.date: p.done for p in burnup_series(tracking.plan, D(2027, 1, 20))}
    assert max(early.values()) == 1
    dates = [p.date for p in burnup_series(tracking.plan, D(2027, 2, 1))]
    assert dates == sorted(set(dates))
